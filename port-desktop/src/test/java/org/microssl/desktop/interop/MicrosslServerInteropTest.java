package org.microssl.desktop.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.microssl.SSLContext;
import org.microssl.SSLSocket;
import org.microssl.Ssl;
import org.microssl.SslException;
import org.microssl.desktop.interop.Microssl.EchoServer;
import org.microssl.desktop.interop.PeerClients.ClientCert;
import org.microssl.testing.Peer;
import org.microssl.testing.TestPki.KeyType;
import org.microssl.x509.CertificateRejectedException;
import org.microssl.x509.Reason;

/**
 * Real clients (OpenSSL, GnuTLS, CPython's ssl) against the microssl server over loopback, under both crypto
 * backends, with and without client certificates: the client verifies our chain for localhost, its line comes
 * back, and each refusal is the exact exception on our side and the right alert on theirs.
 */
class MicrosslServerInteropTest {
    private static final InteropPki PKI = InteropPki.get();
    private static final long CLIENT_TIMEOUT_MS = 10_000;

    static Stream<Arguments> backendVersionClientCert() {
        List<Arguments> l = new ArrayList<>();
        for (Backend b : Backend.values()) {
            for (int v : Microssl.VERSIONS) {
                for (boolean withCert : new boolean[] {false, true}) l.add(Arguments.of(b, Microssl.versionName(v), withCert));
            }
        }
        return l.stream();
    }

    private static SSLContext server(Backend backend, KeyType type, int version, int verifyMode) {
        SSLContext ctx = Microssl.server(backend, PKI.file(type, "chain.pem"), PKI.file(type, "leaf.key"), version);
        if (verifyMode != Ssl.CERT_NONE) {
            ctx.loadVerifyLocations(PKI.clientFile("root.pem").toString(), null);
            ctx.setVerifyMode(verifyMode);
        }
        return ctx;
    }

    private static void assertServed(EchoServer.Outcome o, String version, String line, boolean withCert) {
        if (o.error != null) throw new AssertionError("microssl server failed", o.error);
        assertEquals(version, o.version);
        assertEquals(line + "\n", o.line);
        if (withCert) {
            assertEquals("CN=client.test", o.peerSubject);
        } else {
            assertNull(o.peerSubject);
        }
    }

    // ------------------------------------------------------------------------------------------ OpenSSL

    /**
     * TLS 1.3 KeyUpdate (RFC 8446 section 4.6.3) from the client, interactive s_client: "K" updates its keys and
     * requests ours (we must answer with our own KeyUpdate before our next record), "k" updates its keys only. A
     * line is echoed after each; both directions must keep decrypting. The server holds the connection across
     * them, so this also covers what a connection keeps after its handshake.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void opensslClientKeyUpdates(Backend backend) throws Exception {
        SSLContext ctx = server(backend, KeyType.EC_P256, Ssl.TLSv1_3, Ssl.CERT_NONE);
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> served = CompletableFuture.supplyAsync(() -> {
                StringBuilder lines = new StringBuilder();
                try (Socket s = listener.accept()) {
                    s.setSoTimeout((int) CLIENT_TIMEOUT_MS);
                    SSLSocket tls = ctx.wrapSocket(s, true, true, null);
                    for (int i = 0; i < 3; i++) {
                        byte[] line = tls.readline();
                        lines.append(new String(line, "US-ASCII"));
                        tls.write(line);
                    }
                    tls.close();
                    return lines.toString();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            // No -ign_eof: s_client's interactive commands only work without it.
            try (Peer client = Peer.client("openssl s_client", PKI.dir, Peer.cmd("openssl", "s_client",
                    "-connect", "127.0.0.1:" + listener.getLocalPort(), "-servername", "localhost",
                    "-CAfile", PKI.path(KeyType.EC_P256, "root.pem"), "-verify_return_error",
                    "-verify_hostname", "localhost", "-tls1_3", "-brief"), null)) {
                try {
                    converse(client);
                } catch (IOException e) {
                    if (served.isCompletedExceptionally()) e.addSuppressed(served.handle((v, x) -> x).get());
                    throw e;
                }
                assertEquals("before\nafter requested update\nafter own update\n",
                        served.get(CLIENT_TIMEOUT_MS, TimeUnit.MILLISECONDS));
                client.closeStdin();
                client.waitFor(CLIENT_TIMEOUT_MS);
                String out = client.output();
                assertEquals(2, out.split("KEYUPDATE", -1).length - 1, out);
                assertFalse(out.contains("error") || out.contains("alert"), out);
            }
        }
    }

    /** s_client takes a command only at the start of one read of its input, so each waits for its answer. */
    private static void converse(Peer client) throws IOException {
        client.awaitOutput("CONNECTION ESTABLISHED", CLIENT_TIMEOUT_MS);
        client.send("before\n");
        client.awaitOutput("before\n", CLIENT_TIMEOUT_MS);
        client.send("K\n");
        client.awaitOutput("KEYUPDATE", CLIENT_TIMEOUT_MS);
        client.send("after requested update\n");
        client.awaitOutput("after requested update\n", CLIENT_TIMEOUT_MS);
        client.send("k\n");
        client.awaitOutput(Pattern.compile("KEYUPDATE[\\s\\S]*KEYUPDATE"), CLIENT_TIMEOUT_MS);
        client.send("after own update\n");
        client.awaitOutput("after own update\n", CLIENT_TIMEOUT_MS);
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("org.microssl.desktop.interop.Microssl#backendKeyVersion")
    void opensslClient(Backend backend, KeyType type, String version) throws Exception {
        try (EchoServer server = new EchoServer(server(backend, type, Microssl.version(version), Ssl.CERT_NONE));
                Peer client = PeerClients.openssl(PKI, type, server.port(), Microssl.version(version), ClientCert.NONE, "hello microssl")) {
            assertEquals(0, client.waitFor(CLIENT_TIMEOUT_MS), client.output());
            EchoServer.Outcome o = server.next();
            assertServed(o, version, "hello microssl", false);
            String out = client.output();
            assertTrue(out.contains("Protocol version: " + version), out);
            assertTrue(out.contains("Ciphersuite: " + Microssl.opensslName(o.cipher)), out);
            assertTrue(out.contains("Verification: OK"), out);
            assertTrue(out.contains("Verified peername: localhost"), out);
            assertTrue(out.contains("hello microssl\n"), out);
        }
    }

    /**
     * The client offers one group only: the server must pick it (TLS 1.3: from the key share it was sent). In TLS
     * 1.2 the client's groups also bound an ECDSA certificate's curve (RFC 8422 section 5.1), so the RSA chain.
     */
    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("org.microssl.desktop.interop.Microssl#backendVersionGroup")
    void opensslClientEachGroup(Backend backend, String version, String group) throws Exception {
        KeyType type = version.equals("TLSv1.2") ? KeyType.RSA_2048 : KeyType.EC_P256;
        try (EchoServer server = new EchoServer(server(backend, type, Microssl.version(version), Ssl.CERT_NONE));
                Peer client = PeerClients.openssl(PKI, type, server.port(), Microssl.version(version), ClientCert.NONE,
                        "group " + group, "-groups", group)) {
            assertEquals(0, client.waitFor(CLIENT_TIMEOUT_MS), client.output());
            assertServed(server.next(), version, "group " + group, false);
            String expected = group.equals("X25519") ? "X25519, 253 bits" : group.equals("P-256") ? "ECDH, prime256v1, 256 bits"
                    : "ECDH, secp384r1, 384 bits";
            assertTrue(client.output().contains("Server Temp Key: " + expected), client.output());
        }
    }

    /**
     * RFC 8422 section 5.3: a TLS 1.2 client whose supported_groups omits P-256 cannot take our P-256 ECDSA
     * certificate; the server refuses with handshake_failure naming the curve instead of letting OpenSSL abort
     * with "wrong curve". (TLS 1.3 with the same groups succeeds: {@link #opensslClientEachGroup}.)
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("backends")
    void refusesTls12OpensslClientWithoutCertificateCurve(Backend backend) throws Exception {
        try (EchoServer server = new EchoServer(server(backend, KeyType.EC_P256, Ssl.TLSv1_2, Ssl.CERT_NONE));
                Peer client = PeerClients.openssl(PKI, KeyType.EC_P256, server.port(), Ssl.TLSv1_2, ClientCert.NONE,
                        "x", "-groups", "X25519")) {
            EchoServer.Outcome o = server.next();
            SslException e = assertInstanceOf(SslException.class, o.error, String.valueOf(o));
            assertEquals(SslException.Failure.HANDSHAKE_FAILURE, e.failure(), e.getMessage());
            assertTrue(e.getMessage().contains("omits secp256r1, the curve of our ECDSA certificate"), e.getMessage());
            client.awaitOutput("alert handshake failure", CLIENT_TIMEOUT_MS);
            assertTrue(client.waitFor(CLIENT_TIMEOUT_MS) != 0, client.output());
            assertFalse(client.output().contains("wrong curve"), client.output());
        }
    }

    static Stream<Backend> backends() {
        return Stream.of(Backend.values());
    }

    @ParameterizedTest(name = "{0} {1} clientCert={2}")
    @MethodSource("backendVersionClientCert")
    void opensslClientWithOptionalClientCertificate(Backend backend, String version, boolean withCert) throws Exception {
        try (EchoServer server = new EchoServer(server(backend, KeyType.EC_P256, Microssl.version(version), Ssl.CERT_OPTIONAL));
                Peer client = PeerClients.openssl(PKI, KeyType.EC_P256, server.port(), Microssl.version(version),
                        withCert ? ClientCert.TRUSTED : ClientCert.NONE, "optional")) {
            assertEquals(0, client.waitFor(CLIENT_TIMEOUT_MS), client.output());
            assertServed(server.next(), version, "optional", withCert);
        }
    }

    static Stream<Arguments> backendVersionTrustedCert() {
        List<Arguments> l = new ArrayList<>();
        for (Backend b : Backend.values()) {
            for (int v : Microssl.VERSIONS) {
                for (ClientCert c : new ClientCert[] {ClientCert.TRUSTED, ClientCert.TRUSTED_RSA, ClientCert.TRUSTED_ED25519}) {
                    l.add(Arguments.of(b, Microssl.versionName(v), c));
                }
            }
        }
        return l.stream();
    }

    /** CERT_REQUIRED: the client's chain and its CertificateVerify (ECDSA, RSA, Ed25519) are checked by microssl. */
    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("backendVersionTrustedCert")
    void opensslClientWithRequiredClientCertificate(Backend backend, String version, ClientCert cert) throws Exception {
        KeyType clientType = cert == ClientCert.TRUSTED ? KeyType.EC_P256
                : cert == ClientCert.TRUSTED_RSA ? KeyType.RSA_2048 : KeyType.ED25519;
        SSLContext ctx = Microssl.server(backend, PKI.file(KeyType.RSA_2048, "chain.pem"), PKI.file(KeyType.RSA_2048, "leaf.key"),
                Microssl.version(version));
        ctx.loadVerifyLocations(PKI.clientFile(clientType, "root.pem").toString(), null);
        ctx.setVerifyMode(Ssl.CERT_REQUIRED);
        try (EchoServer server = new EchoServer(ctx);
                Peer client = PeerClients.openssl(PKI, KeyType.RSA_2048, server.port(), Microssl.version(version), cert, "required")) {
            assertEquals(0, client.waitFor(CLIENT_TIMEOUT_MS), client.output());
            assertServed(server.next(), version, "required", true);
        }
    }

    /** CERT_REQUIRED and no certificate: NO_CERTIFICATE here, certificate_required (1.3) / handshake_failure (1.2) there. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("org.microssl.desktop.interop.Microssl#backendVersion")
    void refusesOpensslClientWithoutCertificate(Backend backend, String version) throws Exception {
        try (EchoServer server = new EchoServer(server(backend, KeyType.EC_P256, Microssl.version(version), Ssl.CERT_REQUIRED));
                Peer client = PeerClients.openssl(PKI, KeyType.EC_P256, server.port(), Microssl.version(version), ClientCert.NONE, "x")) {
            EchoServer.Outcome o = server.next();
            CertificateRejectedException e = rejection(o.error);
            assertEquals(Reason.NO_CERTIFICATE, e.reason());
            client.awaitOutput(version.equals("TLSv1.3") ? "alert certificate required" : "alert handshake failure",
                    CLIENT_TIMEOUT_MS);
        }
    }

    /** Client certificates the server must refuse, with the reason here and the alert OpenSSL prints there. */
    enum BadClientCert {
        /** Issued by a CA the server does not trust: unknown_ca. */
        STRANGER(ClientCert.STRANGER, Reason.UNKNOWN_ISSUER, "alert unknown ca"),
        /** A trusted chain, but its leaf is for serverAuth only: unsupported_certificate. */
        SERVER_LEAF(ClientCert.SERVER_LEAF, Reason.BAD_EXTENDED_KEY_USAGE, "alert unsupported certificate");

        final ClientCert cert;
        final Reason reason;
        final String opensslSays;

        BadClientCert(ClientCert cert, Reason reason, String opensslSays) {
            this.cert = cert;
            this.reason = reason;
            this.opensslSays = opensslSays;
        }
    }

    static Stream<Arguments> backendVersionBadCert() {
        List<Arguments> l = new ArrayList<>();
        for (Backend b : Backend.values()) {
            for (int v : Microssl.VERSIONS) {
                for (BadClientCert c : BadClientCert.values()) l.add(Arguments.of(b, Microssl.versionName(v), c));
            }
        }
        return l.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("backendVersionBadCert")
    void refusesBadOpensslClientCertificates(Backend backend, String version, BadClientCert bad) throws Exception {
        SSLContext ctx = server(backend, KeyType.EC_P256, Microssl.version(version), Ssl.CERT_REQUIRED);
        // trust the server chain's root as well, so the server leaf's only fault is its extendedKeyUsage
        ctx.loadVerifyLocations(PKI.path(KeyType.EC_P256, "root.pem"), null);
        try (EchoServer server = new EchoServer(ctx);
                Peer client = PeerClients.openssl(PKI, KeyType.EC_P256, server.port(), Microssl.version(version), bad.cert, "x")) {
            EchoServer.Outcome o = server.next();
            CertificateRejectedException e = rejection(o.error);
            assertEquals(bad.reason, e.reason(), e.getMessage());
            assertEquals(0, e.depth(), e.getMessage());
            client.awaitOutput(bad.opensslSays, CLIENT_TIMEOUT_MS);
        }
    }

    // ------------------------------------------------------------------------------------------ GnuTLS, CPython

    @ParameterizedTest(name = "{0} {1} clientCert={2}")
    @MethodSource("backendVersionClientCert")
    void gnutlsClient(Backend backend, String version, boolean withCert) throws Exception {
        int verify = withCert ? Ssl.CERT_REQUIRED : Ssl.CERT_NONE;
        try (EchoServer server = new EchoServer(server(backend, KeyType.EC_P256, Microssl.version(version), verify));
                Peer client = PeerClients.gnutls(PKI, KeyType.EC_P256, server.port(), Microssl.version(version),
                        withCert ? ClientCert.TRUSTED : ClientCert.NONE, "hello gnutls")) {
            EchoServer.Outcome o = server.next();
            assertServed(o, version, "hello gnutls", withCert);
            client.awaitOutput(Pattern.compile("(?m)^hello gnutls$"), CLIENT_TIMEOUT_MS);
            client.awaitOutput("Peer has closed the GnuTLS connection", CLIENT_TIMEOUT_MS);
            String out = client.output();
            assertTrue(out.contains("- Description: (TLS" + version.substring(4) + "-"), out);
            assertTrue(out.contains("The certificate is trusted."), out);
        }
    }

    @ParameterizedTest(name = "{0} {1} clientCert={2}")
    @MethodSource("backendVersionClientCert")
    void pythonClient(Backend backend, String version, boolean withCert) throws Exception {
        int verify = withCert ? Ssl.CERT_REQUIRED : Ssl.CERT_NONE;
        try (EchoServer server = new EchoServer(server(backend, KeyType.RSA_2048, Microssl.version(version), verify));
                Peer client = PeerClients.python(PKI, KeyType.RSA_2048, server.port(), Microssl.version(version),
                        withCert ? ClientCert.TRUSTED : ClientCert.NONE, "hello cpython")) {
            assertEquals(0, client.waitFor(CLIENT_TIMEOUT_MS), client.output());
            EchoServer.Outcome o = server.next();
            assertServed(o, version, "hello cpython", withCert);
            String out = client.output();
            assertTrue(out.contains("PROTOCOL " + version + " CIPHER " + Microssl.opensslName(o.cipher)), out);
            assertTrue(out.contains("GOT hello cpython"), out);
        }
    }

    /** Every TLS failure is an SslException; a certificate rejection carries the validator's exception. */
    private static CertificateRejectedException rejection(Exception error) {
        SslException e = assertInstanceOf(SslException.class, error, String.valueOf(error));
        assertEquals(SslException.Failure.CERTIFICATE_REJECTED, e.failure(), e.getMessage());
        assertTrue(e.alert() >= 0, e.getMessage());
        return e.rejection();
    }
}
