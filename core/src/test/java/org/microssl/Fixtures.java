package org.microssl;

import java.nio.charset.StandardCharsets;

import org.microssl.spi.CryptoBackend;
import org.microssl.testing.TestPki;

/** Contexts built from TestPki chains, shared by the engine's tests. */
final class Fixtures {
    private Fixtures() {}

    enum Backend {
        LIGHTWEIGHT, JCA;

        CryptoBackend create() {
            return this == LIGHTWEIGHT ? Backends.lightweight() : Backends.jca();
        }
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A server context presenting {@code chain} (leaf + intermediate). */
    static SSLContext server(TestPki.Chain chain, Backend backend) {
        SSLContext ctx = new SSLContext(Ssl.PROTOCOL_TLS_SERVER);
        ctx.setCryptoBackend(backend.create());
        ctx.loadCertChain(ascii(chain.chainPem()), chain.leaf.keyPkcs8());
        return ctx;
    }

    /** A verifying client context trusting {@code root}. */
    static SSLContext client(TestPki.Issued root, Backend backend) {
        SSLContext ctx = new SSLContext(Ssl.PROTOCOL_TLS_CLIENT);
        ctx.setCryptoBackend(backend.create());
        ctx.loadVerifyLocations(null, root.der);
        return ctx;
    }

    /**
     * A certificate rejection as every TLS failure reports it: an {@link SslException} with
     * {@code CERTIFICATE_REJECTED}, the alert that was sent, and the validator's exception behind it.
     */
    static org.microssl.x509.CertificateRejectedException rejection(Throwable error) {
        SslException e = org.junit.jupiter.api.Assertions.assertInstanceOf(SslException.class, error,
                String.valueOf(error));
        org.junit.jupiter.api.Assertions.assertEquals(SslException.Failure.CERTIFICATE_REJECTED, e.failure(),
                e.getMessage());
        org.junit.jupiter.api.Assertions.assertTrue(e.alert() >= 0, "no alert recorded: " + e.getMessage());
        org.junit.jupiter.api.Assertions.assertEquals(e.rejection().reason(), e.reason());
        return e.rejection();
    }
}
