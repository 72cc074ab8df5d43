package org.microssl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.microssl.testing.Peer;
import org.microssl.testing.TestPki;

/**
 * wrapBio against {@code openssl s_server} and {@code s_client}, TLS 1.2 and 1.3, through an NIO selector loop
 * written here: the channel's bytes go into the incoming MemoryBIO with {@code readFrom}, records leave the outgoing
 * one with {@code writeTo}, and the SSLObject never touches the network.
 */
class WrapBioOpensslTest {
    private static final TestPki.Chain SERVER = TestPki.chain(TestPki.KeyType.EC_P256);
    private static final TestPki.Chain CLIENT = TestPki.chain(TestPki.KeyType.EC_P256, "device-1",
            TestPki.Purpose.CLIENT);
    private static final long DEADLINE_MS = 20_000;

    @TempDir
    static Path dir;

    @BeforeAll
    static void files() throws IOException {
        SERVER.writeTo(dir, "");
        CLIENT.writeTo(dir, "client-");
    }

    /** Our client, openssl's server in -rev mode (it answers each line reversed). */
    @ParameterizedTest(name = "TLS 0x{0}")
    @ValueSource(ints = {0x0303, 0x0304})
    void clientAgainstOpensslServer(int version) throws Exception {
        SSLContext ctx = Fixtures.client(SERVER.root, Fixtures.Backend.LIGHTWEIGHT);
        ctx.setMaximumVersion(version);
        ctx.setMinimumVersion(version);
        try (Peer server = Peer.opensslServer(dir, "-rev", "-cert", "leaf.pem", "-key", "leaf.key", "-cert_chain",
                "int.pem");
                SocketChannel channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", server.port()));
                Selector selector = Selector.open()) {
            NioBio bio = new NioBio(channel, selector, ctx.wrapBio(new MemoryBIO(), new MemoryBIO(), false,
                    "localhost"));
            bio.handshake();
            assertEquals(version == Ssl.TLSv1_3 ? "TLSv1.3" : "TLSv1.2", bio.tls.version(), server.output());
            Map<String, Object> cert = bio.tls.getpeercert();
            assertTrue(String.valueOf(cert.get("subjectAltName")).contains("localhost"), String.valueOf(cert));
            bio.send("hello wrapbio\n");
            String answer = bio.receiveUntil("olleh");
            assertTrue(answer.contains("oibparw olleh"), answer);
            bio.tls.unwrap();
            bio.flush();
        }
    }

    /** Our server, mutual TLS, openssl's client: it verifies our chain, we verify its certificate, we echo. */
    @ParameterizedTest(name = "TLS 0x{0}")
    @ValueSource(ints = {0x0303, 0x0304})
    void serverAgainstOpensslClient(int version) throws Exception {
        SSLContext ctx = Fixtures.server(SERVER, Fixtures.Backend.LIGHTWEIGHT);
        ctx.setVerifyMode(Ssl.CERT_REQUIRED);
        ctx.loadVerifyLocations(null, CLIENT.root.der);
        try (ServerSocketChannel listener = ServerSocketChannel.open();
                Selector selector = Selector.open()) {
            listener.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
            Peer.assumeInstalled("openssl");
            try (Peer client = Peer.client("openssl s_client", dir, Peer.cmd("openssl", "s_client", "-connect",
                    "127.0.0.1:" + port, "-servername", "localhost", "-CAfile", "root.pem", "-verify_return_error",
                    "-cert", "client-leaf.pem", "-key", "client-leaf.key", "-cert_chain", "client-int.pem",
                    "-ign_eof", version == Ssl.TLSv1_3 ? "-tls1_3" : "-tls1_2"), "ping over wrapbio\n")) {
                listener.configureBlocking(false);
                listener.register(selector, SelectionKey.OP_ACCEPT);
                long deadline = System.currentTimeMillis() + DEADLINE_MS;
                SocketChannel accepted = null;
                while (accepted == null) {
                    if (System.currentTimeMillis() > deadline) throw new AssertionError("no connection:\n" + client.output());
                    selector.select(100);
                    selector.selectedKeys().clear();
                    accepted = listener.accept();
                }
                selector.keys().iterator().next().cancel();
                selector.selectNow();
                try (SocketChannel channel = accepted) {
                    NioBio bio = new NioBio(channel, selector, ctx.wrapBio(new MemoryBIO(), new MemoryBIO(), true,
                            null));
                    bio.handshake();
                    assertEquals("localhost", bio.tls.serverHostname(), "SNI");
                    assertNotNull(bio.tls.getpeercert(true), "openssl sent its certificate");
                    assertEquals(3, bio.tls.getPeerCertChain().size(), "validated up to our client root");
                    String line = bio.receiveUntil("\n");
                    assertEquals("ping over wrapbio\n", line);
                    bio.send("echo: " + line);
                    bio.tls.unwrap(); // close_notify: s_client (-ign_eof) exits on it
                    bio.flush();
                }
                assertEquals(0, client.waitFor(DEADLINE_MS), client.output());
                String out = client.output();
                assertTrue(out.contains("echo: ping over wrapbio"), out);
                assertTrue(out.contains("Verify return code: 0 (ok)"), out);
                assertTrue(out.contains(version == Ssl.TLSv1_3 ? "TLSv1.3" : "TLSv1.2"), out);
            }
        }
    }

    /** The test's NIO loop: one channel, one SSLObject, every wait bounded by {@link #DEADLINE_MS}. */
    static final class NioBio {
        final SocketChannel channel;
        final Selector selector;
        final SSLObject tls;
        final SelectionKey key;
        final long deadline = System.currentTimeMillis() + DEADLINE_MS;

        NioBio(SocketChannel channel, Selector selector, SSLObject tls) throws IOException {
            this.channel = channel;
            this.selector = selector;
            this.tls = tls;
            channel.configureBlocking(false);
            this.key = channel.register(selector, SelectionKey.OP_READ);
        }

        /** Sends what is queued, waits (bounded) for the channel, and moves what arrived into the incoming BIO. */
        void step() throws IOException {
            if (System.currentTimeMillis() > deadline) throw new AssertionError("deadline passed in the NIO loop");
            tls.outgoing().writeTo(channel);
            key.interestOps(SelectionKey.OP_READ | (tls.outgoing().pending() > 0 ? SelectionKey.OP_WRITE : 0));
            selector.select(100);
            selector.selectedKeys().clear();
            if (!tls.incoming().eofWritten()) tls.incoming().readFrom(channel); // -1 marks the BIO at EOF
        }

        void flush() throws IOException {
            while (tls.outgoing().pending() > 0) {
                if (tls.outgoing().writeTo(channel) == 0) step();
            }
        }

        void handshake() throws IOException {
            while (!tls.doHandshake()) {
                assertTrue(tls.wantsRead());
                step();
            }
            flush();
        }

        void send(String text) throws IOException {
            ByteBuffer src = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            assertEquals(src.remaining(), (int) tls.write(src));
            flush();
        }

        String receiveUntil(String marker) throws IOException {
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            while (!new String(got.toByteArray(), StandardCharsets.UTF_8).contains(marker)) {
                byte[] b = tls.read(4096);
                if (b == null) {
                    step();
                    continue;
                }
                if (b.length == 0) break; // close_notify
                got.write(b);
            }
            return new String(got.toByteArray(), StandardCharsets.UTF_8);
        }
    }
}
