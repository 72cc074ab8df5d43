package org.microssl.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.microssl.testing.Peer.cmd;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.microssl.testing.Peer;
import org.microssl.testing.TestPki;

/** The demos' CA is checked by two independent parsers: the JDK's and OpenSSL's. */
class DemoPkiTest {

    private static X509Certificate parse(byte[] der) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(der));
    }

    private static DemoPki.Issued server(DemoPki ca, Instant notBefore, Instant notAfter) throws Exception {
        return ca.issue(KeyPurposeId.id_kp_serverAuth, notBefore, notAfter, "DNS:localhost", "IP:127.0.0.1");
    }

    @Test
    void jdkParsesAndVerifiesTheCertificates() throws Exception {
        Instant now = Instant.now();
        DemoPki ca = new DemoPki("Demo Root", now.minusSeconds(3600), now.plusSeconds(30 * 86400L));
        DemoPki.Issued leaf = server(ca, now.minusSeconds(60), now.plusSeconds(86400));
        X509Certificate root = parse(ca.root().der);
        X509Certificate server = parse(leaf.der);
        root.verify(root.getPublicKey());
        server.verify(root.getPublicKey());
        assertEquals("CN=localhost", server.getSubjectX500Principal().getName());
        assertEquals(root.getSubjectX500Principal(), server.getIssuerX500Principal());
        assertTrue(root.getBasicConstraints() >= 0, "root is a CA");
        assertEquals(-1, server.getBasicConstraints(), "leaf is not a CA");
        assertEquals("1.3.6.1.5.5.7.3.1", server.getExtendedKeyUsage().get(0));
        assertEquals(2, server.getSubjectAlternativeNames().size());
        assertEquals(now.plusSeconds(86400).getEpochSecond(), server.getNotAfter().toInstant().getEpochSecond());
        // RFC 5280 section 4.2.1.1: the leaf names the key that signed it
        assertArrayEquals(subjectKeyId(root), authorityKeyId(server));
    }

    /** The PKCS#8 key loads in the JCA and matches the certificate's public key. */
    @Test
    void theKeyIsTheCertifiedOne() throws Exception {
        Instant now = Instant.now();
        DemoPki.Issued leaf = server(new DemoPki("Demo Root", now, now.plusSeconds(600)), now, now.plusSeconds(600));
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(leaf.pkcs8()));
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(key);
        s.update(new byte[] {1, 2, 3});
        byte[] signature = s.sign();
        s.initVerify(parse(leaf.der).getPublicKey());
        s.update(new byte[] {1, 2, 3});
        assertTrue(s.verify(signature));
    }

    @Test
    void opensslVerifiesTheChainForLocalhost(@TempDir Path dir) throws Exception {
        Instant now = Instant.now();
        DemoPki ca = new DemoPki("Demo Root", now.minusSeconds(3600), now.plusSeconds(30 * 86400L));
        Files.write(dir.resolve("root.pem"), pem(ca.root().der));
        Files.write(dir.resolve("leaf.pem"), pem(server(ca, now.minusSeconds(60), now.plusSeconds(600)).der));
        Peer.assumeInstalled("openssl");
        try (Peer verify = Peer.client("openssl verify", dir, cmd("openssl", "verify", "-purpose", "sslserver",
                "-verify_hostname", "localhost", "-verify_ip", "127.0.0.1", "-CAfile", "root.pem", "leaf.pem"), null)) {
            assertEquals(0, verify.waitFor(10_000), verify.output());
        }
        Files.write(dir.resolve("expired.pem"), pem(server(ca, now.minusSeconds(7200), now.minusSeconds(3600)).der));
        try (Peer verify = Peer.client("openssl verify", dir,
                cmd("openssl", "verify", "-CAfile", "root.pem", "expired.pem"), null)) {
            assertEquals(2, verify.waitFor(10_000), verify.output());
            assertTrue(verify.output().contains("certificate has expired"), verify.output());
        }
    }

    private static byte[] subjectKeyId(X509Certificate c) {
        return SubjectKeyIdentifier.getInstance(extension(c, Extension.subjectKeyIdentifier)).getKeyIdentifier();
    }

    private static byte[] authorityKeyId(X509Certificate c) {
        return AuthorityKeyIdentifier.getInstance(extension(c, Extension.authorityKeyIdentifier)).getKeyIdentifier();
    }

    private static byte[] extension(X509Certificate c, ASN1ObjectIdentifier oid) {
        return ASN1OctetString.getInstance(c.getExtensionValue(oid.getId())).getOctets();
    }

    private static byte[] pem(byte[] der) {
        return TestPki.pem("CERTIFICATE", der).getBytes(StandardCharsets.US_ASCII);
    }
}
