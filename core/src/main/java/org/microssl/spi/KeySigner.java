package org.microssl.spi;

import java.io.IOException;

/**
 * Signs with a private key that microssl never sees: a secure element (ATECC608), a TPM, an HSM. Give it to
 * {@code SSLContext.loadCertChain(cert, signer)}; microssl asks it to sign the TLS 1.3 CertificateVerify and the
 * TLS 1.2 ServerKeyExchange / CertificateVerify.
 *
 * <p>Schemes are TLS SignatureScheme code points (RFC 8446 section 4.2.3), constants below. What {@link #sign}
 * receives depends on the scheme:
 * <ul>
 *   <li>ECDSA ({@code 0x0403, 0x0503, 0x0603}) and RSA ({@code 0x0401..0x0601} PKCS#1 v1.5,
 *       {@code 0x0804..0x0806} PSS): the <em>digest</em> of the message, already computed by microssl with the
 *       scheme's hash, as an ATECC608 or a TPM2 {@code Sign} command expects. For PKCS#1 v1.5 the signer does the
 *       DigestInfo encoding (RFC 8017 section 9.2); for PSS it uses MGF1 with the same hash and a salt as long as
 *       the hash (RFC 8446 section 4.2.3).</li>
 *   <li>Ed25519 ({@code 0x0807}): the whole <em>message</em> (PureEdDSA hashes it itself, RFC 8032).</li>
 * </ul>
 */
public interface KeySigner {

    int RSA_PKCS1_SHA256 = 0x0401;
    int RSA_PKCS1_SHA384 = 0x0501;
    int RSA_PKCS1_SHA512 = 0x0601;
    int ECDSA_SECP256R1_SHA256 = 0x0403;
    int ECDSA_SECP384R1_SHA384 = 0x0503;
    int ECDSA_SECP521R1_SHA512 = 0x0603;
    int RSA_PSS_RSAE_SHA256 = 0x0804;
    int RSA_PSS_RSAE_SHA384 = 0x0805;
    int RSA_PSS_RSAE_SHA512 = 0x0806;
    int ED25519 = 0x0807;

    /**
     * The schemes this key can sign with, most preferred first. microssl picks the first one the peer accepts;
     * it must fit the public key of the certificate given alongside (an ECDSA P-256 key answers
     * {@code {ECDSA_SECP256R1_SHA256}}).
     */
    int[] supportedSchemes();

    /**
     * @param scheme one of {@link #supportedSchemes()}
     * @param input the digest (ECDSA, RSA) or the message (Ed25519), see the class comment
     * @return the signature as TLS carries it: ECDSA as a DER {@code Ecdsa-Sig-Value} (the raw {@code r || s}
     *     that most secure elements return, each half as long as the curve's field, is accepted too and
     *     re-encoded), RSA as the big-endian integer of the modulus length, Ed25519 as 64 bytes
     * @throws IOException if the device fails; the handshake then fails with that exception as its cause
     */
    byte[] sign(int scheme, byte[] input) throws IOException;
}
