package org.microssl.internal.crypto;

import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.tls.PRFAlgorithm;
import org.bouncycastle.tls.crypto.CryptoHashAlgorithm;
import org.bouncycastle.tls.crypto.TlsCryptoUtils;
import org.bouncycastle.tls.crypto.TlsSecret;
import org.bouncycastle.tls.crypto.impl.AbstractTlsCrypto;
import org.bouncycastle.tls.crypto.impl.AbstractTlsSecret;
import org.bouncycastle.util.Arrays;
import org.bouncycastle.util.Strings;

/**
 * A secret of the device profile ({@link DeviceTlsCrypto}): HKDF (RFC 5869, BouncyCastle's
 * {@link HKDFBytesGenerator}) for TLS 1.3 and the TLS 1.2 PRF with SHA-256 or SHA-384 (RFC 5246 section 5) for
 * TLS 1.2. No SSL 3.0 or TLS 1.0/1.1 PRF: the device profile negotiates TLS 1.2 and 1.3 only.
 */
final class DeviceTlsSecret extends AbstractTlsSecret {
    private final DeviceTlsCrypto crypto;

    DeviceTlsSecret(DeviceTlsCrypto crypto, byte[] data) {
        super(data);
        this.crypto = crypto;
    }

    @Override
    protected AbstractTlsCrypto getCrypto() {
        return crypto;
    }

    @Override
    public synchronized TlsSecret deriveUsingPRF(int prfAlgorithm, String label, byte[] seed, int length) {
        checkAlive();
        switch (prfAlgorithm) {
            case PRFAlgorithm.tls13_hkdf_sha256:
                return expandLabel(CryptoHashAlgorithm.sha256, label, seed, length);
            case PRFAlgorithm.tls13_hkdf_sha384:
                return expandLabel(CryptoHashAlgorithm.sha384, label, seed, length);
            case PRFAlgorithm.tls_prf_sha256:
                return new DeviceTlsSecret(crypto, prf(CryptoHashAlgorithm.sha256, label, seed, length));
            case PRFAlgorithm.tls_prf_sha384:
                return new DeviceTlsSecret(crypto, prf(CryptoHashAlgorithm.sha384, label, seed, length));
            default:
                throw new IllegalArgumentException("the device profile has no PRF " + prfAlgorithm);
        }
    }

    private TlsSecret expandLabel(int hash, String label, byte[] context, int length) {
        try {
            return TlsCryptoUtils.hkdfExpandLabel(this, hash, label, context, length);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public synchronized TlsSecret hkdfExpand(int cryptoHashAlgorithm, byte[] info, int length) {
        if (length < 1) return new DeviceTlsSecret(crypto, new byte[0]);
        int hashLen = TlsCryptoUtils.getHashOutputSize(cryptoHashAlgorithm);
        if (length > 255 * hashLen) {
            throw new IllegalArgumentException("'length' must be <= 255 * (output size of 'hashAlgorithm')");
        }
        checkAlive();
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(DeviceTlsCrypto.digest(cryptoHashAlgorithm));
        hkdf.init(HKDFParameters.skipExtractParameters(data, info));
        byte[] okm = new byte[length];
        hkdf.generateBytes(okm, 0, length);
        return new DeviceTlsSecret(crypto, okm);
    }

    @Override
    public synchronized TlsSecret hkdfExtract(int cryptoHashAlgorithm, TlsSecret ikm) {
        checkAlive();
        byte[] salt = data;
        this.data = null; // BouncyCastle's contract: the salt secret is consumed
        byte[] ikmBytes = ikm instanceof AbstractTlsSecret ? copyData((AbstractTlsSecret) ikm) : ikm.extract();
        try {
            byte[] prk = new HKDFBytesGenerator(DeviceTlsCrypto.digest(cryptoHashAlgorithm)).extractPRK(salt, ikmBytes);
            return new DeviceTlsSecret(crypto, prk);
        } finally {
            Arrays.fill(ikmBytes, (byte) 0);
        }
    }

    /** RFC 5246 section 5: PRF(secret, label, seed) = P_hash(secret, label + seed). */
    private byte[] prf(int hash, String label, byte[] seed, int length) {
        byte[] labelSeed = Arrays.concatenate(Strings.toByteArray(label), seed);
        Digest digest = DeviceTlsCrypto.digest(hash);
        HMac hmac = new HMac(digest);
        hmac.init(new KeyParameter(data));
        int macSize = hmac.getMacSize();
        byte[] a = labelSeed;
        byte[] aNext = new byte[macSize];
        byte[] block = new byte[macSize];
        byte[] out = new byte[length];
        for (int pos = 0; pos < length; pos += macSize) {
            hmac.update(a, 0, a.length); // A(i) = HMAC(secret, A(i-1))
            hmac.doFinal(aNext, 0);
            a = aNext;
            hmac.update(a, 0, a.length); // HMAC(secret, A(i) + seed)
            hmac.update(labelSeed, 0, labelSeed.length);
            hmac.doFinal(block, 0);
            System.arraycopy(block, 0, out, pos, Math.min(macSize, length - pos));
        }
        return out;
    }
}
