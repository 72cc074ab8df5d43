package org.microssl.internal.crypto;

/**
 * One direction of an AEAD record cipher (RFC 5116) whose key schedule and working state live as long as the
 * traffic key, so that sealing or opening a record allocates nothing. Every operation works in place on the
 * caller's buffer; the 16-byte tag follows the ciphertext.
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
     * Authenticates {@code buf[off, off+len)} against the tag at {@code buf[off+len, off+len+16)} and, if it
     * matches, decrypts in place.
     *
     * @return false if the tag does not match; the buffer contents are then unspecified and must be discarded
     */
    abstract boolean open(byte[] nonce, byte[] aad, int aadLen, byte[] buf, int off, int len);

    /** Wipes key material; the instance is unusable afterwards until {@link #setKey}. */
    abstract void destroy();

    static int readIntLE(byte[] b, int i) {
        return (b[i] & 0xff) | (b[i + 1] & 0xff) << 8 | (b[i + 2] & 0xff) << 16 | b[i + 3] << 24;
    }

    static int readIntBE(byte[] b, int i) {
        return b[i] << 24 | (b[i + 1] & 0xff) << 16 | (b[i + 2] & 0xff) << 8 | (b[i + 3] & 0xff);
    }

    static void writeIntLE(int v, byte[] b, int i) {
        b[i] = (byte) v;
        b[i + 1] = (byte) (v >>> 8);
        b[i + 2] = (byte) (v >>> 16);
        b[i + 3] = (byte) (v >>> 24);
    }

    static void writeIntBE(int v, byte[] b, int i) {
        b[i] = (byte) (v >>> 24);
        b[i + 1] = (byte) (v >>> 16);
        b[i + 2] = (byte) (v >>> 8);
        b[i + 3] = (byte) v;
    }

    /** Constant-time comparison of two 16-byte tags (no early exit on the first difference). */
    static boolean tagsEqual(byte[] a, int aOff, byte[] b, int bOff) {
        int diff = 0;
        for (int i = 0; i < TAG_LENGTH; i++) {
            diff |= a[aOff + i] ^ b[bOff + i];
        }
        return diff == 0;
    }
}
