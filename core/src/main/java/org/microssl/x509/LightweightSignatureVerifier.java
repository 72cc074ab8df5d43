package org.microssl.x509;

import org.microssl.spi.SignatureScheme;
import org.microssl.spi.SignatureVerifier;

/** PLACEHOLDER (engine branch only) until the validator's real class is merged. Verifies nothing: false. */
public final class LightweightSignatureVerifier implements SignatureVerifier {
    @Override
    public boolean verify(SignatureScheme scheme, byte[] subjectPublicKeyInfo, byte[] signedData, byte[] signature) {
        return false;
    }
}
