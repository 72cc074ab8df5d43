package org.microssl.internal.crypto;

/**
 * One direction of an AEAD record cipher (RFC 5116) whose key schedule and working state live as long as the
 * traffic key, so that sealing or opening a record re-keys nothing and copies nothing. Every operation works in
 * place on the caller's buffer; the 16-byte tag follows the ciphertext. The primitives underneath come from
 * BouncyCastle ({@link AesGcmAead}, {@link ChaCha20Poly1305Aead}) or the platform's JCA ({@link JcaAead}).
 *
 * <p>Not thread-safe: BouncyCastle's record layer serialises reads and writes per direction.
 */
abstract class RecordAead {

    static final int TAG_LENGTH = 16;
    static final int NONCE_LENGTH = 12;

    /** Installs a new traffic key (initial keys and TLS 1.3 KeyUpdate, RFC 8446 section 4.6.3). */
    abstract void setKey(byte[] key, int off, int len);

    /**
     * Encrypts {@code buf[off, off+len)} in place and writes the tag at {@code buf[off+len, off+len+16)}.
     * The nonce is the 12 bytes at {@code nonce[0, 12)}.
     */
    abstract void seal(byte[] nonce, byte[] aad, int aadLen, byte[] buf, int off, int len);

    /**
     * {@link #seal}, with the first {@code fromSrc} bytes of the plaintext read from {@code src[srcOff, ...)}
     * instead of {@code buf} (the rest, {@code len - fromSrc} bytes, are already in place): the copy of the
     * caller's data into the record is the encryption's own pass. {@code fromSrc} is a multiple of 64 (a
     * ChaCha20 block, four AES blocks) and {@code src} is not {@code buf}. This default copies, then seals.
     */
    void seal(byte[] nonce, byte[] aad, int aadLen, byte[] src, int srcOff, int fromSrc, byte[] buf, int off,
            int len) {
        System.arraycopy(src, srcOff, buf, off, fromSrc);
        seal(nonce, aad, aadLen, buf, off, len);
    }

    /**
     * Authenticates {@code buf[off, off+len)} against the tag at {@code buf[off+len, off+len+16)} and, if it
     * matches, decrypts in place.
     *
     * @return false if the tag does not match; the buffer contents are then unspecified and must be discarded
     */
    abstract boolean open(byte[] nonce, byte[] aad, int aadLen, byte[] buf, int off, int len);

    /** The connection has gone idle in this direction: let go of what can be rebuilt (tables) until next used. */
    void trim() {
    }
}
