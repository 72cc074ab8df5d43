package org.microssl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.tls.AlertDescription;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.microssl.SslEvent.Kind;
import org.microssl.SslException.Failure;
import org.microssl.testing.Peer;
import org.microssl.testing.TestPki;
import org.microssl.x509.Reason;

/**
 * The diagnostics listener against openssl: a completed handshake with its version, suite and peer subject; a
 * rejected server certificate as the alert we sent and a failure with reason, depth and peer address; an alert an
 * openssl client sends our server; the hint when a server demands a client certificate we do not have.
 */
class DiagnosticsTest {
    static final TestPki.Chain GOOD = TestPki.chain(TestPki.KeyType.EC_P256);
    static final TestPki.Chain EXPIRED;

    static {
        Instant now = Instant.now();
        TestPki.Issued root = TestPki.cert().subject("CN=Diagnostics Root").ca(-1).build();
        TestPki.Issued intermediate = TestPki.cert().subject("CN=Diagnostics Intermediate").ca(0).issuer(root).build();
        TestPki.Issued leaf = TestPki.cert().subject("CN=localhost").issuer(intermediate).san("DNS:localhost")
                .eku(KeyPurposeId.id_kp_serverAuth).validity(now.minus(30, ChronoUnit.DAYS), now.minus(1, ChronoUnit.DAYS))
                .build();
        EXPIRED = new TestPki.Chain(root, intermediate, leaf);
    }

    @TempDir
    static Path dir;

    @BeforeAll
    static void write() throws Exception {
        GOOD.writeTo(dir, "good-");
        EXPIRED.writeTo(dir, "expired-");
    }

    static Peer openssl(String prefix, String... extra) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("-cert", prefix + "leaf.pem", "-key", prefix + "leaf.key",
                "-cert_chain", prefix + "int.pem", "-tls1_3"));
        args.addAll(List.of(extra));
        return Peer.opensslServer(dir, args.toArray(new String[0]));
    }

    static SSLContext client(TestPki.Chain trusted, List<SslEvent> events) {
        SSLContext ctx = new SSLContext(Ssl.PROTOCOL_TLS_CLIENT);
        ctx.loadVerifyLocations(null, trusted.root.der);
        ctx.setListener(events::add);
        return ctx;
    }

    @Test
    void handshakeCompletedAndCloseNotify() throws Exception {
        List<SslEvent> events = new CopyOnWriteArrayList<>();
        try (Peer server = openssl("good-")) {
            SSLSocket s = client(GOOD, events).wrapSocket(new Socket("127.0.0.1", server.port()), false, true,
                    "localhost");
            assertEquals(1, events.size(), events.toString());
            SslEvent done = events.get(0);
            assertEquals(Kind.HANDSHAKE_COMPLETED, done.kind());
            assertEquals("TLSv1.3", done.version());
            assertTrue(done.cipher().startsWith("TLS_"), done.cipher());
            assertEquals("CN=localhost", done.peerSubject());
            assertFalse(done.resumed());
            assertFalse(done.serverSide());
            assertEquals("127.0.0.1:" + server.port(), done.peerAddress());
            s.close();
            SslEvent bye = events.get(events.size() - 1);
            assertEquals(Kind.ALERT_SENT, bye.kind(), events.toString());
            assertEquals(AlertDescription.close_notify, bye.alert());
            assertFalse(bye.fatal());
            int before = events.size();
            assertEquals(Failure.CLOSED, assertThrows(SslException.class, () -> s.read(1)).failure());
            assertEquals(before, events.size(), "using a closed connection is the application's doing, not a failure");
        }
    }

    @Test
    void rejectedServerIsTheAlertWeSentThenTheFailure() throws Exception {
        List<SslEvent> events = new CopyOnWriteArrayList<>();
        try (Peer server = openssl("expired-")) {
            SslException e = assertThrows(SslException.class, () -> client(EXPIRED, events).wrapSocket(
                    new Socket("127.0.0.1", server.port()), false, true, "localhost"));
            assertEquals(List.of(Kind.ALERT_SENT, Kind.FAILURE),
                    events.stream().map(SslEvent::kind).collect(Collectors.toList()), events.toString());
            assertEquals(AlertDescription.certificate_expired, events.get(0).alert());
            assertTrue(events.get(0).fatal());
            SslEvent failure = events.get(1);
            assertEquals(Reason.EXPIRED, failure.reason());
            assertEquals(0, failure.depth());
            assertEquals("127.0.0.1:" + server.port(), failure.peerAddress());
            assertEquals(e, failure.failure(), "the exception the application got");
            assertTrue(failure.toString().startsWith("FAILURE peer=127.0.0.1:" + server.port()
                    + " client CERTIFICATE_REJECTED reason=EXPIRED depth=0 alert=certificate_expired(45): "),
                    failure.toString());
            // sticky: the same failure is reported once however often it is rethrown
            assertEquals(2, events.size());
        }
    }

    @Test
    void alertFromAnOpensslClientReachesTheServersListener() throws Exception {
        List<SslEvent> events = new CopyOnWriteArrayList<>();
        SSLContext server = Fixtures.server(GOOD, Fixtures.Backend.LIGHTWEIGHT);
        server.setListener(events::add);
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Exception> served = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket s = server.wrapSocket(listener.accept(), true, true, null)) {
                    s.read();
                    return null;
                } catch (Exception e) {
                    return e;
                }
            });
            // openssl trusts another root: it refuses our chain with unknown_ca
            try {
                Peer.runTool(dir, "openssl", "s_client", "-connect", "127.0.0.1:" + listener.getLocalPort(),
                        "-CAfile", "expired-root.pem", "-verify_return_error");
            } catch (java.io.IOException expected) {
                // s_client exits 1 after refusing the server
            }
            SslException e = (SslException) served.get(30, TimeUnit.SECONDS);
            assertEquals(Failure.ALERT_RECEIVED, e.failure());
        }
        SslEvent received = events.get(0);
        assertEquals(Kind.ALERT_RECEIVED, received.kind(), events.toString());
        assertEquals(AlertDescription.unknown_ca, received.alert());
        assertTrue(received.serverSide());
        assertTrue(received.peerAddress().startsWith("127.0.0.1:"), received.peerAddress());
        assertEquals(Kind.FAILURE, events.get(1).kind());
        assertNull(events.get(1).reason(), "not a certificate of ours that was rejected here");
    }

    @Test
    void aThrowingListenerDoesNotBreakTheConnection() throws Exception {
        try (Peer server = openssl("good-")) {
            SSLContext ctx = client(GOOD, new CopyOnWriteArrayList<>());
            ctx.setListener(e -> {
                throw new IllegalStateException("a broken logger");
            });
            try (SSLSocket s = ctx.wrapSocket(new Socket("127.0.0.1", server.port()), false, true, "localhost")) {
                assertEquals("TLSv1.3", s.version());
            }
        }
    }

    /** TLS 1.3: the server's certificate_required arrives after our handshake; the failure says what to do. */
    @Test
    void serverDemandingAClientCertificateWeDoNotHaveSaysSo() throws Exception {
        try (Peer server = openssl("good-", "-Verify", "1", "-verify_return_error", "-CAfile", "good-root.pem")) {
            SSLSocket s = client(GOOD, new CopyOnWriteArrayList<>()).wrapSocket(
                    new Socket("127.0.0.1", server.port()), false, true, "localhost");
            SslException e = assertThrows(SslException.class, () -> s.read(1));
            assertEquals(Failure.ALERT_RECEIVED, e.failure());
            assertEquals(116, e.alert());
            assertTrue(e.getMessage().endsWith("the server requires a client certificate and none is loaded: call "
                    + "loadCertChain or loadPkcs12 first (CLI: --cert and --key, or --p12)"), e.getMessage());
        }
    }
}
