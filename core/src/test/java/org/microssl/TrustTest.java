package org.microssl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.Socket;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.Collections;
import java.util.List;

import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.tls.AlertDescription;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.microssl.SslException.Failure;
import org.microssl.internal.SystemTrust;
import org.microssl.spi.TrustAnchorSource;
import org.microssl.testing.Peer;
import org.microssl.testing.TestPki;
import org.microssl.x509.Reason;

/**
 * Trust against openssl s_server: CRLs handed to the context (and openssl verify agreeing on them), the chain as
 * validated from {@code getPeerCertChain}, the platform's anchors from {@code createDefault()}, and a device's own
 * anchors registered as a {@link TrustAnchorSource}.
 */
class TrustTest {
    static final TestPki.Chain CHAIN = TestPki.chain(TestPki.KeyType.EC_P256);

    @TempDir
    static Path dir;

    @BeforeAll
    static void write() throws Exception {
        CHAIN.writeTo(dir, "");
        Files.write(dir.resolve("revoking.crl"), crl(CHAIN.intermediate, CHAIN.leaf));
        Files.write(dir.resolve("empty.crl"), crl(CHAIN.intermediate));
        Files.write(dir.resolve("revoking.pem"), TestPki.pem("X509 CRL", crl(CHAIN.intermediate, CHAIN.leaf))
                .getBytes(StandardCharsets.US_ASCII));
    }

    /** A current CRL of {@code issuer} revoking {@code revoked}. */
    static byte[] crl(TestPki.Issued issuer, TestPki.Issued... revoked) throws Exception {
        Instant now = Instant.now();
        org.bouncycastle.cert.X509v2CRLBuilder b = new org.bouncycastle.cert.X509v2CRLBuilder(issuer.subject,
                java.util.Date.from(now.minusSeconds(3600)));
        b.setNextUpdate(java.util.Date.from(now.plusSeconds(7 * 86400)));
        for (TestPki.Issued r : revoked) {
            b.addCRLEntry(r.holder().getSerialNumber(), java.util.Date.from(now.minusSeconds(1800)),
                    org.bouncycastle.asn1.x509.CRLReason.keyCompromise);
        }
        b.addExtension(Extension.cRLNumber, false, new org.bouncycastle.asn1.x509.CRLNumber(java.math.BigInteger.ONE));
        return b.build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder(issuer.keyType.defaultSignature)
                .setProvider(TestPki.BC).build(issuer.keyPair.getPrivate())).getEncoded();
    }

    static Peer openssl() throws Exception {
        return Peer.opensslServer(dir, "-cert", "leaf.pem", "-key", "leaf.key", "-cert_chain", "int.pem", "-tls1_3");
    }

    static SSLSocket connect(SSLContext ctx, Peer server) throws Exception {
        return ctx.wrapSocket(new Socket("127.0.0.1", server.port()), false, true, "localhost");
    }

    static SSLContext client() {
        SSLContext ctx = new SSLContext(Ssl.PROTOCOL_TLS_CLIENT);
        ctx.loadVerifyLocations(null, CHAIN.root.der);
        return ctx;
    }

    @Test
    void loadCrlRejectsARevokedServerAsOpensslDoes() throws Exception {
        // the fixture is a CRL OpenSSL accepts, and OpenSSL finds the leaf revoked by it
        String verdict;
        try {
            verdict = Peer.runTool(dir, "openssl", "verify", "-crl_check", "-CRLfile", "revoking.pem", "-CAfile",
                    "root.pem", "-untrusted", "int.pem", "leaf.pem");
        } catch (java.io.IOException e) {
            verdict = e.getMessage();
        }
        assertTrue(verdict.contains("certificate revoked"), verdict);

        try (Peer server = openssl()) {
            for (String crl : new String[] {"revoking.crl", "revoking.pem"}) {
                SSLContext ctx = client();
                ctx.loadCrl(Files.readAllBytes(dir.resolve(crl)));
                SslException e = assertThrows(SslException.class, () -> connect(ctx, server));
                assertEquals(Failure.CERTIFICATE_REJECTED, e.failure());
                assertEquals(Reason.REVOKED, e.reason());
                assertEquals(0, e.rejection().depth());
                assertEquals(AlertDescription.certificate_revoked, e.alert());
            }
            SSLContext clean = client();
            clean.loadCrl(Files.readAllBytes(dir.resolve("empty.crl")));
            connect(clean, server).close();
        }
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> client().loadCrl(new byte[] {0x30, 0x03, 1, 2, 3}));
        assertTrue(bad.getMessage().startsWith("invalid crl: "), bad.getMessage());
    }

    @Test
    void peerCertChainIsThePathAsValidated() throws Exception {
        try (Peer server = openssl()) {
            try (SSLSocket s = connect(client(), server)) {
                List<byte[]> chain = s.getPeerCertChain();
                assertEquals(3, chain.size(), "leaf, intermediate, trust anchor");
                assertArrayEquals(CHAIN.leaf.der, chain.get(0));
                assertArrayEquals(CHAIN.intermediate.der, chain.get(1));
                assertArrayEquals(CHAIN.root.der, chain.get(2));
                chain.get(0)[0] ^= 1; // copies: the connection's own are untouched
                assertArrayEquals(CHAIN.leaf.der, s.getPeerCertChain().get(0));
            }
            SSLContext none = new SSLContext(Ssl.PROTOCOL_TLS_CLIENT);
            none.setVerifyMode(Ssl.CERT_NONE);
            try (SSLSocket s = connect(none, server)) {
                List<byte[]> sent = s.getPeerCertChain();
                assertEquals(2, sent.size(), "not validated: as the server sent it");
                assertArrayEquals(CHAIN.intermediate.der, sent.get(1));
            }
        }
        assertNull(client().wrapSocket(org.microssl.testing.MemoryTransport.nonBlockingPair(1, false)[0], false, false,
                "localhost").getPeerCertChain(), "no handshake yet");
    }

    /**
     * CPython's create_default_context(): $SSL_CERT_FILE or the system bundle (Debian's here), which does not vouch
     * for a test CA.
     */
    @Test
    void createDefaultTrustsTheSystemBundle() throws Exception {
        String env = System.getenv("SSL_CERT_FILE"); // an explicit choice replaces the distribution's bundle
        Path bundle = Paths.get(env != null && !env.isEmpty() ? env : "/etc/ssl/certs/ca-certificates.crt");
        assumeTrue(Files.isRegularFile(bundle), "no system CA bundle at " + bundle + " (Debian's ca-certificates)");
        SSLContext ctx = SSLContext.createDefault();
        assertEquals(bundle.toString(), ctx.getDefaultCertsSource());
        assertEquals(Ssl.CERT_REQUIRED, ctx.getVerifyMode());
        int inFile = new String(Files.readAllBytes(bundle), StandardCharsets.US_ASCII).split("BEGIN CERTIFICATE",
                -1).length - 1;
        assertEquals(inFile, new SystemTrust().trustAnchors().size());
        assertThrows(IllegalArgumentException.class, () -> ctx.wrapSocket(new Socket(), null),
                "CERT_REQUIRED needs the host name, as CPython's default context");
        try (Peer server = openssl()) {
            SslException e = assertThrows(SslException.class, () -> connect(ctx, server));
            assertEquals(Reason.UNKNOWN_ISSUER, e.reason());
        }
    }

    /** A device's anchors, registered with ServiceLoader, are what createDefault() trusts. */
    public static final class DeviceAnchors implements TrustAnchorSource {
        public DeviceAnchors() {}

        @Override
        public List<byte[]> trustAnchors() {
            return Collections.singletonList(CHAIN.root.der);
        }

        @Override
        public String describe() {
            return "the device's flash";
        }
    }

    @Test
    void aRegisteredTrustAnchorSourceReplacesTheSystemBundle(@TempDir Path classes) throws Exception {
        Path services = Files.createDirectories(classes.resolve("META-INF/services"));
        Files.write(services.resolve(TrustAnchorSource.class.getName()),
                (DeviceAnchors.class.getName() + "\n").getBytes(StandardCharsets.US_ASCII));
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, before)) {
            Thread.currentThread().setContextClassLoader(loader);
            SSLContext ctx = SSLContext.createDefault();
            assertEquals("the device's flash", ctx.getDefaultCertsSource());
            try (Peer server = openssl(); SSLSocket s = connect(ctx, server)) {
                assertEquals("TLSv1.3", s.version());
            }
        } finally {
            Thread.currentThread().setContextClassLoader(before);
        }
    }
}
