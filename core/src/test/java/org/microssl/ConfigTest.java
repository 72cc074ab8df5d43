package org.microssl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bouncycastle.tls.AlertDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.microssl.Fixtures.Backend;
import org.microssl.SslException.Failure;
import org.microssl.testing.TestPki;
import org.microssl.testing.TestPki.KeyType;
import org.microssl.testing.TlsPair;

/** SSLContext options: defaults, cipher suites by IANA name, versions, and every key encoding. */
class ConfigTest {
    private static final TestPki.Chain EC = HandshakeTest.chain(KeyType.EC_P256);
    private static final TestPki.Chain RSA = HandshakeTest.chain(KeyType.RSA_2048);

    @Test
    void defaultsAreSafe() {
        assertEquals(Ssl.CERT_REQUIRED, new SSLContext(Ssl.PROTOCOL_TLS_CLIENT).getVerifyMode());
        assertEquals(Ssl.CERT_NONE, new SSLContext(Ssl.PROTOCOL_TLS_SERVER).getVerifyMode());
        assertArrayEquals(new String[] {"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"}, new SSLContext(Ssl.PROTOCOL_TLS_CLIENT).getCiphers());
        assertThrows(IllegalArgumentException.class, () -> new SSLContext(99));
        assertThrows(IllegalArgumentException.class, () -> new SSLContext(Ssl.PROTOCOL_TLS_CLIENT).setVerifyMode(3));
        assertThrows(IllegalArgumentException.class,
                () -> new SSLContext(Ssl.PROTOCOL_TLS_CLIENT).setMaxFragmentLength(1000));
        assertThrows(IllegalArgumentException.class, () -> new SSLContext(Ssl.PROTOCOL_TLS_CLIENT)
                .setMinimumVersion(0x0302));
    }

    @Test
    void unknownCipherNameIsRejected() {
        SSLContext ctx = new SSLContext(Ssl.PROTOCOL_TLS_CLIENT);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ctx.setCiphers("TLS_AES_128_GCM_SHA256", "TLS_RSA_WITH_RC4_128_MD5"));
        assertTrue(e.getMessage().contains("TLS_RSA_WITH_RC4_128_MD5"), e.getMessage());
        assertEquals(9, ctx.getCiphers().length, "a rejected call changes nothing");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "LIGHTWEIGHT, TLS_AES_256_GCM_SHA384, 256",
        "LIGHTWEIGHT, TLS_CHACHA20_POLY1305_SHA256, 256",
        "LIGHTWEIGHT, TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, 256",
        "LIGHTWEIGHT, TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, 256",
        "JCA, TLS_AES_256_GCM_SHA384, 256",
        "JCA, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, 128",
    })
    void cipherSelectedByIanaName(Backend backend, String suite, String bits) throws Exception {
        SSLContext client = Fixtures.client(EC.root, backend);
        client.setCiphers(suite);
        TlsPair p = TlsPair.connect(client, "localhost", Fixtures.server(EC, backend));
        assertEquals(suite, p.client.cipher()[0]);
        assertEquals(bits, p.client.cipher()[2]);
        assertEquals(suite.startsWith("TLS_ECDHE") ? "TLSv1.2" : "TLSv1.3", p.client.version());
    }

    @Test
    void rsaSuitesWithRsaKey() throws Exception {
        SSLContext client = Fixtures.client(RSA.root, Backend.LIGHTWEIGHT);
        client.setCiphers("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
        TlsPair p = TlsPair.connect(client, "localhost", Fixtures.server(RSA, Backend.LIGHTWEIGHT));
        assertEquals("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", p.client.cipher()[0]);
    }

    @Test
    void noCommonSuiteIsHandshakeFailure() throws Exception {
        SSLContext client = Fixtures.client(EC.root, Backend.LIGHTWEIGHT);
        client.setCiphers("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"); // the server has an ECDSA key
        TlsPair p = TlsPair.attempt(client, "localhost", Fixtures.server(EC, Backend.LIGHTWEIGHT));
        SslException s = assertInstanceOf(SslException.class, p.serverError);
        assertEquals(Failure.HANDSHAKE_FAILURE, s.failure());
        SslException c = assertInstanceOf(SslException.class, p.clientError);
        assertEquals(Failure.ALERT_RECEIVED, c.failure());
        assertEquals(AlertDescription.handshake_failure, c.alert());
    }

    @Test
    void versionMismatchFails() throws Exception {
        SSLContext client = Fixtures.client(EC.root, Backend.LIGHTWEIGHT);
        client.setMaximumVersion(Ssl.TLSv1_2);
        SSLContext server = Fixtures.server(EC, Backend.LIGHTWEIGHT);
        server.setMinimumVersion(Ssl.TLSv1_3);
        TlsPair p = TlsPair.attempt(client, "localhost", server);
        SslException c = assertInstanceOf(SslException.class, p.clientError);
        assertEquals(Failure.ALERT_RECEIVED, c.failure());
        assertEquals(AlertDescription.protocol_version, c.alert());
        assertEquals(Failure.HANDSHAKE_FAILURE, assertInstanceOf(SslException.class, p.serverError).failure());
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"EC_P256, pkcs8-der", "EC_P256, pkcs8-pem", "EC_P256, sec1-der", "EC_P256, sec1-pem",
        "EC_P384, sec1-pem", "RSA_2048, pkcs1-der", "RSA_2048, pkcs1-pem", "RSA_2048, pkcs8-pem",
        "ED25519, pkcs8-der", "ED25519, pkcs8-pem"})
    void everyKeyEncodingLoadsAndHandshakes(KeyType type, String encoding) throws Exception {
        TestPki.Chain chain = type == KeyType.EC_P256 ? EC : type == KeyType.RSA_2048 ? RSA : TestPki.chain(type);
        byte[] key;
        switch (encoding) {
            case "pkcs8-der": key = chain.leaf.keyPkcs8(); break;
            case "pkcs8-pem": key = Fixtures.ascii(chain.leaf.keyPkcs8Pem()); break;
            case "sec1-der": case "pkcs1-der": key = chain.leaf.keyTraditional(); break;
            default: key = Fixtures.ascii(chain.leaf.keyTraditionalPem());
        }
        SSLContext server = new SSLContext(Ssl.PROTOCOL_TLS_SERVER);
        // The certificate as concatenated DER this time.
        byte[] der = new byte[chain.leaf.der.length + chain.intermediate.der.length];
        System.arraycopy(chain.leaf.der, 0, der, 0, chain.leaf.der.length);
        System.arraycopy(chain.intermediate.der, 0, der, chain.leaf.der.length, chain.intermediate.der.length);
        server.loadCertChain(der, key);
        TlsPair p = TlsPair.connect(Fixtures.client(chain.root, Backend.LIGHTWEIGHT), "localhost", server);
        assertEquals("TLSv1.3", p.client.version());
    }

    @Test
    void configurationsThatCannotHandshakeFailBeforeIo() {
        org.microssl.testing.MemoryTransport[] t = org.microssl.testing.MemoryTransport.blockingPair();
        SSLContext client = Fixtures.client(EC.root, Backend.LIGHTWEIGHT);
        client.setCiphers("TLS_AES_128_GCM_SHA256");
        client.setMaximumVersion(Ssl.TLSv1_2);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> client.wrapSocket(t[0], false, true,
                "localhost")).getMessage().startsWith("no enabled cipher suite belongs to a version"));
        SSLContext server = Fixtures.server(RSA, Backend.LIGHTWEIGHT);
        server.setCiphers("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
        assertEquals("no enabled cipher suite can be used with the server's RSA key", assertThrows(
                IllegalArgumentException.class, () -> server.wrapSocket(t[1], true, true, null)).getMessage());
        SSLContext inverted = new SSLContext(Ssl.PROTOCOL_TLS_CLIENT);
        inverted.setMinimumVersion(Ssl.TLSv1_3);
        inverted.setMaximumVersion(Ssl.TLSv1_2);
        assertThrows(IllegalArgumentException.class, () -> inverted.wrapSocket(t[0], false, true, "localhost"));
        assertEquals(0, t[0].bytesWritten + t[1].bytesWritten);
    }

    @Test
    void weakRsaKeyIsRefused() {
        TestPki.Issued weak = TestPki.cert().key(KeyType.RSA_1024).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SSLContext(
                Ssl.PROTOCOL_TLS_SERVER).loadCertChain(weak.der, weak.keyPkcs8()));
        assertEquals("invalid key: RSA key of 1024 bits is too small (minimum 2048)", e.getMessage());
    }

    @Test
    void serverWithoutCertificateFailsBeforeIo() {
        SSLContext server = new SSLContext(Ssl.PROTOCOL_TLS_SERVER);
        org.microssl.testing.MemoryTransport[] t = org.microssl.testing.MemoryTransport.blockingPair();
        assertThrows(IllegalArgumentException.class, () -> server.wrapSocket(t[1], true, true, null));
        assertThrows(IllegalArgumentException.class, () -> server.wrapSocket(t[1], false, true, null),
                "a server context wraps server sockets only");
    }

    @Test
    void filesAreLoaded(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        EC.writeTo(dir, "ec-");
        SSLContext server = new SSLContext(Ssl.PROTOCOL_TLS_SERVER);
        server.loadCertChain(dir.resolve("ec-chain.pem").toString(), dir.resolve("ec-leaf.key").toString());
        SSLContext client = new SSLContext(Ssl.PROTOCOL_TLS_CLIENT);
        client.loadVerifyLocations(dir.resolve("ec-root.pem").toString(), null);
        TlsPair.connect(client, "localhost", server);
        // a missing file is an I/O error naming the path (CPython: FileNotFoundError), not bad content
        java.nio.file.Path missing = dir.resolve("missing.pem");
        java.io.UncheckedIOException e = assertThrows(java.io.UncheckedIOException.class,
                () -> client.loadVerifyLocations(missing.toString(), null));
        assertEquals("cannot read the cafile file " + missing + ": no such file", e.getMessage());
        assertTrue(e.getCause() instanceof java.nio.file.NoSuchFileException, String.valueOf(e.getCause()));
        e = assertThrows(java.io.UncheckedIOException.class,
                () -> server.loadCertChain(dir.resolve("ec-chain.pem").toString(), missing.toString()));
        assertEquals("cannot read the key file " + missing + ": no such file", e.getMessage());
    }
}
