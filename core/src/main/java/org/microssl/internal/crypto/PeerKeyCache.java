package org.microssl.internal.crypto;

import org.bouncycastle.crypto.params.AsymmetricKeyParameter;

/**
 * The last few peer public keys a crypto decoded, keyed by the exact SubjectPublicKeyInfo bytes, least recently
 * used dropped first. A device reconnecting to the same server sees the same key every time; BouncyCastle keeps
 * an EC point's multiplication tables on the point itself (WNAF, then after four uses a fixed-point comb), so the
 * same decoded key makes every CertificateVerify after the first cheaper. One crypto serves every connection of
 * an SSLContext, hence the lock.
 *
 * <p>Memory (JOL, LeanTlsCertificateTest): with one entry the cache holds about 0.7 KiB once a key is decoded;
 * a P-256 key's WNAF tables make that 3.9 KiB after its first verification, and the comb added at promotion
 * 8.3 KiB from the fifth; a P-384 key 7.9 and 14.4 KiB. Ed25519 and RSA keys carry no tables (under 1 KiB). Two
 * entries cover a device's server and a fallback: at worst two promoted P-384 keys, about 29 KiB per crypto
 * (two P-256 keys about 17 KiB).
 *
 * <p>A key decoded from given bytes is always the same key, so a hostile peer can evict entries but not poison
 * them; only keys that decoded successfully are ever added.
 */
final class PeerKeyCache {

    static final int CAPACITY = 2;

    /** Most recently used first; the first {@link #size} slots are filled. */
    private final byte[][] spkis = new byte[CAPACITY][];
    private final AsymmetricKeyParameter[] keys = new AsymmetricKeyParameter[CAPACITY];
    private int size;

    /** The key decoded earlier from {@code spki}, or null. */
    synchronized AsymmetricKeyParameter get(byte[] spki) {
        for (int i = 0; i < size; i++) {
            if (java.util.Arrays.equals(spkis[i], spki)) {
                moveToFront(i);
                return keys[0];
            }
        }
        return null;
    }

    /**
     * Remembers {@code key}, decoded from {@code spki} (kept, not copied: the caller's own encoding); returns the
     * key to use: an equal entry another connection added meanwhile wins, so both share its tables.
     */
    synchronized AsymmetricKeyParameter put(byte[] spki, AsymmetricKeyParameter key) {
        AsymmetricKeyParameter existing = get(spki);
        if (existing != null) return existing;
        int kept = Math.min(size, CAPACITY - 1);
        System.arraycopy(spkis, 0, spkis, 1, kept);
        System.arraycopy(keys, 0, keys, 1, kept);
        spkis[0] = spki;
        keys[0] = key;
        if (size < CAPACITY) size++; // else the least recently used entry was shifted out
        return key;
    }

    synchronized int size() {
        return size;
    }

    private void moveToFront(int i) {
        byte[] spki = spkis[i];
        AsymmetricKeyParameter key = keys[i];
        System.arraycopy(spkis, 0, spkis, 1, i);
        System.arraycopy(keys, 0, keys, 1, i);
        spkis[0] = spki;
        keys[0] = key;
    }
}
