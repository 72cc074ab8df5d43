package org.microssl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.bouncycastle.tls.AlertDescription;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.microssl.Fixtures.Backend;
import org.microssl.SslException.Failure;
import org.microssl.testing.TestPki;
import org.microssl.testing.TestPki.KeyType;
import org.microssl.testing.TlsPair;
import org.microssl.x509.CertificateRejectedException;
import org.microssl.x509.Reason;

/** Client certificates: CERT_REQUIRED and CERT_OPTIONAL on the server. */
class MutualTlsTest {
    private static final TestPki.Chain SERVER = TestPki.chain(KeyType.EC_P256);
    private static final TestPki.Chain CLIENT_EC = TestPki.chain(KeyType.EC_P256, "device-1", TestPki.Purpose.CLIENT);
    private static final TestPki.Chain CLIENT_RSA = TestPki.chain(KeyType.RSA_2048, "device-2",
            TestPki.Purpose.CLIENT);

    private static SSLContext server(int verifyMode, TestPki.Issued clientRoot, Backend backend, int version) {
        SSLContext ctx = Fixtures.server(SERVER, backend);
        ctx.setVerifyMode(verifyMode);
        ctx.setMaximumVersion(version);
        if (clientRoot != null) ctx.loadVerifyLocations(null, clientRoot.der);
        return ctx;
    }

    private static SSLContext client(TestPki.Chain identity, Backend backend) {
        SSLContext ctx = Fixtures.client(SERVER.root, backend);
        if (identity != null) {
            ctx.loadCertChain(identity.chainPem().getBytes(StandardCharsets.US_ASCII), identity.leaf.keyTraditional());
        }
        return ctx;
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({"LIGHTWEIGHT, 772, EC", "LIGHTWEIGHT, 771, EC", "LIGHTWEIGHT, 772, RSA", "LIGHTWEIGHT, 771, RSA",
        "JCA, 772, EC", "JCA, 771, RSA"})
    void requiredClientCertificateIsValidated(Backend backend, int version, String clientKey) throws Exception {
        TestPki.Chain identity = clientKey.equals("EC") ? CLIENT_EC : CLIENT_RSA;
        TlsPair p = TlsPair.connect(client(identity, backend), "localhost",
                server(Ssl.CERT_REQUIRED, identity.root, backend, version));
        assertArrayEquals(identity.leaf.der, (byte[]) p.server.getpeercert(true));
        Map<String, Object> peer = p.server.getpeercert();
        assertTrue(peer.get("subject").toString().contains("device-"), peer.toString());
        p.client.write(Fixtures.ascii("hi"));
        assertArrayEquals(Fixtures.ascii("hi"), p.server.recv(10));
    }

    @ParameterizedTest(name = "version {0}")
    @CsvSource({"772, 116", "771, 40"})
    void requiredButAbsentIsNoCertificate(int version, short expectedAlert) throws Exception {
        TlsPair p = TlsPair.attempt(client(null, Backend.LIGHTWEIGHT), "localhost",
                server(Ssl.CERT_REQUIRED, CLIENT_EC.root, Backend.LIGHTWEIGHT, version));
        CertificateRejectedException e = Fixtures.rejection(p.serverError);
        assertEquals(Reason.NO_CERTIFICATE, e.reason());
        // TLS 1.3: certificate_required (RFC 8446 4.4.2.4); TLS 1.2: handshake_failure (RFC 5246 7.4.6). In TLS 1.3
        // the client finished its handshake before the server's verdict, so it learns it on its first read.
        SslException c = p.clientError != null ? (SslException) p.clientError
                : assertThrows(SslException.class, () -> p.client.read(10));
        assertEquals(Failure.ALERT_RECEIVED, c.failure());
        assertEquals(expectedAlert, c.alert(), c.getMessage());
        // both versions say what to do: TLS 1.3 by its alert, TLS 1.2 because the server had asked for one
        assertTrue(c.getMessage().contains("none is loaded"), c.getMessage());
    }

    @ParameterizedTest(name = "version {0}")
    @CsvSource({"772", "771"})
    void optionalAcceptsNoCertificate(int version) throws Exception {
        TlsPair p = TlsPair.connect(client(null, Backend.LIGHTWEIGHT), "localhost",
                server(Ssl.CERT_OPTIONAL, CLIENT_EC.root, Backend.LIGHTWEIGHT, version));
        assertNull(p.server.getpeercert(true));
        p.client.write(Fixtures.ascii("anonymous"));
        assertArrayEquals(Fixtures.ascii("anonymous"), p.server.recv(100));
    }

    @ParameterizedTest(name = "version {0}")
    @CsvSource({"772", "771"})
    void optionalValidatesACertificateThatIsSent(int version) throws Exception {
        // Sent and valid: accepted and decoded.
        TlsPair ok = TlsPair.connect(client(CLIENT_EC, Backend.LIGHTWEIGHT), "localhost",
                server(Ssl.CERT_OPTIONAL, CLIENT_EC.root, Backend.LIGHTWEIGHT, version));
        assertNotNull(ok.server.getpeercert().get("subject"));
        // Sent but from an unknown CA: rejected, and the client is told unknown_ca.
        TlsPair bad = TlsPair.attempt(client(CLIENT_RSA, Backend.LIGHTWEIGHT), "localhost",
                server(Ssl.CERT_OPTIONAL, CLIENT_EC.root, Backend.LIGHTWEIGHT, version));
        CertificateRejectedException e = Fixtures.rejection(bad.serverError);
        assertEquals(Reason.UNKNOWN_ISSUER, e.reason());
        SslException c = bad.clientError != null ? (SslException) bad.clientError
                : assertThrows(SslException.class, () -> bad.client.read(10));
        assertEquals(AlertDescription.unknown_ca, c.alert());
    }

    @ParameterizedTest(name = "version {0}")
    @CsvSource({"772", "771"})
    void serverCertificateUsedAsClientCertificateIsRejected(int version) throws Exception {
        // A serverAuth-only certificate must not authenticate a client (EKU, RFC 5280 4.2.1.12).
        TlsPair p = TlsPair.attempt(client(SERVER, Backend.LIGHTWEIGHT), "localhost",
                server(Ssl.CERT_REQUIRED, SERVER.root, Backend.LIGHTWEIGHT, version));
        CertificateRejectedException e = Fixtures.rejection(p.serverError);
        assertEquals(Reason.BAD_EXTENDED_KEY_USAGE, e.reason());
    }
}
