package org.microssl.x509;

/**
 * The public keys microssl accepts, in a peer's certificates (the validator) and for its own signing
 * ({@code org.microssl.internal.Keys}, which takes the two ECDSA curves TLS signing needs). Public only for
 * {@code org.microssl.internal}; not API.
 */
public enum KeyType {
    EC_P256, EC_P384, EC_P521, RSA, ED25519;

    /**
     * The smallest RSA modulus accepted, in bits: CA/B Forum Baseline Requirements section 6.1.5 for certificates,
     * NIST SP 800-57 part 1 rev. 5 table 2 (112-bit security) for our own keys.
     */
    public static final int MIN_RSA_BITS = 2048;

    /** Whether this is an ECDSA key, whatever the curve. */
    public boolean isEc() {
        return this == EC_P256 || this == EC_P384 || this == EC_P521;
    }

    /** The algorithm without its curve ("RSA", "EC", "ED25519"), for messages. */
    String algorithm() {
        return isEc() ? "EC" : name();
    }
}
