package org.microssl.desktop.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.microssl.Backends;
import org.microssl.MemoryBIO;
import org.microssl.SSLContext;
import org.microssl.SSLObject;
import org.microssl.SSLSocket;
import org.microssl.SocketChannelTransport;
import org.microssl.Ssl;
import org.microssl.desktop.interop.InteropPki;
import org.microssl.testing.Peer;
import org.microssl.testing.TestPki.KeyType;

/**
 * The gateway holding 1,000 concurrent mutual-TLS connections from in-JVM microssl clients (one NIO loop, written
 * here), plus openssl s_client and CPython ssl clients, each sending and checking its echo; among them silent
 * clients and clients that dribble, which are cut at their deadline or served, and keep nobody waiting (they hold
 * no thread). Assertions are on what each client got and on what the gateway counted, never on time taken.
 */
class GatewayTest {
    private static final InteropPki PKI = InteropPki.get();
    private static final int IN_JVM = 1_000;
    private static final int OPENSSL = 24;
    private static final int PYTHON = 24;
    private static final int SILENT = 20;
    private static final int DRIBBLING_HANDSHAKES = 5;
    private static final int DRIBBLING_SENDERS = 5;
    /** Handshakes the in-JVM loop runs at once: the rest wait their turn, as devices reconnecting do. */
    private static final int IN_FLIGHT = 64;
    private static final long HANDSHAKE_TIMEOUT_MS = 6_000;
    /** Every wait of the test's own: generous, a CI runner is slow; never asserted as a duration. */
    private static final long TEST_DEADLINE_MS = 240_000;

    @TempDir
    static Path dir;

    static SSLContext server(int verifyMode) {
        SSLContext ctx = new SSLContext(Ssl.PROTOCOL_TLS_SERVER);
        ctx.setCryptoBackend(Backends.jca());
        ctx.loadCertChain(PKI.path(KeyType.EC_P256, "chain.pem"), PKI.path(KeyType.EC_P256, "leaf.key"));
        ctx.setVerifyMode(verifyMode);
        if (verifyMode != Ssl.CERT_NONE) ctx.loadVerifyLocations(PKI.clientFile("root.pem").toString(), null);
        return ctx;
    }

    static SSLContext device() {
        SSLContext ctx = new SSLContext(Ssl.PROTOCOL_TLS_CLIENT);
        ctx.setCryptoBackend(Backends.jca());
        ctx.loadVerifyLocations(PKI.path(KeyType.EC_P256, "root.pem"), null);
        ctx.loadCertChain(PKI.clientFile("chain.pem").toString(), PKI.clientFile("leaf.key").toString());
        return ctx;
    }

    @Test
    void thousandConcurrentMutualTlsEchoesWithSilentAndDribblingClients() throws Exception {
        Peer.assumeInstalled("openssl");
        Peer.assumeInstalled("python3");
        Gateway.Config config = new Gateway.Config().bindAddress(InetAddress.getLoopbackAddress())
                .handshakeTimeoutMillis(HANDSHAKE_TIMEOUT_MS).idleTimeoutMillis(120_000).maxConnections(5_000);
        List<Peer> peers = new ArrayList<>();
        List<Socket> silent = new ArrayList<>();
        try (Gateway gateway = Gateway.start(new MicrosslSessions(server(Ssl.CERT_REQUIRED)), config)) {
            int port = gateway.port();
            // Silent clients connect first and say nothing; dribblers send their ClientHello a byte at a time.
            for (int i = 0; i < SILENT; i++) silent.add(new Socket(InetAddress.getLoopbackAddress(), port));
            List<Dribbler> dribblers = new ArrayList<>();
            for (int i = 0; i < DRIBBLING_HANDSHAKES; i++) dribblers.add(new Dribbler(port));
            for (Dribbler d : dribblers) d.start();

            for (int i = 0; i < OPENSSL; i++) {
                peers.add(Peer.client("openssl s_client " + i, dir, Peer.cmd("openssl", "s_client", "-connect",
                        "127.0.0.1:" + port, "-servername", "localhost", "-CAfile",
                        PKI.path(KeyType.EC_P256, "root.pem"), "-verify_return_error", "-cert",
                        PKI.clientFile("leaf.pem").toString(), "-key", PKI.clientFile("leaf.key").toString(),
                        "-cert_chain", PKI.clientFile("int.pem").toString(), "-quiet"),
                        "echo:openssl-" + two(i) + ":end\n"));
            }
            Path script = dir.resolve("clients.py");
            Files.write(script, PYTHON_CLIENTS.getBytes(StandardCharsets.UTF_8));
            Peer python = Peer.client("python3 clients", dir, Peer.cmd("python3", script.toString(),
                    String.valueOf(port), String.valueOf(PYTHON), PKI.path(KeyType.EC_P256, "root.pem"),
                    PKI.clientFile("chain.pem").toString(), PKI.clientFile("leaf.key").toString()), null);
            peers.add(python);

            long t0 = System.nanoTime();
            ClientLoop loop = new ClientLoop(port, IN_JVM, DRIBBLING_SENDERS);
            loop.run();
            System.out.printf("gateway test: %d in-JVM echoes in %d ms (reported, not asserted); %s%n", loop.echoed,
                    (System.nanoTime() - t0) / 1_000_000, gateway.stats());
            assertEquals(IN_JVM + DRIBBLING_SENDERS, loop.echoed, "every in-JVM client got its echo back");
            assertTrue(loop.heldAtOnce >= IN_JVM, "all in-JVM connections were open at once: " + loop.heldAtOnce);
            assertTrue(gateway.stats().open >= IN_JVM, "the gateway holds them: " + gateway.stats());

            for (int i = 0; i < OPENSSL; i++) {
                peers.get(i).awaitOutput("echo:openssl-" + two(i) + ":end", TEST_DEADLINE_MS);
            }
            String verdict = python.awaitOutput(java.util.regex.Pattern.compile("python ok=(\\d+)"),
                    TEST_DEADLINE_MS);
            assertEquals(String.valueOf(PYTHON), verdict, python.output());
            python.send("\n"); // lets it close its connections (CPython's close sends no close_notify)
            assertEquals(0, python.waitFor(TEST_DEADLINE_MS), python.output());

            // The silent and dribbling clients were cut at their handshake deadline.
            for (Socket s : silent) {
                s.setSoTimeout((int) TEST_DEADLINE_MS);
                assertEquals(-1, readOrReset(s.getInputStream()), "a silent client is closed at its deadline");
            }
            for (Dribbler d : dribblers) {
                d.join(TEST_DEADLINE_MS);
                assertTrue(d.cutOff, "a client dribbling its handshake is closed at its deadline: " + d.failure);
            }
            Gateway.Stats stats = gateway.stats();
            assertTrue(stats.handshakeTimeouts >= SILENT + DRIBBLING_HANDSHAKES, stats.toString());
            assertEquals(IN_JVM + DRIBBLING_SENDERS + OPENSSL + PYTHON, stats.handshakes, stats.toString());
            assertEquals(0, stats.failed, stats.toString());
            loop.closeAll();
        } finally {
            for (Peer p : peers) p.close();
            for (Socket s : silent) s.close();
        }
    }

    /** Beyond maxConnections a new connection is closed at once; a client silent after its handshake is cut. */
    @Test
    void connectionBoundAndIdleDeadline() throws Exception {
        Gateway.Config config = new Gateway.Config().bindAddress(InetAddress.getLoopbackAddress())
                .maxConnections(2).idleTimeoutMillis(1_500).threads(1);
        try (Gateway gateway = Gateway.start(new MicrosslSessions(server(Ssl.CERT_NONE)), config)) {
            SSLContext client = device();
            SSLSocket a = client.wrapSocket(new Socket(InetAddress.getLoopbackAddress(), gateway.port()), false, true,
                    "localhost");
            SSLSocket b = client.wrapSocket(new Socket(InetAddress.getLoopbackAddress(), gateway.port()), false, true,
                    "localhost");
            try (Socket third = new Socket(InetAddress.getLoopbackAddress(), gateway.port())) {
                third.setSoTimeout((int) TEST_DEADLINE_MS);
                assertEquals(-1, readOrReset(third.getInputStream()), "the third is refused");
            }
            assertEquals(1, gateway.stats().refused);
            a.write("still here".getBytes(StandardCharsets.US_ASCII));
            assertArrayEquals("still here".getBytes(StandardCharsets.US_ASCII), a.read(10));
            // nobody sends anything now: both are cut at the idle deadline, with close_notify
            assertEquals(0, a.read(1).length, "closed with close_notify at the idle deadline");
            assertEquals(0, b.read(1).length);
            assertEquals(2, gateway.stats().idleTimeouts, gateway.stats().toString());
            a.close();
            b.close();
        }
    }

    /**
     * A client that writes and never reads: the gateway keeps at most maxPendingOutput for it and stops reading it,
     * so the client's writes stall; meanwhile another client is served; then the first reads everything back.
     */
    @Test
    void aClientThatDoesNotReadIsHeldBackNotBuffered() throws Exception {
        Gateway.Config config = new Gateway.Config().bindAddress(InetAddress.getLoopbackAddress()).threads(1)
                .maxPendingOutput(32 * 1024);
        try (Gateway gateway = Gateway.start(new MicrosslSessions(server(Ssl.CERT_NONE)), config);
                SocketChannel channel = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                        gateway.port()))) {
            channel.configureBlocking(false);
            SSLSocket greedy = device().wrapSocket(new SocketChannelTransport(channel), false, false, "localhost");
            byte[] chunk = new byte[16 * 1024];
            for (int i = 0; i < chunk.length; i++) chunk[i] = (byte) (i * 31 + 7);
            long written = 0;
            long refusedSince = 0;
            long deadline = System.currentTimeMillis() + TEST_DEADLINE_MS;
            while (System.currentTimeMillis() < deadline && written < (256L << 20)) {
                Integer n = greedy.write(chunk);
                if (n == null || n == 0) {
                    if (refusedSince == 0) refusedSince = System.currentTimeMillis();
                    if (System.currentTimeMillis() - refusedSince > 1_000) break; // held back
                    Thread.sleep(5);
                    continue;
                }
                refusedSince = 0;
                written += n;
            }
            assertTrue(written < (256L << 20), "the gateway stopped taking data from a client that does not read");

            // another client is served meanwhile, on the same selector thread
            SSLSocket other = device().wrapSocket(new Socket(InetAddress.getLoopbackAddress(), gateway.port()), false,
                    true, "localhost");
            other.write("hi".getBytes(StandardCharsets.US_ASCII));
            assertArrayEquals("hi".getBytes(StandardCharsets.US_ASCII), other.read(2));
            other.close();

            // the greedy client now reads: everything it wrote comes back, in order
            long got = 0;
            long pendingWrite = 0;
            byte[] buf = new byte[16 * 1024];
            deadline = System.currentTimeMillis() + TEST_DEADLINE_MS;
            while (got < written + pendingWrite && System.currentTimeMillis() < deadline) {
                if (greedy.wantsWrite()) greedy.write(chunk, 0, 0);
                Integer n = greedy.recvInto(buf);
                if (n == null) {
                    Thread.sleep(1);
                    continue;
                }
                assertTrue(n > 0);
                for (int i = 0; i < n; i++) {
                    int at = (int) ((got + i) % chunk.length);
                    if (buf[i] != chunk[at]) throw new AssertionError("byte " + (got + i) + " differs");
                }
                got += n;
            }
            assertEquals(written, got);
            assertEquals(0, gateway.stats().failed, gateway.stats().toString());
            greedy.close();
        }
    }

    private static String two(int i) {
        return i < 10 ? "0" + i : String.valueOf(i);
    }

    /** -1 at the end of the stream; a reset counts as the end too (the gateway closed with bytes unread). */
    private static int readOrReset(InputStream in) throws IOException {
        try {
            while (true) {
                int b = in.read();
                if (b < 0) return -1;
            }
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (IOException reset) {
            return -1;
        }
    }

    /** Sends a real ClientHello one byte every 250 ms: it would take over a minute, the deadline is seconds. */
    static final class Dribbler extends Thread {
        private final int port;
        volatile boolean cutOff;
        volatile Exception failure;

        Dribbler(int port) {
            this.port = port;
            setDaemon(true);
        }

        @Override
        public void run() {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                SSLObject hello = device().wrapBio(new MemoryBIO(), new MemoryBIO(), false, "localhost");
                hello.doHandshake();
                byte[] clientHello = hello.outgoing().read();
                s.setSoTimeout(1);
                long deadline = System.currentTimeMillis() + TEST_DEADLINE_MS;
                for (int i = 0; i < clientHello.length && System.currentTimeMillis() < deadline; i++) {
                    try {
                        s.getOutputStream().write(clientHello[i]);
                    } catch (IOException reset) {
                        cutOff = true;
                        return;
                    }
                    try {
                        if (s.getInputStream().read() < 0) {
                            cutOff = true;
                            return;
                        }
                    } catch (SocketTimeoutException nothingYet) {
                        // still waiting
                    } catch (IOException reset) {
                        cutOff = true;
                        return;
                    }
                    Thread.sleep(250);
                }
            } catch (Exception e) {
                failure = e;
            }
        }
    }

    /**
     * The in-JVM clients: one selector, each client a small state machine (connect, handshake, send, read the
     * echo back and compare, then stay open until all are done). At most {@link #IN_FLIGHT} handshake at once.
     */
    static final class ClientLoop {
        private final int port;
        private final int plain;
        private final int dribbling;
        private final SSLContext ctx = device();
        int echoed;
        int heldAtOnce;
        private final List<Client> clients = new ArrayList<>();

        ClientLoop(int port, int plain, int dribbling) {
            this.port = port;
            this.plain = plain;
            this.dribbling = dribbling;
        }

        final class Client {
            final SocketChannel channel;
            final byte[] message;
            final boolean dribbles;
            SSLSocket tls;
            int sent;
            final ByteArrayOutputStream got = new ByteArrayOutputStream();
            boolean handshaken;
            boolean done;
            long nextDribble;

            Client(SocketChannel channel, int id, boolean dribbles) {
                this.channel = channel;
                this.dribbles = dribbles;
                // a few large messages: several records each way
                int size = id % 100 == 0 ? 40_000 : 64;
                byte[] m = new byte[size];
                byte[] tag = ("client-" + id + "-").getBytes(StandardCharsets.US_ASCII);
                for (int i = 0; i < size; i++) m[i] = i < tag.length ? tag[i] : (byte) ('a' + (i + id) % 26);
                this.message = dribbles ? Arrays.copyOf(m, 24) : m;
            }

            /** @return the interest set to wait for, or 0 when this client is done */
            int step(Selector selector) throws IOException {
                if (channel.isConnectionPending()) {
                    if (!channel.finishConnect()) return SelectionKey.OP_CONNECT;
                }
                if (tls == null) tls = ctx.wrapSocket(new SocketChannelTransport(channel), false, false, "localhost");
                if (!handshaken) {
                    if (!tls.doHandshake()) return tls.wantsWrite() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ;
                    handshaken = true;
                }
                while (sent < message.length) {
                    if (dribbles && System.currentTimeMillis() < nextDribble) break;
                    int len = dribbles ? 1 : message.length - sent;
                    Integer n = tls.write(message, sent, len);
                    if (n == null || n == 0) return SelectionKey.OP_WRITE;
                    sent += n;
                    nextDribble = System.currentTimeMillis() + 50;
                }
                if (tls.wantsWrite()) {
                    tls.write(message, 0, 0);
                    if (tls.wantsWrite()) return SelectionKey.OP_WRITE;
                }
                byte[] buf = new byte[16 * 1024];
                while (got.size() < message.length) {
                    Integer n = tls.recvInto(buf);
                    if (n == null) return SelectionKey.OP_READ;
                    if (n == 0) throw new IOException("the gateway closed before the echo was complete");
                    got.write(buf, 0, n);
                }
                if (sent < message.length) return SelectionKey.OP_READ; // dribbling: the next byte is timed
                assertArrayEquals(message, got.toByteArray(), "the echo");
                done = true;
                return 0;
            }
        }

        void run() throws IOException {
            int total = plain + dribbling;
            int started = 0;
            int handshaking = 0;
            long deadline = System.currentTimeMillis() + TEST_DEADLINE_MS;
            try (Selector selector = Selector.open()) {
                while (echoed < total) {
                    if (System.currentTimeMillis() > deadline) {
                        throw new AssertionError("in-JVM clients: " + echoed + " of " + total + " echoed by the deadline");
                    }
                    while (started < total && handshaking < IN_FLIGHT) {
                        SocketChannel ch = SocketChannel.open();
                        ch.configureBlocking(false);
                        ch.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                        Client c = new Client(ch, started, started >= plain);
                        clients.add(c);
                        ch.register(selector, SelectionKey.OP_CONNECT, c);
                        started++;
                        handshaking++;
                    }
                    selector.select(20);
                    List<SelectionKey> turn = new ArrayList<>(selector.selectedKeys());
                    selector.selectedKeys().clear();
                    // dribblers wake on their own clock
                    for (SelectionKey k : selector.keys()) {
                        Client c = (Client) k.attachment();
                        if (c.dribbles && c.handshaken && !c.done && !turn.contains(k)) turn.add(k);
                    }
                    for (Iterator<SelectionKey> it = turn.iterator(); it.hasNext(); ) {
                        SelectionKey k = it.next();
                        Client c = (Client) k.attachment();
                        if (c.done || !k.isValid()) continue;
                        boolean wasHandshaken = c.handshaken;
                        int ops = c.step(selector);
                        if (!wasHandshaken && c.handshaken) handshaking--;
                        if (c.done) {
                            echoed++;
                            k.interestOps(0);
                        } else {
                            k.interestOps(ops);
                        }
                    }
                    heldAtOnce = started - handshaking; // none closes before closeAll()
                }
            }
        }

        void closeAll() throws IOException {
            for (Client c : clients) {
                if (c.tls != null) c.tls.close();
                c.channel.close();
            }
        }
    }

    /** CPython ssl clients: N connections open at once, each sends its line and checks the echo. */
    private static final String PYTHON_CLIENTS = String.join("\n",
            "import socket, ssl, sys",
            "port, n, ca, chain, key = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]",
            "ctx = ssl.create_default_context(cafile=ca)",
            "ctx.load_cert_chain(chain, key)",
            "socks = [ctx.wrap_socket(socket.create_connection(('127.0.0.1', port), timeout=120),",
            "                         server_hostname='localhost') for _ in range(n)]",
            "ok = 0",
            "for i, s in enumerate(socks):",
            "    msg = ('python-%02d\\n' % i).encode()",
            "    s.sendall(msg)",
            "    got = b''",
            "    while len(got) < len(msg):",
            "        d = s.recv(4096)",
            "        if not d: break",
            "        got += d",
            "    ok += got == msg",
            "print('python ok=%d %s' % (ok, socks[0].version()), flush=True)",
            "sys.stdin.readline()",
            "for s in socks: s.close()",
            "");
}
