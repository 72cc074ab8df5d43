package org.microssl.internal.crypto;

import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.engines.AESLightEngine;
import org.bouncycastle.crypto.modes.gcm.BasicGCMMultiplier;
import org.bouncycastle.crypto.modes.gcm.GCMMultiplier;
import org.bouncycastle.crypto.modes.gcm.GCMUtil;
import org.bouncycastle.crypto.modes.gcm.Tables8kGCMMultiplier;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.util.Arrays;
import org.bouncycastle.util.Pack;

/**
 * AES-GCM (NIST SP 800-38D) for TLS records over BouncyCastle's AES ({@link AESEngine#newInstance()}) and its GHASH
 * multipliers. The key schedule and H live as long as the traffic key; the counter and hash
 * state are fields, so a record re-keys nothing and allocates nothing.
 *
 * <p>Why not BouncyCastle's {@code GCMBlockCipher} itself: it allocates a 16-byte block for every block it
 * encrypts (33 KB per 16 KiB record), a dozen more small arrays per record, and copies its whole input when asked
 * to work in place. What is left here is the mode's bookkeeping, SP 800-38D section 7.1 step by step; every AES block
 * and GF(2^128) multiplication is BouncyCastle's.
 *
 * <p>GHASH starts table-free ({@link BasicGCMMultiplier}, constant-time, no tables) and switches to BouncyCastle's
 * table multiplier once a key has hashed {@link #TABLE_THRESHOLD} bytes, so keys that carry only a handshake flight or
 * a few small messages never build tables. That is {@link Tables8kGCMMultiplier}: of BouncyCastle's multipliers the
 * fastest here (8 KiB of products, 18 KB as it lays them out; GHASH about 1.3x the 4 KiB one's speed; the 64 KiB one is
 * slower, for the cache). The tables are held only while the connection is busy: {@link #trim} gives them to a small
 * pool when the engine finds this direction idle, and the next record of {@link #RETAKE_LENGTH} bytes or more takes a
 * set back and rebuilds it from H (in place). A compact instance, for a connection that negotiated max_fragment_length
 * to save memory, never does, and runs BouncyCastle's {@link AESLightEngine} (round keys only) instead of
 * {@link AESEngine} (round keys and its own 256-byte table per instance, about 1.45x faster): 592 bytes a direction
 * instead of 872, which keeps an MFL 512 connection under 8 KB (port-embedded ConnectionFootprintTest).
 */
final class AesGcmAead extends RecordAead {

    /** GHASH input under one key before the tables are built: a few short records' worth. */
    static final int TABLE_THRESHOLD = 512;
    /**
     * Rebuilding tables from H costs about what they save over 12 blocks (measured: a rebuild ~7 table-free block
     * multiplications, a table one ~0.4 of one), so after a trim a record this long or longer takes them back.
     */
    static final int RETAKE_LENGTH = 256;

    final boolean compact; // package-private for tests

    /**
     * Tables kept for reuse by the next key that earns them: 4 sets of 18 KB, the bound the pool had with 8 sets of
     * 4 KiB tables; a rebuild from H costs about 0.5 us, against about 250 us for a 16 KiB record.
     */
    private static final int KEPT_TABLES = 4;
    private static final Tables8kGCMMultiplier[] freeTables = new Tables8kGCMMultiplier[KEPT_TABLES];
    private static int freeCount;

    private final BlockCipher aes;
    /** H, kept to build tables from when they are taken again after {@link #trim}. */
    private final byte[] h = new byte[16];
    private final BasicGCMMultiplier basic = new BasicGCMMultiplier();
    private GCMMultiplier multiplier;
    private Tables8kGCMMultiplier tables;
    private long hashed;

    /** The block being worked on (counter block, keystream, length block, tag) and the GHASH state S. */
    private final byte[] block = new byte[16], s = new byte[16];

    AesGcmAead(boolean compact) {
        this.compact = compact;
        this.aes = compact ? new AESLightEngine() : AESEngine.newInstance();
    }

    AesGcmAead() {
        this(false);
    }

    @Override
    void setKey(byte[] key, int off, int len) {
        aes.init(true, new KeyParameter(key, off, len));
        // Step 1: H = CIPH_K(0^128)
        java.util.Arrays.fill(h, (byte) 0);
        aes.processBlock(h, 0, h, 0);
        basic.init(h);
        trim();
        hashed = 0;
    }

    boolean hasTables() {
        return tables != null;
    }

    /**
     * Gives the tables back; they are rebuilt from H for the next large record. A pooled set keeps its last key's
     * H-derived values until it is rebuilt, as a dropped one would until collected (wiping costs a rebuild).
     */
    @Override
    void trim() {
        Tables8kGCMMultiplier t = tables;
        multiplier = basic;
        if (t == null) return;
        tables = null;
        synchronized (freeTables) {
            if (freeCount < KEPT_TABLES) freeTables[freeCount++] = t;
        }
    }

    private void takeTables() {
        Tables8kGCMMultiplier t = null;
        synchronized (freeTables) {
            if (freeCount > 0) {
                t = freeTables[--freeCount];
                freeTables[freeCount] = null;
            }
        }
        if (t == null) t = new Tables8kGCMMultiplier();
        t.init(h);
        tables = t;
        multiplier = t;
    }

    @Override
    void seal(byte[] nonce, byte[] aad, int aadLen, byte[] buf, int off, int len) {
        seal(nonce, aad, aadLen, buf, off, 0, buf, off, len);
    }

    @Override
    void seal(byte[] nonce, byte[] aad, int aadLen, byte[] src, int srcOff, int fromSrc, byte[] buf, int off,
            int len) {
        start(aad, aadLen, len);
        gctr(nonce, src, srcOff, fromSrc, buf, off, len);
        ghash(buf, off, len);
        finish(nonce, aadLen, len);
        System.arraycopy(block, 0, buf, off + len, TAG_LENGTH);
    }

    @Override
    boolean open(byte[] nonce, byte[] aad, int aadLen, byte[] buf, int off, int len) {
        start(aad, aadLen, len);
        ghash(buf, off, len);
        finish(nonce, aadLen, len);
        // the tag is checked before anything is decrypted: a forged record leaves only its ciphertext behind
        if (!Arrays.constantTimeAreEqual(TAG_LENGTH, block, 0, buf, off + len)) {
            return false;
        }
        gctr(nonce, buf, off, 0, buf, off, len);
        return true;
    }

    /**
     * GHASH starts over the padded additional data. After a trim, a record of at least {@link #RETAKE_LENGTH}
     * bytes takes tables back; shorter ones hash without.
     */
    private void start(byte[] aad, int aadLen, int len) {
        if (tables == null && !compact && hashed >= TABLE_THRESHOLD && len >= RETAKE_LENGTH) takeTables();
        java.util.Arrays.fill(s, (byte) 0);
        ghash(aad, 0, aadLen);
    }

    /** Counter block {@code i} of a 96-bit IV (step 2: J0 = IV || 0^31 || 1 is block 1), encrypted in {@link #block}. */
    private void encryptCounterBlock(byte[] nonce, int i) {
        System.arraycopy(nonce, 0, block, 0, NONCE_LENGTH);
        Pack.intToBigEndian(i, block, NONCE_LENGTH);
        aes.processBlock(block, 0, block, 0);
    }

    /**
     * Step 3: GCTR_K(inc32(J0), ...) into {@code buf[off, off+len)}, counter blocks 2, 3, ...; the first
     * {@code fromSrc} bytes (whole blocks) are read from {@code src}, the rest in place. Package-private for
     * AeadBench.
     */
    void gctr(byte[] nonce, byte[] src, int srcOff, int fromSrc, byte[] buf, int off, int len) {
        int end = off + len;
        int srcEnd = off + fromSrc;
        int counter = 2;
        for (; off < srcEnd; off += 16, srcOff += 16, counter++) {
            encryptCounterBlock(nonce, counter);
            GCMUtil.xor(block, 0, src, srcOff, buf, off);
        }
        for (; off < end; off += 16, counter++) {
            encryptCounterBlock(nonce, counter);
            if (end - off >= 16) {
                GCMUtil.xor(block, 0, buf, off, buf, off);
            } else {
                GCMUtil.xor(buf, off, block, 0, end - off);
            }
        }
    }

    /** Step 5, in part: S = (S xor X_i) * H over the blocks of buf, the last one zero-padded. */
    private void ghash(byte[] buf, int off, int len) {
        int end = off + len;
        for (; off < end; off += 16) {
            if (end - off >= 16) {
                GCMUtil.xor(s, buf, off);
            } else {
                GCMUtil.xor(s, buf, off, end - off);
            }
            multiplier.multiplyH(s);
        }
    }

    /** Steps 5 and 6: the length block closes GHASH; T = GCTR_K(J0, S), left in {@link #block}. */
    private void finish(byte[] nonce, int aadLen, int len) {
        Pack.longToBigEndian((long) aadLen * 8, block, 0);
        Pack.longToBigEndian((long) len * 8, block, 8);
        GCMUtil.xor(s, block);
        multiplier.multiplyH(s);
        encryptCounterBlock(nonce, 1);
        GCMUtil.xor(block, s);

        long before = hashed;
        hashed += 16L * ((aadLen + 15) / 16 + (len + 15) / 16 + 1);
        if (tables == null && !compact && before < TABLE_THRESHOLD && hashed >= TABLE_THRESHOLD) {
            takeTables(); // leaves the tag in block alone
        }
    }
}
