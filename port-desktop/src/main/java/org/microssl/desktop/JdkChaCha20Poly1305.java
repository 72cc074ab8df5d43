package org.microssl.desktop;

import java.io.IOException;
import java.security.GeneralSecurityException;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.crypto.impl.TlsAEADCipherImpl;

/**
 * ChaCha20-Poly1305 (RFC 8439) through the JDK's own {@code "ChaCha20-Poly1305"} cipher (JDK 11+).
 *
 * <p>bctls' JCA crypto looks for BouncyCastle's provider names ("ChaCha7539" + "Poly1305"), which the JDK does not
 * have, so over the JDK's providers alone it would offer no ChaCha20 suite at all.
 */
final class JdkChaCha20Poly1305 implements TlsAEADCipherImpl {
    static final String TRANSFORMATION = "ChaCha20-Poly1305";
    private static final int TAG_LENGTH = 16;

    private final Cipher cipher;
    private final boolean encrypt;
    private SecretKeySpec key;

    JdkChaCha20Poly1305(boolean encrypt) throws GeneralSecurityException {
        this.cipher = Cipher.getInstance(TRANSFORMATION);
        this.encrypt = encrypt;
    }

    /** Whether the running JDK has the cipher. */
    static boolean isAvailable() {
        try {
            Cipher.getInstance(TRANSFORMATION);
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    @Override
    public void setKey(byte[] key, int keyOff, int keyLen) {
        this.key = new SecretKeySpec(key, keyOff, keyLen, "ChaCha20");
    }

    @Override
    public void init(byte[] nonce, int macSize) throws IOException {
        if (macSize != TAG_LENGTH) throw new TlsFatalAlert(AlertDescription.internal_error, "Poly1305 tag is 16 bytes");
        try {
            cipher.init(encrypt ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE, key, new IvParameterSpec(nonce));
        } catch (GeneralSecurityException e) {
            throw new TlsFatalAlert(AlertDescription.internal_error, "ChaCha20-Poly1305 init failed", e);
        }
    }

    @Override
    public int getOutputSize(int inputLength) {
        return encrypt ? inputLength + TAG_LENGTH : Math.max(0, inputLength - TAG_LENGTH);
    }

    @Override
    public int doFinal(byte[] additionalData, byte[] input, int inputOffset, int inputLength, byte[] output,
            int outputOffset) throws IOException {
        try {
            if (additionalData != null) cipher.updateAAD(additionalData);
            // The record layer encrypts in place; hand the cipher a copy so overlapping ranges cannot corrupt it.
            byte[] in = input == output ? java.util.Arrays.copyOfRange(input, inputOffset, inputOffset + inputLength)
                    : input;
            int inOff = input == output ? 0 : inputOffset;
            return cipher.doFinal(in, inOff, inputLength, output, outputOffset);
        } catch (javax.crypto.AEADBadTagException e) {
            // RFC 8446 section 5.2: a record that fails to deprotect is a fatal bad_record_mac
            throw new TlsFatalAlert(AlertDescription.bad_record_mac, e);
        } catch (GeneralSecurityException e) {
            throw new TlsFatalAlert(AlertDescription.internal_error, "ChaCha20-Poly1305 failed", e);
        }
    }
}
