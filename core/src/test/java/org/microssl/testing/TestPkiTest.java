package org.microssl.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.microssl.testing.TestPki.KeyType;

/**
 * The fixture itself: every chain it builds verifies under the JDK's own X.509 code, and its key files are what
 * OpenSSL, GnuTLS and CPython read (PKCS#8 v1 for every key type).
 */
class TestPkiTest {

    @ParameterizedTest
    @EnumSource(value = KeyType.class, names = {"EC_P256", "EC_P384", "RSA_2048", "ED25519"})
    void chainsVerify(KeyType type) throws Exception {
        TestPki.Chain c = TestPki.chain(type);
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        X509Certificate root = (X509Certificate) cf.generateCertificate(new ByteArrayInputStream(c.root.der));
        X509Certificate in = (X509Certificate) cf.generateCertificate(new ByteArrayInputStream(c.intermediate.der));
        X509Certificate leaf = (X509Certificate) cf.generateCertificate(new ByteArrayInputStream(c.leaf.der));
        root.verify(root.getPublicKey(), TestPki.BC);
        in.verify(root.getPublicKey(), TestPki.BC);
        leaf.verify(in.getPublicKey(), TestPki.BC);
        assertEquals(0, in.getBasicConstraints());
        assertEquals(-1, leaf.getBasicConstraints());
        assertTrue(leaf.getSubjectAlternativeNames().toString().contains("localhost"));
    }

    @ParameterizedTest
    @EnumSource(value = KeyType.class, names = {"EC_P256", "EC_P384", "RSA_2048", "ED25519"})
    void keyPkcs8IsAVersion1PrivateKeyInfo(KeyType type) {
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(TestPki.cert().key(type).build().keyPkcs8());
        assertEquals(0, info.getVersion().intValueExact(), "RFC 5208 version 0");
        assertNull(info.getAttributes());
        assertNull(info.getPublicKeyData(), "no RFC 5958 publicKey field");
    }

    @ParameterizedTest
    @EnumSource(value = KeyType.class, names = {"EC_P256", "RSA_2048", "ED25519"})
    void opensslLoadsTheKeyFile(KeyType type, @TempDir Path dir) throws Exception {
        assumeTrue(onPath("openssl"), "openssl is not installed");
        Path key = dir.resolve("leaf.key");
        Files.write(key, TestPki.cert().key(type).build().keyPkcs8Pem().getBytes(StandardCharsets.US_ASCII));
        Process p = new ProcessBuilder("openssl", "pkey", "-in", key.toString(), "-noout")
                .redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "openssl pkey did not finish");
            assertEquals(0, p.exitValue(), "openssl pkey -in " + type + ": " + out);
        } finally {
            p.destroyForcibly();
        }
    }

    private static boolean onPath(String command) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(new File(d, command).toPath())) return true;
        }
        return false;
    }
}
