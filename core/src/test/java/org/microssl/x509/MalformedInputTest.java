package org.microssl.x509;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Hostile bytes: every mutation of a valid chain either verifies (a byte the signature does not cover, such as
 * within the unsigned outer structure that still re-encodes identically) or is rejected with a
 * {@link CertificateRejectedException}; never another exception type.
 */
class MalformedInputTest {

    @Test
    void mutatedChainsAreRejectedCleanly() {
        PathValidator v = PathValidatorTest.validator(PathValidatorTest.NOW, PathValidatorTest.ROOT);
        byte[] leaf = PathValidatorTest.LEAF.der;
        byte[] intermediate = PathValidatorTest.INTERMEDIATE.der;
        // fixed seed: a failure is reproducible; -Dfuzz.seed / -Dfuzz.iterations explore further
        Mutations random = new Mutations(Long.getLong("fuzz.seed", 20301231L));
        int iterations = Integer.getInteger("fuzz.iterations", 1500);
        int rejected = 0;
        for (int i = 0; i < iterations; i++) {
            byte[] l = leaf.clone();
            byte[] m = intermediate.clone();
            byte[] target = random.nextBoolean() ? l : m;
            int edits = 1 + random.nextInt(3);
            for (int e = 0; e < edits; e++) {
                int pos = random.nextInt(target.length);
                switch (random.nextInt(3)) {
                    case 0: target[pos] ^= (byte) (1 << random.nextInt(8)); break;
                    case 1: target[pos] = (byte) random.nextInt(256); break;
                    default: target[pos] = (byte) (target[pos] + 1);
                }
            }
            byte[] lt = random.nextInt(10) == 0 ? Arrays.copyOf(l, random.nextInt(l.length)) : l;
            List<byte[]> chain = Arrays.asList(lt, m);
            try {
                v.verify(chain, Purpose.SERVER_AUTH, "server.test");
            } catch (CertificateRejectedException e) {
                assertNotNull(e.reason());
                rejected++;
            } catch (RuntimeException e) {
                throw new AssertionError("mutation " + i + " threw " + e, e);
            }
        }
        if (rejected < iterations * 0.95) fail("only " + rejected + " of " + iterations + " mutated chains were rejected");
    }

    /**
     * The mutation sequence: a fixed-seed xorshift64* generator, so a failure replays from its seed
     * (-Dfuzz.seed). Not a source of secrets; the project keeps java.util.Random out entirely.
     */
    private static final class Mutations {
        private long state;

        Mutations(long seed) {
            state = seed == 0 ? 0x9E3779B97F4A7C15L : seed;
        }

        int nextInt(int bound) {
            state ^= state >>> 12;
            state ^= state << 25;
            state ^= state >>> 27;
            long r = (state * 0x2545F4914F6CDD1DL) >>> 33;
            return (int) (r % bound);
        }

        boolean nextBoolean() {
            return nextInt(2) == 0;
        }
    }
}
