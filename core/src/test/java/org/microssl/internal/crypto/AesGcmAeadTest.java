package org.microssl.internal.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.AEADCipher;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.openjdk.jol.info.GraphLayout;

/**
 * AES-GCM keys start with table-free GHASH and build the 4 KiB tables once they have hashed
 * {@link AesGcmAead#TABLE_THRESHOLD} bytes (never when compact); both are BouncyCastle's GHASH multipliers
 * (table-free and 4 KiB-table), so every record before, at and after the switch must match BouncyCastle's
 * {@link GCMBlockCipher} byte for byte.
 */
class AesGcmAeadTest {

    private static final int AAD_LENGTH = 13; // TLS 1.2's additional data (RFC 5246 section 6.2.3.3)
    /** What one direction of a compact (max_fragment_length) AES-GCM connection may keep. */
    private static final long COMPACT_LIMIT = 1280;

    static {
        // JOL sizes objects from field offsets alone; its agent and serviceability-agent attaches only add
        // seconds of failed attempts (self-attach is off by default since JDK 9)
        System.setProperty("jol.skipDynamicAttach", "true");
        System.setProperty("jol.skipHotspotSAAttach", "true");
    }

    static Stream<Arguments> keys() {
        return Stream.of(Arguments.of(16, false), Arguments.of(32, false), Arguments.of(16, true),
                Arguments.of(32, true));
    }

    /**
     * A record stream that runs table-free for a few short records, switches on a 100-byte record (7 GHASH
     * blocks of ciphertext), continues on the tables with records up to a full TLS record, then re-keys (as
     * KeyUpdate does) and goes through the switch again under the new key.
     */
    @ParameterizedTest(name = "AES-{0} compact={1}")
    @MethodSource("keys")
    void everyRecordMatchesBouncyCastleAcrossTheSwitch(int keyLength, boolean compact) {
        SplittableRandom random = new SplittableRandom(keyLength * 2 + (compact ? 1 : 0));
        int[] lengths = new int[48];
        int[] head = {0, 1, 15, 16, 17, 100, 100, 100, 3};
        System.arraycopy(head, 0, lengths, 0, head.length);
        for (int i = head.length; i < 40; i++) {
            lengths[i] = random.nextInt(0, 2000);
        }
        int[] tail = {16383, 16384, 16385, 16401, 255, 256, 257, 31};
        System.arraycopy(tail, 0, lengths, 40, tail.length);

        AesGcmAead sealer = new AesGcmAead(compact), opener = new AesGcmAead(compact);
        for (int rekey = 0; rekey < 2; rekey++) {
            byte[] key = bytes(random, keyLength);
            sealer.setKey(key, 0, keyLength);
            opener.setKey(key, 0, keyLength);
            assertFalse(sealer.hasTables() || opener.hasTables(), "a new key starts table-free");
            long hashed = 0;
            int firstWithTables = -1;
            for (int i = 0; i < lengths.length; i++) {
                int len = lengths[i];
                String what = "key " + rekey + " record " + i + " (" + len + " bytes)";
                byte[] nonce = bytes(random, 12);
                byte[] aad = bytes(random, AAD_LENGTH);
                byte[] plaintext = bytes(random, len);
                byte[] expected = bouncyCastleSeal(key, nonce, aad, plaintext);

                int off = random.nextInt(0, 7);
                byte[] buf = new byte[off + len + 16];
                System.arraycopy(plaintext, 0, buf, off, len);
                sealer.seal(nonce, aad, AAD_LENGTH, buf, off, len);
                assertArrayEquals(expected, Arrays.copyOfRange(buf, off, off + len + 16), "sealed, " + what);

                byte[] received = new byte[off + len + 16];
                System.arraycopy(expected, 0, received, off, len + 16);
                assertTrue(opener.open(nonce, aad, AAD_LENGTH, received, off, len), "opened, " + what);
                assertArrayEquals(plaintext, Arrays.copyOfRange(received, off, off + len), "plaintext, " + what);

                // GHASH input: padded AAD, padded ciphertext, the length block (SP 800-38D section 7.1 step 5)
                hashed += 16 * ((AAD_LENGTH + 15) / 16) + 16 * ((len + 15) / 16) + 16;
                boolean tables = !compact && hashed >= AesGcmAead.TABLE_THRESHOLD;
                assertEquals(tables, sealer.hasTables(), "sealer tables after " + what);
                assertEquals(tables, opener.hasTables(), "opener tables after " + what);
                if (tables && firstWithTables < 0) {
                    firstWithTables = i;
                }
            }
            if (!compact) {
                assertTrue(firstWithTables > 0 && lengths[firstWithTables] > 16 * 4,
                        "the stream runs table-free first and switches on a multi-block record, at " + firstWithTables);
            }
        }
    }

    /** The tag check holds on both sides of the switch, and a forged record is left as it came (no plaintext). */
    @Test
    void tamperedRecordsAreRejectedBeforeAndAfterTheSwitch() {
        SplittableRandom random = new SplittableRandom(5);
        byte[] key = bytes(random, 16);
        AesGcmAead sealer = new AesGcmAead(), opener = new AesGcmAead();
        sealer.setKey(key, 0, 16);
        opener.setKey(key, 0, 16);
        for (int i = 0; i < 12; i++) {
            byte[] nonce = bytes(random, 12), aad = bytes(random, 5), plaintext = bytes(random, 90);
            byte[] buf = Arrays.copyOf(plaintext, 90 + 16);
            sealer.seal(nonce, aad, 5, buf, 0, 90);
            byte[] forged = buf.clone();
            forged[random.nextInt(0, forged.length)] ^= 0x40;
            byte[] received = forged.clone();
            boolean tablesBefore = opener.hasTables();
            assertFalse(opener.open(nonce, aad, 5, received, 0, 90), "forged record " + i + " accepted");
            assertArrayEquals(forged, received, "forged record " + i + " was decrypted");
            assertTrue(opener.open(nonce, aad, 5, buf, 0, 90), "record " + i + " rejected, tables " + tablesBefore);
            assertArrayEquals(plaintext, Arrays.copyOf(buf, 90));
        }
        assertTrue(opener.hasTables(), "24 records of 90 bytes pass the threshold");
    }

    /**
     * Trimming an idle direction gives the tables back; the next large record takes a set (possibly another key's,
     * from the pool) and rebuilds it from H, a short one hashes without, and every record still matches a sealer
     * that was never trimmed.
     */
    @Test
    void trimmedTablesComeBackRebuiltForThisKey() {
        SplittableRandom random = new SplittableRandom(11);
        byte[] key = bytes(random, 16), otherKey = bytes(random, 16);
        AesGcmAead kept = new AesGcmAead(), trimmed = new AesGcmAead(), opener = new AesGcmAead();
        AesGcmAead other = new AesGcmAead(); // a second connection sharing the pool
        kept.setKey(key, 0, 16);
        trimmed.setKey(key, 0, 16);
        opener.setKey(key, 0, 16);
        other.setKey(otherKey, 0, 16);
        for (int i = 0; i < 20; i++) {
            int len = i % 2 == 0 ? 600 : 100;
            byte[] nonce = bytes(random, 12), aad = bytes(random, 5), plaintext = bytes(random, len);
            byte[] a = Arrays.copyOf(plaintext, len + 16), b = a.clone();
            kept.seal(nonce, aad, 5, a, 0, len);
            trimmed.seal(nonce, aad, 5, b, 0, len);
            assertArrayEquals(a, b, "record " + i);
            assertTrue(opener.open(nonce, aad, 5, b, 0, len), "record " + i);
            assertArrayEquals(plaintext, Arrays.copyOf(b, len));
            assertEquals(i == 0 || len >= AesGcmAead.RETAKE_LENGTH, trimmed.hasTables(), "tables after record " + i);
            trimmed.trim();
            opener.trim();
            assertFalse(trimmed.hasTables(), "trimmed after record " + i);
            byte[] c = Arrays.copyOf(plaintext, len + 16);
            other.seal(nonce, aad, 5, c, 0, len); // takes, and after a trim returns, tables built for another H
            other.trim();
        }
    }

    /**
     * An idle key that has carried a few small messages (an IoT sensor's posts) retains no tables: its whole
     * object graph stays small, grows by the 4 KiB tables once the threshold is passed, and shrinks back on a new
     * key (TLS 1.3 KeyUpdate). A compact key never grows.
     */
    @Test
    void aKeyBelowTheThresholdRetainsNoTables() {
        SplittableRandom random = new SplittableRandom(9);
        AesGcmAead aead = new AesGcmAead();
        aead.setKey(bytes(random, 16), 0, 16);
        byte[] buf = new byte[1000 + 16];
        aead.seal(new byte[12], new byte[5], 5, buf, 0, 100); // 144 bytes of GHASH input each
        aead.seal(new byte[12], new byte[5], 5, buf, 0, 100);
        assertFalse(aead.hasTables());
        long small = GraphLayout.parseInstance(aead).totalSize();
        // BouncyCastle's AESEngine: round keys and its own copy of the S-box; GHASH state: 16 bytes
        assertTrue(small < COMPACT_LIMIT, "table-free key retains " + small + " bytes");

        aead.seal(new byte[12], new byte[5], 5, buf, 0, 1000);
        assertTrue(aead.hasTables());
        long big = GraphLayout.parseInstance(aead).totalSize();
        assertTrue(big - small >= 4096, "tables add " + (big - small) + " bytes");

        aead.setKey(bytes(random, 16), 0, 16);
        assertFalse(aead.hasTables(), "a new key drops the old key's tables");
        assertEquals(small, GraphLayout.parseInstance(aead).totalSize());

        AesGcmAead compact = new AesGcmAead(true);
        compact.setKey(bytes(random, 32), 0, 32);
        compact.seal(new byte[12], new byte[5], 5, buf, 0, 1000);
        compact.seal(new byte[12], new byte[5], 5, buf, 0, 1000);
        assertFalse(compact.hasTables(), "compact keys never build tables");
        long compactSize = GraphLayout.parseInstance(compact).totalSize();
        assertTrue(compactSize < COMPACT_LIMIT, "AES-256 compact key retains " + compactSize + " bytes");
    }

    private static byte[] bouncyCastleSeal(byte[] key, byte[] nonce, byte[] aad, byte[] plaintext) {
        AEADCipher gcm = GCMBlockCipher.newInstance(AESEngine.newInstance());
        gcm.init(true, new AEADParameters(new KeyParameter(key), 128, nonce, aad));
        byte[] out = new byte[plaintext.length + 16];
        int n = gcm.processBytes(plaintext, 0, plaintext.length, out, 0);
        try {
            gcm.doFinal(out, n);
        } catch (InvalidCipherTextException e) {
            throw new AssertionError(e);
        }
        return out;
    }

    private static byte[] bytes(SplittableRandom random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
