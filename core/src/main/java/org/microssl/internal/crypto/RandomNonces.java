package org.microssl.internal.crypto;

import java.security.SecureRandom;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.prng.DigestRandomGenerator;
import org.bouncycastle.tls.crypto.TlsNonceGenerator;

/**
 * TLS randoms, session IDs, CBC IVs: public values that must be unpredictable (RFC 8446 section 4.1.2). One per
 * crypto (all its connections), seeded once from the crypto's SecureRandom (see FastBcTlsCrypto).
 */
final class RandomNonces implements TlsNonceGenerator {
    private final DigestRandomGenerator generator = new DigestRandomGenerator(new SHA256Digest());

    RandomNonces(SecureRandom seedSource) {
        byte[] seed = new byte[32];
        seedSource.nextBytes(seed);
        generator.addSeedMaterial(seed);
    }

    @Override
    public byte[] generateNonce(int size) {
        byte[] nonce = new byte[size];
        synchronized (generator) {
            generator.nextBytes(nonce);
        }
        return nonce;
    }
}
