package org.microssl.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.Arrays;
import org.microssl.x509.Der;
import org.microssl.x509.KeyType;
import org.microssl.x509.Pem;

/**
 * Loading of keys and certificates given to an SSLContext. Errors are {@link IllegalArgumentException}s whose
 * message starts "invalid key: " or "invalid cert: " and names what could not be parsed, never its bytes.
 */
public final class Keys {

    private Keys() {}

    // ---------------------------------------------------------------------------------------------- keys

    /**
     * Parses a private key: PKCS#8 (RFC 5208), SEC1 EC (RFC 5915) or PKCS#1 RSA (RFC 8017 appendix A.1.2), PEM
     * or DER. Curves P-256 and P-384, RSA of at least 2048 bits, Ed25519.
     */
    public static AsymmetricKeyParameter parsePrivateKey(byte[] data) {
        if (data == null || data.length == 0) throw invalidKey("no key data");
        if (Pem.isPem(data)) {
            List<Pem.Block> blocks;
            try {
                blocks = Pem.decode(data);
            } catch (IllegalArgumentException e) {
                throw invalidKey(e.getMessage());
            }
            for (Pem.Block block : blocks) {
                if (block.label.equals("PRIVATE KEY")) return checked(parsePkcs8(block.der));
                if (block.label.equals("EC PRIVATE KEY")) return checked(parseSec1(block.der));
                if (block.label.equals("RSA PRIVATE KEY")) return checked(parsePkcs1(block.der));
                if (block.label.equals("ENCRYPTED PRIVATE KEY")) {
                    throw invalidKey("encrypted PKCS#8 keys are not supported; decrypt the key first");
                }
            }
            throw invalidKey("no PRIVATE KEY, EC PRIVATE KEY or RSA PRIVATE KEY block in the PEM data");
        }
        ASN1Sequence seq = derSequence(data);
        if (seq == null) throw invalidKey("neither PEM nor a DER-encoded key (PKCS#8, SEC1 or PKCS#1)");
        AsymmetricKeyParameter key;
        if (seq.size() >= 3 && seq.getObjectAt(1).toASN1Primitive() instanceof ASN1Sequence) {
            key = parsePkcs8(data);
        } else if (seq.size() >= 2 && seq.getObjectAt(1).toASN1Primitive() instanceof ASN1OctetString) {
            key = parseSec1(data);
        } else if (seq.size() == 9) {
            key = parsePkcs1(data);
        } else {
            throw invalidKey("DER structure is not a PKCS#8, SEC1 or PKCS#1 private key");
        }
        return checked(key);
    }

    private static AsymmetricKeyParameter parsePkcs8(byte[] der) {
        try {
            return PrivateKeyFactory.createKey(PrivateKeyInfo.getInstance(der));
        } catch (IOException | RuntimeException e) {
            throw invalidKey("PKCS#8 key cannot be parsed or uses an unsupported algorithm");
        }
    }

    private static AsymmetricKeyParameter parseSec1(byte[] der) {
        try {
            ECPrivateKey sec1 = ECPrivateKey.getInstance(der);
            org.bouncycastle.asn1.ASN1Encodable params = sec1.getParametersObject();
            if (params == null) throw invalidKey("SEC1 EC key has no curve parameters");
            AlgorithmIdentifier alg = new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, params);
            return PrivateKeyFactory.createKey(new PrivateKeyInfo(alg, sec1));
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("invalid key:")) throw e;
            throw invalidKey("SEC1 EC key cannot be parsed");
        } catch (IOException | RuntimeException e) {
            throw invalidKey("SEC1 EC key cannot be parsed");
        }
    }

    private static AsymmetricKeyParameter parsePkcs1(byte[] der) {
        try {
            RSAPrivateKey k = RSAPrivateKey.getInstance(der);
            return new RSAPrivateCrtKeyParameters(k.getModulus(), k.getPublicExponent(), k.getPrivateExponent(),
                    k.getPrime1(), k.getPrime2(), k.getExponent1(), k.getExponent2(), k.getCoefficient());
        } catch (RuntimeException e) {
            throw invalidKey("PKCS#1 RSA key cannot be parsed");
        }
    }

    private static AsymmetricKeyParameter checked(AsymmetricKeyParameter key) {
        if (!key.isPrivate()) throw invalidKey("not a private key");
        keyType(key, "invalid key: ");
        return key;
    }

    /**
     * The type of a key microssl signs with: ECDSA P-256 or P-384, RSA, Ed25519.
     *
     * @param prefix "invalid key: " or "invalid cert: " for the error message
     */
    static KeyType keyType(AsymmetricKeyParameter key, String prefix) {
        if (key instanceof ECPrivateKeyParameters || key instanceof ECPublicKeyParameters) {
            ECDomainParameters params = key instanceof ECPrivateKeyParameters
                    ? ((ECPrivateKeyParameters) key).getParameters() : ((ECPublicKeyParameters) key).getParameters();
            if (params instanceof ECNamedDomainParameters) {
                ASN1ObjectIdentifier curve = ((ECNamedDomainParameters) params).getName();
                if (SECObjectIdentifiers.secp256r1.equals(curve)) return KeyType.EC_P256;
                if (SECObjectIdentifiers.secp384r1.equals(curve)) return KeyType.EC_P384;
                throw new IllegalArgumentException(prefix + "EC curve " + curve + " is not supported (P-256, P-384)");
            }
            throw new IllegalArgumentException(prefix + "EC key with explicit curve parameters is not supported");
        }
        if (key instanceof RSAKeyParameters) {
            int bits = ((RSAKeyParameters) key).getModulus().bitLength();
            if (bits < KeyType.MIN_RSA_BITS) {
                throw new IllegalArgumentException(prefix + "RSA key of " + bits + " bits is too small (minimum "
                        + KeyType.MIN_RSA_BITS + ")");
            }
            return KeyType.RSA;
        }
        if (key instanceof Ed25519PrivateKeyParameters || key instanceof Ed25519PublicKeyParameters) {
            return KeyType.ED25519;
        }
        throw new IllegalArgumentException(prefix + "key algorithm " + key.getClass().getSimpleName()
                + " is not supported (ECDSA P-256/P-384, RSA, Ed25519)");
    }

    /** The public key of a certificate, for matching against a private key or a signer. */
    public static AsymmetricKeyParameter certificatePublicKey(byte[] certDer) {
        try {
            return PublicKeyFactory.createKey(Certificate.getInstance(certDer).getSubjectPublicKeyInfo());
        } catch (IOException | RuntimeException e) {
            throw invalidCert("the certificate's public key cannot be parsed or uses an unsupported algorithm");
        }
    }

    /** @throws IllegalArgumentException "invalid key: ..." unless {@code priv} belongs to {@code pub} */
    public static void checkKeyMatches(AsymmetricKeyParameter priv, AsymmetricKeyParameter pub) {
        boolean match;
        if (priv instanceof ECPrivateKeyParameters && pub instanceof ECPublicKeyParameters) {
            ECPrivateKeyParameters k = (ECPrivateKeyParameters) priv;
            ECPoint q = k.getParameters().getG().multiply(k.getD()).normalize();
            ECPublicKeyParameters p = (ECPublicKeyParameters) pub;
            match = k.getParameters().getCurve().equals(p.getParameters().getCurve()) && q.equals(p.getQ());
        } else if (priv instanceof RSAPrivateCrtKeyParameters && pub instanceof RSAKeyParameters) {
            RSAPrivateCrtKeyParameters k = (RSAPrivateCrtKeyParameters) priv;
            RSAKeyParameters p = (RSAKeyParameters) pub;
            match = k.getModulus().equals(p.getModulus()) && k.getPublicExponent().equals(p.getExponent());
        } else if (priv instanceof RSAKeyParameters && pub instanceof RSAKeyParameters) {
            match = ((RSAKeyParameters) priv).getModulus().equals(((RSAKeyParameters) pub).getModulus());
        } else if (priv instanceof Ed25519PrivateKeyParameters && pub instanceof Ed25519PublicKeyParameters) {
            match = Arrays.areEqual(((Ed25519PrivateKeyParameters) priv).generatePublicKey().getEncoded(),
                    ((Ed25519PublicKeyParameters) pub).getEncoded());
        } else {
            match = false;
        }
        if (!match) throw invalidKey("the private key does not match the certificate's public key");
    }

    // ---------------------------------------------------------------------------------------------- certs

    /**
     * Parses one or more certificates: PEM ({@code CERTIFICATE} blocks, other blocks ignored) or DER certificates
     * concatenated. Each must be a well-formed X.509 {@code Certificate}; the validator checks the rest.
     *
     * @param what "cert" or "cadata", for the message
     */
    public static List<byte[]> parseCertificates(byte[] data, String what) {
        if (data == null || data.length == 0) throw invalidCert(what + " is empty");
        List<byte[]> out = new ArrayList<byte[]>();
        if (Pem.isPem(data)) {
            List<Pem.Block> blocks;
            try {
                blocks = Pem.decode(data);
            } catch (IllegalArgumentException e) {
                throw invalidCert(what + ": " + e.getMessage());
            }
            int index = 0;
            for (Pem.Block block : blocks) {
                if (!block.label.equals("CERTIFICATE") && !block.label.equals("TRUSTED CERTIFICATE")) continue;
                index++;
                out.add(checkedCertificate(block.der, what + " PEM certificate #" + index));
            }
            if (out.isEmpty()) throw invalidCert(what + ": no CERTIFICATE block in the PEM data");
            return out;
        }
        // Sliced by their own definite lengths, never re-encoded: a certificate is DER, and re-encoding BER
        // (nested indefinite-length SETs) can cost memory exponential in the nesting.
        int index = 0;
        for (int pos = 0; pos < data.length; ) {
            index++;
            int end;
            try {
                end = Der.valueEnd(data, pos);
            } catch (IOException e) {
                throw invalidCert(what + ": DER certificate #" + index + " is not valid DER (" + e.getMessage() + ")");
            }
            out.add(checkedCertificate(java.util.Arrays.copyOfRange(data, pos, end), what + " DER certificate #" + index));
            pos = end;
        }
        if (out.isEmpty()) throw invalidCert(what + ": neither PEM nor DER certificates");
        return out;
    }

    private static byte[] checkedCertificate(byte[] der, String what) {
        try {
            ASN1Primitive prim = ASN1Primitive.fromByteArray(der);
            Certificate.getInstance(prim);
            // Keep the bytes as given: signatures cover the exact encoding of the TBSCertificate.
            return der;
        } catch (IOException | RuntimeException e) {
            throw invalidCert(what + " is not an X.509 certificate");
        }
    }

    // ---------------------------------------------------------------------------------------------- util

    private static ASN1Sequence derSequence(byte[] data) {
        if (data[0] != 0x30) return null;
        try {
            ASN1Encodable obj = ASN1Primitive.fromByteArray(data);
            return obj instanceof ASN1Sequence ? (ASN1Sequence) obj : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static IllegalArgumentException invalidKey(String detail) {
        return new IllegalArgumentException("invalid key: " + detail);
    }

    static IllegalArgumentException invalidCert(String detail) {
        return new IllegalArgumentException("invalid cert: " + detail);
    }

}
