package org.microssl.desktop.interop;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.bouncycastle.asn1.x509.Certificate;
import org.junit.jupiter.params.provider.Arguments;
import org.microssl.SSLContext;
import org.microssl.SSLSocket;
import org.microssl.Ssl;
import org.microssl.testing.TestPki.KeyType;

/** microssl's side of an interop case: contexts, a client connection, and a one-line echo server. */
public final class Microssl {
    static final int IO_TIMEOUT_MS = 10_000;

    private Microssl() {}

    /** A client context trusting {@code cafile}, restricted to {@code version} (0 = both). */
    public static SSLContext client(Backend backend, Path cafile, int version) {
        SSLContext ctx = new SSLContext(Ssl.PROTOCOL_TLS_CLIENT);
        backend.apply(ctx);
        if (cafile != null) ctx.loadVerifyLocations(cafile.toString(), null);
        restrict(ctx, version);
        return ctx;
    }

    /** A server context with {@code chainPem} and {@code key}, restricted to {@code version} (0 = both). */
    public static SSLContext server(Backend backend, Path chainPem, Path key, int version) {
        SSLContext ctx = new SSLContext(Ssl.PROTOCOL_TLS_SERVER);
        backend.apply(ctx);
        ctx.loadCertChain(chainPem.toString(), key.toString());
        restrict(ctx, version);
        return ctx;
    }

    static void restrict(SSLContext ctx, int version) {
        if (version != 0) {
            ctx.setMinimumVersion(version);
            ctx.setMaximumVersion(version);
        }
    }

    /** Connects to 127.0.0.1:port and handshakes as {@code serverHostname}. */
    public static SSLSocket connect(SSLContext ctx, int port, String serverHostname) throws IOException {
        Socket sock = new Socket(InetAddress.getLoopbackAddress(), port);
        sock.setSoTimeout(IO_TIMEOUT_MS);
        try {
            return ctx.wrapSocket(sock, false, true, serverHostname);
        } catch (IOException | RuntimeException e) {
            sock.close();
            throw e;
        }
    }

    public static String versionName(int version) {
        return version == Ssl.TLSv1_2 ? "TLSv1.2" : "TLSv1.3";
    }

    /** The protocol versions every interop case runs under. */
    static final int[] VERSIONS = {Ssl.TLSv1_3, Ssl.TLSv1_2};

    /** The inverse of {@link #versionName}, for parameterized cases that carry the readable name. */
    static int version(String name) {
        return name.equals("TLSv1.2") ? Ssl.TLSv1_2 : Ssl.TLSv1_3;
    }

    /** Arguments (backend, server key type, version name): the matrix both interop directions run. */
    static Stream<Arguments> backendKeyVersion() {
        List<Arguments> l = new ArrayList<>();
        for (Backend b : Backend.values()) {
            for (KeyType t : InteropPki.SERVER_KEY_TYPES) {
                for (int v : VERSIONS) l.add(Arguments.of(b, t, versionName(v)));
            }
        }
        return l.stream();
    }

    /** Arguments (backend, version name, key-exchange group): each group alone, both interop directions. */
    static Stream<Arguments> backendVersionGroup() {
        List<Arguments> l = new ArrayList<>();
        for (Backend b : Backend.values()) {
            for (int v : VERSIONS) {
                for (String g : new String[] {"X25519", "P-256", "P-384"}) l.add(Arguments.of(b, versionName(v), g));
            }
        }
        return l.stream();
    }

    /** Arguments (backend, version name). */
    static Stream<Arguments> backendVersion() {
        List<Arguments> l = new ArrayList<>();
        for (Backend b : Backend.values()) {
            for (int v : VERSIONS) l.add(Arguments.of(b, versionName(v)));
        }
        return l.stream();
    }

    /**
     * OpenSSL's name for an IANA cipher suite name (what CPython's {@code cipher()} and openssl print): TLS 1.3
     * names are the same; "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256" is "ECDHE-ECDSA-AES128-GCM-SHA256".
     */
    public static String opensslName(String iana) {
        if (!iana.contains("_WITH_")) return iana;
        String s = iana.substring("TLS_".length()).replace("_WITH_", "_").replace("AES_128", "AES128")
                .replace("AES_256", "AES256").replace("CHACHA20_POLY1305_SHA256", "CHACHA20_POLY1305");
        return s.replace('_', '-');
    }

    /** The subject of a DER certificate, RFC 4514 style ("CN=localhost"). */
    public static String subject(byte[] der) {
        return Certificate.getInstance(der).getSubject().toString();
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static String ascii(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }

    /**
     * A microssl server on 127.0.0.1, one connection at a time: handshake, read one line, echo it, close with
     * close_notify. What happened to each connection is queued for the test to assert.
     */
    public static final class EchoServer implements AutoCloseable {
        /** One connection's outcome: the negotiated parameters, or the exception that ended it. */
        public static final class Outcome {
            public String version;
            public String cipher;
            /** Subject of the client's certificate, or null if it sent none. */
            public String peerSubject;
            public String line;
            /** Whether the handshake resumed a session (issue 11). */
            public boolean reused;
            public String notReusedReason;
            public Exception error;

            @Override
            public String toString() {
                return error != null ? "error " + error : version + " " + cipher + " peer=" + peerSubject + " line=" + line;
            }
        }

        private final ServerSocket listener;
        private final Thread thread;
        private final BlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();

        public EchoServer(SSLContext ctx) throws IOException {
            listener = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
            thread = new Thread(() -> serve(ctx), "microssl-echo-server");
            thread.setDaemon(true);
            thread.start();
        }

        public int port() {
            return listener.getLocalPort();
        }

        private void serve(SSLContext ctx) {
            while (!listener.isClosed()) {
                Socket sock;
                try {
                    sock = listener.accept();
                } catch (IOException closed) {
                    return;
                }
                Outcome o = new Outcome();
                try (Socket s = sock) {
                    s.setSoTimeout(IO_TIMEOUT_MS);
                    SSLSocket tls = ctx.wrapSocket(s, true, true, null);
                    o.version = tls.version();
                    o.cipher = tls.cipher()[0];
                    o.reused = tls.sessionReused();
                    o.notReusedReason = tls.sessionNotReusedReason();
                    byte[] peer = (byte[]) tls.getpeercert(true);
                    o.peerSubject = peer == null ? null : subject(peer);
                    byte[] line = tls.readline();
                    o.line = ascii(line);
                    tls.write(line);
                    tls.close();
                } catch (Exception e) {
                    o.error = e;
                }
                outcomes.add(o);
            }
        }

        /** The next connection's outcome; fails the test if none arrives in time. */
        public Outcome next() throws InterruptedException {
            Outcome o = outcomes.poll(IO_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            if (o == null) throw new AssertionError("no connection reached the microssl server");
            return o;
        }

        @Override
        public void close() throws IOException, InterruptedException {
            listener.close();
            thread.join(IO_TIMEOUT_MS);
        }
    }
}
