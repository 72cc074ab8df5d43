package org.microssl.spi;

/**
 * Verifies one certificate signature. Each crypto backend implements it (pure-Java lightweight in core, JCA on
 * desktop, a hardware engine on a device), so the validator never holds algorithm code of its own.
 */
public interface SignatureVerifier {

    /**
     * @param scheme the algorithm, already checked by the validator (RSA-PSS uses MGF1 with the same hash and a
     *     salt as long as the hash, as RFC 8017 and the web PKI require)
     * @param subjectPublicKeyInfo the signer's key, DER
     * @param signedData the exact bytes that were signed (a TBSCertificate)
     * @param signature the signature value (for ECDSA the DER {@code Ecdsa-Sig-Value})
     * @return whether the signature is valid; false (not an exception) for a well-formed but wrong signature
     * @throws IllegalArgumentException if the key cannot be used with the scheme (wrong type, malformed)
     */
    boolean verify(SignatureScheme scheme, byte[] subjectPublicKeyInfo, byte[] signedData, byte[] signature);
}
