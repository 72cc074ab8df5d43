package org.microssl.desktop;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.AlgorithmParameterSpec;
import java.util.Locale;

import org.bouncycastle.jcajce.util.DefaultJcaJceHelper;
import org.bouncycastle.tls.EncryptionAlgorithm;
import org.bouncycastle.tls.crypto.Tls13Verifier;
import org.bouncycastle.tls.crypto.TlsCipher;
import org.bouncycastle.tls.crypto.TlsCrypto;
import org.bouncycastle.tls.crypto.TlsECConfig;
import org.bouncycastle.tls.crypto.TlsECDomain;
import org.bouncycastle.tls.crypto.TlsCryptoException;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.TlsStreamSigner;
import org.bouncycastle.tls.crypto.TlsStreamVerifier;
import org.bouncycastle.tls.crypto.impl.TlsAEADCipher;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;
import org.microssl.internal.crypto.JcaRecordCiphers;
import org.microssl.internal.crypto.X25519Shares;
import org.microssl.spi.CryptoBackend;
import org.microssl.spi.SignatureVerifier;

/**
 * The desktop crypto backend: every primitive comes from the JDK's installed JCA providers (SunEC, SunRsaSign,
 * SunJCE, with AES-NI and other intrinsics), through bctls' {@link JcaTlsCrypto}. No BouncyCastle provider is
 * registered. Certificate signatures go through {@link JcaSignatureVerifier}.
 */
public final class JcaBackend implements CryptoBackend {

    private final JcaSignatureVerifier verifier = new JcaSignatureVerifier();

    @Override
    public TlsCrypto createTlsCrypto(SecureRandom random) {
        return new JdkTlsCrypto(random);
    }

    @Override
    public SignatureVerifier signatureVerifier() {
        return verifier;
    }

    @Override
    public String name() {
        return "jca";
    }

    @Override
    public String toString() {
        return name();
    }

    /**
     * bctls' JCA crypto over the installed providers, with the JDK's own names where bctls asks for
     * BouncyCastle-provider ones: ChaCha20-Poly1305, and RSASSA-PSS (bctls asks for "SHA256WITHRSAANDMGF1").
     */
    static final class JdkTlsCrypto extends JcaTlsCrypto {
        private static final boolean JDK_CHACHA = JdkChaCha20Poly1305.isAvailable();

        JdkTlsCrypto(SecureRandom random) {
            super(new DefaultJcaJceHelper(), random, random);
        }

        @Override
        public TlsECDomain createECDomain(TlsECConfig ecConfig) {
            return X25519Shares.checked(ecConfig, super.createECDomain(ecConfig));
        }

        @Override
        protected Boolean isSupportedEncryptionAlgorithm(int encryptionAlgorithm) {
            if (encryptionAlgorithm == EncryptionAlgorithm.CHACHA20_POLY1305) return JDK_CHACHA;
            return super.isSupportedEncryptionAlgorithm(encryptionAlgorithm);
        }

        @Override
        protected Tls13Verifier createTls13Verifier(String algorithm, AlgorithmParameterSpec parameter,
                PublicKey publicKey) throws IOException {
            return super.createTls13Verifier(jdkSignatureName(algorithm), parameter, publicKey);
        }

        @Override
        protected TlsStreamVerifier createStreamVerifier(String algorithm, AlgorithmParameterSpec parameter,
                byte[] signature, PublicKey publicKey) throws IOException {
            return super.createStreamVerifier(jdkSignatureName(algorithm), parameter, signature, publicKey);
        }

        @Override
        protected TlsStreamSigner createStreamSigner(String algorithm, AlgorithmParameterSpec parameter,
                PrivateKey privateKey, boolean needsRandom) throws IOException {
            return super.createStreamSigner(jdkSignatureName(algorithm), parameter, privateKey, needsRandom);
        }

        /**
         * "SHA256WITHRSAANDMGF1" is the BouncyCastle provider's name; the JDK has one "RSASSA-PSS" Signature whose
         * hash, MGF1 and salt come from the PSSParameterSpec bctls passes alongside (RFC 8446 section 4.2.3).
         */
        static String jdkSignatureName(String algorithm) {
            return algorithm.toUpperCase(Locale.ROOT).endsWith("WITHRSAANDMGF1") ? "RSASSA-PSS" : algorithm;
        }

        @Override
        public TlsCipher createCipher(TlsCryptoParameters params, int encryptionAlgorithm, int macAlgorithm)
                throws IOException {
            // microssl's record layer over the same JCA ciphers: no per-record output/nonce/AAD allocation
            TlsCipher ours = JcaRecordCiphers.create(params, encryptionAlgorithm);
            if (ours != null) return ours;
            if (encryptionAlgorithm != EncryptionAlgorithm.CHACHA20_POLY1305) {
                return super.createCipher(params, encryptionAlgorithm, macAlgorithm);
            }
            try {
                // RFC 7905 / RFC 8446: 32-byte key, 16-byte tag
                return new TlsAEADCipher(params, new JdkChaCha20Poly1305(true), new JdkChaCha20Poly1305(false), 32,
                        16, TlsAEADCipher.AEAD_CHACHA20_POLY1305);
            } catch (GeneralSecurityException e) {
                throw new TlsCryptoException("cannot create ChaCha20-Poly1305 cipher: " + e.getMessage(), e);
            }
        }
    }
}
