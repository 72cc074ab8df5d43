package org.microssl.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.microssl.SSLContext;
import org.microssl.SSLSocket;
import org.microssl.SocketChannelTransport;
import org.microssl.Ssl;
import org.microssl.spi.Transport;
import org.microssl.testing.Peer;
import org.microssl.testing.TestPki;

/**
 * MicroPython's non-blocking use: one thread, one poll loop, several TLS connections over non-blocking
 * {@link SocketChannelTransport}s wrapped with {@code doHandshakeOnConnect=false}. The handshakes advance inside
 * read/write calls, which answer null (MicroPython's None) when the socket is not ready; wantsRead()/wantsWrite()
 * pick what to poll for. One connection also gets its bytes one at a time, with "not ready" between them.
 */
class NonBlockingPollLoopTest {

    @TempDir
    static Path dir;
    static TestPki.Chain pki;

    @BeforeAll
    static void pki() throws IOException {
        pki = TestPki.chain(TestPki.KeyType.EC_P256).writeTo(dir, "");
    }

    /** Reads at most one byte per call and reports "not ready" (0) on every other call. */
    static final class OneByteAtATime implements Transport {
        private final Transport inner;
        private boolean starve;

        OneByteAtATime(Transport inner) {
            this.inner = inner;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            starve = !starve;
            return starve ? 0 : inner.read(buf, off, Math.min(len, 1));
        }

        @Override
        public int write(byte[] buf, int off, int len) throws IOException {
            return inner.write(buf, off, Math.min(len, 7));
        }

        @Override
        public void close() throws IOException {
            inner.close();
        }
    }

    static final class Connection {
        final String name;
        final SocketChannel channel;
        final SSLSocket tls;
        final byte[] request;
        int written;
        final ByteArrayOutputStream reply = new ByteArrayOutputStream();
        int nulls;
        int nullsWithoutDirection;
        boolean done;

        Connection(String name, SocketChannel channel, SSLSocket tls, String request) {
            this.name = name;
            this.channel = channel;
            this.tls = tls;
            this.request = request.getBytes(StandardCharsets.US_ASCII);
        }

        /** Advances as far as possible without blocking; false when it waits for the socket. */
        boolean step() throws IOException {
            if (written < request.length) {
                Integer n = tls.write(request, written, request.length - written);
                if (n == null) {
                    blocked();
                    return false;
                }
                written += n;
                return true;
            }
            byte[] buf = new byte[256];
            Integer n = tls.readinto(buf);
            if (n == null) {
                blocked();
                return false;
            }
            if (n == 0) {
                done = true;
                tls.close();
                return false;
            }
            reply.write(buf, 0, n);
            return true;
        }

        private void blocked() {
            nulls++;
            if (!tls.wantsRead() && !tls.wantsWrite()) {
                nullsWithoutDirection++;
            }
        }

        int interest() {
            if (channel.isConnectionPending()) {
                return SelectionKey.OP_CONNECT;
            }
            return tls.wantsWrite() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ;
        }
    }

    @Test
    void onePollLoopDrivesSeveralHandshakesAndEchoes() throws Exception {
        SSLContext ctx = new SSLContext(Ssl.PROTOCOL_TLS_CLIENT);
        ctx.loadVerifyLocations(pki.root.der);
        List<Peer> servers = new ArrayList<>();
        List<Connection> connections = new ArrayList<>();
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < 3; i++) {
                servers.add(Peer.opensslServer(dir, "-cert", dir.resolve("leaf.pem").toString(), "-cert_chain",
                    dir.resolve("int.pem").toString(), "-key", dir.resolve("leaf.key").toString(), "-tls1_3",
                    "-rev"));
                SocketChannel ch = SocketChannel.open();
                ch.configureBlocking(false);
                ch.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), servers.get(i).port()));
                Transport transport = new SocketChannelTransport(ch);
                if (i == 2) {
                    transport = new OneByteAtATime(transport);
                }
                SSLSocket tls = ctx.wrapSocket(transport, false, false, "localhost");
                assertNull(tls.version(), "doHandshakeOnConnect=false: no handshake before the first read/write");
                Connection c = new Connection("conn" + i, ch, tls, "sensor " + i + " says hello\nCLOSE\n");
                connections.add(c);
                ch.register(selector, c.interest(), c);
            }
            long deadline = System.nanoTime() + 30_000_000_000L;
            int open = connections.size();
            while (open > 0) {
                assertTrue(System.nanoTime() < deadline, "poll loop did not finish: " + describe(connections));
                selector.select(500);
                selector.selectedKeys().clear();
                // Level-triggered like MicroPython's poll: give every live connection a turn.
                for (Connection c : connections) {
                    if (c.done) {
                        continue;
                    }
                    if (c.channel.isConnectionPending() && !c.channel.finishConnect()) {
                        continue;
                    }
                    while (c.step()) {
                        // keep going while it progresses
                    }
                    if (c.done) {
                        open--;
                        c.channel.keyFor(selector).cancel();
                    } else {
                        c.channel.keyFor(selector).interestOps(c.interest());
                    }
                }
            }
        } finally {
            for (Peer s : servers) {
                s.close();
            }
        }
        for (int i = 0; i < connections.size(); i++) {
            Connection c = connections.get(i);
            assertEquals("olleh syas " + i + " rosnes\n", c.reply.toString("US-ASCII"), c.name);
            assertEquals("TLSv1.3", c.tls.version(), c.name);
            assertEquals(0, c.nullsWithoutDirection, c.name + ": null returned without wantsRead()/wantsWrite()");
        }
        // On loopback the peer may answer before we read, so only the starved connection is sure to wait; it must
        // have returned null (MicroPython's None) many times and still completed.
        assertTrue(connections.get(2).nulls > 20, "one byte at a time means many waits: " + connections.get(2).nulls);
    }

    private static String describe(List<Connection> cs) {
        StringBuilder sb = new StringBuilder();
        for (Connection c : cs) {
            sb.append(c.name).append(": written ").append(c.written).append(", reply ").append(c.reply.size())
                .append(", nulls ").append(c.nulls).append(", done ").append(c.done).append("; ");
        }
        return sb.toString();
    }
}
