package org.microssl.x509;

import java.util.List;

import org.microssl.spi.Clock;
import org.microssl.spi.SignatureVerifier;

/**
 * PLACEHOLDER (engine branch only) with the contract's exact signature, so the engine compiles until the
 * validator engineer's real class arrives with {@code git merge main}. It fails closed: it accepts nothing.
 */
public final class PathValidator {

    public PathValidator(List<byte[]> trustAnchorsDer, SignatureVerifier verifier, Clock clock) {
        if (trustAnchorsDer == null || verifier == null || clock == null) throw new IllegalArgumentException("null");
    }

    public List<byte[]> verify(List<byte[]> peerChainDer, Purpose purpose, String expectedName)
            throws CertificateRejectedException {
        throw new CertificateRejectedException(Reason.UNKNOWN_ISSUER, -1, null,
                "placeholder validator: the real PathValidator is not merged yet");
    }
}
