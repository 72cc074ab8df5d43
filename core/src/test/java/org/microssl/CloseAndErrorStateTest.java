package org.microssl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;

import org.bouncycastle.tls.AlertDescription;
import org.junit.jupiter.api.Test;
import org.microssl.Fixtures.Backend;
import org.microssl.SslException.Failure;
import org.microssl.testing.TestPki;
import org.microssl.testing.TlsPair;

/** close_notify versus truncation, use after close, and the first fatal error sticking. */
class CloseAndErrorStateTest {
    private static final TestPki.Chain CHAIN = TestPki.chain(TestPki.KeyType.EC_P256);

    private static TlsPair connect() throws Exception {
        return TlsPair.connect(Fixtures.client(CHAIN.root, Backend.LIGHTWEIGHT), "localhost",
                Fixtures.server(CHAIN, Backend.LIGHTWEIGHT));
    }

    @Test
    void closeNotifyIsEndOfStreamAndDataBeforeItIsDelivered() throws Exception {
        TlsPair p = connect();
        p.client.write(Fixtures.ascii("last words"));
        p.client.close();
        assertArrayEquals(Fixtures.ascii("last words"), p.server.read(100));
        assertEquals(0, p.server.read(100).length);
        assertEquals(0, p.server.readinto(new byte[10]));
        assertEquals(-1, p.server.getInputStream().read());
        SslException e = assertThrows(SslException.class, () -> p.server.write(Fixtures.ascii("x")));
        assertEquals(Failure.CLOSED, e.failure());
        p.server.close();
    }

    @Test
    void endOfStreamWithoutCloseNotifyIsTruncation() throws Exception {
        TlsPair p = connect();
        p.client.write(Fixtures.ascii("partial"));
        p.clientTransport.close(); // TCP FIN without close_notify: a truncation attack looks like this
        assertArrayEquals(Fixtures.ascii("partial"), p.server.read(100));
        SslException e = assertThrows(SslException.class, () -> p.server.read(100));
        assertEquals(Failure.TRUNCATED, e.failure());
        // The first error sticks: the same exception, every time, for every operation.
        assertSame(e, assertThrows(SslException.class, () -> p.server.read(100)));
        assertSame(e, assertThrows(SslException.class, () -> p.server.write(Fixtures.ascii("x"))));
        assertSame(e, assertThrows(SslException.class, () -> p.server.doHandshake()));
        p.server.close();
    }

    @Test
    void useAfterCloseFailsAndCloseIsIdempotent() throws Exception {
        TlsPair p = connect();
        p.client.close();
        p.client.close();
        assertTrue(p.clientTransport.isClosed());
        SslException e = assertThrows(SslException.class, () -> p.client.read(1));
        assertEquals(Failure.CLOSED, e.failure());
        assertEquals(Failure.CLOSED, assertThrows(SslException.class, () -> p.client.write(new byte[1])).failure());
    }

    @Test
    void tamperedRecordFailsWithBadRecordMacAndSticks() throws Exception {
        TlsPair p = connect();
        // A well-formed TLS 1.3 application_data record whose AEAD tag cannot verify.
        byte[] record = new byte[5 + 40];
        record[0] = 23;
        record[1] = 3;
        record[2] = 3;
        record[4] = 40;
        p.clientTransport.inject(record);
        SslException e = assertThrows(SslException.class, () -> p.server.read(100));
        assertEquals(Failure.PROTOCOL_ERROR, e.failure());
        assertEquals(AlertDescription.bad_record_mac, e.alert());
        assertTrue(e.getMessage().contains("bad_record_mac(20)"), e.getMessage());
        assertSame(e, assertThrows(SslException.class, () -> p.server.read(100)));
        // The client received the alert.
        SslException c = assertThrows(SslException.class, () -> p.client.read(100));
        assertEquals(Failure.ALERT_RECEIVED, c.failure());
        assertEquals(AlertDescription.bad_record_mac, c.alert());
        assertTrue(c.getMessage().contains("peer sent alert bad_record_mac(20)"), c.getMessage());
        assertSame(c, assertThrows(SslException.class, () -> p.client.write(new byte[1])));
    }

    @Test
    void javaStreams() throws Exception {
        TlsPair p = connect();
        OutputStream out = p.client.getOutputStream();
        InputStream in = p.server.getInputStream();
        byte[] big = new byte[70_000];
        for (int i = 0; i < big.length; i++) big[i] = (byte) i;
        Thread writer = new Thread(() -> {
            try {
                out.write(big);
                out.close();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        writer.start();
        byte[] got = in.readAllBytes();
        writer.join();
        assertArrayEquals(big, got);
    }

    @Test
    void readline() throws Exception {
        TlsPair p = connect();
        p.client.write(Fixtures.ascii("first line\nsecond"));
        p.client.close();
        assertEquals(0, p.server.getInputStream().available(), "nothing decrypted before the first read");
        assertArrayEquals(Fixtures.ascii("first line\n"), p.server.readline());
        assertEquals(6, p.server.getInputStream().available(), "the rest of the record is ready");
        assertArrayEquals(Fixtures.ascii("second"), p.server.readline());
        assertEquals(0, p.server.readline().length);
    }
}
