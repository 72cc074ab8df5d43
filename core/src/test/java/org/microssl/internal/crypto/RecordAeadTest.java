package org.microssl.internal.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.AEADCipher;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.Test;

/**
 * The record AEADs against published vectors and against BouncyCastle's own AEAD modes ({@link GCMBlockCipher},
 * {@code modes.ChaCha20Poly1305}), at every length from 0 to 129 bytes and around the TLS record sizes.
 */
class RecordAeadTest {

    /** RFC 8439 section 2.8.2. */
    @Test
    void chacha20Poly1305Rfc8439Vector() {
        byte[] key = Hex.decode("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
        byte[] nonce = Hex.decode("070000004041424344454647");
        byte[] aad = Hex.decode("50515253c0c1c2c3c4c5c6c7");
        byte[] plaintext = ("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for "
                + "the future, sunscreen would be it.").getBytes(StandardCharsets.US_ASCII);
        byte[] buf = Arrays.copyOf(plaintext, plaintext.length + 16);
        ChaCha20Poly1305Aead aead = new ChaCha20Poly1305Aead();
        aead.setKey(key, 0, 32);
        aead.seal(nonce, aad, aad.length, buf, 0, plaintext.length);
        assertEquals("d31a8d34648e60db7b86afbc53ef7ec2",
                Hex.toHexString(Arrays.copyOfRange(buf, 0, 16)), "first ciphertext block");
        assertEquals("1ae10b594f09e26a7e902ecbd0600691",
                Hex.toHexString(Arrays.copyOfRange(buf, plaintext.length, plaintext.length + 16)), "tag");
        assertTrue(aead.open(nonce, aad, aad.length, buf, 0, plaintext.length));
        assertArrayEquals(plaintext, Arrays.copyOf(buf, plaintext.length));
    }

    /**
     * Sealing straight from the caller's buffer (whole 64-byte blocks from {@code src}, the tail in place) gives
     * the record that sealing in place gives, for every AEAD and at lengths around the block sizes.
     */
    @Test
    void sealingFromTheCallersBufferEqualsSealingInPlace() {
        SplittableRandom random = new SplittableRandom(21);
        RecordAead[][] pairs = {
            {new AesGcmAead(false), new AesGcmAead(false)},
            {new AesGcmAead(true), new AesGcmAead(true)},
            {new ChaCha20Poly1305Aead(), new ChaCha20Poly1305Aead()},
        };
        for (RecordAead[] pair : pairs) {
            byte[] key = new byte[pair[0] instanceof ChaCha20Poly1305Aead ? 32 : 16];
            random.nextBytes(key);
            pair[0].setKey(key, 0, key.length);
            pair[1].setKey(key, 0, key.length);
            for (int len : new int[] {0, 1, 63, 64, 65, 127, 128, 129, 1000, 16384, 16385}) {
                byte[] nonce = new byte[12], aad = new byte[13], plaintext = new byte[len];
                random.nextBytes(nonce);
                random.nextBytes(aad);
                random.nextBytes(plaintext);
                int fromSrc = len & ~63;
                byte[] inPlace = Arrays.copyOf(plaintext, len + 16);
                pair[0].seal(nonce, aad, aad.length, inPlace, 0, len);
                byte[] src = new byte[len + 7];
                System.arraycopy(plaintext, 0, src, 7, len);
                byte[] fused = new byte[3 + len + 16];
                System.arraycopy(plaintext, fromSrc, fused, 3 + fromSrc, len - fromSrc); // only the tail in place
                pair[1].seal(nonce, aad, aad.length, src, 7, fromSrc, fused, 3, len);
                assertArrayEquals(inPlace, Arrays.copyOfRange(fused, 3, fused.length),
                        pair[0].getClass().getSimpleName() + " at " + len);
                assertArrayEquals(plaintext, Arrays.copyOfRange(src, 7, 7 + len), "the caller's data is untouched");
            }
        }
    }

    /** The GCM specification's test cases 1, 2, 13 and 14 (zero keys, zero IV). */
    @Test
    void aesGcmSpecVectors() {
        checkGcm(new byte[16], new byte[0], "", "58e2fccefa7e3061367f1d57a4e7455a");
        checkGcm(new byte[16], new byte[16], "0388dace60b6a392f328c2b971b2fe78", "ab6e47d42cec13bdf53a67b21257bddf");
        checkGcm(new byte[32], new byte[0], "", "530f8afbc74536b9a963b4f1c4cb738b");
        checkGcm(new byte[32], new byte[16], "cea7403d4d606b6e074ec5d3baf39d18", "d0d1c8a799996bf0265b98b5d48ab919");
    }

    private static void checkGcm(byte[] key, byte[] plaintext, String ciphertextHex, String tagHex) {
        checkGcm(new AesGcmAead(false), key, plaintext, ciphertextHex, tagHex);
        checkGcm(new AesGcmAead(true), key, plaintext, ciphertextHex, tagHex);
    }

    private static void checkGcm(AesGcmAead aead, byte[] key, byte[] plaintext, String ciphertextHex, String tagHex) {
        aead.setKey(key, 0, key.length);
        byte[] buf = Arrays.copyOf(plaintext, plaintext.length + 16);
        aead.seal(new byte[12], new byte[0], 0, buf, 0, plaintext.length);
        assertEquals(ciphertextHex, Hex.toHexString(Arrays.copyOf(buf, plaintext.length)));
        assertEquals(tagHex, Hex.toHexString(Arrays.copyOfRange(buf, plaintext.length, plaintext.length + 16)));
        assertTrue(aead.open(new byte[12], new byte[0], 0, buf, 0, plaintext.length));
        assertArrayEquals(plaintext, Arrays.copyOf(buf, plaintext.length));
    }

    @Test
    void chachaMatchesBouncyCastleAtEveryLength() {
        crossCheck(new ChaCha20Poly1305Aead(), 32,
                () -> new org.bouncycastle.crypto.modes.ChaCha20Poly1305());
    }

    @Test
    void aes128GcmMatchesBouncyCastleAtEveryLength() {
        crossCheck(new AesGcmAead(), 16, () -> GCMBlockCipher.newInstance(AESEngine.newInstance()));
    }

    @Test
    void aes256GcmMatchesBouncyCastleAtEveryLength() {
        crossCheck(new AesGcmAead(), 32, () -> GCMBlockCipher.newInstance(AESEngine.newInstance()));
    }

    @Test
    void compactAesGcmMatchesBouncyCastleAtEveryLength() {
        crossCheck(new AesGcmAead(true), 16, () -> GCMBlockCipher.newInstance(AESEngine.newInstance()));
        crossCheck(new AesGcmAead(true), 32, () -> GCMBlockCipher.newInstance(AESEngine.newInstance()));
    }

    @Test
    void jcaAeadsMatchBouncyCastle() throws Exception {
        // SunJCE refuses to re-initialise one Cipher with a key and nonce it has just used (even to decrypt),
        // so each open gets a fresh instance here; a TLS direction never repeats a nonce.
        jca = true;
        try {
            crossCheck(new JcaAead("AES/GCM/NoPadding", "AES"), 16, () -> GCMBlockCipher.newInstance(AESEngine.newInstance()));
            crossCheck(new JcaAead("AES/GCM/NoPadding", "AES"), 32, () -> GCMBlockCipher.newInstance(AESEngine.newInstance()));
            crossCheck(new JcaAead("ChaCha20-Poly1305", "ChaCha20"), 32,
                    () -> new org.bouncycastle.crypto.modes.ChaCha20Poly1305());
        } finally {
            jca = false;
        }
    }

    /** Records of 2^12 + 1 blocks and more carry inc32 and ChaCha20's block counter across byte boundaries. */
    @Test
    void longRecordsCrossCounterBoundaries() {
        crossCheck(new AesGcmAead(), 16, () -> GCMBlockCipher.newInstance(AESEngine.newInstance()), 65552, 70000);
        crossCheck(new ChaCha20Poly1305Aead(), 32, () -> new org.bouncycastle.crypto.modes.ChaCha20Poly1305(),
                16447, 70000);
    }

    private static boolean jca;

    private static RecordAead opener(RecordAead sealer, byte[] key) {
        if (!jca) {
            return sealer;
        }
        JcaAead source = (JcaAead) sealer;
        try {
            RecordAead fresh = source.freshInstance();
            fresh.setKey(key, 0, key.length);
            return fresh;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void crossCheck(RecordAead ours, int keyLength, java.util.function.Supplier<AEADCipher> theirs) {
        int[] lengths = new int[140];
        for (int i = 0; i < 130; i++) {
            lengths[i] = i;
        }
        int[] big = {255, 256, 257, 1000, 4095, 16383, 16384, 16385, 16401, 20000};
        System.arraycopy(big, 0, lengths, 130, big.length);
        crossCheck(ours, keyLength, theirs, lengths);
    }

    private static void crossCheck(RecordAead ours, int keyLength, java.util.function.Supplier<AEADCipher> theirs,
            int... lengths) {
        SplittableRandom random = new SplittableRandom(42);
        for (int len : lengths) {
            byte[] key = bytes(random, keyLength);
            byte[] nonce = bytes(random, 12);
            byte[] aad = bytes(random, random.nextInt(0, 20));
            byte[] plaintext = bytes(random, len);
            int off = random.nextInt(0, 7);
            byte[] buf = new byte[off + len + 16];
            System.arraycopy(plaintext, 0, buf, off, len);

            ours.setKey(key, 0, keyLength);
            ours.seal(nonce, aad, aad.length, buf, off, len);

            AEADCipher reference = theirs.get();
            reference.init(true, new AEADParameters(new KeyParameter(key), 128, nonce, aad));
            byte[] expected = new byte[len + 16];
            int n = reference.processBytes(plaintext, 0, len, expected, 0);
            try {
                reference.doFinal(expected, n);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            assertArrayEquals(expected, Arrays.copyOfRange(buf, off, off + len + 16), "sealed, length " + len);

            byte[] tampered = buf.clone();
            tampered[off + random.nextInt(0, len + 16)] ^= (byte) (1 << random.nextInt(0, 8));
            byte[] forged = tampered.clone();
            assertFalse(opener(ours, key).open(nonce, aad, aad.length, tampered, off, len),
                    "tampered record accepted, length " + len);
            if (!jca) {
                assertArrayEquals(forged, tampered, "a forged record is left undecrypted, length " + len);
            }

            assertTrue(opener(ours, key).open(nonce, aad, aad.length, buf, off, len), "open, length " + len);
            assertArrayEquals(plaintext, Arrays.copyOfRange(buf, off, off + len), "opened, length " + len);
        }
    }

    /**
     * Issue 10: a record re-keys nothing and allocates nothing, in either direction, once a key's GHASH tables are
     * built (BouncyCastle's {@code init} would take the ChaCha20 nonce and the Poly1305 key in new parameter objects).
     * Counted by the JVM for this thread; the first rounds load classes and build the tables.
     */
    @Test
    void sealingAndOpeningAllocateNothing() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        org.junit.jupiter.api.Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported()
                && threads.isThreadAllocatedMemoryEnabled(), "this JVM does not count allocated bytes per thread");
        int[] lengths = {0, 1, 63, 64, 65, 1000, 16384};
        byte[] aad = new byte[13];
        byte[] nonce = new byte[12];
        byte[] buf = new byte[16384 + 16];
        for (RecordAead[] pair : new RecordAead[][] {
            {new AesGcmAead(false), new AesGcmAead(false)},
            {new AesGcmAead(true), new AesGcmAead(true)},
            {new ChaCha20Poly1305Aead(), new ChaCha20Poly1305Aead()}}) {
            byte[] key = new byte[pair[0] instanceof ChaCha20Poly1305Aead ? 32 : 16];
            pair[0].setKey(key, 0, key.length);
            pair[1].setKey(key, 0, key.length);
            long allocated = -1;
            for (int round = 0; round < 3; round++) {
                long before = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < 70; i++) {
                    int len = lengths[i % lengths.length];
                    nonce[11] = (byte) i;
                    pair[0].seal(nonce, aad, aad.length, buf, 0, len);
                    if (!pair[1].open(nonce, aad, aad.length, buf, 0, len)) {
                        throw new AssertionError("open, length " + len);
                    }
                }
                allocated = threads.getCurrentThreadAllocatedBytes() - before;
            }
            assertEquals(0, allocated, pair[0].getClass().getSimpleName() + ": bytes allocated by 70 records");
        }
    }

    private static byte[] bytes(SplittableRandom random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
