package org.microssl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;


import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.microssl.Fixtures.Backend;
import org.microssl.testing.MemoryTransport;
import org.microssl.testing.TestPki;
import org.microssl.testing.TlsPair;

/** RFC 6066 max_fragment_length: offered by the client, honoured by the server, and sizing our buffers. */
class MaxFragmentLengthTest {
    private static final TestPki.Chain CHAIN = TestPki.chain(TestPki.KeyType.EC_P256);

    @ParameterizedTest(name = "mfl {0} version {1}")
    @CsvSource({"512, 772", "512, 771", "1024, 772", "4096, 772"})
    void negotiatedAndBuffersFollow(int mfl, int version) throws Exception {
        SSLContext client = Fixtures.client(CHAIN.root, Backend.LIGHTWEIGHT);
        client.setMaxFragmentLength(mfl);
        client.setMaximumVersion(version);
        TlsPair p = TlsPair.connect(client, "localhost", Fixtures.server(CHAIN, Backend.LIGHTWEIGHT));
        assertEquals(mfl, p.client.maxFragmentLength());
        assertEquals(mfl, p.server.maxFragmentLength(), "the server honoured the client's offer");
        int bufferSize = Math.min(mfl + 5 + 8 + 1 + 16, 4096); // unpadded AEAD records; grows if a peer pads
        assertEquals(bufferSize, p.client.transferBufferSize());
        assertEquals(bufferSize, p.server.transferBufferSize());

        byte[] data = new byte[20_000];
        NonBlockingTest.fill(data, 7);
        long before = p.serverTransport.bytesWritten;
        p.serverTransport.largestWrite = 0; // the handshake's flight went out before the buffers shrank
        p.server.write(data);
        byte[] got = new byte[data.length];
        int n = 0;
        while (n < data.length) {
            byte[] chunk = p.client.read(data.length - n);
            assertTrue(chunk.length > 0);
            System.arraycopy(chunk, 0, got, n, chunk.length);
            n += chunk.length;
        }
        assertArrayEquals(data, got);
        long onWire = p.serverTransport.bytesWritten - before;
        // Every record carries at most mfl bytes of plaintext: at least ceil(20000 / mfl) records' overhead.
        int minRecords = (data.length + mfl - 1) / mfl;
        assertTrue(onWire >= data.length + minRecords * 21L, "records were not split to " + mfl);
        // one record per transport write, sent from BouncyCastle's queue (the output half has no buffer of its own)
        assertTrue(p.serverTransport.largestWrite <= mfl + 5 + 8 + 1 + 16, "largest write " + p.serverTransport.largestWrite);
    }

    @ParameterizedTest(name = "mfl 512 one byte at a time, version {0}")
    @CsvSource({"772", "771"})
    void nonBlockingWithSmallRecords(int version) throws Exception {
        SSLContext client = Fixtures.client(CHAIN.root, Backend.LIGHTWEIGHT);
        client.setMaxFragmentLength(512);
        client.setMaximumVersion(version);
        MemoryTransport[] t = MemoryTransport.nonBlockingPair(1, true);
        SSLSocket c = client.wrapSocket(t[0], false, false, "localhost");
        SSLSocket s = Fixtures.server(CHAIN, Backend.LIGHTWEIGHT).wrapSocket(t[1], true, false, null);
        TlsPair.pumpHandshake(c, s, 1_000_000);
        assertEquals(512, c.maxFragmentLength());
        byte[] data = new byte[3000];
        NonBlockingTest.fill(data, 3);
        assertArrayEquals(data, NonBlockingTest.transfer(c, s, data));
    }
}
