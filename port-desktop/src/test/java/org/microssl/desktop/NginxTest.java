package org.microssl.desktop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.microssl.SSLContext;
import org.microssl.SSLSocket;
import org.microssl.Ssl;
import org.microssl.SslException;
import org.microssl.desktop.MainClientTest.Run;
import org.microssl.testing.Peer;
import org.microssl.testing.TestPki;
import org.microssl.x509.Reason;

/**
 * Against Debian's nginx: the self-signed certificates {@code openssl req -x509} makes are called self-signed,
 * with how to trust them; {@code microssl.jar check} gives each Nagios status with its plugin line; the client
 * forwards stdin (an HTTP request) and prints the response.
 */
class NginxTest {
    @TempDir
    static Path dir;
    static TestPki.Chain valid;

    @BeforeAll
    static void certificates() throws Exception {
        // each expiry sits an hour off a whole day: notAfter keeps whole seconds, and a check in the same second as the
        // certificate's making would otherwise count a whole 90 days
        valid = chain("valid-", Instant.now().minus(1, ChronoUnit.DAYS), Instant.now().plus(90, ChronoUnit.DAYS)
                .minusSeconds(3600));
        chain("soon-", Instant.now().minus(80, ChronoUnit.DAYS), Instant.now().plus(10, ChronoUnit.DAYS).plusSeconds(3600));
        chain("verysoon-", Instant.now().minus(80, ChronoUnit.DAYS), Instant.now().plus(3, ChronoUnit.DAYS).plusSeconds(3600));
        chain("expired-", Instant.now().minus(90, ChronoUnit.DAYS), Instant.now().minus(2, ChronoUnit.DAYS));
    }

    /** root -> intermediate -> leaf for localhost, the leaf valid from {@code from} to {@code to}; written with {@code prefix}. */
    static TestPki.Chain chain(String prefix, Instant from, Instant to) throws Exception {
        TestPki.Issued root = TestPki.cert().subject("CN=" + prefix + "root").ca(-1).build();
        TestPki.Issued intermediate = TestPki.cert().subject("CN=" + prefix + "intermediate").ca(0).issuer(root).build();
        TestPki.Issued leaf = TestPki.cert().subject("CN=localhost").issuer(intermediate).san("DNS:localhost")
                .eku(KeyPurposeId.id_kp_serverAuth).validity(from, to).build();
        return new TestPki.Chain(root, intermediate, leaf).writeTo(dir, prefix);
    }

    static Peer nginx(String prefix) throws Exception {
        return Nginx.start(dir, dir.resolve(prefix + "chain.pem"), dir.resolve(prefix + "leaf.key"));
    }

    /** openssl req -x509, as the tutorials say; with {@code caFalse}, basicConstraints CA:FALSE. */
    static void selfSigned(String name, boolean caFalse) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:P-256", "-nodes", "-keyout", name + ".key", "-out", name + ".pem", "-days", "30",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"));
        if (caFalse) cmd.addAll(List.of("-addext", "basicConstraints=critical,CA:FALSE"));
        Peer.runTool(dir, cmd.toArray(new String[0]));
    }

    @ParameterizedTest(name = "CA:FALSE {0}")
    @ValueSource(booleans = {false, true})
    void selfSignedIsCalledSelfSignedAndTrustingItWorks(boolean caFalse) throws Exception {
        String name = "selfsigned-" + caFalse;
        selfSigned(name, caFalse);
        try (Peer server = Nginx.start(dir, dir.resolve(name + ".pem"), dir.resolve(name + ".key"))) {
            SSLContext ctx = SSLContext.createDefault();
            SslException e = assertThrows(SslException.class,
                    () -> ctx.wrapSocket(new Socket("127.0.0.1", server.port()), false, true, "localhost"));
            assertEquals(Reason.UNKNOWN_ISSUER, e.reason());
            assertEquals(0, e.rejection().depth());
            assertTrue(e.getMessage().contains("self-signed certificate, not trusted: to trust it, put it in cadata or "
                    + "cafile"), e.getMessage());
            // doing what it says works
            SSLContext trusting = new SSLContext(Ssl.PROTOCOL_TLS_CLIENT);
            trusting.loadVerifyLocations(dir.resolve(name + ".pem").toString(), null);
            try (SSLSocket s = trusting.wrapSocket(new Socket("127.0.0.1", server.port()), false, true, "localhost")) {
                s.write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertTrue(new String(s.read(), StandardCharsets.US_ASCII).endsWith("hello from nginx\n"));
            }
        }
    }

    static Run check(int port, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("check", "localhost", String.valueOf(port)));
        args.addAll(List.of(extra));
        return MainClientTest.main(args.toArray(new String[0]));
    }

    @Test
    void checkOkWithPerfdataAndTheServedChain() throws Exception {
        try (Peer server = nginx("valid-")) {
            Run r = check(server.port(), "--cafile", dir.resolve("valid-root.pem").toString());
            assertEquals(0, r.status(), r.out() + r.err());
            List<String> lines = r.outLines();
            assertTrue(lines.get(0).matches("SSL OK - localhost:\\d+: CN=localhost valid for localhost, expires in 89 "
                    + "days \\(20\\d\\d-.*\\) \\| days_left=89;30;7"), lines.get(0));
            assertTrue(r.out().contains("  0 s:CN=localhost\n    i:CN=valid-intermediate\n"), r.out());
            assertTrue(r.out().contains("validated path (trust anchor last):"), r.out());
            assertTrue(r.out().contains(" s:CN=valid-root\n"), r.out());
        }
    }

    @Test
    void checkWarningAndCriticalNearExpiry() throws Exception {
        try (Peer server = nginx("soon-")) {
            Run r = check(server.port(), "--cafile", dir.resolve("soon-root.pem").toString());
            assertEquals(1, r.status(), r.out());
            assertTrue(r.outLines().get(0).startsWith("SSL WARNING - localhost:" + server.port()
                    + ": CN=localhost valid for localhost, expires in 10 days"), r.out());
            assertTrue(r.outLines().get(0).endsWith("| days_left=10;30;7"), r.out());
            Run quiet = check(server.port(), "--cafile", dir.resolve("soon-root.pem").toString(), "--warn-days", "5",
                    "--crit-days", "2");
            assertEquals(0, quiet.status(), quiet.out());
        }
        try (Peer server = nginx("verysoon-")) {
            Run r = check(server.port(), "--cafile", dir.resolve("verysoon-root.pem").toString());
            assertEquals(2, r.status(), r.out());
            assertTrue(r.outLines().get(0).startsWith("SSL CRITICAL - "), r.out());
            assertTrue(r.outLines().get(0).endsWith("| days_left=3;30;7"), r.out());
        }
    }

    @Test
    void checkCriticalWhenInvalid() throws Exception {
        try (Peer server = nginx("expired-")) {
            Run r = check(server.port(), "--cafile", dir.resolve("expired-root.pem").toString());
            assertEquals(2, r.status(), r.out());
            assertTrue(r.outLines().get(0).startsWith("SSL CRITICAL - localhost:" + server.port()
                    + ": EXPIRED: depth 0 (CN=localhost): "), r.out());
            assertTrue(r.out().contains("(EXPIRED 2 days ago)"), r.out());
        }
        try (Peer server = nginx("valid-")) {
            Run untrusted = check(server.port()); // the system's anchors do not vouch for a test CA
            assertEquals(2, untrusted.status(), untrusted.out());
            assertTrue(untrusted.outLines().get(0).contains(": UNKNOWN_ISSUER: "), untrusted.out());
            Run wrongName = check(server.port(), "--cafile", dir.resolve("valid-root.pem").toString(),
                    "--servername", "other.example");
            assertEquals(2, wrongName.status(), wrongName.out());
            assertTrue(wrongName.outLines().get(0).contains(": HOSTNAME_MISMATCH: "), wrongName.out());
        }
    }

    @Test
    void checkUnknownWhenNothingListens() throws Exception {
        int closed = Peer.freePort();
        Run r = check(closed);
        assertEquals(3, r.status(), r.out());
        assertTrue(r.out().startsWith("SSL UNKNOWN - localhost:" + closed + ": cannot connect: "), r.out());
        Run usage = check(closed, "--warn-days", "soon");
        assertEquals(3, usage.status());
        assertTrue(usage.out().startsWith("SSL UNKNOWN - --warn-days takes a whole number of days, not soon"),
                usage.out());
    }

    /** As s_client: without --send, stdin goes to the server; nginx answers and closes with close_notify. */
    @Test
    void clientForwardsStdinToNginx() throws Exception {
        try (Peer server = nginx("valid-")) {
            Run r = MainClientTest.mainWithStdin("GET / HTTP/1.0\r\nHost: localhost\r\n\r\n", "client", "localhost",
                    String.valueOf(server.port()), "--cafile", dir.resolve("valid-root.pem").toString());
            assertEquals(0, r.status(), r.out() + r.err());
            assertTrue(r.out().contains("HTTP/1.1 200 OK"), r.out());
            assertTrue(r.out().endsWith("hello from nginx\n"), r.out());
        }
    }
}
