package org.microssl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.microssl.Fixtures.Backend;
import org.microssl.SslException.Failure;
import org.microssl.testing.Peer;
import org.microssl.testing.TestPki;
import org.microssl.testing.TlsPair;

/**
 * External pre-shared keys with MicroPython's and CPython 3.13's names: TLS 1.3 external PSK (psk_dhe_ke) and TLS
 * 1.2 ECDHE_PSK, no certificate on either side; between microssl ends on both backends, against
 * {@code openssl s_server -psk -nocert} and {@code openssl s_client -psk}; an unknown identity, a wrong key.
 */
class PskTest {
    static final byte[] KEY = Hex.decode("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
    static final byte[] OTHER_KEY = Hex.decode("ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100");
    static final String KEY_HEX = Hex.toHexString(KEY);
    static final TestPki.Chain CHAIN = TestPki.chain(TestPki.KeyType.EC_P256);

    @TempDir
    static Path dir;

    @BeforeAll
    static void write() throws Exception {
        CHAIN.writeTo(dir, "ec-");
    }

    static SSLContext client(Backend backend, int version, String identity, byte[] key) {
        SSLContext ctx = new SSLContext(Ssl.PROTOCOL_TLS_CLIENT);
        ctx.setCryptoBackend(backend.create());
        ctx.setMaximumVersion(version);
        ctx.setMinimumVersion(version);
        ctx.setPskIdentity(identity);
        ctx.setPskKey(key);
        return ctx;
    }

    /** A server with PSKs and no certificate. */
    static SSLContext server(Backend backend, String identity, byte[] key) {
        SSLContext ctx = new SSLContext(Ssl.PROTOCOL_TLS_SERVER);
        ctx.setCryptoBackend(backend.create());
        ctx.setPskIdentity(identity);
        ctx.setPskKey(key);
        return ctx;
    }

    static int version(String hex) {
        return Integer.parseInt(hex, 16);
    }

    @ParameterizedTest(name = "{0} TLS 0x{1}")
    @CsvSource({"LIGHTWEIGHT, 0304, TLS_AES_128_GCM_SHA256", "JCA, 0304, TLS_AES_128_GCM_SHA256",
        "LIGHTWEIGHT, 0303, TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256",
        "JCA, 0303, TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256"})
    void noCertificateOnEitherSide(Backend backend, String v, String suite) throws Exception {
        // A PSK client needs no serverHostname, though its context is CERT_REQUIRED
        TlsPair p = TlsPair.connect(client(backend, version(v), "sensor-7", KEY), null,
                server(backend, "sensor-7", KEY));
        assertEquals(suite, p.client.cipher()[0]);
        assertEquals(suite, p.server.cipher()[0]);
        assertNull(p.client.getPeerCertChain(), "the server sent no certificate");
        p.client.write("reading=21.5".getBytes(StandardCharsets.US_ASCII));
        assertEquals("reading=21.5", new String(p.server.recv(100), StandardCharsets.US_ASCII));
    }

    @Test
    void tls12AesGcmSuitesWhenNamed() throws Exception {
        for (String suite : new String[] {"TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_PSK_WITH_AES_256_GCM_SHA384"}) {
            SSLContext client = client(Backend.LIGHTWEIGHT, Ssl.TLSv1_2, "sensor-7", KEY);
            client.setCiphers(suite);
            TlsPair p = TlsPair.connect(client, null, server(Backend.JCA, "sensor-7", KEY));
            assertEquals(suite, p.client.cipher()[0]);
        }
    }

    @ParameterizedTest(name = "TLS 0x{0}")
    @CsvSource({"0304, ", "0303, gateway-42"})
    void callbacksSeeTheHintAndTheIdentity(String v, String expectedHint) throws Exception {
        List<String> hints = new CopyOnWriteArrayList<>();
        List<String> identities = new CopyOnWriteArrayList<>();
        SSLContext client = new SSLContext(Ssl.PROTOCOL_TLS_CLIENT);
        client.setMaximumVersion(version(v));
        client.setMinimumVersion(version(v));
        client.setPskClientCallback(hint -> {
            hints.add(String.valueOf(hint));
            return new PreSharedKey("sensor-9", KEY);
        });
        SSLContext server = new SSLContext(Ssl.PROTOCOL_TLS_SERVER);
        server.setPskServerCallback(identity -> {
            identities.add(identity);
            return identity.equals("sensor-9") ? KEY.clone() : null;
        }, "gateway-42");
        TlsPair.connect(client, null, server);
        assertEquals(List.of(String.valueOf(expectedHint)), hints.subList(hints.size() - 1, hints.size()));
        assertEquals(List.of("sensor-9"), identities);
    }

    @ParameterizedTest(name = "{0} TLS 0x{1}")
    @CsvSource({"LIGHTWEIGHT, 0304, RFC 8446 section 6.2", "JCA, 0303, RFC 4279 section 2"})
    void unknownIdentityIsNamedAndGetsUnknownPskIdentity(Backend backend, String v, String rfc) throws Exception {
        TlsPair p = TlsPair.attempt(client(backend, version(v), "sensor-8", KEY), null,
                server(backend, "sensor-7", KEY));
        SslException s = assertInstanceOf(SslException.class, p.serverError, String.valueOf(p.serverError));
        assertEquals(Failure.HANDSHAKE_FAILURE, s.failure());
        assertEquals(AlertDescription.unknown_psk_identity, s.alert());
        assertEquals("HANDSHAKE_FAILURE: sent alert unknown_psk_identity(115): unknown PSK identity 'sensor-8' ("
                + rfc + ")", s.getMessage());
        SslException c = assertInstanceOf(SslException.class, p.clientError, String.valueOf(p.clientError));
        assertEquals(Failure.ALERT_RECEIVED, c.failure());
        assertEquals(AlertDescription.unknown_psk_identity, c.alert());
    }

    /** TLS 1.3: the binder does not verify (RFC 8446 section 4.2.11); TLS 1.2: the client's Finished does not. */
    @ParameterizedTest(name = "{0} TLS 0x{1}")
    @CsvSource({"LIGHTWEIGHT, 0304, decrypt_error", "JCA, 0304, decrypt_error",
        "LIGHTWEIGHT, 0303, bad_record_mac", "JCA, 0303, bad_record_mac"})
    void wrongKeyFails(Backend backend, String v, String alert) throws Exception {
        TlsPair p = TlsPair.attempt(client(backend, version(v), "sensor-7", OTHER_KEY), null,
                server(backend, "sensor-7", KEY));
        SslException s = assertInstanceOf(SslException.class, p.serverError, String.valueOf(p.serverError));
        assertEquals(alert, AlertDescription.getName((short) s.alert()), s.getMessage());
        SslException c = assertInstanceOf(SslException.class, p.clientError, String.valueOf(p.clientError));
        assertEquals(Failure.ALERT_RECEIVED, c.failure(), c.getMessage());
        assertEquals(s.alert(), c.alert());
        for (SslException e : new SslException[] {s, c}) {
            String all = e.getMessage() + e.getCause();
            assertFalse(all.contains(KEY_HEX) || all.contains(Hex.toHexString(OTHER_KEY)), all);
        }
    }

    @Test
    void serverWithCertificateFallsBackToItForAnUnknownIdentityInTls13() throws Exception {
        SSLContext server = Fixtures.server(CHAIN, Backend.LIGHTWEIGHT);
        server.setPskIdentity("sensor-7");
        server.setPskKey(KEY);
        // A client that checks certificates as well: the certificate handshake it gets is verified
        SSLContext client = Fixtures.client(CHAIN.root, Backend.LIGHTWEIGHT);
        client.setPskIdentity("sensor-8");
        client.setPskKey(KEY);
        TlsPair p = TlsPair.connect(client, "localhost", server);
        assertEquals(3, p.client.getPeerCertChain().size(), "the validated path: leaf, intermediate, root");
        // Its identity known: the PSK, no certificate
        client.setPskIdentity("sensor-7");
        p = TlsPair.connect(client, "localhost", server);
        assertNull(p.client.getPeerCertChain());
        // Without serverHostname a certificate cannot be checked: refused, not accepted unchecked
        client.setPskIdentity("sensor-8");
        p = TlsPair.attempt(client, null, server);
        SslException c = assertInstanceOf(SslException.class, p.clientError, String.valueOf(p.clientError));
        assertEquals(AlertDescription.handshake_failure, c.alert());
        assertTrue(c.getMessage().endsWith("the server did not take our pre-shared key and sent a certificate, "
                + "which cannot be checked without serverHostname"), c.getMessage());
    }

    @Test
    void configurationErrorsAreClear() throws Exception {
        SSLContext client = new SSLContext(Ssl.PROTOCOL_TLS_CLIENT);
        client.setPskIdentity("sensor-7");
        assertEquals("setPskIdentity without setPskKey", assertThrows(IllegalArgumentException.class,
                () -> client.wrapSocket(org.microssl.testing.MemoryTransport.blockingPair()[0], null)).getMessage());
        SSLContext server = new SSLContext(Ssl.PROTOCOL_TLS_SERVER);
        server.setPskKey(KEY);
        assertEquals("setPskKey without setPskIdentity", assertThrows(IllegalArgumentException.class,
                () -> server.wrapSocket(org.microssl.testing.MemoryTransport.blockingPair()[1], null)).getMessage());
        assertEquals("a server needs a certificate and key (call loadCertChain first) or a pre-shared key "
                + "(setPskIdentity and setPskKey, or setPskServerCallback)", assertThrows(
                IllegalArgumentException.class, () -> new SSLContext(Ssl.PROTOCOL_TLS_SERVER).wrapSocket(
                org.microssl.testing.MemoryTransport.blockingPair()[1], null)).getMessage());
        assertThrows(IllegalStateException.class, () -> server.setPskClientCallback(h -> null));
        assertThrows(IllegalStateException.class, () -> client.setPskServerCallback(i -> null));
        assertEquals("PSK key is empty", assertThrows(IllegalArgumentException.class,
                () -> client.setPskKey(new byte[0])).getMessage());
        assertEquals("PSK identity is 257 bytes, more than 256", assertThrows(IllegalArgumentException.class,
                () -> client.setPskIdentity(new byte[257])).getMessage());
        PreSharedKey psk = new PreSharedKey("sensor-7", KEY);
        assertEquals("PSK identity 'sensor-7' (key: 32 secret bytes)", psk.toString());
    }

    @Test
    void aTls12ClientCallbackWithNoKeyForTheHintSaysSo() throws Exception {
        SSLContext client = new SSLContext(Ssl.PROTOCOL_TLS_CLIENT);
        client.setMaximumVersion(Ssl.TLSv1_2);
        client.setPskClientCallback(hint -> null);
        TlsPair p = TlsPair.attempt(client, null, server(Backend.LIGHTWEIGHT, "sensor-7", KEY));
        SslException c = assertInstanceOf(SslException.class, p.clientError, String.valueOf(p.clientError));
        assertEquals(AlertDescription.handshake_failure, c.alert());
        assertTrue(c.getMessage().endsWith("the PSK client callback gave no identity and key for a server "
                + "without an identity hint"), c.getMessage());
    }

    // ------------------------------------------------------------------------------------------ openssl

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"LIGHTWEIGHT, -tls1_3, TLS_AES_128_GCM_SHA256", "JCA, -tls1_3, TLS_AES_128_GCM_SHA256",
        "LIGHTWEIGHT, -tls1_2, TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256",
        "JCA, -tls1_2, TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256"})
    void againstOpensslServer(Backend backend, String version, String suite) throws Exception {
        try (Peer server = Peer.opensslServer(dir, "-nocert", "-psk", KEY_HEX, "-psk_identity", "sensor-7",
                version)) {
            SSLContext client = client(backend, Ssl.TLSv1_3, "sensor-7", KEY);
            client.setMinimumVersion(Ssl.TLSv1_2);
            try (SSLSocket s = client.wrapSocket(new Socket("127.0.0.1", server.port()), null)) {
                assertEquals(suite, s.cipher()[0]);
                s.write("ping\n".getBytes(StandardCharsets.US_ASCII));
                server.awaitOutput("ping", 10_000);
            }
        }
    }

    /**
     * OpenSSL refuses a binder that does not verify with illegal_parameter (tls_psk_do_binder), where RFC 8446
     * section 6.2 names decrypt_error, which we send; in TLS 1.2 the Finished does not decrypt: bad_record_mac.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"-tls1_3, illegal_parameter", "-tls1_2, bad_record_mac"})
    void opensslServerRefusesAWrongKey(String version, String alert) throws Exception {
        try (Peer server = Peer.opensslServer(dir, "-nocert", "-psk", KEY_HEX, "-psk_identity", "sensor-7",
                version)) {
            SSLContext client = client(Backend.LIGHTWEIGHT, Ssl.TLSv1_3, "sensor-7", OTHER_KEY);
            client.setMinimumVersion(Ssl.TLSv1_2);
            SslException e = assertThrows(SslException.class,
                    () -> client.wrapSocket(new Socket("127.0.0.1", server.port()), null));
            assertEquals(Failure.ALERT_RECEIVED, e.failure(), e.getMessage());
            assertEquals(alert, AlertDescription.getName((short) e.alert()), e.getMessage());
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"LIGHTWEIGHT, -tls1_3, 'Reused, TLSv1.3, Cipher is TLS_CHACHA20_POLY1305_SHA256'",
        "JCA, -tls1_3, 'Reused, TLSv1.3, Cipher is TLS_CHACHA20_POLY1305_SHA256'",
        "LIGHTWEIGHT, -tls1_2, 'New, TLSv1.2, Cipher is ECDHE-PSK-CHACHA20-POLY1305'",
        "JCA, -tls1_2, 'New, TLSv1.2, Cipher is ECDHE-PSK-CHACHA20-POLY1305'"})
    void againstOpensslClient(Backend backend, String version, String suite) throws Exception {
        OneConnection c = OneConnection.serve(server(backend, "sensor-7", KEY), dir, "ping\n", "openssl",
                "s_client", "-psk", KEY_HEX, "-psk_identity", "sensor-7", version);
        assertEquals("ping\n", c.serverRead, c.clientOutput + "\n" + c.serverError);
        // OpenSSL's order is AES-256-GCM, ChaCha20, AES-128-GCM: the first with SHA-256, the PSK's hash, is
        // ChaCha20; its TLS 1.3 PSK handshake reads "Reused"
        assertTrue(c.clientOutput.contains(suite), c.clientOutput);
        assertTrue(c.clientOutput.contains("no peer certificate available"), c.clientOutput);
    }

    /** A key share we do not take (ffdhe2048) makes a HelloRetryRequest: the PSK's binder is checked again. */
    @Test
    void helloRetryRequestWithPskAgainstOpensslClient() throws Exception {
        OneConnection c = OneConnection.serve(server(Backend.LIGHTWEIGHT, "sensor-7", KEY), dir, "ping\n", "openssl",
                "s_client", "-psk", KEY_HEX, "-psk_identity", "sensor-7", "-tls1_3", "-groups", "ffdhe2048:X25519");
        assertEquals("ping\n", c.serverRead, c.clientOutput + "\n" + c.serverError);
        assertTrue(c.clientOutput.contains("Reused, TLSv1.3"), c.clientOutput);
        assertTrue(c.clientOutput.contains("Server Temp Key: X25519"), c.clientOutput);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"-tls1_3", "-tls1_2"})
    void opensslClientWithAnUnknownIdentityGetsUnknownPskIdentity(String version) throws Exception {
        OneConnection c = OneConnection.serve(server(Backend.LIGHTWEIGHT, "sensor-7", KEY), dir, "", "openssl",
                "s_client", "-psk", KEY_HEX, "-psk_identity", "sensor-8", version);
        assertTrue(c.clientOutput.contains("alert number 115"), c.clientOutput);
        SslException s = assertInstanceOf(SslException.class, c.serverError, String.valueOf(c.serverError));
        assertEquals(AlertDescription.unknown_psk_identity, s.alert());
        assertTrue(s.getMessage().contains("unknown PSK identity 'sensor-8'"), s.getMessage());
    }

    /** CPython 3.13's set_psk_server_callback against our client, where the installed python3 has it. */
    @ParameterizedTest(name = "TLS 0x{0}")
    @CsvSource({"0304", "0303"})
    void againstCpythonPskServer(String v) throws Exception {
        Peer.assumeInstalled("python3");
        String has = Peer.runTool(dir, "python3", "-c",
                "import ssl,sys; print(sys.version.split()[0], hasattr(ssl.SSLContext, 'set_psk_server_callback'))");
        org.junit.jupiter.api.Assumptions.assumeTrue(has.trim().endsWith("True"), "python3 " + has.trim().split(" ")[0]
                + " has no ssl.SSLContext.set_psk_server_callback (CPython 3.13+ built with OpenSSL PSK): skipping");
        String script = String.join("\n",
                "import socket, ssl, sys",
                "ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)",
                "ctx.maximum_version = ssl.TLSVersion." + (v.equals("0304") ? "TLSv1_3" : "TLSv1_2"),
                "ctx.set_ciphers('PSK')",
                "ctx.set_psk_server_callback(lambda identity: bytes.fromhex('" + KEY_HEX + "')"
                        + " if identity == 'sensor-7' else b'', 'gateway-42')",
                "srv = socket.create_server(('127.0.0.1', 0))",
                "print('port', srv.getsockname()[1], flush=True)",
                "conn, _ = srv.accept()",
                "s = ctx.wrap_socket(conn, server_side=True)",
                "print('got', s.recv(100).decode(), s.version(), flush=True)",
                "s.close()");
        java.nio.file.Files.write(dir.resolve("psk_server.py"), script.getBytes(StandardCharsets.UTF_8));
        try (Peer server = Peer.serverAnnouncingPort("python3 psk server", dir, Peer.cmd("python3", "psk_server.py"),
                java.util.regex.Pattern.compile("port (\\d+)"))) {
            SSLContext client = client(Backend.LIGHTWEIGHT, version(v), "sensor-7", KEY);
            try (SSLSocket s = client.wrapSocket(new Socket("127.0.0.1", server.port()), null)) {
                s.write("ping".getBytes(StandardCharsets.US_ASCII));
                server.awaitOutput("got ping", 10_000);
            }
        }
    }
}
