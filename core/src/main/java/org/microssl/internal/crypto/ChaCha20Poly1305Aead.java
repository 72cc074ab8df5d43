package org.microssl.internal.crypto;

import org.bouncycastle.crypto.engines.ChaCha7539Engine;
import org.bouncycastle.crypto.engines.ChaChaEngine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.bouncycastle.util.Arrays;
import org.bouncycastle.util.Pack;

/**
 * AEAD_CHACHA20_POLY1305 (RFC 8439 section 2.8) for TLS records over BouncyCastle's {@link ChaCha7539Engine} and
 * {@link Poly1305}. The engine keeps its key across records; a record sets only the nonce, and allocates nothing.
 *
 * <p>Why not BouncyCastle's {@code modes.ChaCha20Poly1305}: it copies its whole input when asked to work in place
 * and feeds a record it opens through a 64-byte buffer one byte at a time. And the keystream is taken from the
 * engine a block at a time ({@link Blocks}) instead of through {@code processBytes}, which XORs byte by byte
 * with a branch per byte: about 1.6x the AEAD's throughput at 16 KiB (benchmarks/RESULTS.md).
 */
final class ChaCha20Poly1305Aead extends RecordAead {

    private static final byte[] ZEROS = new byte[32];

    final Blocks chacha = new Blocks(); // package-private for AeadBench
    private final Poly1305 poly1305 = new Poly1305();
    /**
     * The one-time Poly1305 key, written into this parameter's own array ({@code getKey} returns it, not a copy)
     * for each record: {@code Poly1305.init} takes its key only in a {@code KeyParameter}, which copies the bytes
     * it is built from, so a new one per record would cost two allocations.
     */
    private final KeyParameter oneTimeKey = new KeyParameter(new byte[32]);
    /** The tag, and before it the length block. */
    private final byte[] tag = new byte[TAG_LENGTH];

    /**
     * The engine, handing out its keystream a 64-byte block at a time: BouncyCastle's block function
     * ({@link ChaChaEngine#chachaCore}, as its {@code generateKeyStream} calls it) and block counter
     * ({@code advanceCounter}), XORed into the record here a word at a time.
     */
    static final class Blocks extends ChaCha7539Engine {

        /**
         * {@code init} with a null key, without its {@code ParametersWithIV} and the nonce copy in it: the engine's
         * own {@code setKey} (null: keep the key) and {@code reset} (block 0 into its keystream), as {@code init}
         * calls them.
         */
        void setNonce(byte[] nonce) {
            setKey(null, nonce);
            reset();
        }

        /**
         * XORs the keystream from block 1 on into {@code buf[off, off+len)}; the engine must stand at block 0, as
         * {@code init} leaves it, with at most its first 63 bytes consumed.
         */
        void xorFromBlock1(byte[] buf, int off, int len) {
            xorFromBlock1(buf, off, 0, buf, off, len);
        }

        /** As above into {@code buf}, the first {@code fromSrc} bytes (whole blocks) read from {@code src}. */
        void xorFromBlock1(byte[] src, int srcOff, int fromSrc, byte[] buf, int off, int len) {
            int end = off + len;
            for (int srcEnd = off + fromSrc; off < srcEnd; off += 64, srcOff += 64) {
                advanceCounter();
                ChaChaEngine.chachaCore(rounds, engineState, x);
                for (int i = 0; i < 16; i++) {
                    Pack.intToLittleEndian(Pack.littleEndianToInt(src, srcOff + 4 * i) ^ x[i], buf, off + 4 * i);
                }
            }
            for (; end - off >= 64; off += 64) {
                advanceCounter();
                ChaChaEngine.chachaCore(rounds, engineState, x); // x: the block's 16 keystream words
                for (int i = 0; i < 16; i++) {
                    int p = off + 4 * i;
                    Pack.intToLittleEndian(Pack.littleEndianToInt(buf, p) ^ x[i], buf, p);
                }
            }
            if (off < end) {
                advanceCounter();
                ChaChaEngine.chachaCore(rounds, engineState, x);
                for (int i = 0; off + i < end; i++) {
                    buf[off + i] ^= (byte) (x[i >>> 2] >>> (8 * (i & 3))); // little-endian words
                }
            }
        }
    }

    @Override
    void setKey(byte[] key, int off, int len) {
        chacha.init(true, new ParametersWithIV(new KeyParameter(key, off, len), new byte[NONCE_LENGTH]));
    }

    @Override
    void seal(byte[] nonce, byte[] aad, int aadLen, byte[] buf, int off, int len) {
        seal(nonce, aad, aadLen, buf, off, 0, buf, off, len);
    }

    @Override
    void seal(byte[] nonce, byte[] aad, int aadLen, byte[] src, int srcOff, int fromSrc, byte[] buf, int off,
            int len) {
        start(nonce, aad, aadLen);
        chacha.xorFromBlock1(src, srcOff, fromSrc, buf, off, len);
        poly1305.update(buf, off, len);
        finish(aadLen, len);
        System.arraycopy(tag, 0, buf, off + len, TAG_LENGTH);
    }

    @Override
    boolean open(byte[] nonce, byte[] aad, int aadLen, byte[] buf, int off, int len) {
        start(nonce, aad, aadLen);
        poly1305.update(buf, off, len);
        finish(aadLen, len);
        // the tag is checked before anything is decrypted: a forged record leaves only its ciphertext behind
        if (!Arrays.constantTimeAreEqual(TAG_LENGTH, tag, 0, buf, off + len)) {
            return false;
        }
        chacha.xorFromBlock1(buf, off, len);
        return true;
    }

    /** Section 2.6: the one-time Poly1305 key is the first 32 bytes of block 0; the MAC starts on the padded AAD. */
    private void start(byte[] nonce, byte[] aad, int aadLen) {
        chacha.setNonce(nonce);
        byte[] key = oneTimeKey.getKey();
        chacha.processBytes(ZEROS, 0, 32, key, 0);
        poly1305.init(oneTimeKey);
        java.util.Arrays.fill(key, (byte) 0);
        poly1305.update(aad, 0, aadLen);
        pad16(aadLen);
    }

    /** Section 2.8: pad16(ciphertext), then the two lengths as 64-bit little-endian numbers. */
    private void finish(int aadLen, int len) {
        pad16(len);
        Pack.longToLittleEndian(aadLen, tag, 0);
        Pack.longToLittleEndian(len, tag, 8);
        poly1305.update(tag, 0, 16);
        poly1305.doFinal(tag, 0);
    }

    private void pad16(int len) {
        if ((len & 15) != 0) {
            poly1305.update(ZEROS, 0, 16 - (len & 15));
        }
    }
}
