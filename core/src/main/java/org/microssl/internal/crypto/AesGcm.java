package org.microssl.internal.crypto;

/**
 * AES-GCM (NIST SP 800-38D) with 12-byte nonces and 16-byte tags, AES-128 and AES-256, for the record hot path.
 *
 * <p>AES is the classic table-driven form (FIPS-197 section 5.2 round transformations merged into four 1 KiB
 * lookup tables built once per JVM from the S-box, which is itself computed from its GF(2^8) definition). In
 * counter mode only the last word of the input block changes, and only its low byte from one block to the next,
 * so the first round is mostly computed once per record and the second once per 256 blocks (Bernstein and
 * Schwabe's counter-mode caching). Counter-mode encryption and GHASH run in one pass per 16-byte block, so the
 * serial GHASH chain overlaps the AES work.
 *
 * <p>GHASH comes in two forms that compute the same product by H: a table-free, constant-time carry-less
 * multiplication from integer multiplications that keeps 48 bytes per key, and Shoup's 8-bit tables (4 KiB per
 * key, as BouncyCastle's default {@code Tables4kGCMMultiplier}), which take about a quarter off sealing a full
 * record. Every key starts table-free and builds the tables once it has hashed {@link #TABLE_THRESHOLD} bytes,
 * so short-lived TLS 1.3 handshake keys and connections that carry a few small messages never pay for them; a
 * {@code compact} instance, for connections that negotiated max_fragment_length (RFC 6066) to save memory,
 * never builds them.
 *
 * <p>Like BouncyCastle's {@code AESEngine} and GCM tables, the table lookups depend on secret data; on a shared
 * host where cache timing matters, use the JCA backend (AES-NI and CLMUL, constant time).
 */
final class AesGcm extends RecordAead {

    private static final int[] SBOX = new int[256];
    private static final int[] TE0 = new int[256], TE1 = new int[256], TE2 = new int[256], TE3 = new int[256];
    /** High word of the reduction of the 8 bits an 8-bit right shift drops (x^128 = x^7 + x^2 + x + 1). */
    private static final long[] REDUCE8 = new long[256];
    private static final long R = 0xE100000000000000L;

    static {
        // FIPS-197 section 5.1.1: S(a) = affine(a^-1). Walk GF(2^8)* with generator 3 and its inverse together.
        int p = 1, q = 1;
        do {
            p ^= ((p << 1) ^ ((p & 0x80) != 0 ? 0x1b : 0)) & 0xff; // p *= 3
            q ^= q << 1;                                         // q /= 3
            q ^= q << 2;
            q ^= q << 4;
            q &= 0xff;
            if ((q & 0x80) != 0) {
                q ^= 0x09;
            }
            int x = q ^ rotl8(q, 1) ^ rotl8(q, 2) ^ rotl8(q, 3) ^ rotl8(q, 4);
            SBOX[p] = (x ^ 0x63) & 0xff;
        } while (p != 1);
        SBOX[0] = 0x63;
        for (int i = 0; i < 256; i++) {
            int s = SBOX[i];
            int s2 = xtime(s);
            int s3 = s2 ^ s;
            // one column of MixColumns applied to (s, 0, 0, 0): rows 2s, s, s, 3s
            int t = s2 << 24 | s << 16 | s << 8 | s3;
            TE0[i] = t;
            TE1[i] = Integer.rotateRight(t, 8);
            TE2[i] = Integer.rotateRight(t, 16);
            TE3[i] = Integer.rotateRight(t, 24);
        }
        for (int r = 0; r < 256; r++) {
            long hi = 0, lo = r;
            for (int i = 0; i < 8; i++) { // multiply by x eight times
                long carry = lo & 1;
                lo = (lo >>> 1) | (hi << 63);
                hi = (hi >>> 1) ^ (carry != 0 ? R : 0);
            }
            REDUCE8[r] = hi;
        }
    }

    private static int rotl8(int x, int n) {
        return ((x << n) | (x >>> (8 - n))) & 0xff;
    }

    private static int xtime(int x) {
        return ((x << 1) ^ ((x & 0x80) != 0 ? 0x1b : 0)) & 0xff;
    }

    /**
     * GHASH input (padded AAD, padded ciphertext, length block) a key hashes table-free before it builds the
     * tables: the break-even of building them against the per-byte saving. Measured with warm JIT on the
     * project's 2-core box (scratch timing loop of eager-table vs compact setKey and seal at 16 B to 16 KiB):
     * building costs 0.8-1.1 us (with the 4 KiB allocation), tables save 45-60 ns per 16-byte GHASH block
     * (2.8-3.8 ns a byte), so they pay for themselves after 250-380 bytes. Rounded up to 512 for the 4 KiB of
     * heap and GC work the timing leaves out. The record that crosses it already runs on the tables.
     */
    static final int TABLE_THRESHOLD = 512;

    final boolean compact;
    private int rounds;
    private final int[] rk = new int[60];
    /**
     * 8-bit tables: M[n] = n * H for every byte n, high word at 2n and low word at 2n+1; null until the key
     * has hashed {@link #TABLE_THRESHOLD} bytes, and always when compact.
     */
    private long[] m;
    /** GHASH input under the current key while it has no tables. */
    private long hashed;
    /** H (high and low halves), their XOR for Karatsuba, and the bit-reversed forms: the table-free form. */
    private long h1, h0, h2, h1r, h0r, h2r;
    private final byte[] scratch = new byte[16];
    private final byte[] keystream = new byte[16];
    private long yHi, yLo;

    AesGcm() {
        this(false);
    }

    AesGcm(boolean compact) {
        this.compact = compact;
    }

    /** Whether the current key has built its GHASH tables (for tests). */
    boolean hasTables() {
        return m != null;
    }

    @Override
    void setKey(byte[] key, int off, int len) {
        if (len != 16 && len != 32) {
            throw new IllegalArgumentException("AES-GCM key must be 16 or 32 bytes, got " + len);
        }
        expandKey(key, off, len);
        // H = E(K, 0^128) (SP 800-38D section 6.4)
        byte[] b = scratch;
        java.util.Arrays.fill(b, (byte) 0);
        ctrTail(0, 0, 0, 0, b, 0, 16);
        h1 = readLongBE(b, 0);
        h0 = readLongBE(b, 8);
        java.util.Arrays.fill(b, (byte) 0);
        h2 = h0 ^ h1;
        h1r = Long.reverse(h1);
        h0r = Long.reverse(h0);
        h2r = h0r ^ h1r;
        // a new key (KeyUpdate, RFC 8446 section 4.6.3) starts table-free again
        dropTables();
        hashed = 0;
    }

    /**
     * Counts a record's GHASH input toward {@link #TABLE_THRESHOLD} and builds the tables when it is reached:
     * once per record, before the record, so the per-block path only sees which form is in place.
     */
    private void countTowardTables(int aadLen, int len) {
        hashed += ((aadLen + 15) & ~15) + ((len + 15L) & ~15) + 16;
        if (hashed >= TABLE_THRESHOLD) {
            buildTables();
        }
    }

    private void buildTables() {
        // M[0x80] = H, M[0x40] = H*x, ... M[0x01] = H*x^7 (GCM's reflected bit order); the rest by XOR
        long[] t = new long[512];
        long hHi = h1, hLo = h0;
        for (int i = 0x80; i > 0; i >>>= 1) {
            t[2 * i] = hHi;
            t[2 * i + 1] = hLo;
            long carry = hLo & 1;
            hLo = (hLo >>> 1) | (hHi << 63);
            hHi = (hHi >>> 1) ^ (carry != 0 ? R : 0);
        }
        for (int i = 2; i < 256; i <<= 1) {
            for (int j = 1; j < i; j++) {
                t[2 * (i + j)] = t[2 * i] ^ t[2 * j];
                t[2 * (i + j) + 1] = t[2 * i + 1] ^ t[2 * j + 1];
            }
        }
        m = t;
    }

    private void dropTables() {
        if (m != null) {
            java.util.Arrays.fill(m, 0);
            m = null;
        }
    }

    @Override
    void destroy() {
        java.util.Arrays.fill(rk, 0);
        dropTables();
        hashed = 0;
        h0 = h1 = h2 = h0r = h1r = h2r = 0;
        yHi = yLo = 0;
        rounds = 0;
        java.util.Arrays.fill(keystream, (byte) 0);
    }

    @Override
    void seal(byte[] nonce, byte[] aad, int aadLen, byte[] buf, int off, int len) {
        crypt(true, nonce, aad, aadLen, buf, off, len, buf, off + len);
    }

    @Override
    boolean open(byte[] nonce, byte[] aad, int aadLen, byte[] buf, int off, int len) {
        byte[] expected = scratch;
        crypt(false, nonce, aad, aadLen, buf, off, len, expected, 0);
        if (!tagsEqual(expected, 0, buf, off + len)) {
            // the record was decrypted in the same pass; leave no unauthenticated plaintext behind
            java.util.Arrays.fill(buf, off, off + len, (byte) 0);
            return false;
        }
        return true;
    }

    /**
     * GCM-AE or GCM-AD (SP 800-38D sections 7.1, 7.2) in place: GHASH over the ciphertext (read before
     * decrypting, written after encrypting), GCTR from counter 2, tag = E(K, J0) xor S with J0 = nonce || 1.
     */
    private void crypt(boolean encrypt, byte[] nonce, byte[] aad, int aadLen, byte[] buf, int off, int len,
            byte[] tagOut, int tagOff) {
        if (m == null && !compact) {
            countTowardTables(aadLen, len);
        }
        final int n0 = readIntBE(nonce, 0), n1 = readIntBE(nonce, 4), n2 = readIntBE(nonce, 8);
        yHi = 0;
        yLo = 0;
        ghashPadded(aad, 0, aadLen);

        final int[] rk = this.rk;
        final int[] te0 = TE0, te1 = TE1, te2 = TE2, te3 = TE3, sb = SBOX;
        final int lastRound = rounds * 4;
        // round 1 with the three fixed input words folded in once per record
        final int s0 = n0 ^ rk[0], s1 = n1 ^ rk[1], s2 = n2 ^ rk[2], rk3 = rk[3];
        final int c0 = te0[s0 >>> 24] ^ te1[(s1 >>> 16) & 0xff] ^ te2[(s2 >>> 8) & 0xff] ^ rk[4];
        final int c1 = te0[s1 >>> 24] ^ te1[(s2 >>> 16) & 0xff] ^ te3[s0 & 0xff] ^ rk[5];
        final int c2 = te0[s2 >>> 24] ^ te2[(s0 >>> 8) & 0xff] ^ te3[s1 & 0xff] ^ rk[6];
        final int c3 = te1[(s0 >>> 16) & 0xff] ^ te2[(s1 >>> 8) & 0xff] ^ te3[s2 & 0xff] ^ rk[7];
        // round 2 parts that only change when the counter's upper 24 bits do
        int cachedHigh = -1;
        int d0 = 0, d1 = 0, d2 = 0, d3 = 0;

        int counter = 2;
        int end = off + (len & ~15);
        for (int pos = off; pos < end; pos += 16, counter++) {
            int s3 = counter ^ rk3;
            int t0 = c0 ^ te3[s3 & 0xff];
            if (s3 >>> 8 != cachedHigh) {
                cachedHigh = s3 >>> 8;
                int t1 = c1 ^ te2[(s3 >>> 8) & 0xff];
                int t2 = c2 ^ te1[(s3 >>> 16) & 0xff];
                int t3 = c3 ^ te0[s3 >>> 24];
                d0 = te1[(t1 >>> 16) & 0xff] ^ te2[(t2 >>> 8) & 0xff] ^ te3[t3 & 0xff] ^ rk[8];
                d1 = te0[t1 >>> 24] ^ te1[(t2 >>> 16) & 0xff] ^ te2[(t3 >>> 8) & 0xff] ^ rk[9];
                d2 = te0[t2 >>> 24] ^ te1[(t3 >>> 16) & 0xff] ^ te3[t1 & 0xff] ^ rk[10];
                d3 = te0[t3 >>> 24] ^ te2[(t1 >>> 8) & 0xff] ^ te3[t2 & 0xff] ^ rk[11];
            }
            int u0 = d0 ^ te0[t0 >>> 24];
            int u1 = d1 ^ te3[t0 & 0xff];
            int u2 = d2 ^ te2[(t0 >>> 8) & 0xff];
            int u3 = d3 ^ te1[(t0 >>> 16) & 0xff];
            // round 3, then the remaining rounds in pairs (7 more for AES-128, 11 for AES-256: an odd count)
            t0 = te0[u0 >>> 24] ^ te1[(u1 >>> 16) & 0xff] ^ te2[(u2 >>> 8) & 0xff] ^ te3[u3 & 0xff] ^ rk[12];
            int t1 = te0[u1 >>> 24] ^ te1[(u2 >>> 16) & 0xff] ^ te2[(u3 >>> 8) & 0xff] ^ te3[u0 & 0xff] ^ rk[13];
            int t2 = te0[u2 >>> 24] ^ te1[(u3 >>> 16) & 0xff] ^ te2[(u0 >>> 8) & 0xff] ^ te3[u1 & 0xff] ^ rk[14];
            int t3 = te0[u3 >>> 24] ^ te1[(u0 >>> 16) & 0xff] ^ te2[(u1 >>> 8) & 0xff] ^ te3[u2 & 0xff] ^ rk[15];
            int k = 16;
            for (; k < lastRound; k += 8) {
                u0 = te0[t0 >>> 24] ^ te1[(t1 >>> 16) & 0xff] ^ te2[(t2 >>> 8) & 0xff] ^ te3[t3 & 0xff] ^ rk[k];
                u1 = te0[t1 >>> 24] ^ te1[(t2 >>> 16) & 0xff] ^ te2[(t3 >>> 8) & 0xff] ^ te3[t0 & 0xff] ^ rk[k + 1];
                u2 = te0[t2 >>> 24] ^ te1[(t3 >>> 16) & 0xff] ^ te2[(t0 >>> 8) & 0xff] ^ te3[t1 & 0xff] ^ rk[k + 2];
                u3 = te0[t3 >>> 24] ^ te1[(t0 >>> 16) & 0xff] ^ te2[(t1 >>> 8) & 0xff] ^ te3[t2 & 0xff] ^ rk[k + 3];
                t0 = te0[u0 >>> 24] ^ te1[(u1 >>> 16) & 0xff] ^ te2[(u2 >>> 8) & 0xff] ^ te3[u3 & 0xff] ^ rk[k + 4];
                t1 = te0[u1 >>> 24] ^ te1[(u2 >>> 16) & 0xff] ^ te2[(u3 >>> 8) & 0xff] ^ te3[u0 & 0xff] ^ rk[k + 5];
                t2 = te0[u2 >>> 24] ^ te1[(u3 >>> 16) & 0xff] ^ te2[(u0 >>> 8) & 0xff] ^ te3[u1 & 0xff] ^ rk[k + 6];
                t3 = te0[u3 >>> 24] ^ te1[(u0 >>> 16) & 0xff] ^ te2[(u1 >>> 8) & 0xff] ^ te3[u2 & 0xff] ^ rk[k + 7];
            }
            // final round: SubBytes, ShiftRows, AddRoundKey (no MixColumns)
            int o0 = (sb[t0 >>> 24] << 24 | sb[(t1 >>> 16) & 0xff] << 16 | sb[(t2 >>> 8) & 0xff] << 8
                    | sb[t3 & 0xff]) ^ rk[k];
            int o1 = (sb[t1 >>> 24] << 24 | sb[(t2 >>> 16) & 0xff] << 16 | sb[(t3 >>> 8) & 0xff] << 8
                    | sb[t0 & 0xff]) ^ rk[k + 1];
            int o2 = (sb[t2 >>> 24] << 24 | sb[(t3 >>> 16) & 0xff] << 16 | sb[(t0 >>> 8) & 0xff] << 8
                    | sb[t1 & 0xff]) ^ rk[k + 2];
            int o3 = (sb[t3 >>> 24] << 24 | sb[(t0 >>> 16) & 0xff] << 16 | sb[(t1 >>> 8) & 0xff] << 8
                    | sb[t2 & 0xff]) ^ rk[k + 3];
            int w0 = readIntBE(buf, pos), w1 = readIntBE(buf, pos + 4);
            int w2 = readIntBE(buf, pos + 8), w3 = readIntBE(buf, pos + 12);
            int x0 = w0 ^ o0, x1 = w1 ^ o1, x2 = w2 ^ o2, x3 = w3 ^ o3;
            writeIntBE(x0, buf, pos);
            writeIntBE(x1, buf, pos + 4);
            writeIntBE(x2, buf, pos + 8);
            writeIntBE(x3, buf, pos + 12);
            if (encrypt) {
                ghashBlock((long) x0 << 32 | (x1 & 0xffffffffL), (long) x2 << 32 | (x3 & 0xffffffffL));
            } else {
                ghashBlock((long) w0 << 32 | (w1 & 0xffffffffL), (long) w2 << 32 | (w3 & 0xffffffffL));
            }
        }
        int rest = len & 15;
        if (rest > 0) {
            if (!encrypt) {
                ghashPadded(buf, end, rest);
            }
            ctrTail(n0, n1, n2, counter, buf, end, rest);
            if (encrypt) {
                ghashPadded(buf, end, rest);
            }
        }
        ghashBlock((long) aadLen << 3, (long) len << 3);
        long sHi = yHi, sLo = yLo;
        yHi = yLo = 0;
        byte[] s = scratch;
        java.util.Arrays.fill(s, (byte) 0);
        ctrTail(n0, n1, n2, 1, s, 0, 16);
        writeIntBE(readIntBE(s, 0) ^ (int) (sHi >>> 32), tagOut, tagOff);
        writeIntBE(readIntBE(s, 4) ^ (int) sHi, tagOut, tagOff + 4);
        writeIntBE(readIntBE(s, 8) ^ (int) (sLo >>> 32), tagOut, tagOff + 8);
        writeIntBE(readIntBE(s, 12) ^ (int) sLo, tagOut, tagOff + 12);
    }

    private void ghashPadded(byte[] b, int off, int len) {
        int end = off + (len & ~15);
        for (; off < end; off += 16) {
            ghashBlock(readLongBE(b, off), readLongBE(b, off + 8));
        }
        int rest = len & 15;
        if (rest > 0) {
            byte[] s = scratch;
            System.arraycopy(b, off, s, 0, rest);
            for (int i = rest; i < 16; i++) {
                s[i] = 0;
            }
            ghashBlock(readLongBE(s, 0), readLongBE(s, 8));
        }
    }

    /** Y = (Y xor X) * H in GF(2^128) (SP 800-38D section 6.3, 6.4). */
    private void ghashBlock(long xHi, long xLo) {
        if (m == null) {
            ghashCompact(xHi, xLo);
            return;
        }
        // Shoup's method: Horner's rule over the 16 bytes, last byte first; each step multiplies by x^8
        // (a right shift by 8 in GCM's bit order) and folds the dropped byte back with REDUCE8.
        final long[] t = m, red = REDUCE8;
        long aHi = yHi ^ xHi, aLo = yLo ^ xLo;
        int n = (int) aLo & 0xff;
        long zHi = t[2 * n], zLo = t[2 * n + 1];
        for (int shift = 8; shift < 64; shift += 8) {
            n = (int) (aLo >>> shift) & 0xff;
            int rem = (int) zLo & 0xff;
            zLo = (zHi << 56) | (zLo >>> 8);
            zHi = (zHi >>> 8) ^ red[rem] ^ t[2 * n];
            zLo ^= t[2 * n + 1];
        }
        for (int shift = 0; shift < 64; shift += 8) {
            n = (int) (aHi >>> shift) & 0xff;
            int rem = (int) zLo & 0xff;
            zLo = (zHi << 56) | (zLo >>> 8);
            zHi = (zHi >>> 8) ^ red[rem] ^ t[2 * n];
            zLo ^= t[2 * n + 1];
        }
        yHi = zHi;
        yLo = zLo;
    }

    /**
     * The compact GHASH step, with no table and no secret-dependent branch or index: a 128x128 carry-less
     * product by Karatsuba over three 64x64 products, then reduction modulo x^128 + x^7 + x^2 + x + 1. Values
     * stay in GCM's bit order (the coefficient of x^0 is the most significant bit of the first byte), in which
     * the integer carry-less product comes out shifted right by one.
     */
    private void ghashCompact(long xHi, long xLo) {
        long a1 = yHi ^ xHi, a0 = yLo ^ xLo;
        long a2 = a0 ^ a1;
        long a0r = Long.reverse(a0), a1r = Long.reverse(a1), a2r = a0r ^ a1r;
        // each 64x64 product: low word directly, high word as the low word of the bit-reversed operands
        long p0 = clmulLow(a0, h0), p1 = clmulLow(a1, h1), p2 = clmulLow(a2, h2);
        long q0 = Long.reverse(clmulLow(a0r, h0r)) >>> 1;
        long q1 = Long.reverse(clmulLow(a1r, h1r)) >>> 1;
        long q2 = Long.reverse(clmulLow(a2r, h2r)) >>> 1;
        p2 ^= p0 ^ p1;
        q2 ^= q0 ^ q1;
        long c0 = p0, c1 = q0 ^ p2, c2 = p1 ^ q2, c3 = q1;
        // shift left by one: now bit 255-m of d3:d2:d1:d0 is the coefficient of x^m
        long d3 = (c3 << 1) | (c2 >>> 63), d2 = (c2 << 1) | (c1 >>> 63);
        long d1 = (c1 << 1) | (c0 >>> 63), d0 = c0 << 1;
        // fold x^128..x^255 (d1:d0) back as x^t * (1 + x + x^2 + x^7); e is what falls past x^127 the first time
        long e = (d0 << 63) ^ (d0 << 62) ^ (d0 << 57);
        yHi = d3 ^ d1 ^ (d1 >>> 1) ^ (d1 >>> 2) ^ (d1 >>> 7) ^ e ^ (e >>> 1) ^ (e >>> 2) ^ (e >>> 7);
        yLo = d2 ^ d0 ^ ((d0 >>> 1) | (d1 << 63)) ^ ((d0 >>> 2) | (d1 << 62)) ^ ((d0 >>> 7) | (d1 << 57));
    }

    /**
     * The low 64 bits of the carry-less product of x and y, with ordinary multiplications: the operands are
     * split into four interleaved bit classes so that the sums of partial products, which would carry, never
     * carry into a bit of the same class below bit 64 (at most 15 terms meet at any kept position).
     */
    private static long clmulLow(long x, long y) {
        final long m1 = 0x1111111111111111L, m2 = m1 << 1, m4 = m1 << 2, m8 = m1 << 3;
        long x0 = x & m1, x1 = x & m2, x2 = x & m4, x3 = x & m8;
        long y0 = y & m1, y1 = y & m2, y2 = y & m4, y3 = y & m8;
        long z0 = (x0 * y0) ^ (x1 * y3) ^ (x2 * y2) ^ (x3 * y1);
        long z1 = (x0 * y1) ^ (x1 * y0) ^ (x2 * y3) ^ (x3 * y2);
        long z2 = (x0 * y2) ^ (x1 * y1) ^ (x2 * y0) ^ (x3 * y3);
        long z3 = (x0 * y3) ^ (x1 * y2) ^ (x2 * y1) ^ (x3 * y0);
        return (z0 & m1) | (z1 & m2) | (z2 & m4) | (z3 & m8);
    }

    private static long readLongBE(byte[] b, int i) {
        return (long) readIntBE(b, i) << 32 | (readIntBE(b, i + 4) & 0xffffffffL);
    }

    /**
     * XORs E(K, n0 n1 n2 counter), E(K, ... counter+1), ... into buf (SP 800-38D section 6.5 GCTR): the plain,
     * uncached form, for the tag mask, H and a record's last partial block.
     */
    private void ctrTail(int n0, int n1, int n2, int counter, byte[] buf, int off, int len) {
        final int[] rk = this.rk;
        final int[] te0 = TE0, te1 = TE1, te2 = TE2, te3 = TE3, sb = SBOX;
        final int lastRound = rounds * 4;
        while (len > 0) {
            int t0 = n0 ^ rk[0], t1 = n1 ^ rk[1], t2 = n2 ^ rk[2], t3 = counter ^ rk[3];
            for (int k = 4; k < lastRound; k += 4) {
                int u0 = te0[t0 >>> 24] ^ te1[(t1 >>> 16) & 0xff] ^ te2[(t2 >>> 8) & 0xff] ^ te3[t3 & 0xff] ^ rk[k];
                int u1 = te0[t1 >>> 24] ^ te1[(t2 >>> 16) & 0xff] ^ te2[(t3 >>> 8) & 0xff] ^ te3[t0 & 0xff] ^ rk[k + 1];
                int u2 = te0[t2 >>> 24] ^ te1[(t3 >>> 16) & 0xff] ^ te2[(t0 >>> 8) & 0xff] ^ te3[t1 & 0xff] ^ rk[k + 2];
                int u3 = te0[t3 >>> 24] ^ te1[(t0 >>> 16) & 0xff] ^ te2[(t1 >>> 8) & 0xff] ^ te3[t2 & 0xff] ^ rk[k + 3];
                t0 = u0;
                t1 = u1;
                t2 = u2;
                t3 = u3;
            }
            byte[] ks = keystream;
            writeIntBE((sb[t0 >>> 24] << 24 | sb[(t1 >>> 16) & 0xff] << 16 | sb[(t2 >>> 8) & 0xff] << 8
                    | sb[t3 & 0xff]) ^ rk[lastRound], ks, 0);
            writeIntBE((sb[t1 >>> 24] << 24 | sb[(t2 >>> 16) & 0xff] << 16 | sb[(t3 >>> 8) & 0xff] << 8
                    | sb[t0 & 0xff]) ^ rk[lastRound + 1], ks, 4);
            writeIntBE((sb[t2 >>> 24] << 24 | sb[(t3 >>> 16) & 0xff] << 16 | sb[(t0 >>> 8) & 0xff] << 8
                    | sb[t1 & 0xff]) ^ rk[lastRound + 2], ks, 8);
            writeIntBE((sb[t3 >>> 24] << 24 | sb[(t0 >>> 16) & 0xff] << 16 | sb[(t1 >>> 8) & 0xff] << 8
                    | sb[t2 & 0xff]) ^ rk[lastRound + 3], ks, 12);
            int n = Math.min(len, 16);
            for (int i = 0; i < n; i++) {
                buf[off + i] ^= ks[i];
            }
            off += n;
            len -= n;
            counter++;
        }
    }

    /** FIPS-197 section 5.2 KeyExpansion. */
    private void expandKey(byte[] key, int off, int len) {
        int nk = len / 4;
        rounds = nk + 6;
        int total = 4 * (rounds + 1);
        for (int i = 0; i < nk; i++) {
            rk[i] = readIntBE(key, off + 4 * i);
        }
        int rcon = 1;
        for (int i = nk; i < total; i++) {
            int t = rk[i - 1];
            if (i % nk == 0) {
                t = subWord(Integer.rotateLeft(t, 8)) ^ (rcon << 24);
                rcon = xtime(rcon);
            } else if (nk > 6 && i % nk == 4) {
                t = subWord(t);
            }
            rk[i] = rk[i - nk] ^ t;
        }
    }

    private static int subWord(int w) {
        return SBOX[w >>> 24] << 24 | SBOX[(w >>> 16) & 0xff] << 16 | SBOX[(w >>> 8) & 0xff] << 8 | SBOX[w & 0xff];
    }
}
