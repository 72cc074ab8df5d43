package org.microssl.embedded;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;

import org.microssl.spi.EntropySource;

/**
 * A device TRNG exposed as a byte stream (Linux {@code /dev/hwrng}, a vendor driver's stream) as an
 * {@link EntropySource}, with the continuous health tests of NIST SP 800-90B section 4.4 on every byte: a stuck or
 * biased source fails loudly instead of feeding the DRBG predictable seed material. A failure sticks: the source
 * must be reset (a new instance) after it, as SP 800-90B section 4.3 asks.
 *
 * <p>The tests assume at least 1 bit of min-entropy per byte (H = 1), the most conservative claim for a raw
 * hardware source, which fixes their cut-offs (SP 800-90B sections 4.4.1 and 4.4.2).
 */
public final class InputStreamEntropySource implements EntropySource {

    /** Repetition count test cut-off: C = 1 + ceil(20 / H) with false-positive rate 2^-20 (4.4.1). */
    static final int REPETITION_CUTOFF = 21;
    /** Adaptive proportion test: window W = 512 for non-binary samples, cut-off 410 for H = 1 (4.4.2, Table 2). */
    static final int PROPORTION_WINDOW = 512;
    static final int PROPORTION_CUTOFF = 410;

    private final InputStream in;
    private final String name;
    private IOException failure;
    private long delivered;

    private int lastByte = -1;
    private int repetitions;
    private int windowFirst = -1;
    private int windowCount;
    private int windowPosition;

    /** Opens a character device or file that yields random bytes, e.g. {@code /dev/hwrng}. */
    public static InputStreamEntropySource open(String path) throws IOException {
        return new InputStreamEntropySource(new FileInputStream(path), path);
    }

    /** @param name what the source is called in error messages (a device path) */
    public InputStreamEntropySource(InputStream in, String name) {
        if (in == null) {
            throw new IllegalArgumentException("InputStreamEntropySource needs a stream");
        }
        this.in = in;
        this.name = name == null ? "entropy stream" : name;
    }

    @Override
    public synchronized void getEntropy(byte[] out) throws IOException {
        if (failure != null) {
            throw new IOException(failure.getMessage(), failure);
        }
        try {
            int off = 0;
            while (off < out.length) {
                int n = in.read(out, off, out.length - off);
                if (n < 0) {
                    throw new IOException("entropy source " + name + " ended after " + (delivered + off)
                        + " bytes");
                }
                for (int i = off; i < off + n; i++) {
                    healthTest(out[i] & 0xff);
                }
                off += n;
            }
            delivered += out.length;
        } catch (IOException e) {
            java.util.Arrays.fill(out, (byte) 0);
            failure = e.getMessage() != null && e.getMessage().startsWith("entropy source") ? e
                : new IOException("entropy source " + name + " failed: " + e, e);
            throw failure;
        }
    }

    private void healthTest(int sample) throws IOException {
        // 4.4.1 Repetition count test: a run of identical samples that a source with H >= 1 would practically
        // never produce means it is stuck.
        if (sample == lastByte) {
            if (++repetitions >= REPETITION_CUTOFF) {
                throw new IOException("entropy source " + name + " failed the SP 800-90B repetition count test: "
                    + repetitions + " identical bytes 0x" + Integer.toHexString(sample));
            }
        } else {
            lastByte = sample;
            repetitions = 1;
        }
        // 4.4.2 Adaptive proportion test: the first sample of each window must not recur too often within it.
        if (windowPosition == 0) {
            windowFirst = sample;
            windowCount = 1;
        } else if (sample == windowFirst && ++windowCount >= PROPORTION_CUTOFF) {
            throw new IOException("entropy source " + name + " failed the SP 800-90B adaptive proportion test: "
                + "byte 0x" + Integer.toHexString(sample) + " " + windowCount + " times in " + PROPORTION_WINDOW);
        }
        windowPosition = (windowPosition + 1) % PROPORTION_WINDOW;
    }
}
