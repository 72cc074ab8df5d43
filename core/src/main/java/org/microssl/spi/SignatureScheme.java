package org.microssl.spi;

/**
 * The certificate signature algorithms the validator accepts. SHA-1 and MD5 schemes are absent on purpose: the
 * validator rejects them as {@code WEAK_ALGORITHM} before a backend is asked.
 */
public enum SignatureScheme {
    RSA_PKCS1_SHA256, RSA_PKCS1_SHA384, RSA_PKCS1_SHA512,
    RSA_PSS_SHA256, RSA_PSS_SHA384, RSA_PSS_SHA512,
    ECDSA_SHA256, ECDSA_SHA384, ECDSA_SHA512,
    ED25519
}
