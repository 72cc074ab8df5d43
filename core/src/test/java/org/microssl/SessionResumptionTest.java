package org.microssl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.microssl.Fixtures.Backend;
import org.microssl.spi.Clock;
import org.microssl.testing.TestPki;
import org.microssl.testing.TlsPair;

/**
 * Session resumption microssl to microssl (issue 11), in memory, under both backends and both versions: the
 * second handshake resumes from the first's session (also through its bytes), and every case that must not resume
 * falls back to a full handshake that says why, on the side that decided.
 */
class SessionResumptionTest {
    private static final TestPki.Chain CHAIN = TestPki.chain(TestPki.KeyType.EC_P256);
    private static final TestPki.Chain OTHER = TestPki.chain(TestPki.KeyType.EC_P256);

    static List<Arguments> cases() {
        List<Arguments> l = new ArrayList<>();
        for (Backend b : Backend.values()) {
            for (int v : new int[] {Ssl.TLSv1_2, Ssl.TLSv1_3}) l.add(Arguments.of(b, v == Ssl.TLSv1_2 ? "TLSv1.2" : "TLSv1.3"));
        }
        return l;
    }

    /** A clock the test moves. */
    static final class TestClock implements Clock {
        final AtomicLong now = new AtomicLong(System.currentTimeMillis());

        @Override
        public long currentTimeMillis() {
            return now.get();
        }
    }

    private final TestClock clock = new TestClock();

    private SSLContext server(Backend b, String version) {
        SSLContext ctx = Fixtures.server(CHAIN, b);
        ctx.setClock(clock);
        pin(ctx, version);
        return ctx;
    }

    private SSLContext client(Backend b, String version, TestPki.Issued root) {
        SSLContext ctx = Fixtures.client(root, b);
        ctx.setClock(clock);
        pin(ctx, version);
        return ctx;
    }

    private static void pin(SSLContext ctx, String version) {
        int v = version.equals("TLSv1.2") ? Ssl.TLSv1_2 : Ssl.TLSv1_3;
        ctx.setMinimumVersion(v);
        ctx.setMaximumVersion(v);
    }

    /** A full handshake, one echoed record (which carries a TLS 1.3 ticket), and the client's session. */
    private static Session firstSession(SSLContext client, SSLContext server) throws Exception {
        TlsPair p = TlsPair.connect(client, "localhost", server);
        assertFalse(p.client.sessionReused());
        assertFalse(p.server.sessionReused());
        echo(p);
        Session s = p.client.session();
        assertNotNull(s, "the server gave a resumable session");
        close(p);
        return s;
    }

    private static void echo(TlsPair p) throws Exception {
        p.client.write(Fixtures.ascii("ping\n"));
        assertArrayEquals(Fixtures.ascii("ping\n"), p.server.readline());
        p.server.write(Fixtures.ascii("pong\n"));
        assertArrayEquals(Fixtures.ascii("pong\n"), p.client.readline());
    }

    /** The client closes; the server reads its close_notify and answers. */
    private static void close(TlsPair p) throws Exception {
        p.client.close();
        assertArrayEquals(new byte[0], p.server.read(1));
        p.server.close();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void resumesFromTheSessionAndItsBytes(Backend b, String version) throws Exception {
        SSLContext server = server(b, version);
        SSLContext client = client(b, version, CHAIN.root);
        Session first = firstSession(client, server);
        assertEquals(version, first.version());
        assertEquals("localhost", first.host());
        // what a device keeps in flash, read back as a new JVM would
        Session restored = Session.fromBytes(first.toBytes());
        client.setSession(restored);
        TlsPair p = TlsPair.connect(client, "localhost", server);
        assertTrue(p.client.sessionReused(), "client: " + p.client.sessionNotReusedReason() + "; server: " + p.server.sessionNotReusedReason());
        assertTrue(p.server.sessionReused(), "server: " + p.server.sessionNotReusedReason());
        assertEquals(version, p.client.version());
        // a resumed handshake carries no certificate: the session's is reported
        assertArrayEquals(CHAIN.leaf.der, (byte[]) p.client.getpeercert(true));
        echo(p);
        Session next = p.client.session();
        assertNotNull(next, "a resumed connection gives a session to resume next time");
        close(p);
        // and that one resumes too (TLS 1.3: a new ticket, the old one was for one use)
        client.setSession(next);
        TlsPair q = TlsPair.connect(client, "localhost", server);
        assertTrue(q.client.sessionReused(), "client: " + q.client.sessionNotReusedReason());
        close(q);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void notOfferedToAnotherHost(Backend b, String version) throws Exception {
        SSLContext server = server(b, version);
        SSLContext client = client(b, version, CHAIN.root);
        client.setSession(firstSession(client, server));
        TlsPair p = TlsPair.connect(client, "127.0.0.1", server);
        assertFalse(p.client.sessionReused());
        assertEquals("the session belongs to localhost, not 127.0.0.1", p.client.sessionNotReusedReason());
        close(p);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void notOfferedPastItsLifetimeOrWithoutAClock(Backend b, String version) throws Exception {
        SSLContext server = server(b, version);
        server.setSessionTicketLifetime(600);
        SSLContext client = client(b, version, CHAIN.root);
        Session s = firstSession(client, server);
        clock.now.addAndGet(600_000);
        TlsPair p = TlsPair.connect(client, "localhost", server);
        assertFalse(p.client.sessionReused());
        close(p);
        client.setSession(Session.fromBytes(s.toBytes()));
        p = TlsPair.connect(client, "localhost", server);
        assertFalse(p.client.sessionReused());
        assertEquals("the session's lifetime (600 s) has passed", p.client.sessionNotReusedReason());
        close(p);
        // unset clock: nothing offered, and the full handshake fails closed as it always does
        SSLContext noClock = client(b, version, CHAIN.root);
        noClock.setClock(() -> Clock.TIME_UNKNOWN);
        noClock.setSession(Session.fromBytes(s.toBytes()));
        p = TlsPair.attempt(noClock, "localhost", server);
        SslException e = (SslException) p.clientError;
        assertNotNull(e, "a full handshake without a clock fails");
        assertEquals(org.microssl.x509.Reason.CLOCK_NOT_SET, e.reason());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void serverRefusesAnExpiredTicketTheClientStillOffers(Backend b, String version) throws Exception {
        SSLContext server = server(b, version);
        server.setSessionTicketLifetime(600);
        SSLContext client = client(b, version, CHAIN.root);
        Session s = firstSession(client, server);
        // the client's clock is behind the server's: it still offers the ticket, the server refuses it
        SSLContext lagging = client(b, version, CHAIN.root);
        lagging.setClock(() -> clock.now.get() - 600_000);
        lagging.setSession(Session.fromBytes(s.toBytes()));
        clock.now.addAndGet(600_000);
        TlsPair p = TlsPair.connect(lagging, "localhost", server);
        assertFalse(p.client.sessionReused());
        assertEquals("the ticket's lifetime (600 s) has passed", p.server.sessionNotReusedReason());
        close(p);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void notOfferedWhereTheAnchorIsNotTrusted(Backend b, String version) throws Exception {
        SSLContext server = server(b, version);
        Session s = firstSession(client(b, version, CHAIN.root), server);
        // a context trusting another root, which the server's chain does not lead to
        SSLContext other = client(b, version, OTHER.root);
        other.loadVerifyLocations(null, OTHER.root.der);
        other.setSession(s);
        TlsPair p = TlsPair.attempt(other, "localhost", server);
        assertEquals(org.microssl.x509.Reason.UNKNOWN_ISSUER, ((SslException) p.clientError).reason(),
                "not offered, and the full handshake fails as it must");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void serverRefusesATamperedTicket(Backend b, String version) throws Exception {
        SSLContext server = server(b, version);
        SSLContext client = client(b, version, CHAIN.root);
        byte[] bytes = firstSession(client, server).toBytes();
        // the ticket is the end of the session's bytes before the chain; flip a byte of the sealed state
        bytes[lastTicketByteIndex(bytes)] ^= 1;
        client.setSession(Session.fromBytes(bytes));
        TlsPair p = TlsPair.connect(client, "localhost", server);
        assertFalse(p.client.sessionReused());
        assertEquals("the ticket fails its authentication (tampered or corrupted)", p.server.sessionNotReusedReason());
        close(p);
    }

    /** The index of the last byte of the ticket in a session's bytes (found by its "mst1" magic). */
    private static int lastTicketByteIndex(byte[] bytes) {
        for (int i = 0; i + 4 < bytes.length; i++) {
            if (bytes[i] == 'm' && bytes[i + 1] == 's' && bytes[i + 2] == 't' && bytes[i + 3] == '1') {
                int len = ((bytes[i - 2] & 0xff) << 8) | (bytes[i - 1] & 0xff);
                return i + len - 1;
            }
        }
        throw new AssertionError("no ticket in the session");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void serverRefusesATicketAfterTwoKeyRotations(Backend b, String version) throws Exception {
        SSLContext server = server(b, version);
        SSLContext client = client(b, version, CHAIN.root);
        Session s = firstSession(client, server);
        server.rotateSessionTicketKey();
        client.setSession(Session.fromBytes(s.toBytes()));
        TlsPair p = TlsPair.connect(client, "localhost", server);
        assertTrue(p.client.sessionReused(), "one rotation: the previous key still opens it");
        close(p);
        server.rotateSessionTicketKey();
        client.setSession(Session.fromBytes(s.toBytes()));
        p = TlsPair.connect(client, "localhost", server);
        assertFalse(p.client.sessionReused());
        assertEquals("the ticket was sealed under a key this server no longer holds", p.server.sessionNotReusedReason());
        close(p);
    }

    /** Tickets off: TLS 1.2 resumes by session ID from the server's cache; TLS 1.3 has nothing to resume. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void serverWithTicketsOffResumesTls12BySessionId(Backend b, String version) throws Exception {
        SSLContext server = server(b, version);
        server.setSessionTickets(false);
        SSLContext client = client(b, version, CHAIN.root);
        TlsPair p = TlsPair.connect(client, "localhost", server);
        echo(p);
        Session s = p.client.session();
        close(p);
        if (version.equals("TLSv1.3")) {
            assertNull(s);
        } else {
            assertTrue(s.toString().startsWith("Session[TLS 1.2 session ID for localhost"), String.valueOf(s));
            client.setSession(Session.fromBytes(s.toBytes()));
            p = TlsPair.connect(client, "localhost", server);
            assertTrue(p.client.sessionReused(), "client: " + p.client.sessionNotReusedReason());
            assertTrue(p.server.sessionReused(), "server: " + p.server.sessionNotReusedReason());
            close(p);
        }
        server.setSessionCacheSize(0);
        client.setSession(null);
        p = TlsPair.connect(client, "localhost", server);
        echo(p);
        assertNull(p.client.session(), "neither tickets nor a cache: nothing to resume");
        close(p);
    }

    @org.junit.jupiter.api.Test
    void tls13TicketIsOfferedOnce() throws Exception {
        SSLContext server = server(Backend.LIGHTWEIGHT, "TLSv1.3");
        SSLContext client = client(Backend.LIGHTWEIGHT, "TLSv1.3", CHAIN.root);
        Session s = firstSession(client, server);
        client.setSession(s);
        TlsPair p = TlsPair.connect(client, "localhost", server);
        assertTrue(p.client.sessionReused());
        close(p);
        p = TlsPair.connect(client, "localhost", server);
        assertFalse(p.client.sessionReused());
        assertTrue(p.client.sessionNotReusedReason().startsWith("the TLS 1.3 ticket was already offered once"));
        close(p);
    }

    @org.junit.jupiter.api.Test
    void bytesNeverShowTheSecretAndBadBytesAreRefusedClearly() throws Exception {
        SSLContext server = server(Backend.LIGHTWEIGHT, "TLSv1.2");
        Session s = firstSession(client(Backend.LIGHTWEIGHT, "TLSv1.2", CHAIN.root), server);
        String text = s.toString();
        assertTrue(text.startsWith("Session[TLS 1.2 ticket for localhost, TLS_ECDHE_ECDSA_WITH_"), text);
        byte[] bytes = s.toBytes();
        assertFalse(text.contains(Base64.getEncoder().encodeToString(bytes).substring(0, 16)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Session.fromBytes(java.util.Arrays.copyOf(bytes, bytes.length - 1)));
        assertEquals("invalid session: truncated", e.getMessage());
        byte[] newer = bytes.clone();
        newer[4] = 2;
        e = assertThrows(IllegalArgumentException.class, () -> Session.fromBytes(newer));
        assertTrue(e.getMessage().startsWith("invalid session: format version 2, this microssl reads 1"), e.getMessage());
        assertEquals("invalid session: not a microssl session",
                assertThrows(IllegalArgumentException.class, () -> Session.fromBytes(new byte[8])).getMessage());
        byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 1);
        assertEquals("invalid session: 1 bytes after its end",
                assertThrows(IllegalArgumentException.class, () -> Session.fromBytes(longer)).getMessage());
    }

    /** Mutual TLS: the ticket carries the client's validated chain; a resumed client is still who it was. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void mutualTlsResumptionKeepsTheClientIdentity(Backend b, String version) throws Exception {
        TestPki.Chain clientChain = TestPki.chain(TestPki.KeyType.EC_P256, "sensor.test", TestPki.Purpose.CLIENT);
        SSLContext server = server(b, version);
        server.loadVerifyLocations(null, clientChain.root.der);
        server.setVerifyMode(Ssl.CERT_REQUIRED);
        SSLContext client = client(b, version, CHAIN.root);
        client.loadCertChain(Fixtures.ascii(clientChain.chainPem()), clientChain.leaf.keyPkcs8());
        client.setMaxFragmentLength(512); // a ticket carrying the client's chain spans several records
        client.setSession(firstSession(client, server));
        TlsPair p = TlsPair.connect(client, "localhost", server);
        assertTrue(p.server.sessionReused(), "server: " + p.server.sessionNotReusedReason());
        assertArrayEquals(clientChain.leaf.der, (byte[]) p.server.getpeercert(true));
        assertEquals("sensor.test", String.valueOf(((java.util.List<?>) ((java.util.List<?>) p.server.getpeercert()
                .get("subjectAltName")).get(0)).get(1)));
        close(p);
    }

    /** A TLS 1.3 ticket made under a SHA-384 suite resumes with a SHA-384 suite (its PSK's hash, RFC 8446 4.2.11). */
    @org.junit.jupiter.api.Test
    void tls13TicketOfASha384Suite() throws Exception {
        SSLContext server = server(Backend.LIGHTWEIGHT, "TLSv1.3");
        SSLContext client = client(Backend.LIGHTWEIGHT, "TLSv1.3", CHAIN.root);
        client.setCiphers("TLS_AES_256_GCM_SHA384");
        Session s = firstSession(client, server);
        client.setCiphers("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384");
        client.setSession(s);
        TlsPair p = TlsPair.connect(client, "localhost", server);
        assertTrue(p.client.sessionReused(), "client: " + p.client.sessionNotReusedReason());
        assertEquals("TLS_AES_256_GCM_SHA384", p.client.cipher()[0]);
        close(p);
    }

    /**
     * The server's side of "offered only to its host": a ticket issued under SNI localhost, offered (by a client
     * whose session bytes were edited to name 127.0.0.1, which sends no SNI) to the same server: refused.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void serverRefusesATicketIssuedForAnotherServerName(Backend b, String version) throws Exception {
        SSLContext server = server(b, version);
        SSLContext client = client(b, version, CHAIN.root);
        byte[] bytes = firstSession(client, server).toBytes();
        byte[] host = "localhost".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertEquals(host.length, bytes[6]);
        System.arraycopy("127.0.0.1".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, bytes, 7, host.length);
        client.setSession(Session.fromBytes(bytes));
        TlsPair p = TlsPair.connect(client, "127.0.0.1", server);
        assertFalse(p.client.sessionReused());
        assertEquals("the ticket was issued for the server name \"localhost\", not \"\"", p.server.sessionNotReusedReason());
        close(p);
    }

    /**
     * A client that allows both versions: its TLS 1.2 session resumes with a TLS 1.2 server, and with a server that
     * picks TLS 1.3 it is a full handshake (never a failure) that leaves a TLS 1.3 session.
     */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.EnumSource(Backend.class)
    void aClientAllowingBothVersions(Backend b) throws Exception {
        SSLContext server12 = server(b, "TLSv1.2");
        SSLContext client = Fixtures.client(CHAIN.root, b);
        client.setClock(clock);
        Session s12 = firstSession(client, server12);
        assertEquals("TLSv1.2", s12.version());
        client.setSession(s12);
        TlsPair p = TlsPair.connect(client, "localhost", server12);
        assertTrue(p.client.sessionReused(), "client: " + p.client.sessionNotReusedReason());
        close(p);
        SSLContext server13 = Fixtures.server(CHAIN, b);
        server13.setClock(clock);
        p = TlsPair.connect(client, "localhost", server13);
        assertFalse(p.client.sessionReused());
        assertEquals("TLSv1.3", p.client.version());
        echo(p);
        Session s13 = p.client.session();
        assertEquals("TLSv1.3", s13.version());
        close(p);
        client.setSession(s13);
        p = TlsPair.connect(client, "localhost", server13);
        assertTrue(p.client.sessionReused(), "client: " + p.client.sessionNotReusedReason());
        close(p);
    }
}
