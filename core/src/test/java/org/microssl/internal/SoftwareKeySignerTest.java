package org.microssl.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.microssl.spi.KeySigner;
import org.microssl.testing.TestPki;
import org.microssl.testing.TestPki.KeyType;

/**
 * Each scheme of the in-heap signer, checked by an independent implementation (the JCA over BouncyCastle's
 * provider): the signer gets the digest, the verifier the message.
 */
class SoftwareKeySignerTest {
    private static final byte[] MESSAGE = "TLS 1.3, server CertificateVerify, in effect".getBytes();
    private static final java.util.Map<KeyType, TestPki.Issued> KEYS = new java.util.EnumMap<>(KeyType.class);

    private static synchronized TestPki.Issued key(KeyType type) {
        return KEYS.computeIfAbsent(type, t -> TestPki.cert().key(t).build());
    }

    @ParameterizedTest(name = "{0} 0x{1}")
    @CsvSource({
        "EC_P256, 0403, SHA-256, SHA256withECDSA",
        "EC_P384, 0503, SHA-384, SHA384withECDSA",
        "RSA_2048, 0401, SHA-256, SHA256withRSA",
        "RSA_2048, 0501, SHA-384, SHA384withRSA",
        "RSA_2048, 0601, SHA-512, SHA512withRSA",
        "RSA_2048, 0804, SHA-256, RSASSA-PSS",
        "RSA_2048, 0805, SHA-384, RSASSA-PSS",
        "RSA_2048, 0806, SHA-512, RSASSA-PSS",
        "ED25519, 0807, none, Ed25519",
    })
    void signaturesVerifyIndependently(KeyType type, String schemeHex, String hash, String jcaAlgorithm)
            throws Exception {
        TestPki.Issued key = key(type);
        SoftwareKeySigner signer = new SoftwareKeySigner(Keys.parsePrivateKey(key.keyPkcs8()), SecureRandom::new);
        int scheme = Integer.parseInt(schemeHex, 16);
        assertTrue(contains(signer.supportedSchemes(), scheme) || type == KeyType.RSA_2048);
        byte[] input = hash.equals("none") ? MESSAGE : MessageDigest.getInstance(hash).digest(MESSAGE);
        byte[] signature = signer.sign(scheme, input);

        Signature verifier = Signature.getInstance(jcaAlgorithm, TestPki.BC);
        if (jcaAlgorithm.equals("RSASSA-PSS")) {
            int len = MessageDigest.getInstance(hash).getDigestLength();
            verifier.setParameter(new PSSParameterSpec(hash, "MGF1", new MGF1ParameterSpec(hash), len, 1));
        }
        verifier.initVerify(key.keyPair.getPublic());
        verifier.update(MESSAGE);
        assertTrue(verifier.verify(signature), "signature by scheme 0x" + schemeHex);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"EC_P256, 2052", "ED25519, 1027"})
    void schemeForAnotherKeyTypeIsAnError(KeyType type, int scheme) {
        TestPki.Issued key = key(type);
        SoftwareKeySigner signer = new SoftwareKeySigner(Keys.parsePrivateKey(key.keyPkcs8()), SecureRandom::new);
        IOException e = assertThrows(IOException.class, () -> signer.sign(scheme, new byte[32]));
        assertTrue(e.getMessage().contains("does not fit"), e.getMessage());
        assertEquals("software " + (type == KeyType.EC_P256 ? "EC_P256" : "ED25519") + " key", signer.toString());
    }

    @ParameterizedTest(name = "raw r||s of {0} bytes")
    @CsvSource({"32", "48"})
    void rawEcdsaSignaturesAreReEncodedAsDer(int fieldLength) throws Exception {
        byte[] raw = new byte[2 * fieldLength];
        raw[0] = (byte) 0x80; // high bit: DER needs a leading zero
        raw[fieldLength] = 0x01;
        byte[] der = Identity.derEcdsa(raw, fieldLength);
        assertEquals(0x30, der[0]);
        assertEquals(der.length, Identity.derEcdsa(der, fieldLength).length, "DER passes through unchanged");
        assertThrows(IOException.class, () -> Identity.derEcdsa(new byte[10], fieldLength));
    }

    private static boolean contains(int[] a, int v) {
        for (int x : a) if (x == v) return true;
        return false;
    }
}
