package org.microssl.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.prng.EntropySourceProvider;
import org.bouncycastle.crypto.prng.SP800SecureRandomBuilder;
import org.microssl.spi.EntropySource;

/**
 * The one random number generator of an SSLContext: HMAC_DRBG with SHA-256 (NIST SP 800-90A Rev. 1 section
 * 10.1.2), seeded and reseeded from the context's {@link EntropySource}. Every random byte microssl or
 * BouncyCastle uses comes from it.
 */
public final class Drbg {

    /** 256 bits: SHA-256 HMAC_DRBG's maximum security strength (SP 800-57 part 1, table 3). */
    private static final int SECURITY_STRENGTH_BITS = 256;

    /** Thrown through BouncyCastle's unchecked DRBG interfaces when the entropy source fails. */
    public static final class EntropyFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        EntropyFailure(IOException cause) {
            super("entropy source failed: " + cause.getMessage(), cause);
        }
    }

    private Drbg() {}

    /**
     * @throws EntropyFailure if the source fails while drawing the nonce; later failures (instantiation at
     *     first use, reseeding) surface the same way from {@link SecureRandom#nextBytes}
     */
    public static SecureRandom create(final EntropySource source) {
        EntropySourceProvider provider = new EntropySourceProvider() {
            @Override
            public org.bouncycastle.crypto.prng.EntropySource get(final int bitsRequired) {
                return new org.bouncycastle.crypto.prng.EntropySource() {
                    @Override
                    public boolean isPredictionResistant() {
                        return true; // a TRNG: every call returns fresh entropy
                    }

                    @Override
                    public byte[] getEntropy() {
                        return draw(source, (bitsRequired + 7) / 8);
                    }

                    @Override
                    public int entropySize() {
                        return bitsRequired;
                    }
                };
            }
        };
        // SP 800-90A section 8.6.7: the nonce needs half the security strength of entropy (128 bits).
        byte[] nonce = draw(source, SECURITY_STRENGTH_BITS / 16);
        return new SP800SecureRandomBuilder(provider)
                .setPersonalizationString("microssl HMAC_DRBG".getBytes(StandardCharsets.US_ASCII))
                .setSecurityStrength(SECURITY_STRENGTH_BITS)
                .setEntropyBitsRequired(SECURITY_STRENGTH_BITS)
                .buildHMAC(new HMac(new SHA256Digest()), nonce, false);
    }

    /** The default entropy source: the platform's {@link SecureRandom} (desktop JVMs: the OS generator). */
    public static EntropySource platformEntropy() {
        final SecureRandom platform = new SecureRandom();
        return new EntropySource() {
            @Override
            public void getEntropy(byte[] out) {
                platform.nextBytes(out);
            }

            @Override
            public String toString() {
                return "platform SecureRandom";
            }
        };
    }

    private static byte[] draw(EntropySource source, int length) {
        byte[] out = new byte[length];
        try {
            source.getEntropy(out);
        } catch (IOException e) {
            throw new EntropyFailure(e);
        } catch (RuntimeException e) {
            throw new EntropyFailure(new IOException(e.toString(), e));
        }
        return out;
    }
}
