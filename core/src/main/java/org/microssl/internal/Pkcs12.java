package org.microssl.internal;

import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.pkcs.AuthenticatedSafe;
import org.bouncycastle.asn1.pkcs.CertBag;
import org.bouncycastle.asn1.pkcs.ContentInfo;
import org.bouncycastle.asn1.pkcs.EncryptedData;
import org.bouncycastle.asn1.pkcs.EncryptedPrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.KeyDerivationFunc;
import org.bouncycastle.asn1.pkcs.MacData;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
import org.bouncycastle.asn1.pkcs.PBMAC1Params;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.Pfx;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.SafeBag;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.DigestInfo;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.PBEParametersGenerator;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.crypto.digests.SHA224Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.generators.PKCS12ParametersGenerator;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.util.Arrays;

/**
 * A PKCS#12 file (RFC 7292), as OpenSSL, keytool, Windows and cloud consoles write it: its integrity MAC is
 * checked with the password (a mismatch is the wrong password), its private key and certificates are taken out
 * (decrypted with {@link PasswordDecryption}), and the certificates are put in order: the one matching the key
 * first, then its issuers as far as the file has them. Public-key integrity mode (a signed PFX) is refused.
 */
public final class Pkcs12 {

    /** What a PKCS#12 file held. */
    public static final class Contents {
        /** The certificate matching the key, then its issuers found in the file (a self-signed root left out). */
        public final List<byte[]> chain;
        public final AsymmetricKeyParameter privateKey;

        Contents(List<byte[]> chain, AsymmetricKeyParameter privateKey) {
            this.chain = chain;
            this.privateKey = privateKey;
        }
    }

    private static final String PREFIX = "invalid key: ";
    /** More bags than any real file holds (a key and a few dozen certificates); bounds the work on a bad file. */
    static final int MAX_BAGS = 256;

    private Pkcs12() {}

    /** Whether {@code der} parses as a PFX (to tell a PKCS#12 file given where a key or certificate goes). */
    public static boolean looksLikePkcs12(byte[] der) {
        try {
            Pfx pfx = Pfx.getInstance(der);
            return pfx.getAuthSafe() != null;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * @throws IllegalArgumentException "invalid key: ..." for a file that is not PKCS#12, an unsupported
     *     algorithm, a wrong password ("wrong password for the PKCS#12 file"), or contents that are not one key
     *     and its certificate
     */
    public static Contents parse(byte[] der, char[] password) {
        if (org.microssl.internal.crypto.Profile.device()) {
            // the device jar leaves out password-based decryption (PBES2, scrypt, the PKCS#12 ciphers)
            throw new IllegalArgumentException("invalid key: the device build of microssl does not read PKCS#12: "
                    + "convert it to a PEM certificate chain and key beforehand (openssl pkcs12 -nodes)");
        }
        if (password == null) password = new char[0];
        Pfx pfx;
        try {
            pfx = Pfx.getInstance(der);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(PREFIX + "not a PKCS#12 file (PFX, RFC 7292)");
        }
        ContentInfo authSafe = pfx.getAuthSafe();
        if (!PKCSObjectIdentifiers.data.equals(authSafe.getContentType())) {
            throw new IllegalArgumentException(PREFIX + "the PKCS#12 file uses public-key integrity mode, which is "
                    + "not supported (only password integrity)");
        }
        byte[] content;
        try {
            content = ASN1OctetString.getInstance(authSafe.getContent()).getOctets();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(PREFIX + "malformed PKCS#12 file (authSafe)");
        }
        MacData mac = pfx.getMacData();
        if (mac != null && !macMatches(mac, content, password)) {
            throw new IllegalArgumentException(PREFIX + "wrong password for the PKCS#12 file (its integrity check "
                    + "failed)");
        }
        List<SafeBag> bags = new ArrayList<SafeBag>();
        ContentInfo[] infos;
        try {
            infos = AuthenticatedSafe.getInstance(content).getContentInfo();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(PREFIX + "malformed PKCS#12 file (AuthenticatedSafe)");
        }
        for (ContentInfo info : infos) {
            byte[] safeContents;
            try {
                if (PKCSObjectIdentifiers.data.equals(info.getContentType())) {
                    safeContents = ASN1OctetString.getInstance(info.getContent()).getOctets();
                } else if (PKCSObjectIdentifiers.encryptedData.equals(info.getContentType())) {
                    EncryptedData encrypted = EncryptedData.getInstance(info.getContent());
                    safeContents = PasswordDecryption.decrypt(encrypted.getEncryptionAlgorithm(),
                            encrypted.getContent().getOctets(), password, PREFIX, "the PKCS#12 certificates");
                } else {
                    throw new IllegalArgumentException(PREFIX + "the PKCS#12 file has " + info.getContentType()
                            + " contents, which are not supported (data, encryptedData)");
                }
            } catch (PasswordDecryption.WrongPassword e) {
                throw wrongPassword();
            } catch (ClassCastException | NullPointerException e) {
                throw new IllegalArgumentException(PREFIX + "malformed PKCS#12 file (ContentInfo)");
            }
            try {
                for (ASN1Encodable bag : ASN1Sequence.getInstance(safeContents)) {
                    if (bags.size() == MAX_BAGS) {
                        throw new IllegalArgumentException(PREFIX + "the PKCS#12 file holds more than " + MAX_BAGS
                                + " items");
                    }
                    bags.add(SafeBag.getInstance(bag));
                }
            } catch (IllegalArgumentException e) {
                if (String.valueOf(e.getMessage()).startsWith(PREFIX)) throw e;
                // decrypted, but not SafeContents: without a MAC to check, a wrong password shows here
                if (mac == null) throw wrongPassword();
                throw new IllegalArgumentException(PREFIX + "malformed PKCS#12 file (SafeContents)");
            } catch (RuntimeException e) {
                if (mac == null) throw wrongPassword();
                throw new IllegalArgumentException(PREFIX + "malformed PKCS#12 file (SafeContents)");
            }
        }

        List<byte[]> certificates = new ArrayList<byte[]>();
        List<AsymmetricKeyParameter> keys = new ArrayList<AsymmetricKeyParameter>();
        for (SafeBag bag : bags) {
            ASN1ObjectIdentifier type = bag.getBagId();
            try {
                if (PKCSObjectIdentifiers.certBag.equals(type)) {
                    CertBag cert = CertBag.getInstance(bag.getBagValue());
                    if (!PKCSObjectIdentifiers.x509Certificate.equals(cert.getCertId())) continue; // SDSI: none seen
                    certificates.add(ASN1OctetString.getInstance(cert.getCertValue()).getOctets());
                } else if (PKCSObjectIdentifiers.keyBag.equals(type)) {
                    keys.add(Keys.parsePrivateKey(PrivateKeyInfo.getInstance(bag.getBagValue())
                            .getEncoded(ASN1Encoding.DER)));
                } else if (PKCSObjectIdentifiers.pkcs8ShroudedKeyBag.equals(type)) {
                    EncryptedPrivateKeyInfo info = EncryptedPrivateKeyInfo.getInstance(bag.getBagValue());
                    byte[] plain = PasswordDecryption.decrypt(info.getEncryptionAlgorithm(), info.getEncryptedData(),
                            password, PREFIX, "the PKCS#12 key");
                    try {
                        byte[] keyInfo;
                        try {
                            keyInfo = Keys.checkedPrivateKeyInfo(plain);
                        } catch (java.io.IOException e) {
                            // without a MAC, a wrong password can decrypt to valid padding (about 1 in 256): not DER
                            if (mac == null) throw wrongPassword();
                            throw e;
                        }
                        keys.add(Keys.parsePrivateKey(keyInfo));
                    } finally {
                        Arrays.fill(plain, (byte) 0);
                    }
                }
                // CRL and secret bags, and nested SafeContents, hold nothing microssl loads
            } catch (PasswordDecryption.WrongPassword e) {
                throw wrongPassword();
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException(PREFIX + "malformed PKCS#12 file (a key bag)");
            } catch (IllegalArgumentException e) {
                if (String.valueOf(e.getMessage()).startsWith(PREFIX)) throw e;
                throw new IllegalArgumentException(PREFIX + "malformed PKCS#12 file (a bag)");
            }
        }
        if (keys.isEmpty()) throw new IllegalArgumentException(PREFIX + "the PKCS#12 file holds no private key");
        if (keys.size() > 1) {
            throw new IllegalArgumentException(PREFIX + "the PKCS#12 file holds " + keys.size()
                    + " private keys; microssl loads one (split it with openssl pkcs12)");
        }
        AsymmetricKeyParameter key = keys.get(0);
        return new Contents(order(certificates, key), key);
    }

    /** The certificate for {@code key} first, then its issuers by name as far as the file has them. */
    private static List<byte[]> order(List<byte[]> certificates, AsymmetricKeyParameter key) {
        List<Certificate> parsed = new ArrayList<Certificate>();
        Certificate leaf = null;
        for (byte[] der : certificates) {
            Certificate c;
            try {
                c = Certificate.getInstance(der);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("invalid cert: a certificate in the PKCS#12 file is not X.509");
            }
            parsed.add(c);
            if (leaf == null) {
                try {
                    Keys.checkKeyMatches(key, Keys.certificatePublicKey(der));
                    leaf = c;
                } catch (IllegalArgumentException notThisOne) {
                    // another certificate of the chain
                }
            }
        }
        if (leaf == null) {
            throw new IllegalArgumentException(PREFIX + "the PKCS#12 file has no certificate for its private key");
        }
        List<byte[]> chain = new ArrayList<byte[]>();
        chain.add(der(leaf));
        Certificate current = leaf;
        while (chain.size() <= parsed.size() && !current.getIssuer().equals(current.getSubject())) {
            Certificate issuer = null;
            for (Certificate c : parsed) {
                if (c != current && c.getSubject().equals(current.getIssuer())) issuer = c;
            }
            // a self-signed root need not be sent (RFC 8446 section 4.4.2): the peer has it or does not trust it
            if (issuer == null || issuer.getIssuer().equals(issuer.getSubject())) break;
            chain.add(der(issuer));
            current = issuer;
        }
        return chain;
    }

    private static byte[] der(Certificate c) {
        try {
            return c.getEncoded(ASN1Encoding.DER);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("invalid cert: a certificate in the PKCS#12 file cannot be encoded");
        }
    }

    private static IllegalArgumentException wrongPassword() {
        return new IllegalArgumentException(PREFIX + "wrong password for the PKCS#12 file");
    }

    /**
     * RFC 7292 section 4 MacData, keyed by the PKCS#12 KDF (appendix B, ID 3) over the password as a BMPString;
     * or PBMAC1 (RFC 9579), keyed by PBKDF2 over the password as UTF-8.
     */
    private static boolean macMatches(MacData mac, byte[] content, char[] password) {
        DigestInfo info = mac.getMac();
        AlgorithmIdentifier algorithm = info.getAlgorithmId();
        if (PKCSObjectIdentifiers.id_PBMAC1.equals(algorithm.getAlgorithm())) {
            return pbmac1Matches(algorithm, info.getDigest(), content, password);
        }
        ASN1ObjectIdentifier digest = algorithm.getAlgorithm();
        digest(digest); // refuses an unsupported one before any work
        int iterations = PasswordDecryption.iterations(mac.getIterationCount(), PREFIX, "the PKCS#12 MAC");
        if (password.length == 0) {
            // An empty password is written either as no bytes or as the BMPString terminator alone (tools
            // disagree): accept either.
            return macWith(new byte[0], digest, mac.getSalt(), iterations, content, info.getDigest())
                    || macWith(new byte[2], digest, mac.getSalt(), iterations, content, info.getDigest());
        }
        byte[] pass = PBEParametersGenerator.PKCS12PasswordToBytes(password);
        try {
            return macWith(pass, digest, mac.getSalt(), iterations, content, info.getDigest());
        } finally {
            Arrays.fill(pass, (byte) 0);
        }
    }

    private static boolean macWith(byte[] pass, ASN1ObjectIdentifier digest, byte[] salt, int iterations,
            byte[] content, byte[] expected) {
        PKCS12ParametersGenerator generator = new PKCS12ParametersGenerator(digest(digest));
        generator.init(pass, salt, iterations);
        HMac hmac = new HMac(digest(digest));
        hmac.init(generator.generateDerivedMacParameters(hmac.getMacSize() * 8));
        hmac.update(content, 0, content.length);
        byte[] out = new byte[hmac.getMacSize()];
        hmac.doFinal(out, 0);
        return Arrays.constantTimeAreEqual(out, expected);
    }

    private static boolean pbmac1Matches(AlgorithmIdentifier algorithm, byte[] expected, byte[] content,
            char[] password) {
        PBMAC1Params params;
        PBKDF2Params kdf;
        try {
            params = PBMAC1Params.getInstance(algorithm.getParameters());
            if (!PKCSObjectIdentifiers.id_PBKDF2.equals(params.getKeyDerivationFunc().getAlgorithm())) {
                throw new IllegalArgumentException(PREFIX + "PKCS#12 PBMAC1 with a key derivation other than "
                        + "PBKDF2 is not supported");
            }
            kdf = PBKDF2Params.getInstance(params.getKeyDerivationFunc().getParameters());
        } catch (IllegalArgumentException e) {
            if (String.valueOf(e.getMessage()).startsWith(PREFIX)) throw e;
            throw new IllegalArgumentException(PREFIX + "malformed PKCS#12 PBMAC1 parameters");
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(PREFIX + "malformed PKCS#12 PBMAC1 parameters");
        }
        if (kdf.getKeyLength() == null || kdf.getKeyLength().signum() <= 0 || kdf.getKeyLength().intValue() > 64) {
            throw new IllegalArgumentException(PREFIX + "PKCS#12 PBMAC1 needs a PBKDF2 key length of 1..64");
        }
        Digest macDigest = PasswordDecryption.prf(params.getMessageAuthScheme().getAlgorithm(), PREFIX,
                "the PKCS#12 MAC");
        byte[] key = PasswordDecryption.deriveKey(KeyDerivationFunc.getInstance(
                params.getKeyDerivationFunc().toASN1Primitive()), password, kdf.getKeyLength().intValue(), PREFIX,
                "the PKCS#12 MAC");
        try {
            HMac hmac = new HMac(macDigest);
            hmac.init(new KeyParameter(key));
            hmac.update(content, 0, content.length);
            byte[] out = new byte[hmac.getMacSize()];
            hmac.doFinal(out, 0);
            return Arrays.constantTimeAreEqual(out, expected);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    private static Digest digest(ASN1ObjectIdentifier oid) {
        if (OIWObjectIdentifiers.idSHA1.equals(oid)) return new SHA1Digest();
        if (NISTObjectIdentifiers.id_sha224.equals(oid)) return new SHA224Digest();
        if (NISTObjectIdentifiers.id_sha256.equals(oid)) return new SHA256Digest();
        if (NISTObjectIdentifiers.id_sha384.equals(oid)) return new SHA384Digest();
        if (NISTObjectIdentifiers.id_sha512.equals(oid)) return new SHA512Digest();
        throw new IllegalArgumentException(PREFIX + "the PKCS#12 MAC uses digest " + oid
                + ", which is not supported (SHA-1, SHA-2)");
    }
}
