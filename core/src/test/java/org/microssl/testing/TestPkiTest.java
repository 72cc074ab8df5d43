package org.microssl.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.microssl.testing.TestPki.KeyType;

/** The fixture itself: every chain it builds verifies under the JDK's own X.509 code. */
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
}
