package org.microssl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.microssl.Fixtures.Backend;
import org.microssl.testing.MemoryTransport;
import org.microssl.testing.TestPki;
import org.microssl.testing.TlsPair;

/**
 * The engine reads what the transport has, not one record header and then one record body: many small records
 * cost one transport call, every record that arrived whole is decrypted at once (so {@code available()} counts
 * it and a poll loop never waits on the socket for data already received), and a record that straddles two
 * reads, or outgrows the buffer behind records already received, arrives intact.
 */
class ReadAheadTest {
    private static final TestPki.Chain CHAIN = TestPki.chain(TestPki.KeyType.EC_P256);

    @ParameterizedTest
    @EnumSource(Backend.class)
    void smallRecordsThatArriveTogetherCostOneTransportReadAndAreAllAvailable(Backend backend) throws Exception {
        Connection conn = connect(backend);
        SSLSocket c = conn.client;
        SSLSocket s = conn.server;
        MemoryTransport serverTransport = conn.serverTransport;
        for (int i = 0; i < 40; i++) {
            assertEquals(10, c.write(Fixtures.ascii(String.format("record%03d,", i))).intValue());
        }
        int readsBefore = serverTransport.reads;
        byte[] first = s.read(10);
        assertEquals("record000,", new String(first, "US-ASCII"));
        assertEquals(1, serverTransport.reads - readsBefore, "40 records of 32 bytes fit one 4 KiB read");
        InputStream in = s.getInputStream();
        assertEquals(390, in.available(), "the other 39 records were decrypted with the first");
        byte[] rest = new byte[390];
        int got = 0;
        while (got < rest.length) got += in.read(rest, got, rest.length - got);
        assertEquals(1, serverTransport.reads - readsBefore, "no further transport read was needed");
        assertTrue(new String(rest, "US-ASCII").endsWith("record039,"));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aFullSizeRecordBehindSmallOnesGrowsTheBufferWithoutLosingBytes(Backend backend) throws Exception {
        Connection conn = connect(backend);
        SSLSocket c = conn.client;
        SSLSocket s = conn.server;
        byte[] big = new byte[16384 + 100]; // one full record and a small one
        NonBlockingTest.fill(big, 7);
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        for (byte[] chunk : new byte[][] {Fixtures.ascii("small one"), big, Fixtures.ascii("small two")}) {
            assertEquals(chunk.length, c.write(chunk).intValue());
            sent.write(chunk);
        }
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buf = new byte[1000];
        while (received.size() < sent.size()) {
            Integer n = s.readinto(buf);
            if (n == null) throw new AssertionError("would block with " + received.size() + " of " + sent.size());
            received.write(buf, 0, n);
        }
        assertArrayEquals(sent.toByteArray(), received.toByteArray());
        assertEquals(4096, s.transferBufferSize(), "the full-size record's pooled buffer went back once read");
    }

    private static final class Connection {
        final SSLSocket client;
        final SSLSocket server;
        final MemoryTransport serverTransport;

        Connection(SSLSocket client, SSLSocket server, MemoryTransport serverTransport) {
            this.client = client;
            this.server = server;
            this.serverTransport = serverTransport;
        }
    }

    private static Connection connect(Backend backend) throws Exception {
        SSLContext server = Fixtures.server(CHAIN, backend);
        SSLContext client = Fixtures.client(CHAIN.root, backend);
        MemoryTransport[] t = MemoryTransport.nonBlockingPair(Integer.MAX_VALUE, false);
        SSLSocket c = client.wrapSocket(t[0], false, false, "localhost");
        SSLSocket s = server.wrapSocket(t[1], true, false, null);
        TlsPair.pumpHandshake(c, s, 1000);
        return new Connection(c, s, t[1]);
    }
}
