package org.microssl.internal.crypto;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.X509EncodedKeySpec;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.microssl.spi.SignatureScheme;
import org.microssl.spi.SignatureVerifier;

/**
 * Certificate signatures through {@link java.security.Signature} and the JDK's providers. The key's algorithm is
 * read from its SubjectPublicKeyInfo and must fit the scheme (RFC 5280 section 4.1.2.7, RFC 4055 for RSA-PSS keys).
 */
public final class JcaSignatureVerifier implements SignatureVerifier {

    @Override
    public boolean verify(SignatureScheme scheme, byte[] subjectPublicKeyInfo, byte[] signedData, byte[] signature) {
        PublicKey key = decodeKey(scheme, subjectPublicKeyInfo);
        try {
            Signature sig = Signature.getInstance(jcaName(scheme));
            PSSParameterSpec pss = pssParameters(scheme);
            if (pss != null) sig.setParameter(pss);
            sig.initVerify(key);
            sig.update(signedData);
            return sig.verify(signature);
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("key cannot be used with " + scheme + ": " + e.getMessage(), e);
        } catch (SignatureException e) {
            // a signature that does not even decode (bad ECDSA DER, wrong RSA length) is simply not valid
            return false;
        } catch (InvalidAlgorithmParameterException e) {
            throw new IllegalArgumentException("JCA rejects the parameters of " + scheme + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JCA provider lacks " + scheme + ": " + e.getMessage(), e);
        }
    }

    private static PublicKey decodeKey(SignatureScheme scheme, byte[] spkiDer) {
        ASN1ObjectIdentifier keyOid;
        try {
            keyOid = SubjectPublicKeyInfo.getInstance(spkiDer).getAlgorithm().getAlgorithm();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("malformed SubjectPublicKeyInfo", e);
        }
        String keyFactory = keyFactoryFor(scheme, keyOid);
        try {
            return KeyFactory.getInstance(keyFactory).generatePublic(new X509EncodedKeySpec(spkiDer));
        } catch (InvalidKeySpecException e) {
            throw new IllegalArgumentException(keyFactory + " key is malformed or unsupported: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JCA provider lacks KeyFactory " + keyFactory, e);
        }
    }

    /** The JCA KeyFactory for a key of type {@code keyOid}, if such a key may make {@code scheme} signatures. */
    private static String keyFactoryFor(SignatureScheme scheme, ASN1ObjectIdentifier keyOid) {
        switch (scheme) {
            case RSA_PKCS1_SHA256: case RSA_PKCS1_SHA384: case RSA_PKCS1_SHA512:
                if (keyOid.equals(PKCSObjectIdentifiers.rsaEncryption)) return "RSA";
                break;
            case RSA_PSS_SHA256: case RSA_PSS_SHA384: case RSA_PSS_SHA512:
                // RFC 4055 section 1.2: an rsaEncryption key may make PSS signatures; an id-RSASSA-PSS key only PSS
                if (keyOid.equals(PKCSObjectIdentifiers.rsaEncryption)) return "RSA";
                if (keyOid.equals(PKCSObjectIdentifiers.id_RSASSA_PSS)) return "RSASSA-PSS";
                break;
            case ECDSA_SHA256: case ECDSA_SHA384: case ECDSA_SHA512:
                if (keyOid.equals(X9ObjectIdentifiers.id_ecPublicKey)) return "EC";
                break;
            case ED25519:
                if (keyOid.equals(EdECObjectIdentifiers.id_Ed25519)) return "Ed25519";
                break;
            default:
                break;
        }
        throw new IllegalArgumentException("a key of type " + keyOid.getId() + " cannot make " + scheme + " signatures");
    }

    private static String jcaName(SignatureScheme scheme) {
        switch (scheme) {
            case RSA_PKCS1_SHA256: return "SHA256withRSA";
            case RSA_PKCS1_SHA384: return "SHA384withRSA";
            case RSA_PKCS1_SHA512: return "SHA512withRSA";
            case RSA_PSS_SHA256: case RSA_PSS_SHA384: case RSA_PSS_SHA512: return "RSASSA-PSS";
            case ECDSA_SHA256: return "SHA256withECDSA";
            case ECDSA_SHA384: return "SHA384withECDSA";
            case ECDSA_SHA512: return "SHA512withECDSA";
            case ED25519: return "Ed25519";
            default: throw new IllegalArgumentException("unsupported scheme " + scheme);
        }
    }

    /** RFC 8017 / RFC 4055 as the web PKI uses PSS: MGF1 with the message hash, salt as long as the hash. */
    private static PSSParameterSpec pssParameters(SignatureScheme scheme) {
        switch (scheme) {
            case RSA_PSS_SHA256: return new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1);
            case RSA_PSS_SHA384: return new PSSParameterSpec("SHA-384", "MGF1", MGF1ParameterSpec.SHA384, 48, 1);
            case RSA_PSS_SHA512: return new PSSParameterSpec("SHA-512", "MGF1", MGF1ParameterSpec.SHA512, 64, 1);
            default: return null;
        }
    }
}
