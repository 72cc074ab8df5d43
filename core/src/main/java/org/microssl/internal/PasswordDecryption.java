package org.microssl.internal;

import java.math.BigInteger;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.EncryptionScheme;
import org.bouncycastle.asn1.pkcs.KeyDerivationFunc;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
import org.bouncycastle.asn1.pkcs.PKCS12PBEParams;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.CipherParameters;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.PBEParametersGenerator;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.crypto.digests.SHA224Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.engines.DESedeEngine;
import org.bouncycastle.crypto.engines.RC2Engine;
import org.bouncycastle.crypto.generators.PKCS12ParametersGenerator;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.generators.SCrypt;
import org.bouncycastle.crypto.modes.CBCBlockCipher;
import org.bouncycastle.crypto.paddings.PKCS7Padding;
import org.bouncycastle.crypto.paddings.PaddedBufferedBlockCipher;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.bouncycastle.util.Arrays;

/**
 * Password-based decryption of private keys and PKCS#12 contents, with BouncyCastle's lightweight primitives (no
 * JCA, so it works on a device): PBES2 (RFC 8018 section 6.2) with PBKDF2 or scrypt (RFC 7914) and AES-CBC, and
 * the PKCS#12 PBE schemes (RFC 7292 appendix C: 3DES or RC2 with SHA-1) that older PKCS#12 files use. The
 * parameters come from a file: their costs are bounded before any work is done. A wrong password is reported as
 * such; the password is never part of a message.
 */
public final class PasswordDecryption {

    /** A wrong password (or a corrupted file: the two cannot be told apart). */
    public static final class WrongPassword extends Exception {
        private static final long serialVersionUID = 1L;

        WrongPassword() {
            super("wrong password");
        }
    }

    /**
     * More PBKDF2 / PKCS#12 iterations than any tool writes (OpenSSL 2,048, OWASP 2023 600,000 for PBKDF2-SHA256):
     * a file asking for more would keep the caller busy for minutes.
     */
    static final int MAX_ITERATIONS = 10_000_000;
    /**
     * scrypt's memory, 128 * r * N bytes: at most OpenSSL's own default cap (SCRYPT_MAX_MEM, 32 MiB); OpenSSL's
     * default parameters (N 16384, r 8) need 16 MiB, which is more than a small device has.
     */
    static final long MAX_SCRYPT_MEMORY = 32L << 20;

    /** scrypt passes run one after another here: p multiplies the time. OpenSSL and CPython write p = 1. */
    static final int MAX_SCRYPT_PARALLELIZATION = 16;

    /** RFC 7914 section 7 (there is no constant for it outside bcprov's internal packages). */
    static final ASN1ObjectIdentifier ID_SCRYPT = new ASN1ObjectIdentifier("1.3.6.1.4.1.11591.4.11");

    private PasswordDecryption() {}

    /**
     * Decrypts {@code data} encrypted under {@code algorithm} (PBES2 or a PKCS#12 PBE scheme).
     *
     * @param what names the thing being decrypted in messages ("the key", "the PKCS#12 certificates")
     * @throws IllegalArgumentException for an unsupported or malformed algorithm, message prefixed with
     *     {@code prefix}
     * @throws WrongPassword when the padding does not check out
     */
    public static byte[] decrypt(AlgorithmIdentifier algorithm, byte[] data, char[] password, String prefix,
            String what) throws WrongPassword {
        ASN1ObjectIdentifier oid = algorithm.getAlgorithm();
        if (PKCSObjectIdentifiers.id_PBES2.equals(oid)) return pbes2(algorithm.getParameters(), data, password,
                prefix, what);
        if (oid.on(PKCSObjectIdentifiers.pkcs_12PbeIds)) return pkcs12Pbe(oid, algorithm.getParameters(), data,
                password, prefix, what);
        throw new IllegalArgumentException(prefix + what + " is encrypted with " + oid
                + ", which is not supported (PBES2 with PBKDF2 or scrypt and AES-CBC; PKCS#12 3DES or RC2)");
    }

    private static byte[] pbes2(ASN1Encodable parameters, byte[] data, char[] password, String prefix, String what)
            throws WrongPassword {
        PBES2Parameters p;
        try {
            p = PBES2Parameters.getInstance(parameters);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(prefix + what + ": malformed PBES2 parameters");
        }
        EncryptionScheme scheme = p.getEncryptionScheme();
        int keyBytes = aesKeyBytes(scheme.getAlgorithm());
        if (keyBytes < 0) {
            throw new IllegalArgumentException(prefix + what + " is encrypted with " + scheme.getAlgorithm()
                    + ", which is not supported (AES-128-CBC, AES-192-CBC, AES-256-CBC)");
        }
        byte[] iv;
        try {
            iv = ASN1OctetString.getInstance(scheme.getParameters()).getOctets();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(prefix + what + ": the AES-CBC IV is missing or malformed");
        }
        if (iv.length != 16) throw new IllegalArgumentException(prefix + what + ": the AES-CBC IV is not 16 bytes");
        byte[] key = deriveKey(p.getKeyDerivationFunc(), password, keyBytes, prefix, what);
        try {
            PaddedBufferedBlockCipher cipher = new PaddedBufferedBlockCipher(
                    CBCBlockCipher.newInstance(AESEngine.newInstance()), new PKCS7Padding());
            return run(cipher, new ParametersWithIV(new KeyParameter(key), iv), data);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    private static int aesKeyBytes(ASN1ObjectIdentifier cipher) {
        if (NISTObjectIdentifiers.id_aes128_CBC.equals(cipher)) return 16;
        if (NISTObjectIdentifiers.id_aes192_CBC.equals(cipher)) return 24;
        if (NISTObjectIdentifiers.id_aes256_CBC.equals(cipher)) return 32;
        return -1;
    }

    /** PBKDF2 or scrypt, as PBES2's keyDerivationFunc says; the password as UTF-8 (what OpenSSL feeds them). */
    static byte[] deriveKey(KeyDerivationFunc kdf, char[] password, int keyBytes, String prefix, String what) {
        ASN1ObjectIdentifier oid = kdf.getAlgorithm();
        byte[] pass = PBEParametersGenerator.PKCS5PasswordToUTF8Bytes(password);
        try {
            if (PKCSObjectIdentifiers.id_PBKDF2.equals(oid)) {
                PBKDF2Params params;
                try {
                    params = PBKDF2Params.getInstance(kdf.getParameters());
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException(prefix + what + ": malformed PBKDF2 parameters");
                }
                int iterations = iterations(params.getIterationCount(), prefix, what);
                BigInteger length = params.getKeyLength();
                if (length != null && !length.equals(BigInteger.valueOf(keyBytes))) {
                    throw new IllegalArgumentException(prefix + what + ": PBKDF2 key length " + length
                            + " does not fit the cipher (" + keyBytes + " bytes)");
                }
                PKCS5S2ParametersGenerator generator = new PKCS5S2ParametersGenerator(
                        prf(params.getPrf().getAlgorithm(), prefix, what));
                generator.init(pass, params.getSalt(), iterations);
                return ((KeyParameter) generator.generateDerivedParameters(keyBytes * 8)).getKey();
            }
            if (ID_SCRYPT.equals(oid)) return scrypt(kdf.getParameters(), pass, keyBytes, prefix, what);
            throw new IllegalArgumentException(prefix + what + ": key derivation " + oid
                    + " is not supported (PBKDF2, scrypt)");
        } finally {
            Arrays.fill(pass, (byte) 0);
        }
    }

    /** RFC 7914 section 7: scrypt-params ::= SEQUENCE { salt, costParameter, blockSize, parallelizationParameter, keyLength OPTIONAL }. */
    private static byte[] scrypt(ASN1Encodable parameters, byte[] pass, int keyBytes, String prefix, String what) {
        byte[] salt;
        BigInteger n;
        BigInteger r;
        BigInteger p;
        BigInteger length = null;
        try {
            ASN1Sequence seq = ASN1Sequence.getInstance(parameters);
            if (seq.size() < 4 || seq.size() > 5) throw new IllegalArgumentException();
            salt = ASN1OctetString.getInstance(seq.getObjectAt(0)).getOctets();
            n = ASN1Integer.getInstance(seq.getObjectAt(1)).getValue();
            r = ASN1Integer.getInstance(seq.getObjectAt(2)).getValue();
            p = ASN1Integer.getInstance(seq.getObjectAt(3)).getValue();
            if (seq.size() == 5) length = ASN1Integer.getInstance(seq.getObjectAt(4)).getValue();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(prefix + what + ": malformed scrypt parameters");
        }
        if (length != null && !length.equals(BigInteger.valueOf(keyBytes))) {
            throw new IllegalArgumentException(prefix + what + ": scrypt key length " + length
                    + " does not fit the cipher (" + keyBytes + " bytes)");
        }
        // N a power of two above 1, r and p at least 1 (RFC 7914 section 2); then memory 128 * r * N, bounded.
        if (n.signum() <= 0 || n.bitLength() > 31 || n.bitCount() != 1 || n.intValue() < 2 || r.signum() <= 0
                || r.bitLength() > 16 || p.signum() <= 0 || p.bitLength() > 16) {
            throw new IllegalArgumentException(prefix + what + ": scrypt parameters out of range (N " + n + ", r "
                    + r + ", p " + p + ")");
        }
        long memory = 128L * r.longValue() * n.longValue();
        if (memory > MAX_SCRYPT_MEMORY) {
            throw new IllegalArgumentException(prefix + what + ": scrypt would need " + (memory >> 20)
                    + " MiB (N " + n + ", r " + r + "); the limit is " + (MAX_SCRYPT_MEMORY >> 20) + " MiB");
        }
        if (p.intValue() > MAX_SCRYPT_PARALLELIZATION) {
            throw new IllegalArgumentException(prefix + what + ": scrypt parallelization " + p + " is above "
                    + MAX_SCRYPT_PARALLELIZATION + " (each pass costs as much as the whole of N and r)");
        }
        return SCrypt.generate(pass, salt, n.intValue(), r.intValue(), p.intValue(), keyBytes);
    }

    /** RFC 7292 appendix C: pbeWithSHAAnd{128BitRC4,40BitRC4,3-KeyTripleDES-CBC,2-KeyTripleDES-CBC,128BitRC2-CBC,40BitRC2-CBC}. */
    private static byte[] pkcs12Pbe(ASN1ObjectIdentifier oid, ASN1Encodable parameters, byte[] data,
            char[] password, String prefix, String what) throws WrongPassword {
        BlockCipher engine;
        int keyBits;
        if (PKCSObjectIdentifiers.pbeWithSHAAnd3_KeyTripleDES_CBC.equals(oid)) {
            engine = new DESedeEngine();
            keyBits = 192;
        } else if (PKCSObjectIdentifiers.pbeWithSHAAnd2_KeyTripleDES_CBC.equals(oid)) {
            engine = new DESedeEngine();
            keyBits = 128;
        } else if (PKCSObjectIdentifiers.pbeWithSHAAnd128BitRC2_CBC.equals(oid)) {
            engine = new RC2Engine();
            keyBits = 128;
        } else if (PKCSObjectIdentifiers.pbeWithSHAAnd40BitRC2_CBC.equals(oid)) {
            engine = new RC2Engine();
            keyBits = 40;
        } else {
            throw new IllegalArgumentException(prefix + what + " is encrypted with PKCS#12 scheme " + oid
                    + ", which is not supported (3DES, RC2; RC4 is not)");
        }
        PKCS12PBEParams params;
        try {
            params = PKCS12PBEParams.getInstance(parameters);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(prefix + what + ": malformed PKCS#12 PBE parameters");
        }
        int iterations = iterations(params.getIterations(), prefix, what);
        byte[] pass = PBEParametersGenerator.PKCS12PasswordToBytes(password);
        try {
            PKCS12ParametersGenerator generator = new PKCS12ParametersGenerator(new SHA1Digest());
            generator.init(pass, params.getIV(), iterations);
            CipherParameters key = generator.generateDerivedParameters(keyBits, 64);
            return run(new PaddedBufferedBlockCipher(CBCBlockCipher.newInstance(engine), new PKCS7Padding()), key,
                    data);
        } finally {
            Arrays.fill(pass, (byte) 0);
        }
    }

    private static byte[] run(PaddedBufferedBlockCipher cipher, CipherParameters key, byte[] data)
            throws WrongPassword {
        cipher.init(false, key);
        byte[] out = new byte[cipher.getOutputSize(data.length)];
        try {
            int n = cipher.processBytes(data, 0, data.length, out, 0);
            n += cipher.doFinal(out, n);
            if (n == out.length) return out;
            byte[] exact = Arrays.copyOf(out, n);
            Arrays.fill(out, (byte) 0);
            return exact;
        } catch (InvalidCipherTextException | org.bouncycastle.crypto.DataLengthException e) {
            // bad padding: with CBC, what a wrong key gives (255 times in 256)
            Arrays.fill(out, (byte) 0);
            throw new WrongPassword();
        }
    }

    static int iterations(BigInteger count, String prefix, String what) {
        if (count == null || count.signum() <= 0 || count.compareTo(BigInteger.valueOf(MAX_ITERATIONS)) > 0) {
            throw new IllegalArgumentException(prefix + what + ": iteration count " + count
                    + " is outside 1.." + MAX_ITERATIONS);
        }
        return count.intValue();
    }

    /** PBKDF2's PRF (RFC 8018 appendix B.1); default HMAC-SHA1. */
    static Digest prf(ASN1ObjectIdentifier hmac, String prefix, String what) {
        if (PKCSObjectIdentifiers.id_hmacWithSHA1.equals(hmac)) return new SHA1Digest();
        if (PKCSObjectIdentifiers.id_hmacWithSHA224.equals(hmac)) return new SHA224Digest();
        if (PKCSObjectIdentifiers.id_hmacWithSHA256.equals(hmac)) return new SHA256Digest();
        if (PKCSObjectIdentifiers.id_hmacWithSHA384.equals(hmac)) return new SHA384Digest();
        if (PKCSObjectIdentifiers.id_hmacWithSHA512.equals(hmac)) return new SHA512Digest();
        throw new IllegalArgumentException(prefix + what + ": PBKDF2 PRF " + hmac
                + " is not supported (HMAC with SHA-1, SHA-224, SHA-256, SHA-384, SHA-512)");
    }
}
