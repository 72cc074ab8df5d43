package org.microssl.fuzz;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;

import org.junit.jupiter.api.Test;
import org.microssl.SslException;
import org.microssl.SslException.Failure;
import org.microssl.x509.CertificateRejectedException;
import org.microssl.x509.Reason;

/** The fuzz targets' oracle itself: each rule fires, and what is allowed passes. */
class PeerInputChecksTest {
    static volatile byte[] sink;

    @Test
    void allowsWhatAPeerMayCause() {
        assertDoesNotThrow(() -> PeerInputChecks.check(1, () -> { }));
        assertDoesNotThrow(() -> PeerInputChecks.check(1, () -> {
            throw new SslException(Failure.PROTOCOL_ERROR, "sent alert decode_error(50): truncated ServerHello");
        }));
        assertDoesNotThrow(() -> PeerInputChecks.check(1, () -> {
            throw new IllegalArgumentException("invalid key: no key data");
        }));
        assertDoesNotThrow(() -> PeerInputChecks.check(1, () -> {
            throw new EOFException();
        }));
    }

    @Test
    void internalErrorIsAFinding() {
        AssertionError e = assertThrows(AssertionError.class, () -> PeerInputChecks.check(1, () -> {
            throw new SslException(Failure.INTERNAL_ERROR, "sent alert internal_error(80)");
        }));
        assertTrue(e.getMessage().contains("INTERNAL_ERROR"), e.getMessage());
    }

    @Test
    void nullMessagesAreFindings() {
        assertThrows(AssertionError.class, () -> PeerInputChecks.check(1, () -> {
            throw new SslException(Failure.PROTOCOL_ERROR, String.valueOf((Object) null));
        }));
        assertThrows(AssertionError.class, () -> PeerInputChecks.check(1, () -> {
            throw new CertificateRejectedException(Reason.MALFORMED, 0, null, null);
        }));
        assertThrows(AssertionError.class, () -> PeerInputChecks.check(1, () -> {
            throw new IllegalArgumentException();
        }));
        assertThrows(AssertionError.class, () -> PeerInputChecks.check(1, () -> {
            throw new SslException(Failure.PROTOCOL_ERROR, "extension 2.5.29.19 is not DER: null; sent alert bad_certificate(42)");
        }));
        assertThrows(AssertionError.class, () -> PeerInputChecks.check(1, () -> {
            throw new SslException(Failure.PROTOCOL_ERROR, "rejected", new CertificateRejectedException(Reason.MALFORMED, 0,
                    null, "null"));
        }));
        assertDoesNotThrow(() -> PeerInputChecks.check(1, () -> {
            throw new SslException(Failure.PROTOCOL_ERROR, "the peer's server_name is nullable.example: not allowed");
        }));
    }

    @Test
    void otherExceptionsEscapeUnchanged() {
        IllegalStateException thrown = new IllegalStateException("unexpected object");
        assertSame(thrown, assertThrows(IllegalStateException.class, () -> PeerInputChecks.check(1, () -> {
            throw thrown;
        })));
        assertThrows(OutOfMemoryError.class, () -> PeerInputChecks.check(1, () -> {
            throw new OutOfMemoryError("Java heap space");
        }));
    }

    @Test
    void allocatingMoreThanTheBudgetIsAFinding() {
        AssertionError e = assertThrows(AssertionError.class, () -> PeerInputChecks.check(3, () -> {
            sink = new byte[(int) PeerInputChecks.ALLOCATION_BUDGET + (1 << 20)];
            throw new IOException("ended");
        }));
        assertTrue(e.getMessage().contains("allocated"), e.getMessage());
        sink = null;
    }

    @Test
    void anInputThatDoesNotEndIsAFinding() {
        AssertionError e = assertThrows(AssertionError.class, () -> PeerInputChecks.check(1, () -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, 200));
        assertTrue(e.getMessage().contains("ran for more than 200 ms"), e.getMessage());
        // the next input gets a fresh thread
        assertDoesNotThrow(() -> PeerInputChecks.check(1, () -> { }));
    }
}
