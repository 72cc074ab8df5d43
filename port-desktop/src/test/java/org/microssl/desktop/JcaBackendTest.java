package org.microssl.desktop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;

import org.bouncycastle.tls.EncryptionAlgorithm;
import org.bouncycastle.tls.NamedGroup;
import org.bouncycastle.tls.SignatureScheme;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.crypto.Tls13Verifier;
import org.bouncycastle.tls.crypto.TlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;
import org.microssl.testing.TestPki;

class JcaBackendTest {

    @Test
    void cryptoOffersEverythingMicrosslNegotiates() {
        TlsCrypto crypto = new JcaBackend().createTlsCrypto(new SecureRandom());
        assertTrue(crypto instanceof JcaTlsCrypto);
        for (int alg : new int[] {EncryptionAlgorithm.AES_128_GCM, EncryptionAlgorithm.AES_256_GCM,
                EncryptionAlgorithm.CHACHA20_POLY1305}) {
            assertTrue(crypto.hasEncryptionAlgorithm(alg), "encryption algorithm " + alg);
        }
        for (int group : new int[] {NamedGroup.x25519, NamedGroup.secp256r1, NamedGroup.secp384r1}) {
            assertTrue(crypto.hasNamedGroup(group), NamedGroup.getText(group));
        }
        for (int scheme : new int[] {SignatureScheme.ecdsa_secp256r1_sha256, SignatureScheme.ecdsa_secp384r1_sha384,
                SignatureScheme.rsa_pss_rsae_sha256, SignatureScheme.rsa_pkcs1_sha256, SignatureScheme.ed25519}) {
            assertTrue(crypto.hasSignatureScheme(scheme), SignatureScheme.getText(scheme));
        }
    }

    /**
     * TLS 1.3 CertificateVerify with rsa_pss_rsae_* (RFC 8446 section 4.2.3): bctls asks the JCA for
     * "SHA256WITHRSAANDMGF1", a BouncyCastle-provider name the JDK lacks; the backend must still verify.
     */
    @Test
    void verifiesRsaPssHandshakeSignaturesWithJdkProviders() throws Exception {
        TestPki.Issued cert = TestPki.cert().subject("CN=pss").key(TestPki.KeyType.RSA_2048).build();
        TlsCrypto crypto = new JcaBackend().createTlsCrypto(new SecureRandom());
        byte[] content = "TLS 1.3, server CertificateVerify".getBytes(StandardCharsets.US_ASCII);
        int[][] schemes = {{SignatureScheme.rsa_pss_rsae_sha256, 256, 32}, {SignatureScheme.rsa_pss_rsae_sha384, 384, 48},
                {SignatureScheme.rsa_pss_rsae_sha512, 512, 64}};
        for (int[] s : schemes) {
            java.security.Signature signer = java.security.Signature.getInstance("RSASSA-PSS");
            java.security.spec.MGF1ParameterSpec mgf = new java.security.spec.MGF1ParameterSpec("SHA-" + s[1]);
            signer.setParameter(new java.security.spec.PSSParameterSpec("SHA-" + s[1], "MGF1", mgf, s[2], 1));
            signer.initSign(cert.keyPair.getPrivate());
            signer.update(content);
            byte[] signature = signer.sign();

            Tls13Verifier verifier = crypto.createCertificate(cert.der).createVerifier(s[0]);
            verifier.getOutputStream().write(content);
            assertTrue(verifier.verifySignature(signature), SignatureScheme.getName(s[0]));
            Tls13Verifier tampered = crypto.createCertificate(cert.der).createVerifier(s[0]);
            tampered.getOutputStream().write(content, 1, content.length - 1);
            assertFalse(tampered.verifySignature(signature), SignatureScheme.getName(s[0]) + " over other data");
        }
    }

    /** RFC 8439 section 2.8.2, the AEAD_CHACHA20_POLY1305 test vector. */
    @Test
    void jdkChaCha20Poly1305MatchesRfc8439Vector() throws Exception {
        byte[] key = Hex.decode("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
        byte[] nonce = Hex.decode("070000004041424344454647");
        byte[] aad = Hex.decode("50515253c0c1c2c3c4c5c6c7");
        byte[] plaintext = ("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the "
                + "future, sunscreen would be it.").getBytes(StandardCharsets.US_ASCII);
        byte[] expectedTag = Hex.decode("1ae10b594f09e26a7e902ecbd0600691");

        JdkChaCha20Poly1305 enc = new JdkChaCha20Poly1305(true);
        enc.setKey(key, 0, key.length);
        enc.init(nonce, 16);
        // in place, as the record layer does it
        byte[] buf = Arrays.copyOf(plaintext, enc.getOutputSize(plaintext.length));
        int n = enc.doFinal(aad, buf, 0, plaintext.length, buf, 0);
        assertEquals(plaintext.length + 16, n);
        assertArrayEquals(Hex.decode("d31a8d34648e60db7b86afbc53ef7ec2"), Arrays.copyOf(buf, 16));
        assertArrayEquals(expectedTag, Arrays.copyOfRange(buf, plaintext.length, n));

        JdkChaCha20Poly1305 dec = new JdkChaCha20Poly1305(false);
        dec.setKey(key, 0, key.length);
        dec.init(nonce, 16);
        byte[] out = new byte[dec.getOutputSize(n)];
        assertEquals(plaintext.length, dec.doFinal(aad, buf, 0, n, out, 0));
        assertArrayEquals(plaintext, out);

        buf[3] ^= 1;
        // the JDK refuses a second init with the same key and nonce, so a fresh decryptor sees the tampered record
        JdkChaCha20Poly1305 dec2 = new JdkChaCha20Poly1305(false);
        dec2.setKey(key, 0, key.length);
        dec2.init(nonce, 16);
        TlsFatalAlert e = assertThrows(TlsFatalAlert.class, () -> dec2.doFinal(aad, buf, 0, n, new byte[n], 0));
        assertEquals(AlertDescription.bad_record_mac, e.getAlertDescription());
    }
}
