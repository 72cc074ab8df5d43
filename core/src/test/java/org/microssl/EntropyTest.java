package org.microssl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.microssl.Fixtures.Backend;
import org.microssl.SslException.Failure;
import org.microssl.spi.EntropySource;
import org.microssl.testing.MemoryTransport;
import org.microssl.testing.TestPki;
import org.microssl.testing.TlsPair;

/** The entropy hook feeds the DRBG; a failing source fails the handshake, loudly, before anything is sent. */
class EntropyTest {
    private static final TestPki.Chain CHAIN = TestPki.chain(TestPki.KeyType.EC_P256);

    @Test
    void entropySourceSeedsTheDrbg() throws Exception {
        AtomicInteger bytesDrawn = new AtomicInteger();
        java.security.SecureRandom trng = new java.security.SecureRandom();
        SSLContext client = Fixtures.client(CHAIN.root, Backend.LIGHTWEIGHT);
        client.setEntropySource(out -> {
            bytesDrawn.addAndGet(out.length);
            trng.nextBytes(out);
        });
        TlsPair.connect(client, "localhost", Fixtures.server(CHAIN, Backend.LIGHTWEIGHT));
        // Nonce (16 bytes) + instantiation entropy (32 bytes, SP 800-90A at 256-bit strength).
        assertTrue(bytesDrawn.get() >= 48, "drawn: " + bytesDrawn.get());
    }

    @Test
    void failingEntropySourceFailsTheHandshake() throws Exception {
        SSLContext client = Fixtures.client(CHAIN.root, Backend.LIGHTWEIGHT);
        client.setEntropySource(out -> {
            throw new IOException("TRNG health test failed");
        });
        MemoryTransport[] t = MemoryTransport.blockingPair();
        SslException e = org.junit.jupiter.api.Assertions.assertThrows(SslException.class,
                () -> client.wrapSocket(t[0], false, true, "localhost"));
        assertEquals(Failure.ENTROPY_FAILURE, e.failure());
        assertTrue(e.getMessage().contains("TRNG health test failed"), e.getMessage());
        assertEquals(0, t[1].pendingInput(), "no ClientHello was sent");
    }

    @Test
    void entropyFailingAfterTheNonceStillFailsTheHandshake() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        java.security.SecureRandom trng = new java.security.SecureRandom();
        EntropySource failsSecond = out -> {
            if (calls.incrementAndGet() > 1) throw new IOException("TRNG stuck at zero");
            trng.nextBytes(out);
        };
        SSLContext server = Fixtures.server(CHAIN, Backend.LIGHTWEIGHT);
        server.setEntropySource(failsSecond);
        TlsPair p = TlsPair.attempt(Fixtures.client(CHAIN.root, Backend.LIGHTWEIGHT), "localhost", server);
        SslException e = assertInstanceOf(SslException.class, p.serverError);
        assertEquals(Failure.ENTROPY_FAILURE, e.failure());
        assertTrue(e.getMessage().contains("TRNG stuck at zero"), e.getMessage());
        assertInstanceOf(SslException.class, p.clientError);
    }
}
