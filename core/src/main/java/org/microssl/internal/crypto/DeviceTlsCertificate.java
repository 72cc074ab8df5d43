package org.microssl.internal.crypto;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.Signer;
import org.bouncycastle.crypto.engines.RSAEngine;
import org.bouncycastle.crypto.io.SignerOutputStream;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.signers.DSADigestSigner;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.signers.PSSSigner;
import org.bouncycastle.crypto.signers.RSADigestSigner;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.DigitallySigned;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.SignatureScheme;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.Tls13Verifier;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCertificateRole;
import org.bouncycastle.tls.crypto.TlsCryptoUtils;
import org.bouncycastle.tls.crypto.TlsEncryptor;
import org.bouncycastle.tls.crypto.TlsStreamVerifier;
import org.bouncycastle.tls.crypto.TlsVerifier;

/**
 * A peer's X.509 certificate in the device profile ({@link DeviceTlsCrypto}): the DER, the key and the keyUsage
 * bits, as {@link LeanTlsCertificate} keeps them, but implementing BouncyCastle's {@link TlsCertificate} directly
 * (its {@code BcTlsRawKeyCertificate} reaches ML-DSA, SLH-DSA, DSA, Ed448 and BouncyCastle's key factory). Keys
 * are decoded by {@link DeviceKeys}; the verifiers are ECDSA P-256/P-384, RSA PKCS#1 v1.5 and PSS (rsaEncryption
 * keys) and Ed25519, built as BouncyCastle builds them, with the same alerts for a key that does not fit.
 */
final class DeviceTlsCertificate implements TlsCertificate {

    private static final int KEY_USAGE_ABSENT = -1;

    private final byte[] der;
    private final SubjectPublicKeyInfo keyInfo;
    private final String sigAlgOid;
    private final boolean hasSigAlgParams;
    /** The first octet of the keyUsage bits (what BouncyCastle consults), or KEY_USAGE_ABSENT. */
    private final int keyUsage;
    private final PeerKeyCache keyCache;
    private AsymmetricKeyParameter key;

    /** As BouncyCastle's {@code BcTlsCertificate.parseCertificate}: bad_certificate, decode_error for trailing data. */
    static DeviceTlsCertificate parse(DeviceTlsCrypto crypto, byte[] encoding, PeerKeyCache keyCache)
            throws IOException {
        Certificate c;
        try {
            ASN1Primitive asn1 = TlsUtils.readASN1Object(encoding);
            c = Certificate.getInstance(asn1);
        } catch (IllegalArgumentException e) {
            throw new TlsFatalAlert(AlertDescription.bad_certificate, e);
        }
        int ku;
        try {
            Extensions exts = c.getTBSCertificate().getExtensions();
            KeyUsage k = exts == null ? null : KeyUsage.fromExtensions(exts);
            ku = k == null ? KEY_USAGE_ABSENT : k.getBytes()[0] & 0xff;
        } catch (RuntimeException e) {
            throw new TlsFatalAlert(AlertDescription.bad_certificate, "keyUsage cannot be decoded", e);
        }
        return new DeviceTlsCertificate(encoding, c, ku, keyCache);
    }

    private DeviceTlsCertificate(byte[] der, Certificate c, int keyUsage, PeerKeyCache keyCache) {
        this.der = der;
        this.keyInfo = c.getSubjectPublicKeyInfo();
        this.sigAlgOid = c.getSignatureAlgorithm().getAlgorithm().getId();
        this.hasSigAlgParams = c.getSignatureAlgorithm().getParameters() != null;
        this.keyUsage = keyUsage;
        this.keyCache = keyCache;
    }

    private Certificate reparse() {
        return Certificate.getInstance(der); // it parsed once; nobody writes to the adopted encoding
    }

    /** The key, from the crypto's cache when the same SubjectPublicKeyInfo was decoded before. */
    private synchronized AsymmetricKeyParameter publicKey() throws IOException {
        if (key != null) return key;
        byte[] spki = keyInfo.getEncoded(ASN1Encoding.DER);
        AsymmetricKeyParameter k = keyCache == null ? null : keyCache.get(spki);
        if (k == null) {
            try {
                k = DeviceKeys.publicKey(keyInfo);
            } catch (IOException e) {
                throw new TlsFatalAlert(AlertDescription.unsupported_certificate, e.getMessage(), e);
            }
            if (keyCache != null) k = keyCache.put(spki, k);
        }
        return key = k;
    }

    private <T> T publicKey(Class<T> type, String what) throws IOException {
        AsymmetricKeyParameter k = publicKey();
        if (!type.isInstance(k)) throw new TlsFatalAlert(AlertDescription.certificate_unknown, "Public key not " + what);
        return type.cast(k);
    }

    private boolean supportsKeyUsage(int bit) {
        return keyUsage == KEY_USAGE_ABSENT || (keyUsage & bit) == bit;
    }

    private void validateKeyUsage(int bit) throws IOException {
        if (!supportsKeyUsage(bit)) {
            throw new TlsFatalAlert(AlertDescription.certificate_unknown, bit == KeyUsage.digitalSignature
                    ? "KeyUsage does not allow digital signatures" : "KeyUsage does not allow key agreement");
        }
    }

    private boolean rsaEncryptionKey() {
        return PKCSObjectIdentifiers.rsaEncryption.equals(keyInfo.getAlgorithm().getAlgorithm());
    }

    private void validateRsaEncryptionKey() throws IOException {
        if (!rsaEncryptionKey()) {
            throw new TlsFatalAlert(AlertDescription.certificate_unknown,
                    "No support for rsa_pkcs1 or rsa_pss_rsae signature schemes");
        }
    }

    @Override
    public TlsEncryptor createEncryptor(int tlsCertificateRole) throws IOException {
        throw new TlsFatalAlert(AlertDescription.internal_error, "the device profile has no RSA key transport");
    }

    /** TLS 1.2 ServerKeyExchange (and CertificateVerify) signatures, verified as a stream. */
    @Override
    public TlsVerifier createVerifier(final short signatureAlgorithm) throws IOException {
        if (signatureAlgorithm != SignatureAlgorithm.ed25519) validateKeyUsage(KeyUsage.digitalSignature);
        switch (signatureAlgorithm) {
            case SignatureAlgorithm.ecdsa:
            case SignatureAlgorithm.rsa:
                if (signatureAlgorithm == SignatureAlgorithm.rsa) validateRsaEncryptionKey();
                break;
            case SignatureAlgorithm.rsa_pss_rsae_sha256:
            case SignatureAlgorithm.rsa_pss_rsae_sha384:
            case SignatureAlgorithm.rsa_pss_rsae_sha512:
                validateRsaEncryptionKey();
                break;
            case SignatureAlgorithm.ed25519:
                break;
            default:
                throw new TlsFatalAlert(AlertDescription.internal_error,
                        "the device profile has no signature algorithm " + signatureAlgorithm);
        }
        return new TlsVerifier() {
            @Override
            public TlsStreamVerifier getStreamVerifier(DigitallySigned digitallySigned) throws IOException {
                SignatureAndHashAlgorithm a = digitallySigned.getAlgorithm();
                if (a == null || a.getSignature() != signatureAlgorithm) {
                    throw new TlsFatalAlert(AlertDescription.internal_error, "signature algorithm mismatch");
                }
                final Signer signer = signer(SignatureScheme.from(a));
                final byte[] signature = digitallySigned.getSignature();
                final OutputStream out = new SignerOutputStream(signer);
                return new TlsStreamVerifier() {
                    @Override
                    public OutputStream getOutputStream() {
                        return out;
                    }

                    @Override
                    public boolean isVerified() {
                        return signer.verifySignature(signature);
                    }
                };
            }

            @Override
            public boolean verifyRawSignature(DigitallySigned digitallySigned, byte[] hash) throws IOException {
                // never asked: getStreamVerifier always answers
                throw new TlsFatalAlert(AlertDescription.internal_error, "no raw signatures in the device profile");
            }
        };
    }

    /** TLS 1.3 CertificateVerify signatures. */
    @Override
    public Tls13Verifier createVerifier(int signatureScheme) throws IOException {
        validateKeyUsage(KeyUsage.digitalSignature);
        final Signer signer = signer(signatureScheme);
        final OutputStream out = new SignerOutputStream(signer);
        return new Tls13Verifier() {
            @Override
            public OutputStream getOutputStream() {
                return out;
            }

            @Override
            public boolean verifySignature(byte[] signature) {
                return signer.verifySignature(signature);
            }
        };
    }

    /** A verifier initialised with this certificate's key, for one of the profile's schemes. */
    private Signer signer(int signatureScheme) throws IOException {
        Signer signer;
        AsymmetricKeyParameter k;
        switch (signatureScheme) {
            case SignatureScheme.ecdsa_secp256r1_sha256: // in TLS 1.2 also (sha256, ecdsa) with a P-384 key
            case SignatureScheme.ecdsa_secp384r1_sha384:
                signer = new DSADigestSigner(new ECDSASigner(), digest(signatureScheme));
                k = publicKey(ECPublicKeyParameters.class, "EC");
                break;
            case SignatureScheme.ed25519:
                signer = new Ed25519Signer();
                k = publicKey(Ed25519PublicKeyParameters.class, "Ed25519");
                break;
            case SignatureScheme.rsa_pkcs1_sha256:
            case SignatureScheme.rsa_pkcs1_sha384:
            case SignatureScheme.rsa_pkcs1_sha512:
                validateRsaEncryptionKey();
                signer = new RSADigestSigner(digest(signatureScheme),
                        TlsCryptoUtils.getOIDForHash(SignatureScheme.getCryptoHashAlgorithm(signatureScheme)));
                k = publicKey(RSAKeyParameters.class, "RSA");
                break;
            case SignatureScheme.rsa_pss_rsae_sha256:
            case SignatureScheme.rsa_pss_rsae_sha384:
            case SignatureScheme.rsa_pss_rsae_sha512:
                validateRsaEncryptionKey();
                Digest d = digest(signatureScheme);
                signer = new PSSSigner(new RSAEngine(), d, d.getDigestSize());
                k = publicKey(RSAKeyParameters.class, "RSA");
                break;
            default:
                throw new TlsFatalAlert(AlertDescription.internal_error,
                        "the device profile has no signature scheme " + SignatureScheme.getName(signatureScheme));
        }
        signer.init(false, k);
        return signer;
    }

    private static Digest digest(int signatureScheme) throws IOException {
        try {
            return DeviceTlsCrypto.digest(SignatureScheme.getCryptoHashAlgorithm(signatureScheme));
        } catch (IllegalArgumentException e) {
            throw new TlsFatalAlert(AlertDescription.internal_error, e.getMessage(), e);
        }
    }

    @Override
    public byte[] getEncoded() {
        return der;
    }

    @Override
    public byte[] getExtension(ASN1ObjectIdentifier extensionOID) throws IOException {
        Extensions extensions = reparse().getTBSCertificate().getExtensions();
        if (extensions == null) return null;
        Extension extension = extensions.getExtension(extensionOID);
        return extension == null ? null : extension.getExtnValue().getOctets().clone();
    }

    @Override
    public BigInteger getSerialNumber() {
        return reparse().getSerialNumber().getValue();
    }

    @Override
    public String getSigAlgOID() {
        return sigAlgOid;
    }

    @Override
    public ASN1Encodable getSigAlgParams() {
        return hasSigAlgParams ? reparse().getSignatureAlgorithm().getParameters() : null;
    }

    @Override
    public short getLegacySignatureAlgorithm() throws IOException {
        AsymmetricKeyParameter k = publicKey();
        if (!supportsKeyUsage(KeyUsage.digitalSignature)) return -1;
        if (k instanceof RSAKeyParameters) return SignatureAlgorithm.rsa;
        if (k instanceof ECPublicKeyParameters) return SignatureAlgorithm.ecdsa;
        return -1;
    }

    @Override
    public boolean supportsSignatureAlgorithm(short signatureAlgorithm) throws IOException {
        return supportsSignatureAlgorithm(signatureAlgorithm, KeyUsage.digitalSignature);
    }

    @Override
    public boolean supportsSignatureAlgorithmCA(short signatureAlgorithm) throws IOException {
        return supportsSignatureAlgorithm(signatureAlgorithm, KeyUsage.keyCertSign);
    }

    private boolean supportsSignatureAlgorithm(short signatureAlgorithm, int keyUsageBit) throws IOException {
        if (!supportsKeyUsage(keyUsageBit)) return false;
        AsymmetricKeyParameter k = publicKey();
        switch (signatureAlgorithm) {
            case SignatureAlgorithm.rsa:
            case SignatureAlgorithm.rsa_pss_rsae_sha256:
            case SignatureAlgorithm.rsa_pss_rsae_sha384:
            case SignatureAlgorithm.rsa_pss_rsae_sha512:
                return rsaEncryptionKey() && k instanceof RSAKeyParameters;
            case SignatureAlgorithm.ecdsa:
                return k instanceof ECPublicKeyParameters;
            case SignatureAlgorithm.ed25519:
                return k instanceof Ed25519PublicKeyParameters;
            default:
                return false;
        }
    }

    @Override
    public TlsCertificate checkUsageInRole(int tlsCertificateRole) throws IOException {
        if (tlsCertificateRole == TlsCertificateRole.ECDH) {
            validateKeyUsage(KeyUsage.keyAgreement);
            publicKey(ECPublicKeyParameters.class, "EC");
            return this;
        }
        throw new TlsFatalAlert(AlertDescription.internal_error);
    }
}
