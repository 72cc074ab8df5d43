package org.microssl.desktop.gateway;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * A TLS server for many devices on {@code java.nio} selectors: one accepting thread, and one selector thread per
 * core holding the connections. Each connection's decrypted stream goes to a {@link Handler} (echo by default).
 *
 * <p>Bounds, each configurable: at most {@link Config#maxConnections} at once (beyond it a new connection is
 * closed at once, not queued); a handshake must complete within {@link Config#handshakeTimeoutMillis} and an
 * established client must be heard from within {@link Config#idleTimeoutMillis}; a client that does not read
 * makes the gateway keep at most {@link Config#maxPendingOutput} bytes for it, and it is not read from until that
 * has gone out. A silent or dribbling client holds no thread and delays no other.
 *
 * <pre>{@code
 * SSLContext ctx = new SSLContext(Ssl.PROTOCOL_TLS_SERVER);
 * ctx.loadCertChain("chain.pem", "key.pem");
 * try (Gateway g = Gateway.start(new MicrosslSessions(ctx), new Gateway.Config().port(8883))) { ... }
 * }</pre>
 */
public final class Gateway implements Closeable {

    /** The gateway's settings; every one has a default. */
    public static final class Config {
        InetAddress bindAddress;
        int port;
        int maxConnections = 10_000;
        long handshakeTimeoutMillis = 10_000;
        long idleTimeoutMillis = 300_000;
        int threads = Runtime.getRuntime().availableProcessors();
        int maxPendingOutput = 64 * 1024;
        int backlog = 1024;
        Handler handler = Handler.ECHO;
        Consumer<String> log;

        /** The address to listen on; default all. */
        public Config bindAddress(InetAddress address) {
            this.bindAddress = address;
            return this;
        }

        /** 0 (the default) picks a free port: see {@link Gateway#port()}. */
        public Config port(int port) {
            if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
            this.port = port;
            return this;
        }

        public Config maxConnections(int n) {
            this.maxConnections = positive("maxConnections", n);
            return this;
        }

        public Config handshakeTimeoutMillis(long ms) {
            this.handshakeTimeoutMillis = positive("handshakeTimeoutMillis", ms);
            return this;
        }

        public Config idleTimeoutMillis(long ms) {
            this.idleTimeoutMillis = positive("idleTimeoutMillis", ms);
            return this;
        }

        /** Selector threads; default one per core. */
        public Config threads(int n) {
            this.threads = positive("threads", n);
            return this;
        }

        public Config maxPendingOutput(int bytes) {
            this.maxPendingOutput = positive("maxPendingOutput", bytes);
            return this;
        }

        public Config backlog(int n) {
            this.backlog = positive("backlog", n);
            return this;
        }

        public Config handler(Handler handler) {
            if (handler == null) throw new IllegalArgumentException("handler is null");
            this.handler = handler;
            return this;
        }

        /** Where to report refused and failed connections, one line each; default nowhere. */
        public Config log(Consumer<String> log) {
            this.log = log;
            return this;
        }

        private static int positive(String what, long n) {
            if (n <= 0 || n > Integer.MAX_VALUE) throw new IllegalArgumentException(what + " must be positive: " + n);
            return (int) n;
        }
    }

    /** Counters since the start. */
    public static final class Stats {
        public final int open;
        public final long accepted;
        public final long refused;
        public final long handshakes;
        public final long closedByClient;
        /** Established clients that ended the TCP connection between records without close_notify. */
        public final long closedWithoutCloseNotify;
        public final long handshakeTimeouts;
        public final long idleTimeouts;
        public final long failed;

        Stats(Gateway g) {
            open = g.open.get();
            accepted = g.accepted.sum();
            refused = g.refused.sum();
            handshakes = g.handshakes.sum();
            closedByClient = g.closedByClient.sum();
            closedWithoutCloseNotify = g.truncated.sum();
            handshakeTimeouts = g.handshakeTimeouts.sum();
            idleTimeouts = g.idleTimeouts.sum();
            failed = g.failed.sum();
        }

        @Override
        public String toString() {
            return "open=" + open + " accepted=" + accepted + " refused=" + refused + " handshakes=" + handshakes
                    + " closedByClient=" + closedByClient + " closedWithoutCloseNotify=" + closedWithoutCloseNotify
                    + " handshakeTimeouts=" + handshakeTimeouts
                    + " idleTimeouts=" + idleTimeouts + " failed=" + failed;
        }
    }

    private final Config config;
    private final ServerSocketChannel listener;
    private final List<Worker> workers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicInteger open = new AtomicInteger();
    private final LongAdder accepted = new LongAdder();
    private final LongAdder refused = new LongAdder();
    final LongAdder handshakes = new LongAdder();
    private final LongAdder closedByClient = new LongAdder();
    private final LongAdder truncated = new LongAdder();
    private final LongAdder handshakeTimeouts = new LongAdder();
    private final LongAdder idleTimeouts = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private volatile boolean closed;

    private Gateway(Config config, ServerSocketChannel listener) {
        this.config = config;
        this.listener = listener;
    }

    /** Binds and starts serving. */
    public static Gateway start(TlsSession.Factory sessions, Config config) throws IOException {
        ServerSocketChannel listener = ServerSocketChannel.open();
        try {
            listener.bind(new InetSocketAddress(config.bindAddress, config.port), config.backlog);
        } catch (IOException e) {
            listener.close();
            throw e;
        }
        Gateway g = new Gateway(config, listener);
        for (int i = 0; i < config.threads; i++) {
            Worker w = new Worker(g, config, sessions);
            g.workers.add(w);
            g.threads.add(daemon(w, "microssl-gateway-" + i));
        }
        g.threads.add(daemon(g::accept, "microssl-gateway-accept"));
        for (Thread t : g.threads) t.start();
        return g;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    public int port() {
        return ((InetSocketAddress) listener.socket().getLocalSocketAddress()).getPort();
    }

    public Stats stats() {
        return new Stats(this);
    }

    /** Stops accepting, closes every connection and waits (up to 5 s) for the threads. */
    @Override
    public void close() throws IOException {
        if (closed) return;
        closed = true;
        listener.close();
        for (Worker w : workers) w.stop();
        for (Thread t : threads) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
    }

    private void accept() {
        int next = 0;
        while (!closed) {
            SocketChannel channel;
            try {
                channel = listener.accept(); // blocking: this thread does nothing else
            } catch (IOException e) {
                if (!closed) log("accept failed: " + e);
                return;
            }
            accepted.increment();
            if (open.incrementAndGet() > config.maxConnections) {
                open.decrementAndGet();
                refuse(channel, config.maxConnections + " connections already (maxConnections)", false);
                continue;
            }
            try {
                channel.socket().setTcpNoDelay(true);
            } catch (IOException e) {
                // a socket option; the connection works without it
            }
            workers.get(next).add(channel);
            next = (next + 1) % workers.size();
        }
    }

    /**
     * Closes a channel that never became a connection.
     *
     * @param why logged and counted as refused; null when the gateway is stopping
     * @param holdsSlot whether it was counted in {@code open}
     */
    void refuse(SocketChannel channel, String why, boolean holdsSlot) {
        if (why != null) {
            refused.increment();
            log("refused client=" + remote(channel) + ": " + why);
        }
        if (holdsSlot) open.decrementAndGet();
        try {
            channel.close();
        } catch (IOException e) {
            // refusing anyway
        }
    }

    void ended(Worker.Outcome outcome, Exception cause, GatewayConnection c) {
        open.decrementAndGet();
        switch (outcome) {
            case CLOSED_BY_CLIENT: closedByClient.increment(); break;
            case TRUNCATED: truncated.increment(); break;
            case HANDSHAKE_TIMEOUT: handshakeTimeouts.increment(); break;
            case IDLE_TIMEOUT: idleTimeouts.increment(); break;
            case FAILED: failed.increment(); break;
            default: break;
        }
        if (cause != null && outcome != Worker.Outcome.CLOSED_BY_HANDLER && outcome != Worker.Outcome.TRUNCATED) {
            log("closed client=" + c.remoteAddress() + ": " + cause.getMessage());
        }
    }

    void log(String line) {
        Consumer<String> l = config.log;
        if (l != null) l.accept(line);
    }

    private static String remote(SocketChannel channel) {
        try {
            return String.valueOf(channel.getRemoteAddress());
        } catch (IOException e) {
            return "?";
        }
    }
}
