package org.microssl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.microssl.Fixtures.Backend;
import org.microssl.SslException.Failure;
import org.microssl.testing.TestPki;

/**
 * Over real loopback sockets (microssl on both ends): a reader and a writer thread on one connection, against an
 * echo server, with far more data in flight than the sockets buffer. A reader that waited on a writer blocked in
 * the transport would deadlock here.
 */
@Timeout(60)
class SocketDuplexTest {
    private static final TestPki.Chain CHAIN = TestPki.chain(TestPki.KeyType.EC_P256);

    @Test
    void fullDuplexEchoDoesNotDeadlock() throws Exception {
        SSLContext serverCtx = Fixtures.server(CHAIN, Backend.LIGHTWEIGHT);
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Long> echo = CompletableFuture.supplyAsync(() -> {
                try (Socket raw = listener.accept(); SSLSocket s = serverCtx.wrapSocket(raw, true, true, null)) {
                    long total = 0;
                    byte[] buf = new byte[8192];
                    while (true) {
                        Integer n = s.recvInto(buf); // echo what arrives, as it arrives
                        if (n == 0) return total;
                        s.write(buf, 0, n);
                        total += n;
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            SSLContext client = Fixtures.client(CHAIN.root, Backend.LIGHTWEIGHT);
            client.setCiphers("TLS_CHACHA20_POLY1305_SHA256"); // the fastest pure-Java suite keeps the test short
            byte[] data = new byte[512 << 10]; // several times what the two sockets buffer
            NonBlockingTest.fill(data, 11);
            try (Socket raw = new Socket(listener.getInetAddress(), listener.getLocalPort())) {
                raw.setReceiveBufferSize(16 * 1024);
                raw.setSendBufferSize(16 * 1024);
                SSLSocket c = client.wrapSocket(raw, false, true, "localhost");
                OutputStream out = c.getOutputStream();
                CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                    try {
                        for (int off = 0; off < data.length; off += 100_000) {
                            out.write(data, off, Math.min(100_000, data.length - off));
                        }
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });
                InputStream in = c.getInputStream();
                ByteArrayOutputStream got = new ByteArrayOutputStream(data.length);
                byte[] buf = new byte[16384];
                while (got.size() < data.length) {
                    int n = in.read(buf);
                    assertTrue(n > 0);
                    got.write(buf, 0, n);
                }
                writer.get(30, TimeUnit.SECONDS);
                assertArrayEquals(data, got.toByteArray());
                c.close();
            }
            assertEquals(data.length, echo.get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void closeFromAnotherThreadEndsABlockedRead() throws Exception {
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
                CompletableFuture<Exception> reader = CompletableFuture.supplyAsync(() -> {
                    try {
                        c.read(10);
                        return null;
                    } catch (Exception e) {
                        return e;
                    }
                });
                Thread.sleep(200);
                c.close();
                SslException e = assertInstanceOf(SslException.class, reader.get(10, TimeUnit.SECONDS));
                assertEquals(Failure.CLOSED, e.failure());
                // The server got our close_notify: a clean end of stream.
                assertEquals(0, server.get(10, TimeUnit.SECONDS).read(10).length);
            }
        }
    }
}
