package org.microssl.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import org.bouncycastle.tls.ProtocolVersion;
import org.microssl.SSLContext;
import org.microssl.SSLSocket;
import org.microssl.Backends;
import org.microssl.Ssl;
import org.microssl.SslException;
import org.microssl.SslException.Failure;
import org.microssl.hostile.Wire.Alert;
import org.microssl.spi.CryptoBackend;
import org.microssl.testing.TestPki;
import org.microssl.x509.Reason;

/** The microssl side under test: its contexts, a loopback server of it, and the assertions every refusal shares. */
public final class Target {
    private Target() {}

    /** Both crypto backends, as they ship: pure Java (the device's) and the JCA (the desktop's). */
    public enum Backend {
        LIGHTWEIGHT, JCA;

        CryptoBackend create() {
            return this == LIGHTWEIGHT ? Backends.lightweight() : Backends.jca();
        }
    }

    /** TLS 1.2 and 1.3, as microssl and BouncyCastle name them. */
    public enum Version {
        TLS12(Ssl.TLSv1_2, ProtocolVersion.TLSv12), TLS13(Ssl.TLSv1_3, ProtocolVersion.TLSv13);

        final int microssl;
        final ProtocolVersion bc;

        Version(int microssl, ProtocolVersion bc) {
            this.microssl = microssl;
            this.bc = bc;
        }
    }

    /** One EC P-256 chain (root, intermediate, leaf for localhost/127.0.0.1) for the whole suite. */
    public static final TestPki.Chain CHAIN = TestPki.chain(TestPki.KeyType.EC_P256);
    /** A client-auth chain (EC P-256) under a root of its own, for peers presenting a client certificate. */
    public static final TestPki.Chain CLIENT_CHAIN = TestPki.chain(TestPki.KeyType.EC_P256, "client.example",
            TestPki.Purpose.CLIENT);

    /** Generous enough never to fire in a passing test; a stuck engine fails the test instead of hanging it. */
    static final long HANDSHAKE_TIMEOUT_MS = 5_000;
    static final long WAIT_MS = 20_000;

    /** A server context with {@link #CHAIN}, all versions unless {@code version} is given. */
    public static SSLContext server(Backend backend, Version version) {
        SSLContext ctx = new SSLContext(Ssl.PROTOCOL_TLS_SERVER);
        ctx.setCryptoBackend(backend.create());
        ctx.loadCertChain(CHAIN.chainPem().getBytes(StandardCharsets.US_ASCII), CHAIN.leaf.keyPkcs8());
        ctx.setHandshakeTimeout(HANDSHAKE_TIMEOUT_MS);
        if (version != null) only(ctx, version);
        return ctx;
    }

    /** A server context that requires a client certificate issued under {@link #CLIENT_CHAIN}'s root. */
    public static SSLContext serverAskingForCertificates(Backend backend, Version version) {
        SSLContext ctx = server(backend, version);
        ctx.setVerifyMode(Ssl.CERT_REQUIRED);
        ctx.loadVerifyLocations(null, CLIENT_CHAIN.root.der);
        return ctx;
    }

    /** A verifying client context trusting {@link #CHAIN}'s root. */
    public static SSLContext client(Backend backend, Version version) {
        SSLContext ctx = new SSLContext(Ssl.PROTOCOL_TLS_CLIENT);
        ctx.setCryptoBackend(backend.create());
        ctx.loadVerifyLocations(null, CHAIN.root.der);
        ctx.setHandshakeTimeout(HANDSHAKE_TIMEOUT_MS);
        if (version != null) only(ctx, version);
        return ctx;
    }

    static void only(SSLContext ctx, Version version) {
        ctx.setMinimumVersion(version.microssl);
        ctx.setMaximumVersion(version.microssl);
    }

    /** A hostile server presenting {@link #CHAIN}'s leaf and intermediate. */
    public static HostilePeer.Config hostileServer(Version version) {
        return new HostilePeer.Config().version(version.bc).identity(CHAIN.chainDer(), CHAIN.leaf.keyPkcs8());
    }

    /** A hostile client presenting {@link #CLIENT_CHAIN}'s leaf and intermediate when asked. */
    public static HostilePeer.Config hostileClient(Version version) {
        return new HostilePeer.Config().version(version.bc).identity(CLIENT_CHAIN.chainDer(),
                CLIENT_CHAIN.leaf.keyPkcs8());
    }

    /** A microssl client's handshake with a hostile server on the loopback port. */
    public static Outcome connect(SSLContext ctx, int port) {
        long t0 = System.nanoTime();
        long a0 = allocated();
        Socket raw = null;
        try {
            raw = new Socket(InetAddress.getLoopbackAddress(), port);
            SSLSocket s = ctx.wrapSocket(raw, false, true, "localhost");
            return new Outcome(s, null, System.nanoTime() - t0, allocated() - a0, raw);
        } catch (Exception | Error e) {
            long elapsed = System.nanoTime() - t0;
            long bytes = allocated() - a0;
            closeQuietly(raw);
            return new Outcome(null, e, elapsed, bytes, raw);
        }
    }

    /** Bytes the current thread has allocated so far (HotSpot's per-thread counter). */
    static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /** What one side's handshake came to: a socket, or what it threw, and how long it took. */
    public static final class Outcome {
        public final SSLSocket socket;
        public final Throwable error;
        public final long elapsedNanos;
        /** What the handshake's thread allocated meanwhile (a blocking handshake runs in that thread). */
        public final long allocatedBytes;
        final Socket raw;

        Outcome(SSLSocket socket, Throwable error, long elapsedNanos, long allocatedBytes, Socket raw) {
            this.socket = socket;
            this.error = error;
            this.elapsedNanos = elapsedNanos;
            this.allocatedBytes = allocatedBytes;
            this.raw = raw;
        }

        public long elapsedMillis() {
            return TimeUnit.NANOSECONDS.toMillis(elapsedNanos);
        }

        /** The handshake must have succeeded. */
        public SSLSocket socket() {
            if (error != null) throw new AssertionError("handshake failed: " + error, error);
            return socket;
        }
    }

    /** A microssl server on a loopback port, handshaking with the first connection in a thread of its own. */
    public static final class LoopbackServer implements AutoCloseable {
        private final ServerSocket listener;
        private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        private volatile Socket accepted;

        public LoopbackServer(SSLContext ctx) throws IOException {
            listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            listener.setSoTimeout((int) WAIT_MS);
            Thread t = new Thread(() -> {
                Socket s = null;
                long t0 = 0;
                long a0 = 0;
                try {
                    s = listener.accept();
                    accepted = s;
                    t0 = System.nanoTime();
                    a0 = allocated();
                    SSLSocket ssl = ctx.wrapSocket(s, true, true, null);
                    outcome.complete(new Outcome(ssl, null, System.nanoTime() - t0, allocated() - a0, s));
                } catch (Throwable e) {
                    long elapsed = t0 == 0 ? 0 : System.nanoTime() - t0;
                    long bytes = allocated() - a0;
                    closeQuietly(s); // the client reads our alert, then end of stream
                    outcome.complete(new Outcome(null, e, elapsed, bytes, s));
                }
            }, "microssl-server");
            t.setDaemon(true);
            t.start();
        }

        public int port() {
            return listener.getLocalPort();
        }

        /** Waits for the handshake's end. */
        public Outcome outcome() throws InterruptedException {
            try {
                return outcome.get(WAIT_MS, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                throw new AssertionError(e.getCause());
            } catch (TimeoutException e) {
                closeQuietly(accepted);
                throw new AssertionError("the microssl server's handshake neither completed nor failed in "
                        + WAIT_MS + " ms");
            }
        }

        /** A raw TCP connection to this server. */
        public Socket connectRaw() throws IOException {
            Socket s = new Socket(InetAddress.getLoopbackAddress(), port());
            s.setTcpNoDelay(true);
            return s;
        }

        /** Stops listening; a connection whose handshake succeeded stays open (its SSLSocket owns it). */
        @Override
        public void close() throws IOException {
            listener.close();
            Outcome o = outcome.getNow(null);
            if (o == null || o.error != null) closeQuietly(accepted);
        }
    }

    // ------------------------------------------------------------------------------------------ assertions

    private static final Pattern NULL_WORD = Pattern.compile("(^|\\W)null(\\W|$)");

    /**
     * {@code error} is the refusal of a peer's bytes: an {@link SslException} of {@code failure} that says it sent
     * {@code alert}, never INTERNAL_ERROR, with a message that names something (never "null").
     */
    public static SslException assertRefused(Throwable error, Failure failure, int alert) {
        assertNotNull(error, "the handshake succeeded; expected " + failure + " with alert " + alert(alert));
        SslException e = assertInstanceOf(SslException.class, error, () -> "not an SslException: " + error);
        assertMessage(e);
        assertNotEquals(Failure.INTERNAL_ERROR, e.failure(), () -> "a peer's bytes reported as our bug: "
                + e.getMessage());
        assertEquals(failure, e.failure(), e::getMessage);
        assertEquals(alert(alert), alert(e.alert()), () -> "alert() of " + e.getMessage());
        return e;
    }

    /**
     * A corrupt certificate refused with {@code alert}: by the TLS layer (PROTOCOL_ERROR) or by the validator
     * (CERTIFICATE_REJECTED with Reason.MALFORMED), never as our bug.
     */
    public static SslException assertRefusedCorruptCertificate(Throwable error, int alert) {
        assertNotNull(error, "the handshake succeeded; expected a refusal with alert " + alert(alert));
        SslException e = assertInstanceOf(SslException.class, error, () -> "not an SslException: " + error);
        if (e.failure() == Failure.CERTIFICATE_REJECTED) {
            assertEquals(Reason.MALFORMED, e.reason(), e::getMessage);
            return assertRefused(error, Failure.CERTIFICATE_REJECTED, alert);
        }
        return assertRefused(error, Failure.PROTOCOL_ERROR, alert);
    }

    /** The message says something: present, and no "null" standing for a missing detail. */
    public static void assertMessage(Throwable e) {
        String m = e.getMessage();
        assertNotNull(m, () -> e + " has no message");
        assertFalse(NULL_WORD.matcher(m).find(), () -> "message says null: " + m);
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof OutOfMemoryError) throw new AssertionError("OutOfMemoryError behind " + m, e);
        }
    }

    /** The fatal alerts among {@code seen} are exactly {@code expected}, once. */
    public static void assertFatalAlert(List<Alert> seen, int expected) {
        List<Alert> fatal = new ArrayList<>();
        for (Alert a : seen) {
            if (HostilePeer.isFatal(a)) fatal.add(a);
        }
        assertEquals(List.of(Alert.fatal(expected)), fatal, () -> "alerts on the wire: " + seen);
    }

    static String alert(int description) {
        return description < 0 ? "no alert" : org.bouncycastle.tls.AlertDescription.getText((short) description);
    }

    static void closeQuietly(Socket s) {
        if (s == null) return;
        try {
            s.close();
        } catch (IOException ignored) {
            // closing is all we wanted
        }
    }
}
