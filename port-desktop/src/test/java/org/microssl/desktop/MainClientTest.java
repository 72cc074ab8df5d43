package org.microssl.desktop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.microssl.Ssl;
import org.microssl.desktop.interop.InteropPki;
import org.microssl.testing.Peer;
import org.microssl.testing.TestPki.KeyType;

/**
 * {@code microssl.jar client}, run in-process against {@code openssl s_server -rev} and the CPython server: the
 * output lines, what the server sent, and for each failure the exact {@code error: REASON: detail} line and exit 1.
 */
class MainClientTest {
    private static final InteropPki PKI = InteropPki.get();

    /** What one run of the tool did. */
    record Run(int status, String out, String err) {
        List<String> outLines() {
            return List.of(out.split("\n"));
        }
    }

    static Run main(String... args) {
        return mainWithStdin("", args);
    }

    /** The tool, run in-process with {@code stdin} as its standard input. */
    static Run mainWithStdin(String stdin, String... args) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int status = Main.run(args, new java.io.ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new java.io.PrintStream(out, true, StandardCharsets.UTF_8),
                new java.io.PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Peer opensslServer(int version, boolean requireClientCert) throws Exception {
        return org.microssl.desktop.interop.PeerServersAccess.openssl(PKI, KeyType.EC_P256, version, requireClientCert);
    }

    private static String[] args(int port, String... extra) {
        List<String> l = new ArrayList<>(List.of("client", "localhost", String.valueOf(port),
                "--cafile", PKI.path(KeyType.EC_P256, "root.pem")));
        Collections.addAll(l, extra);
        return l.toArray(new String[0]);
    }

    @ParameterizedTest
    @ValueSource(strings = {"jca", "lightweight"})
    void printsProtocolPeerAndWhatTheServerSentUntilItCloses(String backend) throws Exception {
        try (Peer server = opensslServer(Ssl.TLSv1_3, false)) {
            Run r = main(args(server.port(), "--backend", backend, "--send", "hello cli\\nCLOSE\\n"));
            assertEquals(0, r.status(), r.err());
            assertEquals("", r.err());
            List<String> lines = r.outLines();
            assertTrue(lines.get(0).matches("protocol=TLSv1\\.3 cipher=TLS_(AES_128_GCM_SHA256|AES_256_GCM_SHA384|CHACHA20_POLY1305_SHA256)"), lines.get(0));
            assertEquals("peer=CN=localhost", lines.get(1));
            assertEquals("ilc olleh", lines.get(2));
            assertEquals(3, lines.size(), r.out());
        }
    }

    @Test
    void tls12CipherChoiceAndCadata() throws Exception {
        try (Peer server = opensslServer(Ssl.TLSv1_2, false)) {
            Run r = main("client", "127.0.0.1", String.valueOf(server.port()), "--servername", "localhost",
                    "--cadata", PKI.path(KeyType.EC_P256, "root.der"), "--tls", "1.2",
                    "--ciphers", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "--send", "abc\\nCLOSE\\n");
            assertEquals(0, r.status(), r.err());
            assertEquals(List.of("protocol=TLSv1.2 cipher=TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
                    "peer=CN=localhost", "cba"), r.outLines());
        }
    }

    @Test
    void clientCertificateForAServerThatRequiresOne() throws Exception {
        try (Peer server = opensslServer(Ssl.TLSv1_3, true)) {
            Run r = main(args(server.port(), "--cert", PKI.clientFile("chain.pem").toString(),
                    "--key", PKI.clientFile("leaf.key").toString(), "--send", "mtls\\nCLOSE\\n"));
            assertEquals(0, r.status(), r.err());
            assertEquals("sltm", r.outLines().get(2));
            server.awaitOutput("Peer certificate: CN = client.test", 5_000);
        }
    }

    @Test
    void verifyNoneConnectsToAnyone() throws Exception {
        try (Peer server = opensslServer(Ssl.TLSv1_3, false)) {
            Run r = main("client", "127.0.0.1", String.valueOf(server.port()), "--verify", "none",
                    "--send", "x\\nCLOSE\\n");
            assertEquals(0, r.status(), r.err());
            assertEquals("peer=CN=localhost", r.outLines().get(1));
            assertTrue(r.err().startsWith("warning: --verify none: the server's certificate was NOT checked"), r.err());
        }
    }

    // ------------------------------------------------------------------------------------------ failures

    private static void assertError(Run r, String reason, String detailPattern) {
        assertEquals(1, r.status(), r.out() + r.err());
        String line = r.err().split("\n")[0];
        assertTrue(line.startsWith("error: " + reason + ": "), line);
        assertTrue(Pattern.compile(detailPattern).matcher(line).find(), line + " !~ " + detailPattern);
        assertEquals("", r.out(), "nothing on stdout after a failed handshake");
    }

    @Test
    void wrongHostname() throws Exception {
        try (Peer server = opensslServer(Ssl.TLSv1_3, false)) {
            assertError(main(args(server.port(), "--servername", "wrong.example")), "HOSTNAME_MISMATCH",
                    "depth 0 \\(CN=localhost\\): .*wrong\\.example");
        }
    }

    @Test
    void expiredAtAFixedTime() throws Exception {
        long notAfter = PKI.server(KeyType.EC_P256).leaf.holder().getNotAfter().toInstant().getEpochSecond();
        try (Peer server = opensslServer(Ssl.TLSv1_3, false)) {
            assertError(main(args(server.port(), "--time", String.valueOf(notAfter + 1))), "EXPIRED",
                    "depth 0 \\(CN=localhost\\): now .* is after notAfter");
        }
    }

    @Test
    void unknownCa() throws Exception {
        try (Peer server = opensslServer(Ssl.TLSv1_3, false)) {
            assertError(main("client", "localhost", String.valueOf(server.port()),
                    "--cafile", PKI.dir.resolve("other-root.pem").toString()), "UNKNOWN_ISSUER", ".");
        }
    }

    /** No --cafile/--cadata: the system's anchors are loaded, and they do not vouch for a test CA. */
    @Test
    void systemTrustStoreByDefault() throws Exception {
        try (Peer server = opensslServer(Ssl.TLSv1_3, false)) {
            assertError(main("client", "localhost", String.valueOf(server.port())), "UNKNOWN_ISSUER", ".");
        }
    }

    @Test
    void serverDemandsACertificateWeDoNotHave() throws Exception {
        try (Peer server = opensslServer(Ssl.TLSv1_2, true)) {
            assertError(main(args(server.port())), "ALERT_RECEIVED", "handshake_failure\\(40\\)");
        }
    }

    /**
     * A server that ends the TCP connection without close_notify after its data (CPython here; MicroPython's mbedTLS
     * port always does): a warning, exit 0, the data printed.
     */
    @Test
    void raggedEndAfterDataIsAWarning() throws Exception {
        try (Peer server = org.microssl.desktop.interop.PeerServersAccess.pythonTruncating(PKI)) {
            Run r = main(args(server.port(), "--send", "cut\\n"));
            assertEquals(0, r.status(), r.out() + r.err());
            assertEquals("warning: the server closed the connection without close_notify after 4 bytes: the data may "
                    + "be incomplete (RFC 8446 section 6.1)\n", r.err());
            assertTrue(r.out().endsWith("peer=CN=localhost\ncut\n"), r.out());
        }
    }

    @Test
    void garbageCadata(@TempDir Path dir) throws Exception {
        Path garbage = Files.write(dir.resolve("garbage.der"), new byte[] {0x30, 0x03, 1, 2, 3});
        assertError(main("client", "localhost", "1", "--cadata", garbage.toString()), "INVALID_CERT", "cadata");
    }

    @Test
    void garbageKey(@TempDir Path dir) throws Exception {
        Path key = Files.write(dir.resolve("k.pem"),
                "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n".getBytes(StandardCharsets.US_ASCII));
        assertError(main("client", "localhost", "1", "--cert", PKI.clientFile("leaf.pem").toString(),
                "--key", key.toString()), "INVALID_KEY", ".");
    }

    @Test
    void keyOfAnotherCertificate() {
        assertError(main("client", "localhost", "1", "--cert", PKI.clientFile("leaf.pem").toString(),
                "--key", PKI.path(KeyType.EC_P256, "leaf.key")), "INVALID_KEY", ".");
    }

    @Test
    void keyWithoutCertIsUsage() {
        Run r = main("client", "localhost", "1", "--key", "k.pem");
        assertEquals(1, r.status());
        assertTrue(r.err().startsWith("error: USAGE: --key needs --cert\nusage: "), r.err());
    }

    @Test
    void requiredWithoutHostnameFailsBeforeConnecting() {
        assertError(main("client", "localhost", "1", "--servername", ""), "CONFIG", "CERT_REQUIRED requires serverHostname");
    }

    @Test
    void unknownCipherName() {
        assertError(main("client", "localhost", "1", "--ciphers", "TLS_RSA_WITH_RC4_128_SHA"), "CONFIG",
                "TLS_RSA_WITH_RC4_128_SHA");
    }

    @Test
    void connectionRefused() throws Exception {
        int closedPort = Peer.freePort();
        assertError(main("client", "127.0.0.1", String.valueOf(closedPort), "--verify", "none"), "CONNECT",
                "127\\.0\\.0\\.1:" + closedPort + ": .*refused");
    }

    @Test
    void unknownCommandAndNoCommand() {
        Run r = main("frobnicate");
        assertEquals(1, r.status());
        assertTrue(r.err().startsWith("error: USAGE: unknown command frobnicate\n"), r.err());
        assertEquals(1, main().status());
        Run help = main("--help");
        assertEquals(0, help.status());
        assertTrue(help.out().startsWith("usage: java -jar microssl.jar client HOST PORT"), help.out());
    }

    @Test
    void demoShowsTheThreeOutcomes() {
        Run r = main("demo");
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("handshake ok: TLSv1.3 "), r.out());
        assertTrue(r.out().contains("client refused the server: HOSTNAME_MISMATCH: depth 0 (CN=localhost)"), r.out());
        assertTrue(r.out().contains("peer sent alert bad_certificate(42)"), r.out());
        assertTrue(r.out().contains("client refused the server: EXPIRED: depth 0 (CN=localhost)"), r.out());
        assertTrue(r.out().contains("peer sent alert certificate_expired(45)"), r.out());
        assertTrue(r.out().contains("demo complete"), r.out());
    }
}
