package org.microssl.desktop;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.microssl.Backends;
import org.microssl.SSLContext;
import org.microssl.SSLSocket;
import org.microssl.Ssl;
import org.microssl.SslException;
import org.microssl.internal.DemoPki;
import org.microssl.x509.Reason;

/**
 * {@code microssl.jar demo}: a CA made on the spot, a microssl server and a microssl client over loopback. Shows a
 * verified TLS 1.3 exchange, then what a wrong hostname and an expired certificate get, on both ends.
 */
final class Demo {
    private static final int TIMEOUT_MS = 10_000;

    private Demo() {}

    static int run(PrintStream out) throws Exception {
        Instant now = Instant.now();
        DemoPki ca = new DemoPki("microssl demo CA", now.minusSeconds(3600), now.plusSeconds(30 * 86400L));
        DemoPki.Issued good = ca.issue(KeyPurposeId.id_kp_serverAuth, now.minusSeconds(3600),
                now.plusSeconds(7 * 86400L), "DNS:localhost", "IP:127.0.0.1");
        DemoPki.Issued expired = ca.issue(KeyPurposeId.id_kp_serverAuth, now.minusSeconds(30 * 86400L),
                now.minusSeconds(86400), "DNS:localhost", "IP:127.0.0.1");

        out.println("microssl demo: a server and a client over loopback, with a CA made just now");
        out.println("  CA      " + Main.subjectOf(ca.root().der) + " (ECDSA P-256, self-signed)");
        out.println("  server  " + Main.subjectOf(good.der) + ", DNS:localhost IP:127.0.0.1, valid until "
                + now.plusSeconds(7 * 86400L).toString().substring(0, 10));
        out.println();

        boolean asExpected = true;
        try (DemoServer server = new DemoServer(good)) {
            out.println("1) client -> localhost:" + server.port() + ", CERT_REQUIRED, trusting only the demo CA");
            SSLSocket tls = connect(ca, server.port(), "localhost");
            String[] cipher = tls.cipher();
            out.println("   handshake ok: " + tls.version() + " " + cipher[0] + " (" + cipher[2] + "-bit keys)");
            out.println("   server certificate verified: " + Main.subjectOf((byte[]) tls.getpeercert(true))
                    + ", issued by " + Main.subjectOf(ca.root().der));
            String message = "hello over TLS 1.3";
            tls.write((message + "\n").getBytes(StandardCharsets.UTF_8));
            String echoed = new String(tls.readline(), StandardCharsets.UTF_8).trim();
            tls.close();
            out.println("   sent \"" + message + "\", the server echoed \"" + echoed + "\"");
            asExpected &= echoed.equals(message) && "TLSv1.3".equals(tls.version()) && server.nextError() == null;
            out.println();

            out.println("2) client -> the same server, but asking for the name \"wrong.example\"");
            asExpected &= expectRejection(out, Reason.HOSTNAME_MISMATCH, () -> connect(ca, server.port(), "wrong.example"));
            asExpected &= reportServerSide(out, server.nextError());
            out.println();
        }

        try (DemoServer server = new DemoServer(expired)) {
            out.println("3) client -> a server whose certificate expired yesterday");
            asExpected &= expectRejection(out, Reason.EXPIRED, () -> connect(ca, server.port(), "localhost"));
            asExpected &= reportServerSide(out, server.nextError());
        }
        out.println();
        out.println(asExpected ? "demo complete: the verified connection worked and both bad certificates were refused"
                : "demo FAILED: an outcome above was not the expected one");
        return asExpected ? 0 : 1;
    }

    private interface Attempt {
        SSLSocket run() throws IOException;
    }

    private static boolean expectRejection(PrintStream out, Reason expected, Attempt attempt) {
        try {
            SSLSocket s = attempt.run();
            s.close();
            out.println("   CONNECTED, which must not happen");
            return false;
        } catch (SslException e) {
            out.println("   client refused the server: " + Main.errorLine(e).substring("error: ".length()));
            return e.reason() == expected;
        } catch (IOException | RuntimeException e) {
            out.println("   unexpected failure: " + Main.errorLine(e));
            return false;
        }
    }

    private static boolean reportServerSide(PrintStream out, Exception serverError) {
        if (serverError == null) {
            out.println("   the server saw no error, which must not happen");
            return false;
        }
        out.println("   the server was told why: " + Main.errorLine(serverError).substring("error: ".length()));
        return serverError instanceof SslException
                && ((SslException) serverError).failure() == SslException.Failure.ALERT_RECEIVED;
    }

    private static SSLSocket connect(DemoPki ca, int port, String serverHostname) throws IOException {
        SSLContext ctx = new SSLContext(Ssl.PROTOCOL_TLS_CLIENT); // CERT_REQUIRED by default
        ctx.setCryptoBackend(Backends.jca());
        ctx.loadVerifyLocations(ca.root().der);
        ctx.setMinimumVersion(Ssl.TLSv1_3);
        Socket sock = new Socket(InetAddress.getLoopbackAddress(), port);
        sock.setSoTimeout(TIMEOUT_MS);
        try {
            return ctx.wrapSocket(sock, false, true, serverHostname);
        } catch (IOException | RuntimeException e) {
            sock.close();
            throw e;
        }
    }

    /** A loopback echo server for the demo: one line per connection; records how each connection ended. */
    private static final class DemoServer implements AutoCloseable {
        private static final Exception NONE = new Exception("none");
        private final ServerSocket listener;
        private final Thread thread;
        private final BlockingQueue<Exception> outcomes = new LinkedBlockingQueue<Exception>();

        DemoServer(DemoPki.Issued identity) throws IOException {
            final SSLContext ctx = new SSLContext(Ssl.PROTOCOL_TLS_SERVER);
            ctx.setCryptoBackend(Backends.jca());
            ctx.loadCertChain(identity.der, identity.pkcs8());
            listener = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
            thread = new Thread(() -> serve(ctx), "microssl-demo-server");
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return listener.getLocalPort();
        }

        private void serve(SSLContext ctx) {
            while (!listener.isClosed()) {
                try (Socket sock = listener.accept()) {
                    sock.setSoTimeout(TIMEOUT_MS);
                    try {
                        SSLSocket tls = ctx.wrapSocket(sock, true, true, null);
                        byte[] line = tls.readline();
                        tls.write(line);
                        tls.close();
                        outcomes.add(NONE);
                    } catch (IOException | RuntimeException e) {
                        outcomes.add(e);
                    }
                } catch (IOException closed) {
                    return;
                }
            }
        }

        /** How the next connection ended: null if cleanly. */
        Exception nextError() throws InterruptedException {
            Exception e = outcomes.poll(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            if (e == null) return new IOException("the demo server saw no connection");
            return e == NONE ? null : e;
        }

        @Override
        public void close() throws IOException, InterruptedException {
            listener.close();
            thread.join(TIMEOUT_MS);
        }
    }
}
