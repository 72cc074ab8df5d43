package org.microssl.desktop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.microssl.desktop.interop.Peer.cmd;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.microssl.desktop.interop.Peer;

/** The demo's CA is checked by two independent parsers: the JDK's and OpenSSL's. */
class DemoCaTest {

    private static X509Certificate parse(byte[] der) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }

    @Test
    void jdkParsesAndVerifiesTheCertificates() throws Exception {
        DemoCa ca = new DemoCa("Demo Root", 30);
        Instant now = Instant.now();
        DemoCa.Issued leaf = ca.issueServer("localhost", now.minusSeconds(60), now.plusSeconds(86400));
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
    }

    @Test
    void opensslVerifiesTheChainForLocalhost(@TempDir Path dir) throws Exception {
        DemoCa ca = new DemoCa("Demo Root", 30);
        Instant now = Instant.now();
        Files.write(dir.resolve("root.pem"), pem(ca.root().der));
        Files.write(dir.resolve("leaf.pem"), pem(ca.issueServer("localhost", now.minusSeconds(60), now.plusSeconds(600)).der));
        try (Peer verify = Peer.client("openssl verify", dir, cmd("openssl", "verify", "-purpose", "sslserver",
                "-verify_hostname", "localhost", "-verify_ip", "127.0.0.1", "-CAfile", "root.pem", "leaf.pem"), null)) {
            assertEquals(0, verify.waitFor(10_000), verify.output());
        }
        Files.write(dir.resolve("expired.pem"), pem(ca.issueServer("localhost", now.minusSeconds(7200), now.minusSeconds(3600)).der));
        try (Peer verify = Peer.client("openssl verify", dir, cmd("openssl", "verify", "-CAfile", "root.pem", "expired.pem"), null)) {
            assertEquals(2, verify.waitFor(10_000), verify.output());
            assertTrue(verify.output().contains("certificate has expired"), verify.output());
        }
    }

    private static byte[] pem(byte[] der) {
        return ("-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder().encodeToString(der)
                + "\n-----END CERTIFICATE-----\n").getBytes(StandardCharsets.US_ASCII);
    }
}
