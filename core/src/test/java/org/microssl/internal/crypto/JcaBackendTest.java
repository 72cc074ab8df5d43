package org.microssl.internal.crypto;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

import org.bouncycastle.tls.EncryptionAlgorithm;
import org.bouncycastle.tls.NamedGroup;
import org.bouncycastle.tls.SignatureScheme;
import org.bouncycastle.tls.crypto.Tls13Verifier;
import org.bouncycastle.tls.crypto.TlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;
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
}
