package org.microssl.internal.crypto;

import java.security.GeneralSecurityException;
import java.security.spec.AlgorithmParameterSpec;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A {@link RecordAead} over one reused {@link Cipher} from the platform's JCA providers (AES-NI and CLMUL on
 * HotSpot): {@code AES/GCM/NoPadding} (the JCA backend's AES-GCM records) or {@code ChaCha20-Poly1305}. Works in
 * place like the others.
 */
final class JcaAead extends RecordAead {
    private final Cipher cipher;
    private final String transformation;
    private final String keyAlgorithm;
    private final boolean gcm;
    private SecretKeySpec key;

    JcaAead(String transformation, String keyAlgorithm) throws GeneralSecurityException {
        this.cipher = Cipher.getInstance(transformation);
        this.transformation = transformation;
        this.keyAlgorithm = keyAlgorithm;
        this.gcm = transformation.startsWith("AES/GCM");
    }

    /** Another instance of the same algorithm (tests: SunJCE will not re-use a key and nonce on one Cipher). */
    JcaAead freshInstance() throws GeneralSecurityException {
        return new JcaAead(transformation, keyAlgorithm);
    }

    @Override
    void setKey(byte[] keyBytes, int off, int len) {
        key = new SecretKeySpec(keyBytes, off, len, keyAlgorithm);
    }

    private AlgorithmParameterSpec params(byte[] nonce) {
        return gcm ? new GCMParameterSpec(TAG_LENGTH * 8, nonce, 0, NONCE_LENGTH)
                : new IvParameterSpec(nonce, 0, NONCE_LENGTH);
    }

    @Override
    void seal(byte[] nonce, byte[] aad, int aadLen, byte[] buf, int off, int len) {
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, params(nonce));
            cipher.updateAAD(aad, 0, aadLen);
            cipher.doFinal(buf, off, len, buf, off);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JCA AEAD seal failed: " + e.getMessage(), e);
        }
    }

    @Override
    boolean open(byte[] nonce, byte[] aad, int aadLen, byte[] buf, int off, int len) {
        try {
            cipher.init(Cipher.DECRYPT_MODE, key, params(nonce));
            cipher.updateAAD(aad, 0, aadLen);
            cipher.doFinal(buf, off, len + TAG_LENGTH, buf, off);
            return true;
        } catch (AEADBadTagException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JCA AEAD open failed: " + e.getMessage(), e);
        }
    }
}
