package org.microssl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.tls.AlertDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.microssl.Fixtures.Backend;
import org.microssl.SslException.Failure;
import org.microssl.testing.MemoryTransport;
import org.microssl.testing.TestPki;
import org.microssl.testing.TlsPair;
import org.microssl.x509.Reason;

/** Bad peers, timeouts, partial lines, and MicroPython's module-level wrap_socket. */
class RobustnessTest {
    private static final TestPki.Chain CHAIN = TestPki.chain(TestPki.KeyType.EC_P256);

    @Test
    void garbageInsteadOfClientHelloIsAProtocolError() throws Exception {
        MemoryTransport[] t = MemoryTransport.blockingPair();
        t[0].inject("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
        SslException e = assertThrows(SslException.class,
                () -> Fixtures.server(CHAIN, Backend.LIGHTWEIGHT).wrapSocket(t[1], true, true, null));
        assertEquals(Failure.PROTOCOL_ERROR, e.failure(), e.getMessage());
        assertEquals(AlertDescription.unexpected_message, e.alert(), e.getMessage());
        // (BouncyCastle writes no alert before a record version is agreed, so the peer sees nothing here.)
    }

    @Test
    void overLongRecordFailsOnItsHeaderAlone() throws Exception {
        // A handshake record header announcing 2^16 - 1 bytes (over 2^14 + 256, RFC 8446 section 5.2), no body:
        // the engine must reject it from the header, not wait for 64 KiB that never come.
        MemoryTransport[] t = MemoryTransport.blockingPair();
        t[0].inject(new byte[] {22, 3, 1, (byte) 0xff, (byte) 0xff});
        SslException e = assertThrows(SslException.class,
                () -> Fixtures.server(CHAIN, Backend.LIGHTWEIGHT).wrapSocket(t[1], true, true, null));
        assertEquals(Failure.PROTOCOL_ERROR, e.failure(), e.getMessage());
        assertEquals(AlertDescription.record_overflow, e.alert(), e.getMessage());
    }

    @Test
    void endOfStreamInsideARecordIsTruncation() throws Exception {
        MemoryTransport[] t = MemoryTransport.blockingPair();
        t[0].inject(new byte[] {22, 3, 1, 0, 100, 1, 0, 0, 96}); // a 100-byte record's header and 4 bytes of it
        t[0].shutdownOutput();
        SslException e = assertThrows(SslException.class,
                () -> Fixtures.server(CHAIN, Backend.LIGHTWEIGHT).wrapSocket(t[1], true, true, null));
        assertEquals(Failure.TRUNCATED, e.failure(), e.getMessage());
        assertTrue(e.getMessage().contains("in the middle of a record"), e.getMessage());
    }

    @Test
    void aWholeRecordIsReadIntoAPooledBufferThatGoesBackOnceEmpty() throws Exception {
        TlsPair p = TlsPair.connect(Fixtures.client(CHAIN.root, Backend.LIGHTWEIGHT), "localhost",
                Fixtures.server(CHAIN, Backend.LIGHTWEIGHT));
        assertEquals(4096, p.client.transferBufferSize(), "idle connections keep the small buffer");
        byte[] data = new byte[40_000];
        NonBlockingTest.fill(data, 5);
        p.server.write(data);
        byte[] got = new byte[data.length];
        int n = 0;
        while (n < data.length) {
            byte[] chunk = p.client.read(data.length - n);
            System.arraycopy(chunk, 0, got, n, chunk.length);
            n += chunk.length;
        }
        assertArrayEquals(data, got);
        // 2^14-byte records arrived whole (each needs a record-sized buffer); none is held once read.
        assertEquals(4096, p.client.transferBufferSize(), "the record-sized buffer went back to the pool");
    }

    @ParameterizedTest(name = "version {0}")
    @CsvSource({"772", "771"})
    void rejectionAlertsUnderBothVersions(int version) throws Exception {
        SSLContext client = Fixtures.client(CHAIN.root, Backend.LIGHTWEIGHT);
        client.setMaximumVersion(version);
        TlsPair p = TlsPair.attempt(client, "wrong.example", Fixtures.server(CHAIN, Backend.LIGHTWEIGHT));
        assertEquals(Reason.HOSTNAME_MISMATCH,
                Fixtures.rejection(p.clientError).reason());
        SslException s = assertInstanceOf(SslException.class, p.serverError);
        assertEquals(AlertDescription.bad_certificate, s.alert());
    }

    @Test
    void certificateRejectionSticks() throws Exception {
        MemoryTransport[] t = MemoryTransport.nonBlockingPair(1 << 20, false);
        SSLSocket c = Fixtures.client(CHAIN.root, Backend.LIGHTWEIGHT).wrapSocket(t[0], false, false, "wrong.example");
        SSLSocket s = Fixtures.server(CHAIN, Backend.LIGHTWEIGHT).wrapSocket(t[1], true, false, null);
        SslException first = null;
        for (int i = 0; i < 10 && first == null; i++) {
            try {
                c.doHandshake();
            } catch (SslException e) {
                first = e;
            }
            try {
                s.doHandshake();
            } catch (SslException e) {
                assertEquals(AlertDescription.bad_certificate, e.alert());
            }
        }
        assertEquals(Reason.HOSTNAME_MISMATCH, first.reason());
        assertEquals(Failure.CERTIFICATE_REJECTED, first.failure());
        assertEquals(AlertDescription.bad_certificate, first.alert());
        assertSame(first, assertThrows(SslException.class, c::doHandshake));
        assertSame(first, assertThrows(SslException.class, () -> c.read(1)));
        assertSame(first, assertThrows(SslException.class, () -> c.write(new byte[1])));
    }

    @Test
    void readTimeoutIsNotFatal() throws Exception {
        SSLContext serverCtx = Fixtures.server(CHAIN, Backend.LIGHTWEIGHT);
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<SSLSocket> server = CompletableFuture.supplyAsync(() -> {
                try {
                    return serverCtx.wrapSocket(listener.accept(), true, true, null);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            try (Socket raw = new Socket(listener.getInetAddress(), listener.getLocalPort())) {
                SSLSocket c = Fixtures.client(CHAIN.root, Backend.LIGHTWEIGHT).wrapSocket(raw, false, true,
                        "localhost");
                SSLSocket s = server.get(10, TimeUnit.SECONDS);
                raw.setSoTimeout(100);
                assertThrows(SocketTimeoutException.class, () -> c.read(10));
                s.write("after the timeout".getBytes());
                assertArrayEquals("after the timeout".getBytes(), c.read(100));
                c.close();
                s.close();
            }
        }
    }

    @Test
    void nonBlockingReadlineKeepsAPartialLine() throws Exception {
        MemoryTransport[] t = MemoryTransport.nonBlockingPair(1 << 20, false);
        SSLSocket c = Fixtures.client(CHAIN.root, Backend.LIGHTWEIGHT).wrapSocket(t[0], false, false, "localhost");
        SSLSocket s = Fixtures.server(CHAIN, Backend.LIGHTWEIGHT).wrapSocket(t[1], true, false, null);
        TlsPair.pumpHandshake(c, s, 100);
        c.write("par".getBytes());
        assertNull(s.readline(), "no newline yet: would block");
        c.write("tial\nnext".getBytes());
        assertArrayEquals("partial\n".getBytes(), s.readline());
        assertNull(s.readline());
    }

    @Test
    void moduleLevelWrapSocketDefaultsToCertNone() throws Exception {
        MemoryTransport[] t = MemoryTransport.blockingPair();
        SSLContext serverCtx = Fixtures.server(TestPki.chain(TestPki.KeyType.EC_P256), Backend.LIGHTWEIGHT);
        CompletableFuture<SSLSocket> server = CompletableFuture.supplyAsync(() -> {
            try {
                return serverCtx.wrapSocket(t[1], true, true, null);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        SSLSocket c = Ssl.wrapSocket(t[0], "anything.example"); // insecure, as MicroPython's default
        assertTrue(c.getpeercert().isEmpty(), "not validated");
        assertEquals("anything.example", server.get(10, TimeUnit.SECONDS).serverHostname());
    }

    @Test
    void moduleLevelWrapSocketWithVerification() throws Exception {
        MemoryTransport[] t = MemoryTransport.blockingPair();
        CompletableFuture<SSLSocket> server = CompletableFuture.supplyAsync(() -> {
            try {
                return Ssl.wrapSocket(t[1], true, CHAIN.leaf.keyPkcs8(), Fixtures.ascii(CHAIN.chainPem()),
                        Ssl.CERT_NONE, null, null, true);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        SSLSocket c = Ssl.wrapSocket(t[0], false, (byte[]) null, null, Ssl.CERT_REQUIRED, CHAIN.root.der,
                "localhost", true);
        assertEquals("localhost", ((java.util.List<?>) ((java.util.List<?>) ((java.util.List<?>) c.getpeercert()
                .get("subject")).get(0)).get(0)).get(1));
        c.write("ok".getBytes());
        assertArrayEquals("ok".getBytes(), server.get(10, TimeUnit.SECONDS).read(2));
    }
}
