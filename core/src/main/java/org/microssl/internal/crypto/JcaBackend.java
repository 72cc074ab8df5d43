package org.microssl.internal.crypto;

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
import org.bouncycastle.tls.crypto.TlsCryptoException;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.TlsECConfig;
import org.bouncycastle.tls.crypto.TlsECDomain;
import org.bouncycastle.tls.crypto.TlsStreamSigner;
import org.bouncycastle.tls.crypto.TlsStreamVerifier;
import org.bouncycastle.tls.crypto.impl.TlsAEADCipher;
import org.bouncycastle.tls.crypto.impl.bc.BcChaCha20Poly1305;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;
import org.microssl.spi.CryptoBackend;
import org.microssl.spi.SignatureVerifier;

/**
 * The JCA backend: the handshake's primitives come from the platform's installed JCA providers (on a desktop JDK
 * SunEC, SunRsaSign and SunJCE, with AES-NI and other intrinsics) through bctls' {@link JcaTlsCrypto}; no
 * BouncyCastle provider is registered. AES-GCM records run microssl's record layer over the JCA's
 * {@code AES/GCM/NoPadding}; ChaCha20-Poly1305 records over BouncyCastle's lightweight engines (below).
 * Certificate signatures go through {@link JcaSignatureVerifier}. {@code java.base} only ({@code java.security},
 * {@code javax.crypto}). Obtained through {@code org.microssl.Backends.jca()}.
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
     * BouncyCastle-provider ones (RSASSA-PSS: bctls asks for "SHA256WITHRSAANDMGF1"), and microssl's record layer.
     */
    static class JdkTlsCrypto extends JcaTlsCrypto { // not final: tests count the ciphers it makes

        JdkTlsCrypto(SecureRandom random) {
            super(new DefaultJcaJceHelper(), random, random);
        }

        @Override
        public TlsECDomain createECDomain(TlsECConfig ecConfig) {
            return X25519Shares.checked(ecConfig, super.createECDomain(ecConfig));
        }

        /** ChaCha20-Poly1305 is BouncyCastle's lightweight one, so it needs nothing from the providers. */
        @Override
        protected Boolean isSupportedEncryptionAlgorithm(int encryptionAlgorithm) {
            if (encryptionAlgorithm == EncryptionAlgorithm.CHACHA20_POLY1305) return Boolean.TRUE;
            if (encryptionAlgorithm == EncryptionAlgorithm.AES_128_CCM_8) return Boolean.TRUE; // DTLS, below
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
            if (FastBcTlsCrypto.handlesRecordLayer(params)) {
                switch (encryptionAlgorithm) {
                    case EncryptionAlgorithm.AES_128_GCM:
                    case EncryptionAlgorithm.AES_256_GCM:
                        return new AeadRecordCipher(params, jcaAesGcm(), jcaAesGcm(),
                                encryptionAlgorithm == EncryptionAlgorithm.AES_128_GCM ? 16 : 32, true);
                    case EncryptionAlgorithm.CHACHA20_POLY1305:
                        // BouncyCastle's, not SunJCE's: on JDK 17 SunJCE's is about 10 % faster at 16 KiB but
                        // allocates 3.6 KB per record sealed and opened, ours 160 B. See benchmarks/RESULTS.md.
                        return new AeadRecordCipher(params, new ChaCha20Poly1305Aead(), new ChaCha20Poly1305Aead(),
                                32, false);
                    default:
                        break;
                }
            }
            if (encryptionAlgorithm == EncryptionAlgorithm.CHACHA20_POLY1305) {
                // DTLS or connection IDs: bctls' own record layer; its JCA ChaCha wants provider names the JDK lacks
                return new TlsAEADCipher(params, new BcChaCha20Poly1305(true), new BcChaCha20Poly1305(false), 32, 16,
                        TlsAEADCipher.AEAD_CHACHA20_POLY1305);
            }
            if (encryptionAlgorithm == EncryptionAlgorithm.AES_128_CCM_8) {
                // CoAP's mandatory DTLS suites (RFC 7252 section 9.1.3): the JDK has no AES-CCM, BouncyCastle's
                // lightweight one does it
                return new org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto(getSecureRandom())
                        .createCipher(params, encryptionAlgorithm, macAlgorithm);
            }
            return super.createCipher(params, encryptionAlgorithm, macAlgorithm);
        }

        private static JcaAead jcaAesGcm() throws IOException {
            try {
                return new JcaAead("AES/GCM/NoPadding", "AES");
            } catch (GeneralSecurityException e) {
                throw new TlsCryptoException("JCA cipher unavailable: " + e.getMessage(), e);
            }
        }
    }
}
