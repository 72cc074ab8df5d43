package org.microssl.internal.crypto;

import java.io.IOException;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;

/**
 * The public keys of the device profile, decoded from a SubjectPublicKeyInfo without BouncyCastle's
 * {@code PublicKeyFactory}, whose static initialiser registers a dozen converters (GOST, DSTU, DSA, DH, ElGamal,
 * X448, Ed448 with their curve and OID tables): RSA (rsaEncryption), EC on P-256 and P-384 (namedCurve only, as
 * RFC 5480 section 2.1.1 requires of certificates) and Ed25519 (RFC 8410). Anything else is not supported.
 */
public final class DeviceKeys {
    private DeviceKeys() {}

    /** @throws IOException naming what is not supported or not well formed */
    public static AsymmetricKeyParameter publicKey(SubjectPublicKeyInfo info) throws IOException {
        AlgorithmIdentifier alg = info.getAlgorithm();
        ASN1ObjectIdentifier oid = alg.getAlgorithm();
        try {
            if (PKCSObjectIdentifiers.rsaEncryption.equals(oid)) {
                RSAPublicKey rsa = RSAPublicKey.getInstance(info.parsePublicKey());
                // "internal": no Miller-Rabin rounds to prove the modulus composite, pointless for verification
                return new RSAKeyParameters(false, rsa.getModulus(), rsa.getPublicExponent(), true);
            }
            if (X9ObjectIdentifiers.id_ecPublicKey.equals(oid)) {
                if (!(alg.getParameters() instanceof ASN1ObjectIdentifier)) {
                    throw new IOException("EC key without a named curve (RFC 5480 section 2.1.1)");
                }
                ECDomainParameters domain = DeviceCurves.byOid((ASN1ObjectIdentifier) alg.getParameters());
                if (domain == null) {
                    throw new IOException("EC key on curve " + alg.getParameters() + ": the device profile has P-256 "
                            + "and P-384 only");
                }
                // validated on construction: on the curve, not infinity
                return new ECPublicKeyParameters(domain.getCurve().decodePoint(info.getPublicKeyData().getOctets()),
                        domain);
            }
            if (EdECObjectIdentifiers.id_Ed25519.equals(oid)) {
                return new Ed25519PublicKeyParameters(info.getPublicKeyData().getOctets());
            }
        } catch (IOException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new IOException("public key cannot be decoded: " + e.getMessage(), e);
        }
        throw new IOException("public key algorithm " + oid.getId() + " is not in the device profile (RSA, EC P-256/"
                + "P-384, Ed25519)");
    }

    /**
     * A private key of the device profile from its PKCS#8 PrivateKeyInfo (RFC 5208): RSA, EC P-256/P-384
     * (named curve), Ed25519; without BouncyCastle's {@code PrivateKeyFactory} and its tables.
     *
     * @throws IOException naming what is not supported or not well formed
     */
    public static AsymmetricKeyParameter privateKey(PrivateKeyInfo info) throws IOException {
        AlgorithmIdentifier alg = info.getPrivateKeyAlgorithm();
        ASN1ObjectIdentifier oid = alg.getAlgorithm();
        try {
            if (PKCSObjectIdentifiers.rsaEncryption.equals(oid)) {
                RSAPrivateKey k = RSAPrivateKey.getInstance(info.parsePrivateKey());
                return new RSAPrivateCrtKeyParameters(k.getModulus(), k.getPublicExponent(), k.getPrivateExponent(),
                        k.getPrime1(), k.getPrime2(), k.getExponent1(), k.getExponent2(), k.getCoefficient());
            }
            if (X9ObjectIdentifiers.id_ecPublicKey.equals(oid)) {
                if (!(alg.getParameters() instanceof ASN1ObjectIdentifier)) {
                    throw new IOException("EC key without a named curve");
                }
                ECDomainParameters domain = DeviceCurves.byOid((ASN1ObjectIdentifier) alg.getParameters());
                if (domain == null) throw new IOException("EC key on a curve the device profile does not have");
                ECPrivateKey ec = ECPrivateKey.getInstance(info.parsePrivateKey());
                return new ECPrivateKeyParameters(ec.getKey(), domain);
            }
            if (EdECObjectIdentifiers.id_Ed25519.equals(oid)) {
                return new Ed25519PrivateKeyParameters(ASN1OctetString.getInstance(info.parsePrivateKey()).getOctets());
            }
        } catch (IOException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new IOException("private key cannot be decoded: " + e.getMessage(), e);
        }
        throw new IOException("private key algorithm " + oid.getId() + " is not in the device profile");
    }
}
