package org.microssl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;


import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.microssl.Fixtures.Backend;
import org.microssl.testing.MemoryTransport;
import org.microssl.testing.TestPki;
import org.microssl.testing.TlsPair;

/**
 * MicroPython's non-blocking semantics over a transport that moves ONE byte per call and refuses every other
 * write: the handshake advances inside read/write (doHandshakeOnConnect=false), calls return null instead of
 * blocking, and wantsRead/wantsWrite tell a poll loop what to wait for.
 */
class NonBlockingTest {
    private static final TestPki.Chain CHAIN = TestPki.chain(TestPki.KeyType.EC_P256);

    @ParameterizedTest(name = "{0} version {1} chunk {2}")
    @CsvSource({"LIGHTWEIGHT, 772, 1", "LIGHTWEIGHT, 771, 1", "JCA, 772, 1", "LIGHTWEIGHT, 772, 7"})
    void handshakeAndDataOneByteAtATime(Backend backend, int version, int chunk) throws Exception {
        SSLContext server = Fixtures.server(CHAIN, backend);
        SSLContext client = Fixtures.client(CHAIN.root, backend);
        client.setMaximumVersion(version);
        MemoryTransport[] t = MemoryTransport.nonBlockingPair(chunk, true);

        SSLSocket c = client.wrapSocket(t[0], false, false, "localhost");
        SSLSocket s = server.wrapSocket(t[1], true, false, null);
        assertTrue(c.wantsWrite(), "the ClientHello is waiting to be written");
        assertNull(s.read(10), "server has nothing yet: would block");
        assertTrue(s.wantsRead());
        assertFalse(s.wantsWrite());

        // The client's write drives its handshake; it cannot finish without the server, so it returns null.
        assertNull(c.write(Fixtures.ascii("early")));
        TlsPair.pumpHandshake(c, s, 1_000_000);
        assertEquals(version == Ssl.TLSv1_3 ? "TLSv1.3" : "TLSv1.2", c.version());

        byte[] data = new byte[5000];
        fill(data, 1);
        byte[] echoed = transfer(c, s, data);
        assertArrayEquals(data, echoed);
        byte[] back = transfer(s, c, data);
        assertArrayEquals(data, back);
    }

    /** Deterministic test data (no java.util.Random in this project). */
    static void fill(byte[] data, int seed) {
        int x = seed * 0x9E3779B9;
        for (int i = 0; i < data.length; i++) {
            x ^= x << 13;
            x ^= x >>> 17;
            x ^= x << 5;
            data[i] = (byte) x;
        }
    }

    /** Writes everything from {@code from}, reading it at {@code to}, in one thread, as a poll loop would. */
    static byte[] transfer(SSLSocket from, SSLSocket to, byte[] data) throws Exception {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        int written = 0;
        byte[] buf = new byte[333];
        for (int spins = 0; got.size() < data.length; spins++) {
            if (spins > 10_000_000) throw new AssertionError("no progress after " + got.size() + " bytes");
            if (written < data.length) {
                Integer n = from.write(data, written, data.length - written);
                if (n != null) written += n; else assertTrue(from.wantsWrite());
            } else if (from.wantsWrite()) {
                from.write(data, 0, 0); // flush what the transport refused
            }
            Integer r = to.readinto(buf);
            if (r != null) {
                assertTrue(r > 0, "no end of stream here");
                got.write(buf, 0, r);
            } else {
                assertTrue(to.wantsRead());
            }
        }
        return got.toByteArray();
    }
}
