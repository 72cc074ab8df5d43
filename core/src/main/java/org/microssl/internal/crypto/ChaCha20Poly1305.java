package org.microssl.internal.crypto;

/**
 * ChaCha20-Poly1305 AEAD (RFC 8439 section 2.8), written for the record hot path: the key lives in int fields,
 * the cipher state in locals, Poly1305 in 26-bit limbs held in longs (RFC 8439 section 2.5 arithmetic modulo
 * 2^130 - 5), and nothing is allocated per record. Pure Java, Java 8, no tables, so its timing does not depend
 * on key or data.
 */
final class ChaCha20Poly1305 extends RecordAead {

    // "expand 32-byte k", RFC 8439 section 2.3
    private static final int C0 = 0x61707865, C1 = 0x3320646e, C2 = 0x79622d32, C3 = 0x6b206574;
    private static final int MASK26 = 0x3ffffff;

    private int k0, k1, k2, k3, k4, k5, k6, k7;

    // Poly1305 state for the record in progress
    private long r0, r1, r2, r3, r4, s1, s2, s3, s4;
    private long h0, h1, h2, h3, h4;
    private int pad0, pad1, pad2, pad3;

    /** Keystream of a trailing partial block; kept so a short record allocates nothing. */
    private final byte[] partial = new byte[64];
    /** Block 0 of the keystream, whose first 32 bytes are the Poly1305 one-time key. */
    private final byte[] oneTimeKey = new byte[64];
    private final byte[] tag = new byte[TAG_LENGTH];

    @Override
    void setKey(byte[] key, int off, int len) {
        if (len != 32) {
            throw new IllegalArgumentException("ChaCha20 key must be 32 bytes, got " + len);
        }
        k0 = readIntLE(key, off);
        k1 = readIntLE(key, off + 4);
        k2 = readIntLE(key, off + 8);
        k3 = readIntLE(key, off + 12);
        k4 = readIntLE(key, off + 16);
        k5 = readIntLE(key, off + 20);
        k6 = readIntLE(key, off + 24);
        k7 = readIntLE(key, off + 28);
    }

    @Override
    void destroy() {
        k0 = k1 = k2 = k3 = k4 = k5 = k6 = k7 = 0;
        r0 = r1 = r2 = r3 = r4 = s1 = s2 = s3 = s4 = 0;
        h0 = h1 = h2 = h3 = h4 = 0;
        pad0 = pad1 = pad2 = pad3 = 0;
        java.util.Arrays.fill(partial, (byte) 0);
        java.util.Arrays.fill(oneTimeKey, (byte) 0);
    }

    @Override
    void seal(byte[] nonce, byte[] aad, int aadLen, byte[] buf, int off, int len) {
        int n0 = readIntLE(nonce, 0), n1 = readIntLE(nonce, 4), n2 = readIntLE(nonce, 8);
        initMac(n0, n1, n2);
        xorKeyStream(1, n0, n1, n2, buf, off, len);
        finishMac(aad, aadLen, buf, off, len, buf, off + len);
    }

    @Override
    boolean open(byte[] nonce, byte[] aad, int aadLen, byte[] buf, int off, int len) {
        int n0 = readIntLE(nonce, 0), n1 = readIntLE(nonce, 4), n2 = readIntLE(nonce, 8);
        initMac(n0, n1, n2);
        finishMac(aad, aadLen, buf, off, len, tag, 0);
        // RFC 8439 section 4: authenticate before decrypting, compare in constant time
        if (!tagsEqual(tag, 0, buf, off + len)) {
            return false;
        }
        xorKeyStream(1, n0, n1, n2, buf, off, len);
        return true;
    }

    /** Poly1305 one-time key = first 32 bytes of the block with counter 0 (RFC 8439 section 2.6). */
    private void initMac(int n0, int n1, int n2) {
        byte[] otk = oneTimeKey;
        java.util.Arrays.fill(otk, (byte) 0);
        xorKeyStream(0, n0, n1, n2, otk, 0, 64);
        // clamp r (RFC 8439 section 2.5.1)
        int t0 = readIntLE(otk, 0) & 0x0fffffff;
        int t1 = readIntLE(otk, 4) & 0x0ffffffc;
        int t2 = readIntLE(otk, 8) & 0x0ffffffc;
        int t3 = readIntLE(otk, 12) & 0x0ffffffc;
        r0 = t0 & MASK26;
        r1 = ((t0 >>> 26) | (t1 << 6)) & MASK26;
        r2 = ((t1 >>> 20) | (t2 << 12)) & MASK26;
        r3 = ((t2 >>> 14) | (t3 << 18)) & MASK26;
        r4 = t3 >>> 8;
        s1 = r1 * 5;
        s2 = r2 * 5;
        s3 = r3 * 5;
        s4 = r4 * 5;
        pad0 = readIntLE(otk, 16);
        pad1 = readIntLE(otk, 20);
        pad2 = readIntLE(otk, 24);
        pad3 = readIntLE(otk, 28);
        h0 = h1 = h2 = h3 = h4 = 0;
        java.util.Arrays.fill(otk, (byte) 0);
    }

    /** mac_data = aad | pad16 | ciphertext | pad16 | le64(aad len) | le64(ct len) (RFC 8439 section 2.8). */
    private void finishMac(byte[] aad, int aadLen, byte[] ct, int ctOff, int ctLen, byte[] out, int outOff) {
        macPadded(aad, 0, aadLen);
        macPadded(ct, ctOff, ctLen);
        byte[] p = partial;
        writeIntLE(aadLen, p, 0);
        writeIntLE(0, p, 4);
        writeIntLE(ctLen, p, 8);
        writeIntLE(0, p, 12);
        macBlocks(p, 0, 16);
        macFinal(out, outOff);
    }

    private void macPadded(byte[] b, int off, int len) {
        int full = len & ~15;
        if (full > 0) {
            macBlocks(b, off, full);
        }
        int rest = len - full;
        if (rest > 0) {
            byte[] p = partial;
            System.arraycopy(b, off + full, p, 0, rest);
            for (int i = rest; i < 16; i++) {
                p[i] = 0;
            }
            macBlocks(p, 0, 16);
        }
    }

    /** Absorbs whole 16-byte blocks; each is a full Poly1305 block (the 2^128 bit set). */
    private void macBlocks(byte[] b, int off, int len) {
        long h0 = this.h0, h1 = this.h1, h2 = this.h2, h3 = this.h3, h4 = this.h4;
        final long r0 = this.r0, r1 = this.r1, r2 = this.r2, r3 = this.r3, r4 = this.r4;
        final long s1 = this.s1, s2 = this.s2, s3 = this.s3, s4 = this.s4;
        for (int end = off + len; off < end; off += 16) {
            int t0 = readIntLE(b, off), t1 = readIntLE(b, off + 4), t2 = readIntLE(b, off + 8),
                    t3 = readIntLE(b, off + 12);
            h0 += t0 & MASK26;
            h1 += ((t0 >>> 26) | (t1 << 6)) & MASK26;
            h2 += ((t1 >>> 20) | (t2 << 12)) & MASK26;
            h3 += ((t2 >>> 14) | (t3 << 18)) & MASK26;
            h4 += (t3 >>> 8) | (1 << 24);

            long d0 = h0 * r0 + h1 * s4 + h2 * s3 + h3 * s2 + h4 * s1;
            long d1 = h0 * r1 + h1 * r0 + h2 * s4 + h3 * s3 + h4 * s2;
            long d2 = h0 * r2 + h1 * r1 + h2 * r0 + h3 * s4 + h4 * s3;
            long d3 = h0 * r3 + h1 * r2 + h2 * r1 + h3 * r0 + h4 * s4;
            long d4 = h0 * r4 + h1 * r3 + h2 * r2 + h3 * r1 + h4 * r0;

            d1 += d0 >>> 26;
            h0 = d0 & MASK26;
            d2 += d1 >>> 26;
            h1 = d1 & MASK26;
            d3 += d2 >>> 26;
            h2 = d2 & MASK26;
            d4 += d3 >>> 26;
            h3 = d3 & MASK26;
            h0 += (d4 >>> 26) * 5;
            h4 = d4 & MASK26;
            h1 += h0 >>> 26;
            h0 &= MASK26;
        }
        this.h0 = h0;
        this.h1 = h1;
        this.h2 = h2;
        this.h3 = h3;
        this.h4 = h4;
    }

    /** tag = ((h mod 2^130-5) + s) mod 2^128, little-endian. */
    private void macFinal(byte[] out, int off) {
        long h0 = this.h0, h1 = this.h1, h2 = this.h2, h3 = this.h3, h4 = this.h4;
        long c;
        c = h1 >>> 26; h1 &= MASK26; h2 += c;
        c = h2 >>> 26; h2 &= MASK26; h3 += c;
        c = h3 >>> 26; h3 &= MASK26; h4 += c;
        c = h4 >>> 26; h4 &= MASK26; h0 += c * 5;
        c = h0 >>> 26; h0 &= MASK26; h1 += c;

        // g = h + 5 - 2^130; use g when it does not borrow, i.e. when h >= p
        long g0 = h0 + 5;
        c = g0 >>> 26; g0 &= MASK26;
        long g1 = h1 + c;
        c = g1 >>> 26; g1 &= MASK26;
        long g2 = h2 + c;
        c = g2 >>> 26; g2 &= MASK26;
        long g3 = h3 + c;
        c = g3 >>> 26; g3 &= MASK26;
        long g4 = h4 + c - (1L << 26);
        long useG = ~(g4 >> 63); // all ones when g4 >= 0
        h0 = (h0 & ~useG) | (g0 & useG);
        h1 = (h1 & ~useG) | (g1 & useG);
        h2 = (h2 & ~useG) | (g2 & useG);
        h3 = (h3 & ~useG) | (g3 & useG);
        h4 = (h4 & ~useG) | (g4 & useG & MASK26);

        long f0 = ((h0 | (h1 << 26)) & 0xffffffffL) + (pad0 & 0xffffffffL);
        long f1 = (((h1 >>> 6) | (h2 << 20)) & 0xffffffffL) + (pad1 & 0xffffffffL) + (f0 >>> 32);
        long f2 = (((h2 >>> 12) | (h3 << 14)) & 0xffffffffL) + (pad2 & 0xffffffffL) + (f1 >>> 32);
        long f3 = (((h3 >>> 18) | (h4 << 8)) & 0xffffffffL) + (pad3 & 0xffffffffL) + (f2 >>> 32);
        writeIntLE((int) f0, out, off);
        writeIntLE((int) f1, out, off + 4);
        writeIntLE((int) f2, out, off + 8);
        writeIntLE((int) f3, out, off + 12);
        this.h0 = this.h1 = this.h2 = this.h3 = this.h4 = 0;
    }

    /** XORs the ChaCha20 keystream starting at block {@code counter} into buf (RFC 8439 section 2.4). */
    private void xorKeyStream(int counter, int n0, int n1, int n2, byte[] buf, int off, int len) {
        final int k0 = this.k0, k1 = this.k1, k2 = this.k2, k3 = this.k3;
        final int k4 = this.k4, k5 = this.k5, k6 = this.k6, k7 = this.k7;
        while (len > 0) {
            int x0 = C0, x1 = C1, x2 = C2, x3 = C3;
            int x4 = k0, x5 = k1, x6 = k2, x7 = k3;
            int x8 = k4, x9 = k5, x10 = k6, x11 = k7;
            int x12 = counter, x13 = n0, x14 = n1, x15 = n2;
            for (int i = 0; i < 10; i++) {
                // column round
                x0 += x4; x12 = Integer.rotateLeft(x12 ^ x0, 16);
                x8 += x12; x4 = Integer.rotateLeft(x4 ^ x8, 12);
                x0 += x4; x12 = Integer.rotateLeft(x12 ^ x0, 8);
                x8 += x12; x4 = Integer.rotateLeft(x4 ^ x8, 7);
                x1 += x5; x13 = Integer.rotateLeft(x13 ^ x1, 16);
                x9 += x13; x5 = Integer.rotateLeft(x5 ^ x9, 12);
                x1 += x5; x13 = Integer.rotateLeft(x13 ^ x1, 8);
                x9 += x13; x5 = Integer.rotateLeft(x5 ^ x9, 7);
                x2 += x6; x14 = Integer.rotateLeft(x14 ^ x2, 16);
                x10 += x14; x6 = Integer.rotateLeft(x6 ^ x10, 12);
                x2 += x6; x14 = Integer.rotateLeft(x14 ^ x2, 8);
                x10 += x14; x6 = Integer.rotateLeft(x6 ^ x10, 7);
                x3 += x7; x15 = Integer.rotateLeft(x15 ^ x3, 16);
                x11 += x15; x7 = Integer.rotateLeft(x7 ^ x11, 12);
                x3 += x7; x15 = Integer.rotateLeft(x15 ^ x3, 8);
                x11 += x15; x7 = Integer.rotateLeft(x7 ^ x11, 7);
                // diagonal round
                x0 += x5; x15 = Integer.rotateLeft(x15 ^ x0, 16);
                x10 += x15; x5 = Integer.rotateLeft(x5 ^ x10, 12);
                x0 += x5; x15 = Integer.rotateLeft(x15 ^ x0, 8);
                x10 += x15; x5 = Integer.rotateLeft(x5 ^ x10, 7);
                x1 += x6; x12 = Integer.rotateLeft(x12 ^ x1, 16);
                x11 += x12; x6 = Integer.rotateLeft(x6 ^ x11, 12);
                x1 += x6; x12 = Integer.rotateLeft(x12 ^ x1, 8);
                x11 += x12; x6 = Integer.rotateLeft(x6 ^ x11, 7);
                x2 += x7; x13 = Integer.rotateLeft(x13 ^ x2, 16);
                x8 += x13; x7 = Integer.rotateLeft(x7 ^ x8, 12);
                x2 += x7; x13 = Integer.rotateLeft(x13 ^ x2, 8);
                x8 += x13; x7 = Integer.rotateLeft(x7 ^ x8, 7);
                x3 += x4; x14 = Integer.rotateLeft(x14 ^ x3, 16);
                x9 += x14; x4 = Integer.rotateLeft(x4 ^ x9, 12);
                x3 += x4; x14 = Integer.rotateLeft(x14 ^ x3, 8);
                x9 += x14; x4 = Integer.rotateLeft(x4 ^ x9, 7);
            }
            x0 += C0; x1 += C1; x2 += C2; x3 += C3;
            x4 += k0; x5 += k1; x6 += k2; x7 += k3;
            x8 += k4; x9 += k5; x10 += k6; x11 += k7;
            x12 += counter; x13 += n0; x14 += n1; x15 += n2;
            if (len >= 64) {
                xorWord(buf, off, x0); xorWord(buf, off + 4, x1);
                xorWord(buf, off + 8, x2); xorWord(buf, off + 12, x3);
                xorWord(buf, off + 16, x4); xorWord(buf, off + 20, x5);
                xorWord(buf, off + 24, x6); xorWord(buf, off + 28, x7);
                xorWord(buf, off + 32, x8); xorWord(buf, off + 36, x9);
                xorWord(buf, off + 40, x10); xorWord(buf, off + 44, x11);
                xorWord(buf, off + 48, x12); xorWord(buf, off + 52, x13);
                xorWord(buf, off + 56, x14); xorWord(buf, off + 60, x15);
                off += 64;
                len -= 64;
            } else {
                byte[] ks = partial;
                writeIntLE(x0, ks, 0); writeIntLE(x1, ks, 4); writeIntLE(x2, ks, 8); writeIntLE(x3, ks, 12);
                writeIntLE(x4, ks, 16); writeIntLE(x5, ks, 20); writeIntLE(x6, ks, 24); writeIntLE(x7, ks, 28);
                writeIntLE(x8, ks, 32); writeIntLE(x9, ks, 36); writeIntLE(x10, ks, 40); writeIntLE(x11, ks, 44);
                writeIntLE(x12, ks, 48); writeIntLE(x13, ks, 52); writeIntLE(x14, ks, 56); writeIntLE(x15, ks, 60);
                for (int i = 0; i < len; i++) {
                    buf[off + i] ^= ks[i];
                }
                java.util.Arrays.fill(ks, (byte) 0);
                len = 0;
            }
            counter++;
        }
    }

    private static void xorWord(byte[] b, int i, int k) {
        b[i] ^= (byte) k;
        b[i + 1] ^= (byte) (k >>> 8);
        b[i + 2] ^= (byte) (k >>> 16);
        b[i + 3] ^= (byte) (k >>> 24);
    }
}
