package org.microssl.internal.crypto;

/**
 * AES-GCM (NIST SP 800-38D) with 12-byte nonces and 16-byte tags, AES-128 and AES-256, for the record hot path.
 *
 * <p>AES is the classic table-driven form (FIPS-197 section 5.2 round transformations merged into four 1 KiB
 * lookup tables built once per JVM from the S-box, which is itself computed from its GF(2^8) definition), with
 * the counter-mode first-round trick: three of the four input words of each counter block are the same for the
 * whole record, so twelve of the sixteen first-round lookups are done once per record. GHASH is table-free
 * and constant-time (carry-less multiplication from integer multiplications), and keeps 48 bytes per key
 * where BouncyCastle's default {@code Tables4kGCMMultiplier} keeps 4 KiB, so a connection stays small on a device.
 *
 * <p>Like BouncyCastle's {@code AESEngine}, the AES lookups depend on secret data; on a shared host where cache
 * timing matters, use the JCA backend (AES-NI, constant time).
 */
final class AesGcm extends RecordAead {

    private static final int[] SBOX = new int[256];
    private static final int[] TE0 = new int[256], TE1 = new int[256], TE2 = new int[256], TE3 = new int[256];
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
    }

    private static int rotl8(int x, int n) {
        return ((x << n) | (x >>> (8 - n))) & 0xff;
    }

    private static int xtime(int x) {
        return ((x << 1) ^ ((x & 0x80) != 0 ? 0x1b : 0)) & 0xff;
    }

    private int rounds;
    private final int[] rk = new int[60];
    /** H (high and low halves), their XOR for Karatsuba, and the bit-reversed forms. */
    private long h1, h0, h2, h1r, h0r, h2r;
    private final byte[] scratch = new byte[16];
    private long yHi, yLo;

    @Override
    void setKey(byte[] key, int off, int len) {
        if (len != 16 && len != 32) {
            throw new IllegalArgumentException("AES-GCM key must be 16 or 32 bytes, got " + len);
        }
        expandKey(key, off, len);
        // H = E(K, 0^128) (SP 800-38D section 6.4)
        int[] h = new int[4];
        encryptBlock(0, 0, 0, 0, h);
        long hHi = (long) h[0] << 32 | (h[1] & 0xffffffffL);
        long hLo = (long) h[2] << 32 | (h[3] & 0xffffffffL);
        h1 = hHi;
        h0 = hLo;
        h2 = h0 ^ h1;
        h1r = Long.reverse(h1);
        h0r = Long.reverse(h0);
        h2r = h0r ^ h1r;
        h[0] = h[1] = h[2] = h[3] = 0;
    }

    @Override
    void destroy() {
        java.util.Arrays.fill(rk, 0);
        h0 = h1 = h2 = h0r = h1r = h2r = 0;
        yHi = yLo = 0;
        rounds = 0;
    }

    @Override
    void seal(byte[] nonce, byte[] aad, int aadLen, byte[] buf, int off, int len) {
        int n0 = readIntBE(nonce, 0), n1 = readIntBE(nonce, 4), n2 = readIntBE(nonce, 8);
        ctr(n0, n1, n2, 2, buf, off, len);
        computeTag(n0, n1, n2, aad, aadLen, buf, off, len, buf, off + len);
    }

    @Override
    boolean open(byte[] nonce, byte[] aad, int aadLen, byte[] buf, int off, int len) {
        int n0 = readIntBE(nonce, 0), n1 = readIntBE(nonce, 4), n2 = readIntBE(nonce, 8);
        byte[] expected = scratch;
        computeTag(n0, n1, n2, aad, aadLen, buf, off, len, expected, 0);
        if (!tagsEqual(expected, 0, buf, off + len)) {
            return false;
        }
        ctr(n0, n1, n2, 2, buf, off, len);
        return true;
    }

    /** T = E(K, J0) xor GHASH(A, C), J0 = nonce || 1 (SP 800-38D section 7.1 steps 2, 5-7). */
    private void computeTag(int n0, int n1, int n2, byte[] aad, int aadLen, byte[] ct, int ctOff, int ctLen,
            byte[] out, int outOff) {
        yHi = 0;
        yLo = 0;
        ghashPadded(aad, 0, aadLen);
        ghashPadded(ct, ctOff, ctLen);
        ghashBlock((long) aadLen << 3, (long) ctLen << 3);
        long sHi = yHi, sLo = yLo;
        yHi = yLo = 0;
        byte[] s = scratch;
        for (int i = 0; i < 16; i++) {
            s[i] = 0;
        }
        ctr(n0, n1, n2, 1, s, 0, 16);
        writeIntBE(readIntBE(s, 0) ^ (int) (sHi >>> 32), out, outOff);
        writeIntBE(readIntBE(s, 4) ^ (int) sHi, out, outOff + 4);
        writeIntBE(readIntBE(s, 8) ^ (int) (sLo >>> 32), out, outOff + 8);
        writeIntBE(readIntBE(s, 12) ^ (int) sLo, out, outOff + 12);
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

    /**
     * Y = (Y xor X) * H in GF(2^128) (SP 800-38D section 6.3), with no table and no secret-dependent branch or
     * index: a 128x128 carry-less product by Karatsuba over three 64x64 products, then reduction modulo
     * x^128 + x^7 + x^2 + x + 1. Values are kept in GCM's own bit order (the coefficient of x^0 is the most
     * significant bit of the first byte), in which the integer carry-less product comes out shifted right by one.
     */
    private void ghashBlock(long xHi, long xLo) {
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

    /** XORs E(K, n0 n1 n2 counter), E(K, ... counter+1), ... into buf (SP 800-38D section 6.5 GCTR). */
    private void ctr(int n0, int n1, int n2, int counter, byte[] buf, int off, int len) {
        final int[] rk = this.rk;
        final int[] te0 = TE0, te1 = TE1, te2 = TE2, te3 = TE3;
        final int lastRound = rounds * 4;
        // First round with the three fixed words folded in once per record.
        final int s0 = n0 ^ rk[0], s1 = n1 ^ rk[1], s2 = n2 ^ rk[2];
        final int c0 = te0[s0 >>> 24] ^ te1[(s1 >>> 16) & 0xff] ^ te2[(s2 >>> 8) & 0xff] ^ rk[4];
        final int c1 = te0[s1 >>> 24] ^ te1[(s2 >>> 16) & 0xff] ^ te3[s0 & 0xff] ^ rk[5];
        final int c2 = te0[s2 >>> 24] ^ te2[(s0 >>> 8) & 0xff] ^ te3[s1 & 0xff] ^ rk[6];
        final int c3 = te1[(s0 >>> 16) & 0xff] ^ te2[(s1 >>> 8) & 0xff] ^ te3[s2 & 0xff] ^ rk[7];
        final int rk3 = rk[3];
        while (len > 0) {
            int s3 = counter ^ rk3;
            int t0 = c0 ^ te3[s3 & 0xff];
            int t1 = c1 ^ te2[(s3 >>> 8) & 0xff];
            int t2 = c2 ^ te1[(s3 >>> 16) & 0xff];
            int t3 = c3 ^ te0[s3 >>> 24];
            int k = 8;
            for (; k < lastRound; k += 8) {
                int u0 = te0[t0 >>> 24] ^ te1[(t1 >>> 16) & 0xff] ^ te2[(t2 >>> 8) & 0xff] ^ te3[t3 & 0xff] ^ rk[k];
                int u1 = te0[t1 >>> 24] ^ te1[(t2 >>> 16) & 0xff] ^ te2[(t3 >>> 8) & 0xff] ^ te3[t0 & 0xff] ^ rk[k + 1];
                int u2 = te0[t2 >>> 24] ^ te1[(t3 >>> 16) & 0xff] ^ te2[(t0 >>> 8) & 0xff] ^ te3[t1 & 0xff] ^ rk[k + 2];
                int u3 = te0[t3 >>> 24] ^ te1[(t0 >>> 16) & 0xff] ^ te2[(t1 >>> 8) & 0xff] ^ te3[t2 & 0xff] ^ rk[k + 3];
                if (k + 4 == lastRound) {
                    t0 = u0;
                    t1 = u1;
                    t2 = u2;
                    t3 = u3;
                    k += 4;
                    break;
                }
                t0 = te0[u0 >>> 24] ^ te1[(u1 >>> 16) & 0xff] ^ te2[(u2 >>> 8) & 0xff] ^ te3[u3 & 0xff] ^ rk[k + 4];
                t1 = te0[u1 >>> 24] ^ te1[(u2 >>> 16) & 0xff] ^ te2[(u3 >>> 8) & 0xff] ^ te3[u0 & 0xff] ^ rk[k + 5];
                t2 = te0[u2 >>> 24] ^ te1[(u3 >>> 16) & 0xff] ^ te2[(u0 >>> 8) & 0xff] ^ te3[u1 & 0xff] ^ rk[k + 6];
                t3 = te0[u3 >>> 24] ^ te1[(u0 >>> 16) & 0xff] ^ te2[(u1 >>> 8) & 0xff] ^ te3[u2 & 0xff] ^ rk[k + 7];
            }
            // final round: SubBytes, ShiftRows, AddRoundKey (no MixColumns)
            final int[] sb = SBOX;
            int o0 = (sb[t0 >>> 24] << 24 | sb[(t1 >>> 16) & 0xff] << 16 | sb[(t2 >>> 8) & 0xff] << 8
                    | sb[t3 & 0xff]) ^ rk[k];
            int o1 = (sb[t1 >>> 24] << 24 | sb[(t2 >>> 16) & 0xff] << 16 | sb[(t3 >>> 8) & 0xff] << 8
                    | sb[t0 & 0xff]) ^ rk[k + 1];
            int o2 = (sb[t2 >>> 24] << 24 | sb[(t3 >>> 16) & 0xff] << 16 | sb[(t0 >>> 8) & 0xff] << 8
                    | sb[t1 & 0xff]) ^ rk[k + 2];
            int o3 = (sb[t3 >>> 24] << 24 | sb[(t0 >>> 16) & 0xff] << 16 | sb[(t1 >>> 8) & 0xff] << 8
                    | sb[t2 & 0xff]) ^ rk[k + 3];
            if (len >= 16) {
                xorWordBE(buf, off, o0);
                xorWordBE(buf, off + 4, o1);
                xorWordBE(buf, off + 8, o2);
                xorWordBE(buf, off + 12, o3);
                off += 16;
                len -= 16;
            } else {
                for (int i = 0; i < len; i++) {
                    int w = i < 4 ? o0 : i < 8 ? o1 : i < 12 ? o2 : o3;
                    buf[off + i] ^= (byte) (w >>> (24 - 8 * (i & 3)));
                }
                len = 0;
            }
            counter++;
        }
    }

    private static void xorWordBE(byte[] b, int i, int k) {
        b[i] ^= (byte) (k >>> 24);
        b[i + 1] ^= (byte) (k >>> 16);
        b[i + 2] ^= (byte) (k >>> 8);
        b[i + 3] ^= (byte) k;
    }

    /** One block, used for H; the record path goes through {@link #ctr}. */
    private void encryptBlock(int w0, int w1, int w2, int w3, int[] out) {
        byte[] b = new byte[16];
        writeIntBE(w0, b, 0);
        writeIntBE(w1, b, 4);
        writeIntBE(w2, b, 8);
        // ctr() XORs E(K, w0 w1 w2 w3) into b; starting from w0..w3 we get E xor input, so undo the input.
        ctr(w0, w1, w2, w3, b, 0, 16);
        out[0] = readIntBE(b, 0) ^ w0;
        out[1] = readIntBE(b, 4) ^ w1;
        out[2] = readIntBE(b, 8) ^ w2;
        out[3] = readIntBE(b, 12) ^ w3;
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
