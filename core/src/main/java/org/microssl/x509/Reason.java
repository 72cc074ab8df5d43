package org.microssl.x509;

/**
 * Why a certificate chain was rejected. The TLS alert each reason sends to the peer is mapped in one table in
 * the engine ({@code org.microssl.internal.Alerts}), so the validator itself knows nothing of TLS.
 */
public enum Reason {
    /** The clock is past a certificate's notAfter. */
    EXPIRED,
    /** The clock is before a certificate's notBefore. */
    NOT_YET_VALID,
    /** The clock hook answered that it was never set; set the RTC (or run SNTP) before verifying. */
    CLOCK_NOT_SET,
    /** No path from the peer's certificate to a trust anchor (missing intermediate, unknown CA). */
    UNKNOWN_ISSUER,
    /** A signature in the path does not verify. */
    BAD_SIGNATURE,
    /** An issuing certificate is not a CA (basicConstraints absent or cA false). */
    NOT_A_CA,
    /** The path is longer than a pathLenConstraint or the validator's maximum depth allows. */
    PATH_TOO_LONG,
    /** A name in the path is outside a CA's permitted subtrees or inside its excluded ones. */
    NAME_CONSTRAINT_VIOLATION,
    /** keyUsage forbids the use (keyCertSign on a CA, digitalSignature on a leaf). */
    BAD_KEY_USAGE,
    /** extendedKeyUsage does not allow serverAuth / clientAuth as required. */
    BAD_EXTENDED_KEY_USAGE,
    /** The peer's certificate does not name the host that was asked for. */
    HOSTNAME_MISMATCH,
    /** A critical extension the validator does not process. */
    UNSUPPORTED_CRITICAL_EXTENSION,
    /** SHA-1 or MD5 signature, RSA key under 2048 bits, or an algorithm outside the accepted set. */
    WEAK_ALGORITHM,
    /** An encoding that does not follow DER / RFC 5280. */
    MALFORMED,
    /** Path building ran out of its budget of steps or signature checks. */
    BUDGET_EXCEEDED,
    /** A certificate in the path is listed on a revocation list the application supplied. */
    REVOKED,
    /** The peer sent no certificate where one is required. */
    NO_CERTIFICATE
}
