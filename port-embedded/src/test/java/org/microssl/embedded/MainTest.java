package org.microssl.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.microssl.testing.Peer;
import org.microssl.testing.TestPki;

/** The embedded CLI in-process: usage errors, the SNTP-set clock, and its error line. */
class MainTest {

    @TempDir
    static Path dir;

    @BeforeAll
    static void pki() throws IOException {
        TestPki.chain(TestPki.KeyType.EC_P256).writeTo(dir, "");
    }

    static final class Result {
        int exit;
        String out;
        String err;
    }

    static Result run(String... args) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Result r = new Result();
        r.exit = Main.run(args, new PrintStream(out, true, "UTF-8"), new PrintStream(err, true, "UTF-8"));
        r.out = out.toString("UTF-8");
        r.err = err.toString("UTF-8");
        return r;
    }

    @Test
    void usageErrorsNameTheProblem() throws IOException {
        String[][] cases = {
            {"server", "4433"}, {"error: USAGE: unknown command server"},
            {"client", "localhost"}, {"error: USAGE: client takes HOST PORT, got localhost"},
            {"client", "h", "1", "--mfl", "300"}, {"error: USAGE: --mfl must be 512, 1024, 2048 or 4096, not 300"},
            {"client", "h", "1", "--cert", "c.pem"}, {"error: USAGE: --cert needs --key"},
            {"client", "h", "1", "--time"}, {"error: USAGE: --time needs a value"},
            {"client", "h", "99999"}, {"error: USAGE: PORT must be 1..65535, not 99999"},
            {"client", "h", "1", "--bogus", "x"}, {"error: USAGE: unknown option --bogus for client"},
            {"client", "h", "1", "--time", "1", "--sntp", "x"}, {"error: USAGE: --time and --sntp both set the clock: give one"},
        };
        for (int i = 0; i < cases.length; i += 2) {
            Result r = run(cases[i]);
            assertEquals(1, r.exit, String.join(" ", cases[i]));
            assertEquals(cases[i + 1][0], r.err.split("\n")[0], String.join(" ", cases[i]));
            assertEquals("", r.out);
        }
    }

    /** --psk-identity/--psk against {@code openssl s_server -nocert -psk}: no certificate, no CA, no clock. */
    @Test
    void pskClientAgainstOpensslWithoutCertificate() throws Exception {
        String key = "00112233445566778899aabbccddeeff";
        try (Peer s = Peer.opensslServer(dir, "-nocert", "-psk", key, "-psk_identity", "sensor-7", "-rev", "-tls1_2")) {
            Result r = run("client", "127.0.0.1", String.valueOf(s.port()), "--psk-identity", "sensor-7", "--psk", key,
                "--send", "abc\nCLOSE\n");
            assertEquals(0, r.exit, r.err);
            assertEquals("protocol=TLSv1.2 cipher=TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256\npeer=none\ncba\n", r.out);
        }
        Result r = run("client", "h", "1", "--psk-identity", "x", "--psk", "0g");
        assertEquals("error: USAGE: --psk has a character that is not a hex digit at position 2", r.err.split("\n")[0]);
    }

    @Test
    void sntpSetsTheClockBeforeAVerifiedHandshake() throws Exception {
        long now = System.currentTimeMillis();
        try (SntpResponder ntp = new SntpResponder(req -> Collections.singletonList(SntpResponder.reply(req, now)));
                Peer s = Peer.opensslServer(dir, "-cert", dir.resolve("leaf.pem").toString(), "-cert_chain",
                    dir.resolve("int.pem").toString(), "-key", dir.resolve("leaf.key").toString(), "-rev")) {
            Result r = run("client", "localhost", String.valueOf(s.port()), "--cadata",
                dir.resolve("root.der").toString(), "--sntp", "127.0.0.1:" + ntp.port(), "--mfl", "512", "--send",
                "abc\\nCLOSE\\n");
            assertEquals(0, r.exit, r.err);
            assertEquals(1, ntp.requests.get());
            assertTrue(r.out.endsWith("peer=CN=localhost\ncba\n"), r.out);
        }
    }

    /** Issue 11: a device's wake-ups through --session-in/--session-out, against OpenSSL's TLS 1.2 tickets. */
    @Test
    void sessionFlagsCarryTheSessionFromOneRunToTheNext() throws Exception {
        Path session = dir.resolve("device.session");
        try (Peer s = Peer.opensslServer(dir, "-cert", dir.resolve("leaf.pem").toString(), "-cert_chain",
                dir.resolve("int.pem").toString(), "-key", dir.resolve("leaf.key").toString(), "-rev", "-tls1_2")) {
            for (String expected : new String[] {"no", "yes", "yes"}) {
                Result r = run("client", "localhost", String.valueOf(s.port()), "--cadata",
                    dir.resolve("root.der").toString(), "--session-in", session.toString(), "--session-out",
                    session.toString(), "--send", "abc\\nCLOSE\\n");
                assertEquals(0, r.exit, r.err);
                assertTrue(r.out.contains("\nresumed=" + expected + "\n"), r.out);
                assertTrue(r.out.endsWith("cba\n"), r.out);
                assertTrue(session.toFile().exists());
            }
        }
        java.nio.file.Files.write(session, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        Result r = run("client", "localhost", "1", "--session-in", session.toString(), "--verify", "none");
        assertEquals(1, r.exit);
        assertEquals("error: USAGE: --session-in " + session + ": invalid session: not a microssl session",
            r.err.split("\n")[0]);
    }

    @Test
    void aClockTheServerCertificateDoesNotCoverIsRejected() throws Exception {
        long in2035 = 2_051_222_400_000L;
        try (SntpResponder ntp = new SntpResponder(req -> Collections.singletonList(SntpResponder.reply(req, in2035)));
                Peer s = Peer.opensslServer(dir, "-cert", dir.resolve("leaf.pem").toString(), "-cert_chain",
                    dir.resolve("int.pem").toString(), "-key", dir.resolve("leaf.key").toString(), "-rev")) {
            Result r = run("client", "localhost", String.valueOf(s.port()), "--cadata",
                dir.resolve("root.der").toString(), "--sntp", "127.0.0.1:" + ntp.port());
            assertEquals(1, r.exit);
            assertTrue(r.err.startsWith("error: EXPIRED: depth "), r.err);
            assertTrue(r.err.contains("now 2035-01-01T00:00:00Z is after notAfter"), r.err);
        }
    }

    @Test
    void sntpKissOfDeathIsAClockNotSetError() throws Exception {
        try (SntpResponder ntp = new SntpResponder(req -> {
            byte[] r = SntpResponder.reply(req, 0);
            r[1] = 0;
            System.arraycopy("DENY".getBytes(StandardCharsets.US_ASCII), 0, r, 12, 4);
            return Collections.singletonList(r);
        })) {
            Result r = run("client", "localhost", "1", "--sntp", "127.0.0.1:" + ntp.port());
            assertEquals(1, r.exit);
            assertEquals("error: CLOCK_NOT_SET: SNTP server sent Kiss-o'-Death DENY (RFC 4330 section 8): access "
                + "denied; stop querying this server\n", r.err);
        }
    }

    @Test
    void connectAndInputFailuresUseTheDesktopReasons() throws Exception {
        int closed = Peer.freePort();
        Result r = run("client", "127.0.0.1", String.valueOf(closed), "--verify", "none");
        assertEquals(1, r.exit);
        assertTrue(r.err.startsWith("error: CONNECT: cannot connect to 127.0.0.1:" + closed + ": "), r.err);

        java.nio.file.Path garbage = dir.resolve("garbage.der");
        java.nio.file.Files.write(garbage, "not a certificate".getBytes(StandardCharsets.US_ASCII));
        r = run("client", "127.0.0.1", String.valueOf(closed), "--cadata", garbage.toString());
        assertEquals(1, r.exit);
        assertTrue(r.err.startsWith("error: INVALID_CERT: "), r.err);
    }
}
