package org.microssl.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.pkcs.EncryptedPrivateKeyInfo;
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
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.microssl.internal.crypto.DeviceKeys;
import org.microssl.internal.crypto.Profile;
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
        return parsePrivateKey(data, null);
    }

    /**
     * {@link #parsePrivateKey(byte[])}, and encrypted PKCS#8 (RFC 5958 EncryptedPrivateKeyInfo: PBES2 with PBKDF2
     * or scrypt and AES-CBC, what {@code openssl pkcs8 -topk8} and OpenSSL 3's {@code genpkey -aes256} write)
     * decrypted with {@code password}. A password given for a key that is not encrypted is ignored, as CPython
     * does.
     *
     * @throws IllegalArgumentException "invalid key: ...": unparseable, unsupported, encrypted without a password,
     *     a wrong password (said so; the password is never in a message), or a certificate or PKCS#12 file given
     *     where the key goes
     */
    public static AsymmetricKeyParameter parsePrivateKey(byte[] data, char[] password) {
        if (data == null || data.length == 0) throw invalidKey("no key data");
        if (Pem.isPem(data)) {
            List<Pem.Block> blocks;
            try {
                blocks = Pem.decode(data);
            } catch (IllegalArgumentException e) {
                if (String.valueOf(e.getMessage()).contains("RFC 1421 headers")) {
                    throw invalidKey("a legacy OpenSSL-encrypted PEM key (Proc-Type/DEK-Info headers) is not "
                            + "supported: convert it to encrypted PKCS#8 with openssl pkcs8 -topk8 -v2 aes-256-cbc");
                }
                throw invalidKey(e.getMessage());
            }
            boolean certificate = false;
            for (Pem.Block block : blocks) {
                if (block.label.equals("PRIVATE KEY")) return checked(parsePkcs8(block.der));
                if (block.label.equals("EC PRIVATE KEY")) return checked(parseSec1(block.der));
                if (block.label.equals("RSA PRIVATE KEY")) return checked(parsePkcs1(block.der));
                if (block.label.equals("ENCRYPTED PRIVATE KEY")) {
                    byte[] plain = decryptPkcs8(block.der, password);
                    try {
                        return checked(parsePkcs8(plain));
                    } finally {
                        Arrays.fill(plain, (byte) 0);
                    }
                }
                certificate |= block.label.equals("CERTIFICATE") || block.label.equals("TRUSTED CERTIFICATE");
            }
            if (certificate) throw invalidKey(SWAPPED_KEY);
            throw invalidKey("no PRIVATE KEY, ENCRYPTED PRIVATE KEY, EC PRIVATE KEY or RSA PRIVATE KEY block in the "
                    + "PEM data");
        }
        ASN1Sequence seq = derSequence(data);
        if (seq == null) throw invalidKey("neither PEM nor a DER-encoded key (PKCS#8, SEC1 or PKCS#1)");
        AsymmetricKeyParameter key;
        ASN1Primitive first = seq.size() > 0 ? seq.getObjectAt(0).toASN1Primitive() : null;
        ASN1Primitive second = seq.size() > 1 ? seq.getObjectAt(1).toASN1Primitive() : null;
        if (looksLikePkcs12(seq, data)) {
            throw invalidKey(PKCS12_GIVEN);
        } else if (seq.size() == 3 && first instanceof ASN1Sequence && second instanceof ASN1Sequence) {
            throw invalidKey(SWAPPED_KEY); // Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, ... }
        } else if (seq.size() == 2 && first instanceof ASN1Sequence && second instanceof ASN1OctetString) {
            byte[] plain = decryptPkcs8(data, password);
            try {
                key = parsePkcs8(plain);
            } finally {
                Arrays.fill(plain, (byte) 0);
            }
        } else if (seq.size() >= 3 && second instanceof ASN1Sequence) {
            key = parsePkcs8(data);
        } else if (seq.size() >= 2 && second instanceof ASN1OctetString) {
            key = parseSec1(data);
        } else if (seq.size() == 9) {
            key = parsePkcs1(data);
        } else {
            throw invalidKey("DER structure is not a PKCS#8, SEC1 or PKCS#1 private key");
        }
        return checked(key);
    }

    static final String SWAPPED_KEY = "this is a certificate, not a private key: the certificate and key arguments "
            + "look swapped (loadCertChain(certfile, keyfile))";
    static final String SWAPPED_CERT = "is a private key, not a certificate: the certificate and key arguments look "
            + "swapped (loadCertChain(certfile, keyfile))";
    static final String PKCS12_GIVEN = "this is a PKCS#12 file (key and certificates together): load it with "
            + "loadPkcs12(file, password) (CLI: --p12 FILE --password P)";

    /** Pfx ::= SEQUENCE { version INTEGER (v3), authSafe ContentInfo, macData MacData OPTIONAL } (RFC 7292). */
    private static boolean looksLikePkcs12(ASN1Sequence seq, byte[] der) {
        if (seq.size() < 2 || seq.size() > 3) return false;
        ASN1Primitive version = seq.getObjectAt(0).toASN1Primitive();
        if (!(version instanceof ASN1Integer) || !((ASN1Integer) version).hasValue(3)) return false;
        for (int i = 1; i < seq.size(); i++) {
            if (!(seq.getObjectAt(i).toASN1Primitive() instanceof ASN1Sequence)) return false;
        }
        return Pkcs12.looksLikePkcs12(der);
    }

    /** EncryptedPrivateKeyInfo (RFC 5958 section 3) to PrivateKeyInfo DER; the caller clears the result. */
    private static byte[] decryptPkcs8(byte[] der, char[] password) {
        if (Profile.device()) {
            // the device jar leaves out password-based decryption (PBES2, scrypt, the PKCS#12 ciphers)
            throw invalidKey("the key is encrypted, and the device build of microssl has no password-based "
                    + "decryption: decrypt it beforehand (openssl pkcs8 -topk8 -nocrypt)");
        }
        if (password == null) {
            throw invalidKey("the key is encrypted (ENCRYPTED PRIVATE KEY): give its password "
                    + "(loadCertChain(cert, key, password); CLI: --password)");
        }
        EncryptedPrivateKeyInfo info;
        try {
            info = EncryptedPrivateKeyInfo.getInstance(der);
        } catch (RuntimeException e) {
            throw invalidKey("malformed encrypted PKCS#8 key (EncryptedPrivateKeyInfo)");
        }
        byte[] plain;
        try {
            plain = PasswordDecryption.decrypt(info.getEncryptionAlgorithm(), info.getEncryptedData(), password,
                    "invalid key: ", "the key");
        } catch (PasswordDecryption.WrongPassword e) {
            throw invalidKey("wrong password for the encrypted key");
        }
        try {
            return checkedPrivateKeyInfo(plain);
        } catch (IOException e) {
            Arrays.fill(plain, (byte) 0);
            throw invalidKey("wrong password for the encrypted key");
        }
    }

    /**
     * {@code plain} if it is a PrivateKeyInfo (what a right password decrypts to; a wrong one passes the padding
     * check 1 time in 256 and gives noise).
     */
    static byte[] checkedPrivateKeyInfo(byte[] plain) throws IOException {
        try {
            PrivateKeyInfo.getInstance(ASN1Primitive.fromByteArray(plain));
            return plain;
        } catch (IOException | RuntimeException e) {
            throw new IOException("not a PrivateKeyInfo");
        }
    }

    private static AsymmetricKeyParameter parsePkcs8(byte[] der) {
        try {
            PrivateKeyInfo info = PrivateKeyInfo.getInstance(der);
            // the device jar (Profile.device()) has no PrivateKeyFactory: it reaches every curve table
            return Profile.device() ? DeviceKeys.privateKey(info) : PrivateKeyFactory.createKey(info);
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
            PrivateKeyInfo info = new PrivateKeyInfo(alg, sec1);
            return Profile.device() ? DeviceKeys.privateKey(info) : PrivateKeyFactory.createKey(info);
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
            SubjectPublicKeyInfo info = Certificate.getInstance(certDer).getSubjectPublicKeyInfo();
            return Profile.device() ? DeviceKeys.publicKey(info) : PublicKeyFactory.createKey(info);
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
            if (out.isEmpty()) {
                for (Pem.Block block : blocks) {
                    if (block.label.endsWith("PRIVATE KEY")) throw invalidCert(what + " " + SWAPPED_CERT);
                }
                throw invalidCert(what + ": no CERTIFICATE block in the PEM data");
            }
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
            byte[] der = java.util.Arrays.copyOfRange(data, pos, end);
            if (index == 1) refuseOtherShapes(der, what);
            out.add(checkedCertificate(der, what + " DER certificate #" + index));
            pos = end;
        }
        if (out.isEmpty()) throw invalidCert(what + ": neither PEM nor DER certificates");
        return out;
    }

    /**
     * Splits CRL data into DER CRLs: PEM ({@code X509 CRL} blocks, others ignored) or DER CRLs concatenated. Only
     * the outer structure is checked here; the validator parses each.
     */
    public static List<byte[]> parseCrls(byte[] data) {
        List<byte[]> out = new ArrayList<byte[]>();
        if (Pem.isPem(data)) {
            try {
                for (Pem.Block block : Pem.decode(data)) {
                    if (block.label.equals("X509 CRL")) out.add(block.der);
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid crl: " + e.getMessage());
            }
            if (out.isEmpty()) throw new IllegalArgumentException("invalid crl: no X509 CRL block in the PEM data");
            return out;
        }
        // sliced by their own definite lengths, never re-encoded (as certificates: see parseCertificates)
        for (int pos = 0; pos < data.length; ) {
            int end;
            try {
                end = Der.valueEnd(data, pos);
            } catch (IOException e) {
                throw new IllegalArgumentException("invalid crl: CRL #" + (out.size() + 1) + " is not valid DER ("
                        + e.getMessage() + ")");
            }
            out.add(java.util.Arrays.copyOfRange(data, pos, end));
            pos = end;
        }
        if (out.isEmpty()) throw new IllegalArgumentException("invalid crl: neither PEM nor DER CRLs");
        return out;
    }

    /** Checks that each DER certificate is a well-formed X.509 Certificate; "invalid cert: ..." names the first that is not. */
    public static void checkCertificates(List<byte[]> ders, String what) {
        for (int i = 0; i < ders.size(); i++) checkedCertificate(ders.get(i), what + " certificate #" + (i + 1));
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

    /** A key or a PKCS#12 file where certificates go: says so, instead of "not an X.509 certificate". */
    private static void refuseOtherShapes(byte[] der, String what) {
        ASN1Sequence seq = derSequence(der);
        if (seq == null || looksLikeCertificate(seq)) return;
        if (looksLikePkcs12(seq, der)) throw invalidCert(what + ": " + PKCS12_GIVEN);
        if (looksLikePrivateKey(seq)) throw invalidCert(what + " " + SWAPPED_CERT);
    }

    /** Certificate ::= SEQUENCE { tbsCertificate SEQUENCE, signatureAlgorithm SEQUENCE, signature BIT STRING }. */
    private static boolean looksLikeCertificate(ASN1Sequence seq) {
        return seq.size() == 3 && seq.getObjectAt(0).toASN1Primitive() instanceof ASN1Sequence
                && seq.getObjectAt(1).toASN1Primitive() instanceof ASN1Sequence;
    }

    /** PKCS#8 (plain or encrypted), SEC1 or PKCS#1, by shape alone: for a "looks swapped" message only. */
    private static boolean looksLikePrivateKey(ASN1Sequence seq) {
        if (seq.size() < 2) return false;
        ASN1Primitive first = seq.getObjectAt(0).toASN1Primitive();
        ASN1Primitive second = seq.getObjectAt(1).toASN1Primitive();
        if (first instanceof ASN1Sequence) return seq.size() == 2 && second instanceof ASN1OctetString;
        return first instanceof ASN1Integer && (second instanceof ASN1Sequence || second instanceof ASN1OctetString
                || seq.size() == 9);
    }

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
