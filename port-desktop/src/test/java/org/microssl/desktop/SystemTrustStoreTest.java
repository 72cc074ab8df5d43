package org.microssl.desktop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemTrustStoreTest {

    private static X509Certificate parse(byte[] der) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der));
    }

    @Test
    void loadsSelfSignedAnchorsFromTheSystem() throws Exception {
        SystemTrustStore.Anchors anchors = SystemTrustStore.load();
        assertTrue(anchors.certificates.size() > 10, anchors.source + " has " + anchors.certificates.size());
        int selfIssued = 0;
        for (byte[] der : anchors.certificates) {
            X509Certificate c = parse(der);
            if (c.getSubjectX500Principal().equals(c.getIssuerX500Principal())) selfIssued++;
        }
        assertTrue(selfIssued > anchors.certificates.size() / 2, "system roots are mostly self-issued");
    }

    @Test
    void jdkCacertsFallbackReadsTrustedEntries() throws Exception {
        List<byte[]> certs = SystemTrustStore.readJdkCacerts(SystemTrustStore.jdkCacertsPath());
        assertTrue(certs.size() > 10, "cacerts entries: " + certs.size());
        parse(certs.get(0));
    }

    @Test
    void missingCacertsIsEmptyNotAnError(@TempDir Path dir) throws Exception {
        assertTrue(SystemTrustStore.readJdkCacerts(dir.resolve("nope")).isEmpty());
    }

    @Test
    void pemBundleKeepsOnlyCertificatesInOrder(@TempDir Path dir) throws Exception {
        List<byte[]> system = SystemTrustStore.load().certificates;
        String text = "# comment\n" + pem("CERTIFICATE", system.get(0)) + pem("X509 CRL", new byte[] {1, 2, 3})
                + "Bag Attributes\n" + pem("CERTIFICATE", system.get(1));
        Path f = dir.resolve("bundle.pem");
        Files.write(f, text.getBytes(StandardCharsets.US_ASCII));
        List<byte[]> read = SystemTrustStore.readPemBundle(f);
        assertEquals(2, read.size());
        assertEquals(parse(system.get(0)), parse(read.get(0)));
        assertEquals(parse(system.get(1)), parse(read.get(1)));
    }

    @Test
    void brokenBundleNamesTheFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("broken.pem");
        Files.write(f, "-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n".getBytes(StandardCharsets.US_ASCII));
        IOException e = assertThrows(IOException.class, () -> SystemTrustStore.readPemBundle(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        assertFalse(SystemTrustStore.BUNDLES.isEmpty());
    }

    private static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }
}
