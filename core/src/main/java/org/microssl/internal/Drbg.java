package org.microssl.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.SecureRandomSpi;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.prng.drbg.HMacSP800DRBG;
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
        final org.bouncycastle.crypto.prng.EntropySource seeds = new org.bouncycastle.crypto.prng.EntropySource() {
            @Override
            public boolean isPredictionResistant() {
                return true; // a TRNG: every call returns fresh entropy
            }

            @Override
            public byte[] getEntropy() {
                return draw(source, SECURITY_STRENGTH_BITS / 8);
            }

            @Override
            public int entropySize() {
                return SECURITY_STRENGTH_BITS;
            }
        };
        // SP 800-90A section 8.6.7: the nonce needs half the security strength of entropy (128 bits).
        byte[] nonce = draw(source, SECURITY_STRENGTH_BITS / 16);
        HMacSP800DRBG drbg = new HMacSP800DRBG(new HMac(new SHA256Digest()), SECURITY_STRENGTH_BITS, seeds,
                "microssl HMAC_DRBG".getBytes(StandardCharsets.US_ASCII), nonce);
        return new DrbgRandom(new DrbgSpi(drbg, source));
    }

    /**
     * Built with {@code SecureRandom(SecureRandomSpi, Provider)}: BouncyCastle's {@code SP800SecureRandom} calls
     * {@code SecureRandom()}, which initialises the JCA provider list and the platform PRNG it never uses; on a
     * device JVM those ~45 classes cost Metaspace.
     */
    private static final class DrbgRandom extends SecureRandom {
        private static final long serialVersionUID = 1L;

        DrbgRandom(DrbgSpi spi) {
            super(spi, null);
        }

        @Override
        public String getAlgorithm() {
            return "HMAC_DRBG-SHA256";
        }
    }

    private static final class DrbgSpi extends SecureRandomSpi {
        private static final long serialVersionUID = 1L;
        private final transient HMacSP800DRBG drbg;
        private final transient EntropySource source;

        DrbgSpi(HMacSP800DRBG drbg, EntropySource source) {
            this.drbg = drbg;
            this.source = source;
        }

        @Override
        protected synchronized void engineNextBytes(byte[] bytes) {
            // SP 800-90A section 9.3.1: a generate call that hits the reseed interval reseeds and retries.
            if (drbg.generate(bytes, null, false) < 0) {
                drbg.reseed(null);
                drbg.generate(bytes, null, false);
            }
        }

        @Override
        protected synchronized void engineSetSeed(byte[] seed) {
            // Caller-supplied seed material is additional input to a reseed (SP 800-90A section 9.2), never a
            // replacement for the entropy source.
            drbg.reseed(seed);
        }

        @Override
        protected byte[] engineGenerateSeed(int numBytes) {
            return draw(source, numBytes);
        }
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
