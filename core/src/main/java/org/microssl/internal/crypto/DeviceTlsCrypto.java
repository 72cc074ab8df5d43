package org.microssl.internal.crypto;

import java.io.IOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Vector;

import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESLightEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.ExtendedDigest;
import org.bouncycastle.crypto.agreement.ECDHBasicAgreement;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.CertificateType;
import org.bouncycastle.tls.EncryptionAlgorithm;
import org.bouncycastle.tls.MACAlgorithm;
import org.bouncycastle.tls.NamedGroup;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SecurityParameters;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.SignatureScheme;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.crypto.CryptoHashAlgorithm;
import org.bouncycastle.tls.crypto.CryptoSignatureAlgorithm;
import org.bouncycastle.tls.crypto.TlsAgreement;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCipher;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.TlsDHConfig;
import org.bouncycastle.tls.crypto.TlsDHDomain;
import org.bouncycastle.tls.crypto.TlsECConfig;
import org.bouncycastle.tls.crypto.TlsECDomain;
import org.bouncycastle.tls.crypto.TlsHMAC;
import org.bouncycastle.tls.crypto.TlsHash;
import org.bouncycastle.tls.crypto.TlsKemConfig;
import org.bouncycastle.tls.crypto.TlsKemDomain;
import org.bouncycastle.tls.crypto.TlsNonceGenerator;
import org.bouncycastle.tls.crypto.TlsSRP6Client;
import org.bouncycastle.tls.crypto.TlsSRP6Server;
import org.bouncycastle.tls.crypto.TlsSRP6VerifierGenerator;
import org.bouncycastle.tls.crypto.TlsSRPConfig;
import org.bouncycastle.tls.crypto.TlsSecret;
import org.bouncycastle.tls.crypto.TlsCryptoUtils;
import org.bouncycastle.tls.crypto.impl.AbstractTlsCrypto;
import org.bouncycastle.tls.crypto.impl.TlsAEADCipher;
import org.bouncycastle.tls.crypto.impl.TlsAEADCipherImpl;
import org.bouncycastle.tls.crypto.impl.bc.BcChaCha20Poly1305;
import org.bouncycastle.util.Arrays;
import org.bouncycastle.util.BigIntegers;

/**
 * The device profile's {@code TlsCrypto} (issue 14): only what a device needs, written against BouncyCastle's
 * {@link AbstractTlsCrypto} and not its {@code BcTlsCrypto}, because ProGuard keeps every method a used class
 * implements, overridden or not, and {@code BcTlsCrypto}'s reach ML-KEM, finite-field DH, every curve through
 * BouncyCastle's curve tables, and CBC/CCM/ARIA/Camellia/SM4 ciphers. Here:
 * <ul>
 * <li>key exchange on X25519 (BouncyCastle's {@link X25519}) and P-256 ({@link DeviceCurves});
 * <li>AES-128-GCM and ChaCha20-Poly1305 records (microssl's {@link AeadRecordCipher}): TLS_AES_128_GCM_SHA256,
 *     TLS_CHACHA20_POLY1305_SHA256 and their TLS 1.2 ECDHE counterparts (DTLS through BouncyCastle's generic
 *     AEAD record cipher);
 * <li>signatures: ECDSA P-256/P-384, RSA (PKCS#1 v1.5, PSS with rsaEncryption keys) and Ed25519
 *     ({@link DeviceTlsCertificate});
 * <li>SHA-256/384/512, their HMACs, HKDF and the TLS 1.2 PRF ({@link DeviceTlsSecret}).
 * </ul>
 * A peer that offers only what is left out fails the handshake as any unsupported offer does.
 */
public final class DeviceTlsCrypto extends AbstractTlsCrypto {

    private final SecureRandom random;
    private final TlsNonceGenerator nonces;
    private final PeerKeyCache peerKeys = new PeerKeyCache();

    public DeviceTlsCrypto(SecureRandom random) {
        if (random == null) throw new NullPointerException("random");
        this.random = random;
        this.nonces = new RandomNonces(random);
    }

    @Override
    public SecureRandom getSecureRandom() {
        return random;
    }

    // ------------------------------------------------------------------------------------------ what it has

    @Override
    public boolean hasNamedGroup(int namedGroup) {
        return namedGroup == NamedGroup.x25519 || namedGroup == NamedGroup.secp256r1;
    }

    @Override
    public boolean hasECDHAgreement() {
        return true;
    }

    @Override
    public boolean hasDHAgreement() {
        return false;
    }

    @Override
    public boolean hasKemAgreement() {
        return false;
    }

    @Override
    public boolean hasRSAEncryption() {
        return false;
    }

    @Override
    public boolean hasSRPAuthentication() {
        return false;
    }

    @Override
    public boolean hasEncryptionAlgorithm(int encryptionAlgorithm) {
        return encryptionAlgorithm == EncryptionAlgorithm.AES_128_GCM
                || encryptionAlgorithm == EncryptionAlgorithm.CHACHA20_POLY1305
                || encryptionAlgorithm == EncryptionAlgorithm.AES_128_CCM_8; // DTLS only: CoAP's suites
    }

    @Override
    public boolean hasMacAlgorithm(int macAlgorithm) {
        return macAlgorithm == MACAlgorithm.hmac_sha256 || macAlgorithm == MACAlgorithm.hmac_sha384;
    }

    @Override
    public boolean hasCryptoHashAlgorithm(int cryptoHashAlgorithm) {
        return cryptoHashAlgorithm == CryptoHashAlgorithm.sha256 || cryptoHashAlgorithm == CryptoHashAlgorithm.sha384
                || cryptoHashAlgorithm == CryptoHashAlgorithm.sha512;
    }

    @Override
    public boolean hasHKDFAlgorithm(int cryptoHashAlgorithm) {
        return cryptoHashAlgorithm == CryptoHashAlgorithm.sha256 || cryptoHashAlgorithm == CryptoHashAlgorithm.sha384;
    }

    @Override
    public boolean hasCryptoSignatureAlgorithm(int cryptoSignatureAlgorithm) {
        switch (cryptoSignatureAlgorithm) {
            case CryptoSignatureAlgorithm.rsa:
            case CryptoSignatureAlgorithm.ecdsa:
            case CryptoSignatureAlgorithm.rsa_pss_rsae_sha256:
            case CryptoSignatureAlgorithm.rsa_pss_rsae_sha384:
            case CryptoSignatureAlgorithm.rsa_pss_rsae_sha512:
            case CryptoSignatureAlgorithm.ed25519:
                return true;
            default:
                return false;
        }
    }

    @Override
    public boolean hasSignatureAlgorithm(short signatureAlgorithm) {
        switch (signatureAlgorithm) {
            case SignatureAlgorithm.rsa:
            case SignatureAlgorithm.ecdsa:
            case SignatureAlgorithm.ed25519:
            case SignatureAlgorithm.rsa_pss_rsae_sha256:
            case SignatureAlgorithm.rsa_pss_rsae_sha384:
            case SignatureAlgorithm.rsa_pss_rsae_sha512:
                return true;
            default:
                return false;
        }
    }

    @Override
    public boolean hasSignatureAndHashAlgorithm(SignatureAndHashAlgorithm sigAndHashAlgorithm) {
        return hasSignatureScheme(SignatureScheme.from(sigAndHashAlgorithm));
    }

    /** The default signature set: no SHA-1, no P-521 or brainpool, no Ed448, no RSA-PSS keys, no PQ. */
    @Override
    public boolean hasSignatureScheme(int signatureScheme) {
        switch (signatureScheme) {
            case SignatureScheme.ecdsa_secp256r1_sha256:
            case SignatureScheme.ecdsa_secp384r1_sha384:
            case SignatureScheme.ed25519:
            case SignatureScheme.rsa_pss_rsae_sha256:
            case SignatureScheme.rsa_pss_rsae_sha384:
            case SignatureScheme.rsa_pss_rsae_sha512:
            case SignatureScheme.rsa_pkcs1_sha256:
            case SignatureScheme.rsa_pkcs1_sha384:
            case SignatureScheme.rsa_pkcs1_sha512:
                return true;
            default:
                return false;
        }
    }

    /** Ed25519 signs the message itself, not a hash: a server must keep the handshake to verify a client's. */
    @Override
    public boolean hasAnyStreamVerifiers(Vector signatureAndHashAlgorithms) {
        for (int i = 0; i < signatureAndHashAlgorithms.size(); i++) {
            SignatureAndHashAlgorithm a = (SignatureAndHashAlgorithm) signatureAndHashAlgorithms.elementAt(i);
            if (SignatureScheme.from(a) == SignatureScheme.ed25519) return true;
        }
        return false;
    }

    @Override
    public boolean hasAnyStreamVerifiersLegacy(short[] clientCertificateTypes) {
        return false;
    }

    // ------------------------------------------------------------------------------------------ certificates

    @Override
    public TlsCertificate createCertificate(byte[] encoding) throws IOException {
        return createCertificate(CertificateType.X509, encoding);
    }

    @Override
    public TlsCertificate createCertificate(short type, byte[] encoding) throws IOException {
        if (type != CertificateType.X509) {
            throw new TlsFatalAlert(AlertDescription.unsupported_certificate, "the device profile has X.509 only");
        }
        return DeviceTlsCertificate.parse(this, encoding, peerKeys);
    }

    // ------------------------------------------------------------------------------------------ key exchange

    @Override
    public TlsECDomain createECDomain(final TlsECConfig ecConfig) {
        final int group = ecConfig.getNamedGroup();
        if (group != NamedGroup.x25519 && group != NamedGroup.secp256r1) {
            throw new IllegalArgumentException("the device profile has no named group " + group);
        }
        return new TlsECDomain() {
            @Override
            public TlsAgreement createECDH() {
                return group == NamedGroup.x25519 ? new X25519Agreement() : new P256Agreement();
            }
        };
    }

    @Override
    public TlsDHDomain createDHDomain(TlsDHConfig dhConfig) {
        throw new IllegalArgumentException("the device profile has no finite-field DH");
    }

    @Override
    public TlsKemDomain createKemDomain(TlsKemConfig kemConfig) {
        throw new IllegalArgumentException("the device profile has no KEM");
    }

    @Override
    public TlsSecret generateRSAPreMasterSecret(ProtocolVersion version) {
        throw new IllegalStateException("the device profile has no RSA key transport");
    }

    @Override
    public TlsSRP6Client createSRP6Client(TlsSRPConfig srpConfig) {
        throw new IllegalStateException("the device profile has no SRP");
    }

    @Override
    public TlsSRP6Server createSRP6Server(TlsSRPConfig srpConfig, BigInteger srpVerifier) {
        throw new IllegalStateException("the device profile has no SRP");
    }

    @Override
    public TlsSRP6VerifierGenerator createSRP6VerifierGenerator(TlsSRPConfig srpConfig) {
        throw new IllegalStateException("the device profile has no SRP");
    }

    // ------------------------------------------------------------------------------------------ secrets, hashes

    @Override
    public TlsSecret createSecret(byte[] data) {
        return new DeviceTlsSecret(this, Arrays.clone(data));
    }

    @Override
    public TlsSecret createHybridSecret(TlsSecret s1, TlsSecret s2) {
        return new DeviceTlsSecret(this, Arrays.concatenate(s1.extract(), s2.extract()));
    }

    @Override
    public TlsSecret hkdfInit(int cryptoHashAlgorithm) {
        return new DeviceTlsSecret(this, new byte[TlsCryptoUtils.getHashOutputSize(cryptoHashAlgorithm)]);
    }

    /** One generator for all connections (see FastBcTlsCrypto.createNonceGenerator). */
    @Override
    public TlsNonceGenerator createNonceGenerator(byte[] additionalSeedMaterial) {
        return nonces;
    }

    @Override
    public TlsHash createHash(int cryptoHashAlgorithm) {
        return new Hash(digest(cryptoHashAlgorithm));
    }

    @Override
    public TlsHMAC createHMAC(int macAlgorithm) {
        switch (macAlgorithm) {
            case MACAlgorithm.hmac_sha256: return createHMACForHash(CryptoHashAlgorithm.sha256);
            case MACAlgorithm.hmac_sha384: return createHMACForHash(CryptoHashAlgorithm.sha384);
            default: throw new IllegalArgumentException("the device profile has no MAC " + macAlgorithm);
        }
    }

    @Override
    public TlsHMAC createHMACForHash(int cryptoHashAlgorithm) {
        return new Hmac(new HMac(digest(cryptoHashAlgorithm)));
    }

    static ExtendedDigest digest(int cryptoHashAlgorithm) {
        switch (cryptoHashAlgorithm) {
            case CryptoHashAlgorithm.sha256: return new SHA256Digest();
            case CryptoHashAlgorithm.sha384: return new SHA384Digest();
            case CryptoHashAlgorithm.sha512: return new SHA512Digest();
            default: throw new IllegalArgumentException("the device profile has no hash " + cryptoHashAlgorithm);
        }
    }

    // ------------------------------------------------------------------------------------------ records

    @Override
    public TlsCipher createCipher(TlsCryptoParameters cryptoParams, int encryptionAlgorithm, int macAlgorithm)
            throws IOException {
        SecurityParameters sp = cryptoParams.getSecurityParametersHandshake();
        ProtocolVersion version = sp.getNegotiatedVersion();
        if (version == null || version.isDTLS() || !ProtocolVersion.TLSv12.isEqualOrEarlierVersionOf(version)
                || !isEmpty(sp.getConnectionIDLocal()) || !isEmpty(sp.getConnectionIDPeer())) {
            // DTLS and connection IDs (RFC 9146): BouncyCastle's generic AEAD record cipher, as FastBcTlsCrypto
            // leaves them to BouncyCastle
            switch (encryptionAlgorithm) {
                case EncryptionAlgorithm.AES_128_GCM:
                    return new TlsAEADCipher(cryptoParams, new GcmImpl(true), new GcmImpl(false), 16, 16,
                            TlsAEADCipher.AEAD_GCM);
                case EncryptionAlgorithm.CHACHA20_POLY1305:
                    return new TlsAEADCipher(cryptoParams, new BcChaCha20Poly1305(true), new BcChaCha20Poly1305(false),
                            32, 16, TlsAEADCipher.AEAD_CHACHA20_POLY1305);
                case EncryptionAlgorithm.AES_128_CCM_8:
                    // RFC 7252 section 9.1.3: TLS_PSK_WITH_AES_128_CCM_8 and TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8
                    return new TlsAEADCipher(cryptoParams, new GcmImpl(true, true), new GcmImpl(false, true), 16, 8,
                            TlsAEADCipher.AEAD_CCM);
                default:
                    throw new TlsFatalAlert(AlertDescription.internal_error,
                            "the device profile has no encryption algorithm " + encryptionAlgorithm);
            }
        }
        // as FastBcTlsCrypto: a connection that negotiated max_fragment_length is saving memory
        boolean compact = sp.getMaxFragmentLength() > 0;
        switch (encryptionAlgorithm) {
            case EncryptionAlgorithm.AES_128_GCM:
                return new AeadRecordCipher(cryptoParams, new AesGcmAead(compact), new AesGcmAead(compact), 16, true);
            case EncryptionAlgorithm.CHACHA20_POLY1305:
                return new AeadRecordCipher(cryptoParams, new ChaCha20Poly1305Aead(), new ChaCha20Poly1305Aead(), 32,
                        false);
            default:
                throw new TlsFatalAlert(AlertDescription.internal_error,
                        "the device profile has no encryption algorithm " + encryptionAlgorithm);
        }
    }

    /**
     * AES-GCM (or AES-CCM) for BouncyCastle's generic record cipher (DTLS): BouncyCastle's GCM (CCM) over its
     * AESLightEngine.
     */
    private static final class GcmImpl implements TlsAEADCipherImpl {
        private final org.bouncycastle.crypto.modes.AEADBlockCipher cipher;
        private final boolean encrypting;
        private KeyParameter key;

        GcmImpl(boolean encrypting) {
            this(encrypting, false);
        }

        GcmImpl(boolean encrypting, boolean ccm) {
            this.cipher = ccm ? org.bouncycastle.crypto.modes.CCMBlockCipher.newInstance(new AESLightEngine())
                    : new GCMBlockCipher(new AESLightEngine());
            this.encrypting = encrypting;
        }

        @Override
        public void setKey(byte[] k, int keyOff, int keyLen) {
            key = new KeyParameter(k, keyOff, keyLen);
        }

        @Override
        public void init(byte[] nonce, int macSize) {
            cipher.init(encrypting, new AEADParameters(key, macSize * 8, nonce, null));
        }

        @Override
        public int getOutputSize(int inputLength) {
            return cipher.getOutputSize(inputLength);
        }

        @Override
        public int doFinal(byte[] additionalData, byte[] input, int inputOffset, int inputLength, byte[] output,
                int outputOffset) throws IOException {
            if (additionalData != null && additionalData.length > 0) {
                cipher.processAADBytes(additionalData, 0, additionalData.length);
            }
            int len = cipher.processBytes(input, inputOffset, inputLength, output, outputOffset);
            try {
                return len + cipher.doFinal(output, outputOffset + len);
            } catch (InvalidCipherTextException e) {
                throw new TlsFatalAlert(AlertDescription.bad_record_mac, e);
            }
        }
    }

    private static boolean isEmpty(byte[] b) {
        return b == null || b.length == 0;
    }

    // ------------------------------------------------------------------------------------------ primitives

    /** RFC 7748 X25519; an all-zero result (a low-order peer point) fails, as RFC 8446 section 7.4.2 requires. */
    private final class X25519Agreement implements TlsAgreement {
        private final byte[] privateKey = new byte[X25519.SCALAR_SIZE];
        private final byte[] peerPublicKey = new byte[X25519.POINT_SIZE];

        @Override
        public byte[] generateEphemeral() {
            X25519.generatePrivateKey(random, privateKey);
            byte[] publicKey = new byte[X25519.POINT_SIZE];
            X25519.generatePublicKey(privateKey, 0, publicKey, 0);
            return publicKey;
        }

        @Override
        public void receivePeerValue(byte[] peerValue) throws IOException {
            if (peerValue == null || peerValue.length != X25519.POINT_SIZE) {
                throw new TlsFatalAlert(AlertDescription.illegal_parameter,
                        "the peer's X25519 share is not 32 bytes (RFC 7748 section 5)");
            }
            System.arraycopy(peerValue, 0, peerPublicKey, 0, X25519.POINT_SIZE);
        }

        @Override
        public TlsSecret calculateSecret() throws IOException {
            try {
                byte[] secret = new byte[X25519.POINT_SIZE];
                if (!X25519.calculateAgreement(privateKey, 0, peerPublicKey, 0, secret, 0)) {
                    throw new TlsFatalAlert(AlertDescription.illegal_parameter, "the peer's X25519 share is a "
                            + "low-order point: the shared secret is all zero (RFC 7748 section 6.1, RFC 8446 "
                            + "section 7.4.2)");
                }
                return new DeviceTlsSecret(DeviceTlsCrypto.this, secret);
            } finally {
                Arrays.fill(privateKey, (byte) 0);
            }
        }
    }

    /** Ephemeral ECDH on P-256 (RFC 8446 section 4.2.8.2: uncompressed points only). */
    private final class P256Agreement implements TlsAgreement {
        private AsymmetricCipherKeyPair local;
        private ECPublicKeyParameters peer;

        @Override
        public byte[] generateEphemeral() {
            ECKeyPairGenerator generator = new ECKeyPairGenerator();
            generator.init(new ECKeyGenerationParameters(DeviceCurves.p256(), random));
            local = generator.generateKeyPair();
            return ((ECPublicKeyParameters) local.getPublic()).getQ().getEncoded(false);
        }

        @Override
        public void receivePeerValue(byte[] peerValue) throws IOException {
            ECDomainParameters domain = DeviceCurves.p256();
            if (peerValue == null || peerValue.length != 65 || peerValue[0] != 4) {
                throw new TlsFatalAlert(AlertDescription.illegal_parameter,
                        "the peer's P-256 share is not an uncompressed point (RFC 8446 section 4.2.8.2)");
            }
            try {
                // ECPublicKeyParameters validates the point: on the curve, not infinity
                peer = new ECPublicKeyParameters(domain.getCurve().decodePoint(peerValue), domain);
            } catch (RuntimeException e) {
                throw new TlsFatalAlert(AlertDescription.illegal_parameter, "the peer's P-256 share is not a point",
                        e);
            }
        }

        @Override
        public TlsSecret calculateSecret() {
            ECDHBasicAgreement agreement = new ECDHBasicAgreement();
            agreement.init((ECPrivateKeyParameters) local.getPrivate());
            BigInteger z = agreement.calculateAgreement(peer);
            // RFC 8446 section 7.4.2: the x-coordinate, left-padded to the field size
            return new DeviceTlsSecret(DeviceTlsCrypto.this, BigIntegers.asUnsignedByteArray(32, z));
        }
    }

    private static final class Hash implements TlsHash {
        private final ExtendedDigest digest;

        Hash(ExtendedDigest digest) {
            this.digest = digest;
        }

        @Override
        public void update(byte[] input, int inOff, int length) {
            digest.update(input, inOff, length);
        }

        @Override
        public byte[] calculateHash() {
            byte[] out = new byte[digest.getDigestSize()];
            digest.doFinal(out, 0);
            return out;
        }

        @Override
        public TlsHash cloneHash() {
            Digest d = digest;
            ExtendedDigest copy = d instanceof SHA256Digest ? new SHA256Digest((SHA256Digest) d)
                    : d instanceof SHA384Digest ? new SHA384Digest((SHA384Digest) d)
                    : new SHA512Digest((SHA512Digest) d);
            return new Hash(copy);
        }

        @Override
        public void reset() {
            digest.reset();
        }
    }

    private static final class Hmac implements TlsHMAC {
        private final HMac hmac;

        Hmac(HMac hmac) {
            this.hmac = hmac;
        }

        @Override
        public void setKey(byte[] key, int keyOff, int keyLen) {
            hmac.init(new KeyParameter(key, keyOff, keyLen));
        }

        @Override
        public void update(byte[] input, int inOff, int length) {
            hmac.update(input, inOff, length);
        }

        @Override
        public byte[] calculateMAC() {
            byte[] out = new byte[hmac.getMacSize()];
            hmac.doFinal(out, 0);
            return out;
        }

        @Override
        public void calculateMAC(byte[] output, int outOff) {
            hmac.doFinal(output, outOff);
        }

        @Override
        public int getInternalBlockSize() {
            return ((ExtendedDigest) hmac.getUnderlyingDigest()).getByteLength();
        }

        @Override
        public int getMacLength() {
            return hmac.getMacSize();
        }

        @Override
        public void reset() {
            hmac.reset();
        }
    }
}
