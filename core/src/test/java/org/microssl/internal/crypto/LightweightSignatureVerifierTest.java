package org.microssl.internal.crypto;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.Signature;

import org.junit.jupiter.api.Test;
import org.microssl.spi.SignatureScheme;
import org.microssl.testing.TestPki;

/** The pure-Java verifier's contract: true, false for a wrong signature, IllegalArgumentException for a wrong key. */
class LightweightSignatureVerifierTest {

    static final byte[] DATA = "to be signed".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    @Test
    void ecdsaTrueFalseAndWrongKey() throws Exception {
        java.security.KeyPair ec = TestPki.generate(TestPki.KeyType.EC_P256);
        Signature s = Signature.getInstance("SHA256withECDSA", TestPki.BC);
        s.initSign(ec.getPrivate());
        s.update(DATA);
        byte[] sig = s.sign();
        LightweightSignatureVerifier v = new LightweightSignatureVerifier();
        byte[] spki = ec.getPublic().getEncoded();
        assertTrue(v.verify(SignatureScheme.ECDSA_SHA256, spki, DATA, sig));
        assertTrue(v.verify(SignatureScheme.ECDSA_SHA256, spki, DATA, sig)); // cached key
        byte[] other = DATA.clone();
        other[0] ^= 1;
        assertFalse(v.verify(SignatureScheme.ECDSA_SHA256, spki, other, sig));
        assertFalse(v.verify(SignatureScheme.ECDSA_SHA256, spki, DATA, new byte[] {0x30, 0x00}));
        assertThrows(IllegalArgumentException.class, () -> v.verify(SignatureScheme.RSA_PKCS1_SHA256, spki, DATA, sig));
        assertThrows(IllegalArgumentException.class, () -> v.verify(SignatureScheme.ECDSA_SHA256, new byte[] {1, 2}, DATA, sig));
    }
}
