package org.microssl.embedded;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.SecureRandom;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class InputStreamEntropySourceTest {

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }

    @Test
    void healthySourcePassesThrough() throws IOException {
        byte[] data = random(4096);
        InputStreamEntropySource s = new InputStreamEntropySource(new ByteArrayInputStream(data), "test");
        byte[] out = new byte[4096];
        s.getEntropy(out);
        assertArrayEquals(data, out);
    }

    @Test
    void devUrandomAsAStandInForHwrng() throws IOException {
        Assumptions.assumeTrue(Files.isReadable(Paths.get("/dev/urandom")), "no /dev/urandom on this machine");
        InputStreamEntropySource s = InputStreamEntropySource.open("/dev/urandom");
        byte[] a = new byte[48];
        byte[] b = new byte[48];
        s.getEntropy(a);
        s.getEntropy(b);
        assertTrue(!java.util.Arrays.equals(a, b));
    }

    @Test
    void stuckSourceFailsTheRepetitionCountTestAndStaysFailed() throws IOException {
        byte[] data = random(64);
        java.util.Arrays.fill(data, 10, 10 + InputStreamEntropySource.REPETITION_CUTOFF, (byte) 0);
        InputStreamEntropySource s = new InputStreamEntropySource(new ByteArrayInputStream(data), "/dev/hwrng");
        byte[] out = new byte[64];
        IOException e = assertThrows(IOException.class, () -> s.getEntropy(out));
        assertEquals("entropy source /dev/hwrng failed the SP 800-90B repetition count test: 21 identical bytes 0x0",
            e.getMessage());
        assertArrayEquals(new byte[64], out, "no partial output after a failure");
        IOException again = assertThrows(IOException.class, () -> s.getEntropy(new byte[1]));
        assertEquals(e.getMessage(), again.getMessage(), "the failure sticks");
    }

    @Test
    void twentyRepeatsAreStillAcceptable() throws IOException {
        byte[] data = random(64);
        java.util.Arrays.fill(data, 10, 10 + InputStreamEntropySource.REPETITION_CUTOFF - 1, (byte) 0x5a);
        data[9] = 1;
        data[30] = 2;
        new InputStreamEntropySource(new ByteArrayInputStream(data), "t").getEntropy(new byte[64]);
    }

    @Test
    void biasedSourceFailsTheAdaptiveProportionTest() {
        byte[] biased = new byte[1024];
        for (int i = 0; i < biased.length; i++) {
            biased[i] = (i % 6 == 5) ? (byte) (i % 250 + 1) : 0;
        }
        // 0x00 in 5 of every 6 bytes, never 21 in a row: only the proportion test can catch it.
        InputStreamEntropySource s = new InputStreamEntropySource(new ByteArrayInputStream(biased), "t");
        IOException e = assertThrows(IOException.class, () -> s.getEntropy(new byte[1024]));
        assertTrue(e.getMessage().contains("adaptive proportion test: byte 0x0 410 times in 512"), e.getMessage());
    }

    @Test
    void endOfStreamFailsLoudly() {
        InputStreamEntropySource s = new InputStreamEntropySource(new ByteArrayInputStream(random(10)), "/dev/hwrng");
        IOException e = assertThrows(IOException.class, () -> s.getEntropy(new byte[32]));
        assertEquals("entropy source /dev/hwrng ended after 10 bytes", e.getMessage());
    }

    @Test
    void driverErrorFailsLoudlyWithItsCause() {
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("EIO");
            }
        };
        InputStreamEntropySource s = new InputStreamEntropySource(broken, "/dev/hwrng");
        IOException e = assertThrows(IOException.class, () -> s.getEntropy(new byte[32]));
        assertEquals("entropy source /dev/hwrng failed: java.io.IOException: EIO", e.getMessage());
        assertEquals("EIO", e.getCause().getMessage());
    }
}
