package org.microssl.desktop.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.microssl.testing.Peer.cmd;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.microssl.SSLContext;
import org.microssl.SSLSocket;
import org.microssl.Session;
import org.microssl.Ssl;
import org.microssl.desktop.interop.Microssl.EchoServer;
import org.microssl.testing.Peer;
import org.microssl.testing.TestPki.KeyType;

/**
 * Session resumption (issue 11) against real peers over loopback, under both backends, checked from both ends:
 * microssl's {@code sessionReused()} and the peer's own report (OpenSSL's "Reused" lines, GnuTLS's "This is a
 * resumed session").
 */
class SessionInteropTest {
    private static final InteropPki PKI = InteropPki.get();
    private static final KeyType KEY = KeyType.EC_P256;
    private static final long TIMEOUT_MS = 10_000;

    /** Arguments (backend, "ticket" or "session-id"). */
    static Stream<Arguments> backendMechanism() {
        List<Arguments> l = new ArrayList<>();
        for (Backend b : Backend.values()) {
            for (String m : new String[] {"ticket", "session-id"}) l.add(Arguments.of(b, m));
        }
        return l.stream();
    }

    /** Interactive {@code openssl s_server} (it prints "Reused session-id" for a resumed handshake; -rev does not). */
    private static Peer opensslServer(int version, boolean tickets) throws IOException {
        Peer.assumeInstalled("openssl");
        return Peer.server("openssl s_server", PKI.dir, port -> {
            List<String> c = cmd("openssl", "s_server", "-accept", "127.0.0.1:" + port,
                    "-cert", PKI.path(KEY, "leaf.pem"), "-cert_chain", PKI.path(KEY, "int.pem"),
                    "-key", PKI.path(KEY, "leaf.key"), version == Ssl.TLSv1_2 ? "-tls1_2" : "-tls1_3");
            if (!tickets) c.add("-no_ticket");
            return c;
        });
    }

    private static int count(String text, String literal) {
        Matcher m = Pattern.compile(Pattern.quote(literal)).matcher(text);
        int n = 0;
        while (m.find()) n++;
        return n;
    }

    /** Handshakes, sends a line (which s_server prints), closes; the connection's session. */
    private static Session connectOnce(SSLContext ctx, Peer server, Session offer, boolean expectReused, String line)
            throws Exception {
        java.net.Socket sock = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), server.port());
        sock.setSoTimeout((int) TIMEOUT_MS);
        SSLSocket s = ctx.wrapSocket(sock, "localhost", offer);
        assertEquals(expectReused, s.sessionReused(), "sessionReused; " + s.sessionNotReusedReason());
        s.write(Microssl.ascii(line + "\n"));
        server.awaitOutput(line, TIMEOUT_MS);
        Session next = s.session();
        s.close();
        return next;
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("backendMechanism")
    void tls12AgainstOpensslServer(Backend backend, String mechanism) throws Exception {
        boolean tickets = mechanism.equals("ticket");
        try (Peer server = opensslServer(Ssl.TLSv1_2, tickets)) {
            SSLContext ctx = Microssl.client(backend, PKI.file(KEY, "root.pem"), Ssl.TLSv1_2);
            Session first = connectOnce(ctx, server, null, false, "full-handshake");
            assertNotNull(first, "OpenSSL gave a resumable session");
            assertEquals(0, count(server.output(), "Reused session-id"));
            // through its bytes, as a device keeps it
            Session second = connectOnce(ctx, server, Session.fromBytes(first.toBytes()), true, "resumed-once");
            assertEquals(1, count(server.output(), "Reused session-id"),
                    "OpenSSL saw the resumption");
            assertNotNull(second);
            // the session from the resumed connection resumes again
            connectOnce(ctx, server, second, true, "resumed-twice");
            assertEquals(2, count(server.output(), "Reused session-id"));
        }
    }

    /**
     * TLS 1.3 against OpenSSL: its tickets are standard RFC 8446 ones, which microssl cannot offer (see
     * ServerResumption), so none is kept; a microssl TLS 1.3 session offered to it is ignored: full handshakes,
     * never a failure.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void tls13AgainstOpensslServerIsAlwaysAFullHandshake(Backend backend) throws Exception {
        SSLContext microsslServer = Microssl.server(backend, PKI.file(KEY, "chain.pem"), PKI.file(KEY, "leaf.key"),
                Ssl.TLSv1_3);
        SSLContext ctx = Microssl.client(backend, PKI.file(KEY, "root.pem"), Ssl.TLSv1_3);
        Session microsslTicket;
        try (EchoServer ours = new EchoServer(microsslServer)) {
            SSLSocket s = Microssl.connect(ctx, ours.port(), "localhost");
            s.write(Microssl.ascii("hello\n"));
            s.readline();
            microsslTicket = s.session();
            s.close();
            ours.next();
        }
        assertNotNull(microsslTicket);
        try (Peer server = opensslServer(Ssl.TLSv1_3, true)) {
            assertNull(connectOnce(ctx, server, null, false, "openssl-tickets-are-not-kept"));
            connectOnce(ctx, server, microsslTicket, false, "microssl-ticket-ignored");
            assertEquals(0, count(server.output(), "Reused session-id"));
        }
    }

    // ------------------------------------------------------------------------------------------ peers as clients

    private static SSLContext server(Backend backend, int version) {
        return Microssl.server(backend, PKI.file(KEY, "chain.pem"), PKI.file(KEY, "leaf.key"), version);
    }

    private static Peer sClient(int port, int version, String sessionOption, Path sessionFile, String line,
            String... extra) throws IOException {
        Peer.assumeInstalled("openssl");
        List<String> c = cmd("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-servername", "localhost",
                "-CAfile", PKI.path(KEY, "root.pem"), "-verify_return_error", "-verify_hostname", "localhost",
                version == Ssl.TLSv1_2 ? "-tls1_2" : "-tls1_3", "-ign_eof", sessionOption, sessionFile.toString());
        java.util.Collections.addAll(c, extra);
        return Peer.client("openssl s_client", PKI.dir, c, line + "\n");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void opensslClientResumesWithOurTls12Ticket(Backend backend) throws Exception {
        Path file = PKI.dir.resolve("s_client-" + backend + ".sess");
        try (EchoServer ours = new EchoServer(server(backend, Ssl.TLSv1_2))) {
            try (Peer c = sClient(ours.port(), Ssl.TLSv1_2, "-sess_out", file, "first")) {
                c.waitFor(TIMEOUT_MS);
                assertTrue(c.output().contains("New, TLSv1.2"), c.output());
            }
            EchoServer.Outcome o = ours.next();
            assertFalse(o.reused, String.valueOf(o));
            try (Peer c = sClient(ours.port(), Ssl.TLSv1_2, "-sess_in", file, "second")) {
                c.waitFor(TIMEOUT_MS);
                assertTrue(c.output().contains("Reused, TLSv1.2"), c.output());
            }
            o = ours.next();
            assertTrue(o.reused, o + " " + o.notReusedReason);
            assertEquals("second\n", o.line);
        }
    }

    /** A client that asks for no ticket ({@code -no_ticket}) resumes by session ID from our server's cache. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void opensslClientResumesBySessionIdFromOurCache(Backend backend) throws Exception {
        Path file = PKI.dir.resolve("s_client-id-" + backend + ".sess");
        try (EchoServer ours = new EchoServer(server(backend, Ssl.TLSv1_2))) {
            try (Peer c = sClient(ours.port(), Ssl.TLSv1_2, "-sess_out", file, "first", "-no_ticket")) {
                c.waitFor(TIMEOUT_MS);
                assertTrue(c.output().contains("New, TLSv1.2"), c.output());
            }
            assertFalse(ours.next().reused);
            try (Peer c = sClient(ours.port(), Ssl.TLSv1_2, "-sess_in", file, "second", "-no_ticket")) {
                c.waitFor(TIMEOUT_MS);
                assertTrue(c.output().contains("Reused, TLSv1.2"), c.output());
            }
            EchoServer.Outcome o = ours.next();
            assertTrue(o.reused, o + " " + o.notReusedReason);
            // another server (its own cache) does not know the ID: a full handshake
            try (EchoServer other = new EchoServer(server(backend, Ssl.TLSv1_2));
                    Peer c = sClient(other.port(), Ssl.TLSv1_2, "-sess_in", file, "third", "-no_ticket")) {
                c.waitFor(TIMEOUT_MS);
                assertTrue(c.output().contains("New, TLSv1.2"), c.output());
                EchoServer.Outcome x = other.next();
                assertFalse(x.reused);
                assertEquals("the session ID is not in this server's cache (evicted, expired, or another server's)",
                        x.notReusedReason);
            }
        }
    }

    /** s_client keeps our TLS 1.3 ticket and offers it as an RFC 8446 resumption PSK: we ignore it, full handshake. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void opensslClientOfferingOurTls13TicketGetsAFullHandshake(Backend backend) throws Exception {
        Path file = PKI.dir.resolve("s_client13-" + backend + ".sess");
        try (EchoServer ours = new EchoServer(server(backend, Ssl.TLSv1_3))) {
            try (Peer c = sClient(ours.port(), Ssl.TLSv1_3, "-sess_out", file, "first")) {
                c.waitFor(TIMEOUT_MS);
            }
            assertNull(ours.next().error);
            try (Peer c = sClient(ours.port(), Ssl.TLSv1_3, "-sess_in", file, "second")) {
                c.waitFor(TIMEOUT_MS);
                assertTrue(c.output().contains("New, TLSv1.3"), c.output());
            }
            EchoServer.Outcome o = ours.next();
            assertNull(o.error);
            assertFalse(o.reused);
            assertEquals("second\n", o.line);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void gnutlsClientResumesWithOurTls12Ticket(Backend backend) throws Exception {
        Peer.assumeInstalled("gnutls-cli");
        try (EchoServer ours = new EchoServer(server(backend, Ssl.TLSv1_2))) {
            List<String> c = cmd("gnutls-cli", "-p", String.valueOf(ours.port()), "--x509cafile",
                    PKI.path(KEY, "root.pem"), "--sni-hostname", "localhost", "--verify-hostname", "localhost",
                    "--priority", "NORMAL:-VERS-ALL:+VERS-TLS1.2", "--resume", "127.0.0.1");
            try (Peer p = Peer.client("gnutls-cli --resume", PKI.dir, c, "line\n")) {
                p.awaitOutput("This is a resumed session", TIMEOUT_MS);
                EchoServer.Outcome first = ours.next();
                EchoServer.Outcome second = ours.next();
                assertFalse(first.reused);
                assertTrue(second.reused, second + " " + second.notReusedReason);
            }
        }
    }

    // ------------------------------------------------------------------------------------------ across processes

    /** The desktop CLI in a JVM of its own. */
    private static Peer cliClient(int port, String version, Path sessionFile, String line) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> c = cmd(java, "-cp", System.getProperty("java.class.path"), "org.microssl.desktop.Main",
                "client", "127.0.0.1", String.valueOf(port), "--servername", "localhost", "--cafile",
                PKI.path(KEY, "root.pem"), "--tls", version, "--backend", "lightweight", "--send", line + "\\n",
                "--session-in", sessionFile.toString(), "--session-out", sessionFile.toString());
        return Peer.client("microssl client JVM", PKI.dir, c, null);
    }

    /**
     * A device's wake-ups: each a new JVM that reads the session the last one saved, resumes, and saves the next.
     * Checked from both ends: the CLI's resumed=yes and our server's sessionReused().
     */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"1.2", "1.3"})
    void aSessionSavedByOneJvmIsResumedByAnother(String version) throws Exception {
        Path file = PKI.dir.resolve("wakeup-" + version + ".session");
        java.nio.file.Files.deleteIfExists(file);
        int v = version.equals("1.2") ? Ssl.TLSv1_2 : Ssl.TLSv1_3;
        try (EchoServer ours = new EchoServer(server(Backend.LIGHTWEIGHT, v))) {
            String[] expected = {"no", "yes", "yes"};
            for (int wake = 0; wake < 3; wake++) {
                try (Peer c = cliClient(ours.port(), version, file, "reading-" + wake)) {
                    assertEquals(0, c.waitFor(30_000), c.output());
                    assertTrue(c.output().contains("resumed=" + expected[wake]), c.output());
                    assertTrue(c.output().contains("reading-" + wake), c.output());
                }
                EchoServer.Outcome o = ours.next();
                assertNull(o.error);
                assertEquals(wake > 0, o.reused, o + " " + o.notReusedReason);
                assertTrue(java.nio.file.Files.exists(file), "the session was saved");
                assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                        java.nio.file.Files.getPosixFilePermissions(file)));
            }
        }
    }
}
