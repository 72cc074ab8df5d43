package org.microssl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

import org.bouncycastle.tls.AlertDescription;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.microssl.Fixtures.Backend;
import org.microssl.testing.Peer;
import org.microssl.testing.TestPki;
import org.microssl.testing.TestPki.KeyType;
import org.microssl.testing.TlsPair;

/**
 * The device profile ({@link Backends#device()}, what {@code Backends.lightweight()} is in the device jar): its
 * narrow TlsCrypto and verifier handshake and verify every key type it keeps, in both TLS versions, against
 * microssl's full backend and against OpenSSL (a HelloRetryRequest to P-256 included); what it leaves out is
 * refused with handshake_failure, not an internal error.
 */
class DeviceProfileTest {
    private static final Map<KeyType, TestPki.Chain> CHAINS = new EnumMap<>(KeyType.class);

    @TempDir
    static Path dir;

    @BeforeAll
    static void writeP256Chain() throws IOException {
        chain(KeyType.EC_P256).writeTo(dir, "p256-");
        chain(KeyType.RSA_2048).writeTo(dir, "rsa-");
    }

    static synchronized TestPki.Chain chain(KeyType type) {
        return CHAINS.computeIfAbsent(type, TestPki::chain);
    }

    static SSLContext deviceClient(TestPki.Chain chain, int maxVersion) {
        SSLContext ctx = new SSLContext(Ssl.PROTOCOL_TLS_CLIENT);
        ctx.setCryptoBackend(Backends.device());
        ctx.loadVerifyLocations(null, chain.root.der);
        ctx.setMaximumVersion(maxVersion);
        return ctx;
    }

    @ParameterizedTest(name = "{0} chain, {1}, device client against the full backend")
    @CsvSource({
        "EC_P256,  TLSv1.3, TLS_AES_128_GCM_SHA256",
        "EC_P384,  TLSv1.3, TLS_AES_128_GCM_SHA256",
        "RSA_2048, TLSv1.3, TLS_AES_128_GCM_SHA256",
        "ED25519,  TLSv1.3, TLS_AES_128_GCM_SHA256",
        "EC_P256,  TLSv1.2, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        "RSA_2048, TLSv1.2, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        "ED25519,  TLSv1.2, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
    })
    void deviceClientHandshakesAndVerifies(KeyType type, String version, String suite) throws Exception {
        TestPki.Chain chain = chain(type);
        int max = version.equals("TLSv1.3") ? Ssl.TLSv1_3 : Ssl.TLSv1_2;
        TlsPair pair = TlsPair.connect(deviceClient(chain, max), "localhost", Fixtures.server(chain, Backend.LIGHTWEIGHT));
        assertEquals(version, pair.client.version());
        assertEquals(suite, pair.client.cipher()[0]);
        pair.client.write(Fixtures.ascii("reading 21.5"));
        assertArrayEquals(Fixtures.ascii("reading 21.5"), pair.server.read(12));
        pair.server.write(Fixtures.ascii("ok"));
        assertArrayEquals(Fixtures.ascii("ok"), pair.client.read(2));
        pair.client.close();
        assertEquals(0, pair.server.read(10).length, "close_notify reads as end of stream");
        pair.server.close();
    }

    /**
     * The profile's limit: in TLS 1.2 a client may verify ECDSA only on curves its supported_groups names (RFC 8422
     * section 5.1.1), and the device's groups are its key exchange, X25519 and P-256; a P-384 certificate is then
     * refused by the server (TLS 1.3 separates the two: the P-384 chain above verifies there).
     */
    @Test
    void tls12WithAP384CertificateIsRefusedByTheServer() throws Exception {
        TestPki.Chain chain = chain(KeyType.EC_P384);
        TlsPair pair = TlsPair.attempt(deviceClient(chain, Ssl.TLSv1_2), "localhost",
                Fixtures.server(chain, Backend.LIGHTWEIGHT));
        SslException s = assertInstanceOf(SslException.class, pair.serverError, String.valueOf(pair.serverError));
        assertTrue(s.getMessage().contains("omits secp384r1"), s.getMessage());
    }

    @Test
    void deviceServerServesTheFullClient() throws Exception {
        TestPki.Chain chain = chain(KeyType.EC_P256);
        SSLContext server = Fixtures.server(chain, Backend.LIGHTWEIGHT);
        server.setCryptoBackend(Backends.device());
        TlsPair pair = TlsPair.connect(Fixtures.client(chain.root, Backend.LIGHTWEIGHT), "localhost", server);
        assertEquals("TLSv1.3", pair.server.version());
        pair.client.write(Fixtures.ascii("x"));
        assertArrayEquals(Fixtures.ascii("x"), pair.server.read(1));
    }

    /** OpenSSL asks for P-256 in a HelloRetryRequest (the device's first share is X25519), then ChaCha20. */
    @ParameterizedTest(name = "openssl s_server {0}")
    @CsvSource(delimiter = '|', value = {
        "p256-|-tls1_3 -groups P-256|TLSv1.3|TLS_AES_128_GCM_SHA256",
        "p256-|-tls1_3 -ciphersuites TLS_CHACHA20_POLY1305_SHA256|TLSv1.3|TLS_CHACHA20_POLY1305_SHA256",
        "rsa-|-tls1_2 -cipher ECDHE-RSA-CHACHA20-POLY1305|TLSv1.2|TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
        "p256-|-tls1_2 -groups P-256|TLSv1.2|TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
    })
    void deviceClientAgainstOpenssl(String prefix, String options, String version, String suite) throws Exception {
        Peer.assumeInstalled("openssl");
        KeyType type = prefix.startsWith("rsa") ? KeyType.RSA_2048 : KeyType.EC_P256;
        java.util.List<String> args = new java.util.ArrayList<>(java.util.Arrays.asList("-cert", prefix + "leaf.pem",
            "-key", prefix + "leaf.key", "-cert_chain", prefix + "int.pem", "-rev"));
        args.addAll(java.util.Arrays.asList(options.split(" ")));
        try (Peer server = Peer.opensslServer(dir, args.toArray(new String[0]))) {
            SSLContext ctx = deviceClient(chain(type), Ssl.TLSv1_3);
            SSLSocket tls = ctx.wrapSocket(new Socket("127.0.0.1", server.port()), false, true, "localhost");
            assertEquals(version, tls.version());
            assertEquals(suite, tls.cipher()[0]);
            tls.write(Fixtures.ascii("olleh\n"));
            assertArrayEquals(Fixtures.ascii("hello\n"), tls.read(6));
            tls.close();
        }
    }

    /** A server that takes only AES-256-GCM: the device profile has no such suite, handshake_failure follows. */
    @Test
    void whatIsLeftOutIsAHandshakeFailure() throws Exception {
        TestPki.Chain chain = chain(KeyType.EC_P256);
        SSLContext server = Fixtures.server(chain, Backend.LIGHTWEIGHT);
        server.setCiphers("TLS_AES_256_GCM_SHA384");
        TlsPair pair = TlsPair.attempt(deviceClient(chain, Ssl.TLSv1_3), "localhost", server);
        SslException s = assertInstanceOf(SslException.class, pair.serverError, String.valueOf(pair.serverError));
        assertEquals(AlertDescription.handshake_failure, s.alert(), s.getMessage());
        SslException c = assertInstanceOf(SslException.class, pair.clientError, String.valueOf(pair.clientError));
        assertEquals(SslException.Failure.ALERT_RECEIVED, c.failure(), c.getMessage());
    }

    @Test
    void theDeviceBackendNamesItself() {
        assertEquals("device", Backends.device().name());
        assertTrue(Backends.lightweight().name().equals("lightweight"), "outside the device jar: the full set");
    }
}
