package org.microssl.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;

import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.microssl.SSLContext;
import org.microssl.SSLSocket;
import org.microssl.Ssl;
import org.microssl.SslException;
import org.microssl.StreamTransport;
import org.microssl.spi.KeySigner;
import org.microssl.testing.Peer;
import org.microssl.testing.TestPki;

/**
 * The secure-element hook: mutual TLS 1.3 against {@code openssl s_server -Verify 1}, the client's key living in
 * a (software) secure element that microssl only asks for signatures.
 */
class SecureElementTest {

    @TempDir
    static Path dir;
    static TestPki.Chain server;
    static TestPki.Issued clientRoot;
    static TestPki.Issued clientIntermediate;

    @BeforeAll
    static void pki() throws IOException {
        server = TestPki.chain(TestPki.KeyType.EC_P256).writeTo(dir, "server-");
        clientRoot = TestPki.cert().subject("CN=Device Fleet Root").ca(-1).build();
        clientIntermediate = TestPki.cert().subject("CN=Device Fleet CA").ca(0).issuer(clientRoot).build();
        Files.write(dir.resolve("client-root.pem"), clientRoot.pem().getBytes(StandardCharsets.US_ASCII));
    }

    static byte[] deviceChain(KeySigner element, java.security.KeyPair publicKey) {
        TestPki.Issued leaf = TestPki.cert().subject("CN=sensor-0042").keyPair(publicKey, TestPki.KeyType.EC_P256)
            .issuer(clientIntermediate).san("DNS:sensor-0042").eku(KeyPurposeId.id_kp_clientAuth).build();
        return (leaf.pem() + clientIntermediate.pem()).getBytes(StandardCharsets.US_ASCII);
    }

    static Peer verifyingServer() throws Exception {
        return Peer.opensslServer(dir, "-cert", dir.resolve("server-leaf.pem").toString(), "-cert_chain",
            dir.resolve("server-int.pem").toString(), "-key", dir.resolve("server-leaf.key").toString(),
            "-Verify", "1", "-verify_return_error", "-CAfile", dir.resolve("client-root.pem").toString(),
            "-tls1_3", "-rev");
    }

    static SSLSocket connect(int port, SSLContext ctx) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        return ctx.wrapSocket(new StreamTransport(s.getInputStream(), s.getOutputStream(), s), false, true,
            "localhost");
    }

    static SSLContext context() {
        SSLContext ctx = new SSLContext(Ssl.PROTOCOL_TLS_CLIENT);
        ctx.loadVerifyLocations(server.root.der);
        return ctx;
    }

    @Test
    void mutualTlsWithTheKeyInTheSecureElement() throws Exception {
        SoftwareSecureElement element = new SoftwareSecureElement();
        SSLContext ctx = context();
        ctx.loadCertChain(deviceChain(element, element.publicOnly()), element);
        try (Peer s = verifyingServer()) {
            SSLSocket tls = connect(s.port(), ctx);
            assertEquals("TLSv1.3", tls.version());
            tls.write("reading=21.5\nCLOSE\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("5.12=gnidaer\n", new String(tls.readline(), StandardCharsets.US_ASCII));
            tls.close();
        }
        assertEquals(Collections.singletonList(KeySigner.ECDSA_SECP256R1_SHA256), element.schemesUsed,
            "one CertificateVerify signature, made by the element");
    }

    @Test
    void aSignatureFromTheWrongKeyIsRejectedByTheServer() throws Exception {
        SoftwareSecureElement element = new SoftwareSecureElement();
        SoftwareSecureElement other = new SoftwareSecureElement();
        SSLContext ctx = context();
        ctx.loadCertChain(deviceChain(element, element.publicOnly()), other);
        try (Peer s = verifyingServer()) {
            SslException e = assertThrows(SslException.class, () -> {
                SSLSocket tls = connect(s.port(), ctx);
                // TLS 1.3: the client finishes first; the server's verdict arrives with the first read.
                tls.write("x\n".getBytes(StandardCharsets.US_ASCII));
                tls.readline();
            });
            assertEquals(SslException.Failure.ALERT_RECEIVED, e.failure(), e.getMessage());
            assertTrue(e.getMessage().contains("decrypt_error"), e.getMessage());
        }
    }

    @Test
    void aFailingSecureElementFailsTheHandshakeLoudly() throws Exception {
        SoftwareSecureElement element = new SoftwareSecureElement();
        KeySigner broken = new KeySigner() {
            @Override
            public int[] supportedSchemes() {
                return element.supportedSchemes();
            }

            @Override
            public byte[] sign(int scheme, byte[] input) throws IOException {
                throw new IOException("ATECC608: I2C NACK");
            }
        };
        SSLContext ctx = context();
        ctx.loadCertChain(deviceChain(element, element.publicOnly()), broken);
        try (Peer s = verifyingServer()) {
            SslException e = assertThrows(SslException.class, () -> connect(s.port(), ctx));
            assertEquals(SslException.Failure.SIGNER_FAILURE, e.failure(), e.getMessage());
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            assertEquals("ATECC608: I2C NACK", root.getMessage());
        }
    }

    @Test
    void withoutAClientCertificateTheServerRefuses() throws Exception {
        try (Peer s = verifyingServer()) {
            SslException e = assertThrows(SslException.class, () -> {
                SSLSocket tls = connect(s.port(), context());
                tls.write("x\n".getBytes(StandardCharsets.US_ASCII));
                tls.readline();
            });
            assertEquals(SslException.Failure.ALERT_RECEIVED, e.failure(), e.getMessage());
            assertTrue(e.getMessage().contains("certificate_required"), e.getMessage());
        }
    }
}
