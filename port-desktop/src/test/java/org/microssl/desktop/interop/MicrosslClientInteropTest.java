package org.microssl.desktop.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.microssl.desktop.interop.Microssl.ascii;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.bouncycastle.tls.AlertDescription;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.microssl.Clocks;
import org.microssl.SSLContext;
import org.microssl.SSLSocket;
import org.microssl.Ssl;
import org.microssl.SslException;
import org.microssl.spi.Clock;
import org.microssl.testing.Peer;
import org.microssl.testing.TestPki.KeyType;
import org.microssl.x509.Reason;

/**
 * microssl's client against real servers (OpenSSL, GnuTLS, CPython's ssl) over loopback, under both crypto
 * backends: the data crosses both ways, the negotiated version and suite are what was asked, and each rejection
 * is the exact exception and reason, with the alert the server saw.
 */
class MicrosslClientInteropTest {
    private static final InteropPki PKI = InteropPki.get();

    private static SSLContext clientFor(Backend backend, KeyType type, int version) {
        return Microssl.client(backend, PKI.file(type, "root.pem"), version);
    }

    private static SSLContext withClientCert(SSLContext ctx) {
        ctx.loadCertChain(PKI.clientFile("chain.pem").toString(), PKI.clientFile("leaf.key").toString());
        return ctx;
    }

    /** Writes {@code line}, expects {@code reply}, then asks the server to close and sees its close_notify. */
    private static void exchange(SSLSocket s, String line, String reply, String closeCommand) throws IOException {
        s.write(ascii(line + "\n"));
        assertEquals(reply + "\n", ascii(s.readline()));
        if (closeCommand != null) {
            s.write(ascii(closeCommand + "\n"));
            assertArrayEquals(new byte[0], s.read(100), "clean end of stream after the server's close_notify");
        }
        s.close();
    }

    private static void assertNegotiated(SSLSocket s, String version, KeyType type) {
        assertEquals(version, s.version());
        assertEquals(version, s.cipher()[1]);
        String suite = s.cipher()[0];
        if (version.equals("TLSv1.3")) {
            assertTrue(suite.matches("TLS_(AES_128_GCM|AES_256_GCM|CHACHA20_POLY1305)_SHA(256|384)"), suite);
        } else {
            String auth = type == KeyType.RSA_2048 ? "RSA" : "ECDSA"; // Ed25519 signs ECDHE_ECDSA suites (RFC 8422)
            assertTrue(suite.matches("TLS_ECDHE_" + auth + "_WITH_(AES_128_GCM_SHA256|AES_256_GCM_SHA384|CHACHA20_POLY1305_SHA256)"), suite);
        }
        assertEquals("CN=localhost", Microssl.subject((byte[]) s.getpeercert(true)));
    }

    // ------------------------------------------------------------------------------------------ OpenSSL

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("org.microssl.desktop.interop.Microssl#backendKeyVersion")
    void opensslServer(Backend backend, KeyType type, String version) throws Exception {
        try (Peer server = PeerServers.openssl(PKI, type, Microssl.version(version), false, true)) {
            SSLSocket s = Microssl.connect(clientFor(backend, type, Microssl.version(version)), server.port(), "localhost");
            assertNegotiated(s, version, type);
            exchange(s, "hello openssl", "lssnepo olleh", "CLOSE");
            server.awaitOutput("Protocol version: " + version, 5_000);
        }
    }

    static Stream<Arguments> backendKeyVersionForClientCert() {
        return Microssl.backendKeyVersion();
    }

    /** Mutual TLS: microssl signs CertificateVerify with each key type (ECDSA, RSA-PSS in 1.3 / PKCS#1 or PSS in 1.2, Ed25519). */
    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("backendKeyVersionForClientCert")
    void opensslServerRequiringClientCertificate(Backend backend, KeyType clientType, String version) throws Exception {
        try (Peer server = PeerServers.openssl(PKI, KeyType.EC_P256, Microssl.version(version), clientType, true, null)) {
            SSLContext ctx = clientFor(backend, KeyType.EC_P256, Microssl.version(version));
            ctx.loadCertChain(PKI.clientFile(clientType, "chain.pem").toString(), PKI.clientFile(clientType, "leaf.key").toString());
            SSLSocket s = Microssl.connect(ctx, server.port(), "localhost");
            exchange(s, "mutual", "lautum", "CLOSE");
            server.awaitOutput("Peer certificate: CN = client.test", 5_000);
        }
    }

    /** Every default suite by name, so each AEAD runs under each backend (ChaCha20 is never OpenSSL's first pick). */
    static Stream<Arguments> backendSuite() {
        List<Arguments> l = new ArrayList<>();
        for (Backend b : Backend.values()) {
            for (String suite : new SSLContext(Ssl.PROTOCOL_TLS_CLIENT).getCiphers()) l.add(Arguments.of(b, suite));
        }
        return l.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("backendSuite")
    void opensslServerEachDefaultSuite(Backend backend, String suite) throws Exception {
        boolean tls13 = !suite.contains("_WITH_");
        KeyType type = suite.contains("_RSA_") ? KeyType.RSA_2048 : KeyType.EC_P256;
        int version = tls13 ? Ssl.TLSv1_3 : Ssl.TLSv1_2;
        try (Peer server = PeerServers.openssl(PKI, type, version, false, true)) {
            SSLContext ctx = clientFor(backend, type, version);
            ctx.setCiphers(suite);
            SSLSocket s = Microssl.connect(ctx, server.port(), "localhost");
            assertEquals(suite, s.cipher()[0]);
            exchange(s, "suite " + suite, new StringBuilder("suite " + suite).reverse().toString(), "CLOSE");
            server.awaitOutput(Pattern.compile("(?:Ciphersuite|CIPHER is|Shared ciphers).*?" + Pattern.quote(Microssl.opensslName(suite))), 5_000);
        }
    }

    /** Each key-exchange group alone on the server; in TLS 1.3 a group we did not send a share for means a HelloRetryRequest. */
    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("org.microssl.desktop.interop.Microssl#backendVersionGroup")
    void opensslServerEachGroup(Backend backend, String version, String group) throws Exception {
        try (Peer server = PeerServers.openssl(PKI, KeyType.EC_P256, Microssl.version(version), false, true, group)) {
            SSLSocket s = Microssl.connect(clientFor(backend, KeyType.EC_P256, Microssl.version(version)), server.port(), "localhost");
            exchange(s, "group " + group, new StringBuilder("group " + group).reverse().toString(), "CLOSE");
            server.awaitOutput(Pattern.compile("Supported groups: .*" + Pattern.quote(group.equals("X25519") ? "x25519"
                    : group.equals("P-256") ? "secp256r1" : "secp384r1")), 5_000);
        }
    }

    /** 256 KiB each way through CPython's echo: many full records, in both directions at once. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void bulkEchoThroughCpython(Backend backend) throws Exception {
        byte[] data = new byte[256 * 1024];
        for (int i = 0; i < data.length; i++) data[i] = (byte) (i * 31 + (i >>> 9)); // no period a record could hide
        data[data.length - 1] = '\n'; // the server echoes line by line
        try (Peer server = PeerServers.python(PKI, KeyType.EC_P256, Ssl.TLSv1_3, false)) {
            SSLSocket s = Microssl.connect(clientFor(backend, KeyType.EC_P256, Ssl.TLSv1_3), server.port(), "localhost");
            java.util.concurrent.CompletableFuture<Void> writer = java.util.concurrent.CompletableFuture.runAsync(() -> {
                try {
                    for (int off = 0; off < data.length; off += 10_000) {
                        s.write(data, off, Math.min(10_000, data.length - off));
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            byte[] back = new byte[data.length];
            int got = 0;
            java.io.InputStream in = s.getInputStream();
            while (got < back.length) {
                int n;
                try {
                    n = in.read(back, got, back.length - got);
                } catch (java.net.SocketTimeoutException e) {
                    throw new AssertionError("read timed out after " + got + " of " + back.length + " bytes; writer done="
                            + writer.isDone() + " " + (writer.isCompletedExceptionally() ? "failed" : "") + "\n" + server.output(), e);
                }
                if (n < 0) throw new AssertionError("end of stream after " + got + " bytes");
                got += n;
            }
            writer.get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertArrayEquals(data, back);
            s.close();
        }
    }

    /** Without a certificate the server refuses us: TLS 1.3 certificate_required, TLS 1.2 handshake_failure. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("org.microssl.desktop.interop.Microssl#backendVersion")
    void opensslServerRefusesClientWithoutCertificate(Backend backend, String version) throws Exception {
        try (Peer server = PeerServers.openssl(PKI, KeyType.EC_P256, Microssl.version(version), true, true)) {
            SslException e = assertThrows(SslException.class, () -> {
                // in TLS 1.3 our handshake completes before the server judges our (empty) Certificate
                SSLSocket s = Microssl.connect(clientFor(backend, KeyType.EC_P256, Microssl.version(version)), server.port(), "localhost");
                s.write(ascii("x\n"));
                s.readline();
            });
            assertEquals(SslException.Failure.ALERT_RECEIVED, e.failure(), e.toString());
            short expected = version.equals("TLSv1.3") ? AlertDescription.certificate_required : AlertDescription.handshake_failure;
            assertEquals(expected, e.alert(), e.toString());
        }
    }

    // ------------------------------------------------------------------------------------------ rejections

    /** A rejection case: how the client is set up, what it must throw, and the alert OpenSSL must report. */
    enum Rejection {
        WRONG_HOSTNAME(Reason.HOSTNAME_MISMATCH, "bad certificate"),
        UNKNOWN_CA(Reason.UNKNOWN_ISSUER, "unknown ca"),
        MISSING_INTERMEDIATE(Reason.UNKNOWN_ISSUER, "unknown ca"),
        EXPIRED(Reason.EXPIRED, "certificate expired"),
        NOT_YET_VALID(Reason.NOT_YET_VALID, "certificate expired"),
        CLOCK_NOT_SET(Reason.CLOCK_NOT_SET, "certificate unknown");

        final Reason reason;
        final String opensslAlertText;

        Rejection(Reason reason, String opensslAlertText) {
            this.reason = reason;
            this.opensslAlertText = opensslAlertText;
        }
    }

    static Stream<Arguments> backendRejection() {
        List<Arguments> l = new ArrayList<>();
        for (Backend b : Backend.values()) {
            for (Rejection r : Rejection.values()) l.add(Arguments.of(b, r));
        }
        return l.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("backendRejection")
    void rejectsBadServerCertificates(Backend backend, Rejection rejection) throws Exception {
        KeyType type = KeyType.EC_P256;
        Instant notBefore = PKI.server(type).leaf.holder().getNotBefore().toInstant();
        Instant notAfter = PKI.server(type).leaf.holder().getNotAfter().toInstant();
        SSLContext ctx = Microssl.client(backend,
                rejection == Rejection.UNKNOWN_CA ? PKI.dir.resolve("other-root.pem") : PKI.file(type, "root.pem"),
                Ssl.TLSv1_3);
        switch (rejection) {
            // RFC 5280 section 4.1.2.5: notAfter is inclusive, so one second past it is the first expired instant
            case EXPIRED: ctx.setClock(Clocks.fixed(notAfter.plusSeconds(1).toEpochMilli())); break;
            case NOT_YET_VALID: ctx.setClock(Clocks.fixed(notBefore.minusSeconds(1).toEpochMilli())); break;
            case CLOCK_NOT_SET: ctx.setClock(() -> Clock.TIME_UNKNOWN); break;
            default: break;
        }
        String hostname = rejection == Rejection.WRONG_HOSTNAME ? "wrong.example" : "localhost";
        try (Peer server = PeerServers.openssl(PKI, type, Ssl.TLSv1_3, false,
                rejection != Rejection.MISSING_INTERMEDIATE)) {
            SslException e = assertThrows(SslException.class, () -> Microssl.connect(ctx, server.port(), hostname));
            assertEquals(SslException.Failure.CERTIFICATE_REJECTED, e.failure(), e.getMessage());
            assertEquals(rejection.reason, e.reason(), e.getMessage());
            assertTrue(e.getMessage().endsWith("sent alert " + rejection.opensslAlertText.replace(' ', '_') + "("
                    + e.alert() + ")"), e.getMessage());
            server.awaitOutput("alert " + rejection.opensslAlertText, 5_000);
        }
    }

    // ------------------------------------------------------------------------------------------ GnuTLS, CPython

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("org.microssl.desktop.interop.Microssl#backendVersion")
    void gnutlsServer(Backend backend, String version) throws Exception {
        try (Peer server = PeerServers.gnutls(PKI, KeyType.EC_P256, Microssl.version(version), false)) {
            SSLSocket s = Microssl.connect(clientFor(backend, KeyType.EC_P256, Microssl.version(version)), server.port(), "localhost");
            assertNegotiated(s, version, KeyType.EC_P256);
            exchange(s, "hello gnutls", "hello gnutls", null);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void gnutlsServerRequiringClientCertificate(Backend backend) throws Exception {
        try (Peer server = PeerServers.gnutls(PKI, KeyType.RSA_2048, Ssl.TLSv1_3, true)) {
            SSLContext ctx = withClientCert(clientFor(backend, KeyType.RSA_2048, Ssl.TLSv1_3));
            SSLSocket s = Microssl.connect(ctx, server.port(), "localhost");
            assertNegotiated(s, "TLSv1.3", KeyType.RSA_2048);
            exchange(s, "mutual gnutls", "mutual gnutls", null);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("org.microssl.desktop.interop.Microssl#backendVersion")
    void pythonServer(Backend backend, String version) throws Exception {
        try (Peer server = PeerServers.python(PKI, KeyType.ED25519, Microssl.version(version), false)) {
            SSLSocket s = Microssl.connect(clientFor(backend, KeyType.ED25519, Microssl.version(version)), server.port(), "localhost");
            assertNegotiated(s, version, KeyType.ED25519);
            exchange(s, "hello cpython", "hello cpython", "CLOSE");
            server.awaitOutput("PROTOCOL " + version + " CIPHER " + Microssl.opensslName(s.cipher()[0]), 5_000);
            server.awaitOutput("CLOSED_CLEANLY", 5_000);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void pythonServerRequiringClientCertificate(Backend backend) throws Exception {
        try (Peer server = PeerServers.python(PKI, KeyType.EC_P256, Ssl.TLSv1_3, true)) {
            SSLContext ctx = withClientCert(clientFor(backend, KeyType.EC_P256, Ssl.TLSv1_3));
            SSLSocket s = Microssl.connect(ctx, server.port(), "localhost");
            exchange(s, "mutual cpython", "mutual cpython", "CLOSE");
            server.awaitOutput(Pattern.compile("PEER .*commonName=client\\.test"), 5_000);
        }
    }
}
