package org.microssl.spi;

import java.security.SecureRandom;

import org.bouncycastle.tls.crypto.TlsCrypto;

/**
 * The cryptography under one {@code SSLContext}: the record layer and handshake primitives (a BouncyCastle
 * {@link TlsCrypto}) and the certificate signature checks of the validator. Core ships two, pure Java (the default)
 * and JCA ({@code org.microssl.Backends}); a device port may add a hardware one.
 */
public interface CryptoBackend {

    /**
     * @param random microssl's DRBG (NIST SP 800-90A, seeded from the context's entropy source); the backend must
     *     draw every random byte from it, so that a failing entropy source fails the handshake
     */
    TlsCrypto createTlsCrypto(SecureRandom random);

    /** Verifies certificate signatures for the validator. */
    SignatureVerifier signatureVerifier();

    /** A short name for logs and benchmark tables, e.g. "lightweight" or "jca". */
    String name();
}
