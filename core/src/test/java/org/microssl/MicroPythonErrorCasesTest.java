package org.microssl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import org.bouncycastle.tls.AlertDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.microssl.Fixtures.Backend;
import org.microssl.SslException.Failure;
import org.microssl.spi.Clock;
import org.microssl.testing.MemoryTransport;
import org.microssl.testing.TestPki;
import org.microssl.testing.TlsPair;
import org.microssl.x509.CertificateRejectedException;
import org.microssl.x509.Reason;

/**
 * The error cases of MicroPython's own ssl tests (tests/extmod/ssl_*.py, tests/net_inet/*), with the exact
 * exception type and reason, and the alert the peer received.
 */
class MicroPythonErrorCasesTest {
    private static final TestPki.Chain CHAIN = TestPki.chain(TestPki.KeyType.EC_P256);

    @Test
    void garbageCadataIsInvalidCert() {
        SSLContext ctx = new SSLContext(Ssl.PROTOCOL_TLS_CLIENT);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ctx.loadVerifyLocations(null, Fixtures.ascii("invalid")));
        assertTrue(e.getMessage().startsWith("invalid cert: "), e.getMessage());
        IllegalArgumentException pem = assertThrows(IllegalArgumentException.class, () -> ctx.loadVerifyLocations(
                null, Fixtures.ascii("-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n")));
        assertTrue(pem.getMessage().startsWith("invalid cert: "), pem.getMessage());
        // A truncated DER certificate.
        byte[] truncated = java.util.Arrays.copyOf(CHAIN.root.der, CHAIN.root.der.length - 10);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ctx.loadVerifyLocations(null, truncated))
                .getMessage().startsWith("invalid cert: "));
        // Module-level wrap_socket(cadata=b"invalid") fails the same way, before any I/O.
        MemoryTransport[] t = MemoryTransport.blockingPair();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Ssl.wrapSocket(t[0], false, (byte[]) null,
                null, Ssl.CERT_REQUIRED, Fixtures.ascii("invalid"), "localhost", true)).getMessage()
                .startsWith("invalid cert: "));
        assertEquals(0, t[1].pendingInput());
    }

    @Test
    void garbageKeyIsInvalidKeyAndNeverEchoed() {
        SSLContext ctx = new SSLContext(Ssl.PROTOCOL_TLS_SERVER);
        byte[] cert = Fixtures.ascii(CHAIN.chainPem());
        byte[] secretish = Fixtures.ascii("SECRET-KEY-MATERIAL-0123456789");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ctx.loadCertChain(cert, secretish));
        assertTrue(e.getMessage().startsWith("invalid key: "), e.getMessage());
        assertFalse(e.getMessage().contains("SECRET"), "key bytes never appear in messages");
        byte[] badPem = Fixtures.ascii("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ctx.loadCertChain(cert, badPem)).getMessage()
                .startsWith("invalid key: "));
        // A valid key that belongs to another certificate.
        TestPki.Chain other = TestPki.chain(TestPki.KeyType.EC_P256);
        IllegalArgumentException mismatch = assertThrows(IllegalArgumentException.class,
                () -> ctx.loadCertChain(cert, other.leaf.keyPkcs8()));
        assertEquals("invalid key: the private key does not match the certificate's public key",
                mismatch.getMessage());
    }

    @Test
    void keyWithoutCert() {
        SSLContext ctx = new SSLContext(Ssl.PROTOCOL_TLS_SERVER);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ctx.loadCertChain((byte[]) null, CHAIN.leaf.keyPkcs8()));
        assertTrue(e.getMessage().startsWith("invalid cert: "), e.getMessage());
        MemoryTransport[] t = MemoryTransport.blockingPair();
        assertThrows(IllegalArgumentException.class, () -> Ssl.wrapSocket(t[0], true, CHAIN.leaf.keyPkcs8(), null,
                Ssl.CERT_NONE, null, null, true));
    }

    @Test
    void certRequiredWithoutHostnameFailsBeforeAnyIo() {
        SSLContext ctx = Fixtures.client(CHAIN.root, Backend.LIGHTWEIGHT);
        MemoryTransport[] t = MemoryTransport.blockingPair();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ctx.wrapSocket(t[0], false, true, null));
        assertEquals("CERT_REQUIRED requires serverHostname", e.getMessage());
        assertEquals(0, t[1].pendingInput(), "nothing was sent");
        assertEquals(0, t[0].bytesWritten);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void wrongHostname(Backend backend) throws Exception {
        TlsPair p = TlsPair.attempt(Fixtures.client(CHAIN.root, backend), "example.com",
                Fixtures.server(CHAIN, backend));
        assertRejected(p, Reason.HOSTNAME_MISMATCH, AlertDescription.bad_certificate);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void expiredCertificateWithFixedClock(Backend backend) throws Exception {
        Instant notAfter = Instant.now().plus(Duration.ofDays(365));
        SSLContext client = Fixtures.client(CHAIN.root, backend);
        client.setClock(Clocks.fixed(notAfter.plus(Duration.ofDays(30)).toEpochMilli()));
        TlsPair p = TlsPair.attempt(client, "localhost", Fixtures.server(CHAIN, backend));
        assertRejected(p, Reason.EXPIRED, AlertDescription.certificate_expired);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void unknownCa(Backend backend) throws Exception {
        TestPki.Issued stranger = TestPki.cert().subject("CN=Some Other CA").ca(-1).build();
        TlsPair p = TlsPair.attempt(Fixtures.client(stranger, backend), "localhost",
                Fixtures.server(CHAIN, backend));
        assertRejected(p, Reason.UNKNOWN_ISSUER, AlertDescription.unknown_ca);
    }

    @Test
    void noTrustAnchorsIsUnknownIssuer() throws Exception {
        SSLContext client = new SSLContext(Ssl.PROTOCOL_TLS_CLIENT);
        TlsPair p = TlsPair.attempt(client, "localhost", Fixtures.server(CHAIN, Backend.LIGHTWEIGHT));
        assertRejected(p, Reason.UNKNOWN_ISSUER, AlertDescription.unknown_ca);
    }

    @Test
    void unsetClockIsClockNotSet() throws Exception {
        SSLContext client = Fixtures.client(CHAIN.root, Backend.LIGHTWEIGHT);
        client.setClock(() -> Clock.TIME_UNKNOWN);
        TlsPair p = TlsPair.attempt(client, "localhost", Fixtures.server(CHAIN, Backend.LIGHTWEIGHT));
        assertRejected(p, Reason.CLOCK_NOT_SET, AlertDescription.certificate_unknown);
    }

    @Test
    void certNoneAcceptsAnyPeerButGetpeercertIsEmpty() throws Exception {
        TestPki.Chain stranger = TestPki.chain(TestPki.KeyType.EC_P256);
        SSLContext client = Fixtures.client(stranger.root, Backend.LIGHTWEIGHT);
        client.setVerifyMode(Ssl.CERT_NONE);
        TlsPair p = TlsPair.connect(client, "wrong.example", Fixtures.server(CHAIN, Backend.LIGHTWEIGHT));
        assertTrue(p.client.getpeercert().isEmpty(), "CPython: {} for an unvalidated peer");
        assertEquals(CHAIN.leaf.der.length, ((byte[]) p.client.getpeercert(true)).length);
        assertNull(p.server.getpeercert(true), "the client sent no certificate");
    }

    /** The client rejected the server: the validator's exception, and the server got the mapped alert. */
    static void assertRejected(TlsPair p, Reason reason, short alert) {
        CertificateRejectedException e = Fixtures.rejection(p.clientError);
        assertEquals(reason, e.reason(), e.getMessage());
        assertTrue(e.getMessage().startsWith(reason.name()), e.getMessage());
        assertEquals(alert, ((SslException) p.clientError).alert(), "the alert the client sent");
        SslException s = assertInstanceOf(SslException.class, p.serverError, String.valueOf(p.serverError));
        assertEquals(Failure.ALERT_RECEIVED, s.failure());
        assertEquals(alert, s.alert(), s.getMessage());
        assertTrue(s.getMessage().contains("peer sent alert " + AlertDescription.getText(alert)), s.getMessage());
    }
}
