package org.microssl.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

import org.junit.jupiter.api.Test;
import org.microssl.SSLContext;
import org.microssl.SslException;
import org.microssl.Ssl;
import org.microssl.testing.MemoryTransport;

/** The TRNG adapter wired into SSLContext.setEntropySource: a failing device source fails the connection loudly. */
class EntropyWiringTest {

    private static SslException wrapWith(InputStream trng) {
        SSLContext ctx = new SSLContext(Ssl.PROTOCOL_TLS_CLIENT);
        ctx.setVerifyMode(Ssl.CERT_NONE);
        ctx.setEntropySource(new InputStreamEntropySource(trng, "/dev/hwrng"));
        MemoryTransport[] pair = MemoryTransport.nonBlockingPair(Integer.MAX_VALUE, false);
        return assertThrows(SslException.class, () -> ctx.wrapSocket(pair[0], false, false, null));
    }

    @Test
    void stuckTrngFailsBeforeAnyKeyIsMade() {
        SslException e = wrapWith(new ByteArrayInputStream(new byte[4096]));
        assertEquals(SslException.Failure.ENTROPY_FAILURE, e.failure());
        assertTrue(e.getMessage().contains("/dev/hwrng failed the SP 800-90B repetition count test"), e.getMessage());
    }

    @Test
    void deadTrngFailsWithTheDriversError() {
        SslException e = wrapWith(new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("hwrng: device timed out");
            }
        });
        assertEquals(SslException.Failure.ENTROPY_FAILURE, e.failure());
        assertTrue(e.getMessage().contains("hwrng: device timed out"), e.getMessage());
    }

    @Test
    void exhaustedTrngFails() {
        SslException e = wrapWith(new ByteArrayInputStream(new byte[] {1, 2, 3}));
        assertEquals(SslException.Failure.ENTROPY_FAILURE, e.failure());
        assertTrue(e.getMessage().contains("entropy source /dev/hwrng ended after"), e.getMessage());
    }
}
