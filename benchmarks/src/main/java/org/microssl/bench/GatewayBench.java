package org.microssl.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

import org.microssl.Backends;
import org.microssl.SSLContext;
import org.microssl.SSLSocket;
import org.microssl.SocketChannelTransport;
import org.microssl.Ssl;
import org.microssl.desktop.gateway.Gateway;
import org.microssl.desktop.gateway.MicrosslSessions;
import org.microssl.desktop.gateway.TlsSession;

/**
 * The gateway's figures (issue 12), microssl against SunJSSE's {@code SSLEngine} under the same gateway code: the
 * server runs in a child JVM ({@code -Xmx1g -XX:+UseSerialGC}, so its heap is the server's alone), the clients
 * here, in one NIO loop (microssl clients, validating the server's chain and name; with {@code mutual}, presenting
 * a client chain the server validates).
 *
 * <pre>
 * java -cp benchmarks.jar org.microssl.bench.GatewayBench memory N           # idle heap per connection
 * java -cp benchmarks.jar org.microssl.bench.GatewayBench handshakes SECONDS # new connections per second
 * java -cp benchmarks.jar org.microssl.bench.GatewayBench echo N SECONDS     # echo throughput at N connections
 * java -cp benchmarks.jar org.microssl.bench.GatewayBench most CAP           # largest count within -Xmx1g
 * </pre>
 * Every section runs each impl (microssl, jsse) in turn, alternating, in the same sitting.
 */
public final class GatewayBench {
    static final String[] IMPLS = {"microssl", "jsse"};
    static final int IN_FLIGHT = 32;
    static final long DEADLINE_MS = 600_000;

    /** The driver's certificates, written once for the child to load (each JVM would make its own otherwise). */
    static Path MATERIAL;

    private GatewayBench() {}

    /** Certificates and keys both processes use, as files. */
    static final class Material {
        static void write(Path dir) throws IOException {
            Files.write(dir.resolve("server-chain.pem"), Fixtures.ecChain.chainPem().getBytes(StandardCharsets.US_ASCII));
            Files.write(dir.resolve("server-key.der"), Fixtures.ecChain.leaf.keyPkcs8());
            Files.write(dir.resolve("server-leaf.der"), Fixtures.ecChain.leaf.der);
            Files.write(dir.resolve("server-int.der"), Fixtures.ecChain.intermediate.der);
            Files.write(dir.resolve("server-root.der"), Fixtures.ecChain.root.der);
            Files.write(dir.resolve("client-chain.pem"), (Fixtures.clientChain.leaf.pem()
                    + Fixtures.clientChain.intermediate.pem()).getBytes(StandardCharsets.US_ASCII));
            Files.write(dir.resolve("client-key.der"), Fixtures.clientChain.leaf.keyPkcs8());
            Files.write(dir.resolve("client-root.der"), Fixtures.clientChain.root.der);
        }

        static byte[] read(Path dir, String name) throws IOException {
            return Files.readAllBytes(dir.resolve(name));
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("server")) {
            server(args[1], Boolean.parseBoolean(args[2]), Paths.get(args[3]));
            return;
        }
        MATERIAL = Files.createTempDirectory("gateway-bench-");
        Material.write(MATERIAL);
        String what = args.length > 0 ? args[0] : "memory";
        System.out.println("# GatewayBench " + String.join(" ", args) + " at " + java.time.Instant.now() + ", load "
                + loadAverage());
        switch (what) {
            case "memory": memory(args.length > 1 ? Integer.parseInt(args[1]) : 2000); break;
            case "handshakes": handshakes(args.length > 1 ? Double.parseDouble(args[1]) : 10); break;
            case "echo": echo(args.length > 1 ? Integer.parseInt(args[1]) : 1000,
                    args.length > 2 ? Double.parseDouble(args[2]) : 10); break;
            case "most": most(args.length > 1 ? Integer.parseInt(args[1]) : 15000); break;
            default: throw new IllegalArgumentException("memory | handshakes | echo | most");
        }
        System.out.println("# done at " + java.time.Instant.now() + ", load " + loadAverage());
    }

    // ------------------------------------------------------------------------------------------ sections

    static void memory(int n) throws Exception {
        System.out.println("impl      conns  base_MB  after_hs_B/conn  after_16KiB_B/conn  conns/100MB_hs  conns/100MB_16KiB");
        for (String impl : IMPLS) {
            try (Server server = new Server(impl, false); Clients clients = new Clients(server.port, false)) {
                long base = server.heap();
                clients.open(n);
                long afterHandshake = server.heap();
                clients.echoAll(16 * 1024);
                long afterTraffic = server.heap();
                double hs = (afterHandshake - base) / (double) n;
                double traffic = (afterTraffic - base) / (double) n;
                System.out.printf(Locale.ROOT, "%-9s %5d  %7.1f  %15.0f  %18.0f  %14.0f  %17.0f%n", impl, n,
                        base / 1e6, hs, traffic, 100e6 / hs, 100e6 / traffic);
            }
        }
    }

    static void handshakes(double seconds) throws Exception {
        // The clients' JIT first, against both servers: the first impl measured would pay for it otherwise.
        for (String impl : IMPLS) {
            try (Server server = new Server(impl, false); Clients clients = new Clients(server.port, false)) {
                clients.churn(Math.max(5.0, seconds / 2));
            }
        }
        System.out.println("impl      mutual  handshakes  wall_s  per_s  server_cpu_ms/hs  client_cpu_ms/hs");
        for (boolean mutual : new boolean[] {false, true}) {
            for (String impl : IMPLS) {
                try (Server server = new Server(impl, mutual); Clients clients = new Clients(server.port, mutual)) {
                    clients.churn(Math.max(5.0, seconds / 2)); // warm-up: the child JVM compiles the handshake
                    long cpu0 = server.cpu();
                    long own0 = ownCpu();
                    long t0 = System.nanoTime();
                    int done = clients.churn(seconds);
                    double wall = (System.nanoTime() - t0) / 1e9;
                    double cpuMs = (server.cpu() - cpu0) / 1e6;
                    double ownMs = (ownCpu() - own0) / 1e6;
                    System.out.printf(Locale.ROOT, "%-9s %-6s  %10d  %6.1f  %5.0f  %16.2f  %16.2f%n", impl, mutual,
                            done, wall, done / wall, cpuMs / done, ownMs / done);
                }
            }
        }
    }

    static void echo(int n, double seconds) throws Exception {
        System.out.println("impl      conns  msg_B  echoed_MB  wall_s  MB/s  server_cpu_ms/MB");
        for (String impl : IMPLS) {
            try (Server server = new Server(impl, false); Clients clients = new Clients(server.port, false)) {
                clients.open(n);
                clients.pingPong(1024, Math.max(3.0, seconds / 3)); // warm-up
                long cpu0 = server.cpu();
                long t0 = System.nanoTime();
                long bytes = clients.pingPong(1024, seconds);
                double wall = (System.nanoTime() - t0) / 1e9;
                double mb = bytes / 1e6;
                System.out.printf(Locale.ROOT, "%-9s %5d  %5d  %9.1f  %6.1f  %4.2f  %16.1f%n", impl, n, 1024, mb, wall,
                        mb / wall, (server.cpu() - cpu0) / 1e6 / mb);
            }
        }
    }

    static void most(int cap) throws Exception {
        System.out.println("impl      reached  heap_MB  note");
        for (String impl : IMPLS) {
            try (Server server = new Server(impl, false); Clients clients = new Clients(server.port, false)) {
                int reached = 0;
                String note = "cap " + cap + " reached";
                try {
                    while (reached < cap) {
                        int batch = Math.min(1000, cap - reached);
                        clients.open(batch);
                        reached += batch;
                        if (!server.alive()) throw new IOException("server exited: " + server.lastLine);
                    }
                } catch (IOException | AssertionError e) {
                    note = "stopped: " + e.getMessage();
                    reached = clients.established();
                }
                long heap = server.alive() ? server.heap() : -1;
                System.out.printf(Locale.ROOT, "%-9s %7d  %7.1f  %s%n", impl, reached, heap / 1e6, note);
            }
        }
    }

    /** This process's CPU time (the clients'), ns. */
    static long ownCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static String loadAverage() {
        return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    // ------------------------------------------------------------------------------------------ the server (child)

    /** The child JVM: a gateway on a free loopback port, answering heap/cpu/stats on stdin. */
    static void server(String impl, boolean mutual, Path material) throws Exception {
        TlsSession.Factory sessions;
        if (impl.equals("jsse")) {
            sessions = new JsseSessions(mutual, material);
        } else {
            SSLContext ctx = new SSLContext(Ssl.PROTOCOL_TLS_SERVER);
            ctx.setCryptoBackend(impl.equals("microssl_lw") ? Backends.lightweight() : Backends.jca());
            ctx.loadCertChain(Material.read(material, "server-chain.pem"), Material.read(material, "server-key.der"));
            if (mutual) {
                ctx.setVerifyMode(Ssl.CERT_REQUIRED);
                ctx.loadVerifyLocations(Material.read(material, "client-root.der"));
            }
            ctx.setHandshakeTimeout(120_000);
            sessions = new MicrosslSessions(ctx);
        }
        Gateway.Config config = new Gateway.Config().bindAddress(InetAddress.getLoopbackAddress()).threads(2)
                .maxConnections(100_000).handshakeTimeoutMillis(120_000).idleTimeoutMillis(3_600_000).backlog(4096)
                .log(line -> System.err.println(line));
        PrintStream out = System.out;
        try (Gateway gateway = Gateway.start(sessions, config);
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            out.println("port " + gateway.port());
            out.flush();
            String line;
            while ((line = in.readLine()) != null) {
                switch (line) {
                    case "heap":
                        out.println("heap " + RetainedHeap.usedAfterGc());
                        break;
                    case "cpu":
                        out.println("cpu " + ((com.sun.management.OperatingSystemMXBean) ManagementFactory
                                .getOperatingSystemMXBean()).getProcessCpuTime());
                        break;
                    case "stats":
                        out.println("stats " + gateway.stats());
                        break;
                    default:
                        return;
                }
                out.flush();
            }
        }
    }

    /** Starts and talks to the child. */
    static final class Server implements AutoCloseable {
        final Process process;
        final BufferedReader out;
        final PrintStream in;
        final int port;
        String lastLine;

        Server(String impl, boolean mutual) throws IOException {
            String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
            process = new ProcessBuilder(java, "-Xmx1g", "-XX:+UseSerialGC", "-cp",
                    System.getProperty("java.class.path"), GatewayBench.class.getName(), "server", impl,
                    String.valueOf(mutual), MATERIAL.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            in = new PrintStream(process.getOutputStream(), true, "UTF-8");
            port = Integer.parseInt(expect("port"));
        }

        long heap() throws IOException {
            in.println("heap");
            return Long.parseLong(expect("heap"));
        }

        long cpu() throws IOException {
            in.println("cpu");
            return Long.parseLong(expect("cpu"));
        }

        boolean alive() {
            return process.isAlive();
        }

        private String expect(String key) throws IOException {
            String line;
            while ((line = out.readLine()) != null) {
                lastLine = line;
                if (line.startsWith(key + " ")) return line.substring(key.length() + 1);
            }
            throw new IOException("the server exited before answering " + key);
        }

        @Override
        public void close() throws Exception {
            in.println("quit");
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly();
        }
    }

    // ------------------------------------------------------------------------------------------ the clients

    /** Many microssl clients on one selector. */
    static final class Clients implements AutoCloseable {
        final int port;
        final SSLContext ctx;
        final Selector selector;
        final List<Client> open = new ArrayList<>();
        final byte[] buf = new byte[16 * 1024];

        Clients(int port, boolean mutual) throws IOException {
            this.port = port;
            ctx = new SSLContext(Ssl.PROTOCOL_TLS_CLIENT);
            ctx.setCryptoBackend(Backends.jca());
            ctx.setHandshakeTimeout(120_000); // one thread drives every client: on a loaded machine 10 s can pass
            ctx.loadVerifyLocations(Material.read(MATERIAL, "server-root.der"));
            if (mutual) {
                ctx.loadCertChain(Material.read(MATERIAL, "client-chain.pem"), Material.read(MATERIAL, "client-key.der"));
            }
            selector = Selector.open();
        }

        final class Client {
            final SocketChannel channel;
            SSLSocket tls;
            boolean handshaken;
            /** echo state */
            int toSend;
            int sent;
            int received;
            byte[] message;

            Client(SocketChannel channel) {
                this.channel = channel;
            }

            /** @return interest ops, 0 when the current task is done */
            int step() throws IOException {
                if (channel.isConnectionPending() && !channel.finishConnect()) return SelectionKey.OP_CONNECT;
                if (tls == null) tls = ctx.wrapSocket(new SocketChannelTransport(channel), false, false, Fixtures.HOST);
                if (!handshaken) {
                    if (!tls.doHandshake()) return tls.wantsWrite() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ;
                    handshaken = true;
                    if (message == null) return 0;
                }
                if (message == null) return 0;
                while (sent < toSend) {
                    int len = Math.min(message.length, toSend - sent);
                    Integer n = tls.write(message, 0, len);
                    if (n == null || n == 0) return SelectionKey.OP_WRITE;
                    sent += n;
                }
                if (tls.wantsWrite()) {
                    tls.write(message, 0, 0);
                    if (tls.wantsWrite()) return SelectionKey.OP_WRITE;
                }
                while (received < toSend) {
                    Integer n = tls.recvInto(buf);
                    if (n == null) return SelectionKey.OP_READ;
                    if (n == 0) throw new IOException("the server closed the connection");
                    received += n;
                }
                return 0;
            }
        }

        int established() {
            return open.size();
        }

        /** Opens {@code n} more connections (at most {@link #IN_FLIGHT} handshaking at once); they stay open. */
        void open(int n) throws IOException {
            List<Client> fresh = new ArrayList<>();
            int started = 0;
            int done = 0;
            long deadline = System.currentTimeMillis() + DEADLINE_MS;
            while (done < n) {
                if (System.currentTimeMillis() > deadline) throw new IOException("handshakes did not complete");
                while (started < n && started - done < IN_FLIGHT) {
                    SocketChannel ch = SocketChannel.open();
                    ch.configureBlocking(false);
                    ch.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                    Client c = new Client(ch);
                    fresh.add(c);
                    ch.register(selector, SelectionKey.OP_CONNECT, c);
                    started++;
                }
                done += turn(100);
            }
            open.addAll(fresh);
        }

        /** Each open connection sends {@code size} bytes and reads them back, all at once. */
        void echoAll(int size) throws IOException {
            byte[] message = new byte[Math.min(size, 16 * 1024)];
            for (int i = 0; i < message.length; i++) message[i] = (byte) i;
            for (Client c : open) {
                c.message = message;
                c.toSend = size;
                c.sent = 0;
                c.received = 0;
                c.channel.keyFor(selector).interestOps(SelectionKey.OP_WRITE);
            }
            int done = 0;
            long deadline = System.currentTimeMillis() + DEADLINE_MS;
            while (done < open.size()) {
                if (System.currentTimeMillis() > deadline) throw new IOException("echo did not complete");
                done += turn(100);
            }
            for (Client c : open) c.message = null;
        }

        /** Every open connection sends {@code size} and waits for the echo, again and again. @return bytes echoed */
        long pingPong(int size, double seconds) throws IOException {
            byte[] message = new byte[size];
            long end = System.nanoTime() + (long) (seconds * 1e9);
            long bytes = 0;
            for (Client c : open) {
                c.message = message;
                c.toSend = size;
                c.sent = 0;
                c.received = 0;
                c.channel.keyFor(selector).interestOps(SelectionKey.OP_WRITE);
            }
            while (System.nanoTime() < end) {
                selector.select(100);
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey k = it.next();
                    it.remove();
                    Client c = (Client) k.attachment();
                    int ops = c.step();
                    while (ops == 0) { // an echo came back: send the next (it may come back at once, too)
                        bytes += size;
                        c.sent = 0;
                        c.received = 0;
                        ops = c.step();
                    }
                    k.interestOps(ops);
                }
            }
            for (Client c : open) c.message = null;
            // let the last round trips finish so the connections are clean
            return bytes;
        }

        /** New connections, handshake, close, for {@code seconds}. @return handshakes completed */
        int churn(double seconds) throws IOException {
            long end = System.nanoTime() + (long) (seconds * 1e9);
            int inFlight = 0;
            int done = 0;
            while (System.nanoTime() < end) {
                while (inFlight < IN_FLIGHT) {
                    SocketChannel ch = SocketChannel.open();
                    ch.configureBlocking(false);
                    ch.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                    ch.register(selector, SelectionKey.OP_CONNECT, new Client(ch));
                    inFlight++;
                }
                selector.select(100);
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey k = it.next();
                    it.remove();
                    Client c = (Client) k.attachment();
                    int ops = c.step();
                    if (ops == 0) {
                        k.cancel();
                        c.tls.close();
                        inFlight--;
                        done++;
                    } else {
                        k.interestOps(ops);
                    }
                }
            }
            for (SelectionKey k : new ArrayList<>(selector.keys())) {
                Client c = (Client) k.attachment();
                if (!open.contains(c)) {
                    k.cancel();
                    if (c.tls != null) c.tls.close(); else c.channel.close();
                }
            }
            selector.selectNow();
            return done;
        }

        /** @return clients whose task completed this turn */
        private int turn(long waitMillis) throws IOException {
            selector.select(waitMillis);
            int done = 0;
            Iterator<SelectionKey> it = selector.selectedKeys().iterator();
            while (it.hasNext()) {
                SelectionKey k = it.next();
                it.remove();
                Client c = (Client) k.attachment();
                int ops = c.step();
                k.interestOps(ops);
                if (ops == 0) done++;
            }
            return done;
        }

        @Override
        public void close() throws IOException {
            for (SelectionKey k : selector.keys()) {
                Client c = (Client) k.attachment();
                try {
                    if (c.tls != null) c.tls.close(); else c.channel.close();
                } catch (IOException e) {
                    // closing anyway
                }
            }
            selector.close();
        }
    }
}
