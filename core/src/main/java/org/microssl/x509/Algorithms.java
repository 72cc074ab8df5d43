package org.microssl.x509;

import java.io.IOException;
import java.math.BigInteger;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Null;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.microssl.spi.SignatureScheme;

/**
 * The accepted signature algorithms and public keys: what the CA/Browser Forum Baseline Requirements section
 * 7.1.3 allow, minus SHA-1 and MD5. Anything else is {@link Reason#WEAK_ALGORITHM}.
 */
final class Algorithms {
    private Algorithms() {}

    static final String RSA_ENCRYPTION = "1.2.840.113549.1.1.1";
    static final String RSA_PSS = "1.2.840.113549.1.1.10";
    static final String EC_PUBLIC_KEY = "1.2.840.10045.2.1";
    static final String ED25519 = "1.3.101.112";
    static final String P256 = "1.2.840.10045.3.1.7";
    static final String P384 = "1.3.132.0.34";
    static final String P521 = "1.3.132.0.35";
    static final String SHA256 = "2.16.840.1.101.3.4.2.1";
    static final String SHA384 = "2.16.840.1.101.3.4.2.2";
    static final String SHA512 = "2.16.840.1.101.3.4.2.3";
    static final String MGF1 = "1.2.840.113549.1.1.8";

    /** Thrown for an algorithm or key outside the accepted set. */
    static final class WeakAlgorithmException extends Exception {
        private static final long serialVersionUID = 1L;

        WeakAlgorithmException(String message) {
            super(message);
        }
    }

    /**
     * Maps a certificate's signatureAlgorithm to a scheme.
     *
     * @throws WeakAlgorithmException for SHA-1, MD5 and anything unsupported
     * @throws IOException for parameters that are not what RFC 4055 / RFC 5758 / RFC 8410 prescribe
     */
    static SignatureScheme signatureScheme(AlgorithmIdentifier alg) throws WeakAlgorithmException, IOException {
        String oid = alg.getAlgorithm().getId();
        ASN1Encodable params = alg.getParameters();
        switch (oid) {
            case "1.2.840.113549.1.1.11": return rsaPkcs1(params, SignatureScheme.RSA_PKCS1_SHA256);
            case "1.2.840.113549.1.1.12": return rsaPkcs1(params, SignatureScheme.RSA_PKCS1_SHA384);
            case "1.2.840.113549.1.1.13": return rsaPkcs1(params, SignatureScheme.RSA_PKCS1_SHA512);
            case "1.2.840.10045.4.3.2": return noParams(params, SignatureScheme.ECDSA_SHA256);
            case "1.2.840.10045.4.3.3": return noParams(params, SignatureScheme.ECDSA_SHA384);
            case "1.2.840.10045.4.3.4": return noParams(params, SignatureScheme.ECDSA_SHA512);
            case ED25519: return noParams(params, SignatureScheme.ED25519);
            case RSA_PSS: return pss(params);
            case "1.2.840.113549.1.1.5": throw new WeakAlgorithmException("signature uses SHA-1 with RSA");
            case "1.2.840.113549.1.1.4": throw new WeakAlgorithmException("signature uses MD5 with RSA");
            case "1.2.840.113549.1.1.2": throw new WeakAlgorithmException("signature uses MD2 with RSA");
            case "1.2.840.10045.4.1": throw new WeakAlgorithmException("signature uses ECDSA with SHA-1");
            case "1.2.840.10040.4.3": throw new WeakAlgorithmException("signature uses DSA with SHA-1");
            default: throw new WeakAlgorithmException("signature algorithm " + oid + " is not supported");
        }
    }

    private static SignatureScheme rsaPkcs1(ASN1Encodable params, SignatureScheme s) throws IOException {
        // RFC 4055 section 5: the parameters MUST be NULL
        if (!(params instanceof ASN1Null)) throw new IOException("RSA PKCS#1 signature parameters are not NULL");
        return s;
    }

    private static SignatureScheme noParams(ASN1Encodable params, SignatureScheme s) throws IOException {
        // RFC 5758 section 3.2 and RFC 8410 section 3: the parameters MUST be absent
        if (params != null) throw new IOException(s + " signature has parameters");
        return s;
    }

    private static SignatureScheme pss(ASN1Encodable params) throws IOException, WeakAlgorithmException {
        if (params == null) throw new IOException("RSA-PSS signature without parameters");
        RSASSAPSSparams p;
        try {
            p = RSASSAPSSparams.getInstance(params);
        } catch (RuntimeException e) {
            throw new IOException("RSA-PSS parameters: " + Der.why(e));
        }
        String hash = p.getHashAlgorithm().getAlgorithm().getId();
        int hashLen;
        SignatureScheme s;
        switch (hash) {
            case SHA256: hashLen = 32; s = SignatureScheme.RSA_PSS_SHA256; break;
            case SHA384: hashLen = 48; s = SignatureScheme.RSA_PSS_SHA384; break;
            case SHA512: hashLen = 64; s = SignatureScheme.RSA_PSS_SHA512; break;
            default: throw new WeakAlgorithmException("RSA-PSS with hash " + hash + " is not supported");
        }
        AlgorithmIdentifier mgf = p.getMaskGenAlgorithm();
        if (!MGF1.equals(mgf.getAlgorithm().getId())) throw new WeakAlgorithmException("RSA-PSS without MGF1");
        AlgorithmIdentifier mgfHash = AlgorithmIdentifier.getInstance(mgf.getParameters());
        // RFC 8017 / CA/B BR 7.1.3.2: MGF1 with the same hash, salt as long as the hash, trailer 1
        if (!hash.equals(mgfHash.getAlgorithm().getId())) throw new WeakAlgorithmException("RSA-PSS MGF1 hash differs");
        if (p.getSaltLength().intValue() != hashLen || !BigInteger.ONE.equals(p.getTrailerField())) {
            throw new WeakAlgorithmException("RSA-PSS salt length is not the hash length");
        }
        return s;
    }

    /**
     * Checks a SubjectPublicKeyInfo against the accepted set: RSA of at least 2048 bits and a multiple of 8
     * (BR 6.1.5), ECDSA on named curves P-256, P-384, P-521 (BR 7.1.3.1.2: namedCurve encoding only), Ed25519.
     */
    static KeyType checkPublicKey(SubjectPublicKeyInfo spki) throws WeakAlgorithmException, IOException {
        AlgorithmIdentifier alg = spki.getAlgorithm();
        String oid = alg.getAlgorithm().getId();
        switch (oid) {
            case RSA_ENCRYPTION: {
                if (!(alg.getParameters() instanceof ASN1Null)) throw new IOException("RSA key parameters are not NULL");
                RSAPublicKey key;
                try {
                    key = RSAPublicKey.getInstance(Der.parse(spki.getPublicKeyData().getOctets()));
                } catch (RuntimeException e) {
                    throw new IOException("RSA public key: " + Der.why(e));
                }
                BigInteger n = key.getModulus();
                if (n.signum() <= 0 || key.getPublicExponent().signum() <= 0) throw new IOException("RSA key is not positive");
                int bits = n.bitLength();
                if (bits < KeyType.MIN_RSA_BITS) {
                    throw new WeakAlgorithmException("RSA key of " + bits + " bits (minimum " + KeyType.MIN_RSA_BITS + ")");
                }
                if (bits % 8 != 0) throw new WeakAlgorithmException("RSA key of " + bits + " bits is not a multiple of 8 bits");
                return KeyType.RSA;
            }
            case EC_PUBLIC_KEY: {
                ASN1Encodable params = alg.getParameters();
                if (!(params instanceof ASN1ObjectIdentifier)) {
                    throw new WeakAlgorithmException("EC key with explicit or implicit curve parameters (only named curves are accepted)");
                }
                String curve = ((ASN1ObjectIdentifier) params).getId();
                if (P256.equals(curve)) return KeyType.EC_P256;
                if (P384.equals(curve)) return KeyType.EC_P384;
                if (P521.equals(curve)) return KeyType.EC_P521;
                throw new WeakAlgorithmException("EC key on curve " + curve + " (accepted: P-256, P-384, P-521)");
            }
            case ED25519:
                if (alg.getParameters() != null) throw new IOException("Ed25519 key has parameters");
                return KeyType.ED25519;
            case "1.2.840.10040.4.1":
                throw new WeakAlgorithmException("DSA key");
            default:
                throw new WeakAlgorithmException("public key algorithm " + oid + " is not supported");
        }
    }

    /** Whether a signature scheme can be made by a key of this type. */
    static boolean compatible(SignatureScheme s, KeyType k) {
        switch (s) {
            case ECDSA_SHA256: case ECDSA_SHA384: case ECDSA_SHA512: return k.isEc();
            case ED25519: return k == KeyType.ED25519;
            default: return k == KeyType.RSA;
        }
    }

}
