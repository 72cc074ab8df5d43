package org.microssl.internal;

import java.util.EnumMap;
import java.util.Map;

import org.bouncycastle.tls.AlertDescription;
import org.microssl.x509.Reason;

/**
 * The one table from a validator {@link Reason} to the TLS alert the peer receives, so it learns why it was
 * rejected. Choices follow rustls ({@code From<&CertificateError> for AlertDescription}) and OpenSSL
 * ({@code ssl_verify_alarm_type}); alert meanings are RFC 8446 section 6.2.
 */
public final class Alerts {

    private static final Map<Reason, Short> TABLE = new EnumMap<Reason, Short>(Reason.class);

    static {
        TABLE.put(Reason.EXPIRED, AlertDescription.certificate_expired);
        // RFC 8446 has no "not yet valid"; OpenSSL and rustls send certificate_expired for both date failures.
        TABLE.put(Reason.NOT_YET_VALID, AlertDescription.certificate_expired);
        // Our clock is unset: nothing is wrong with the certificate itself, so the unspecified certificate alert.
        TABLE.put(Reason.CLOCK_NOT_SET, AlertDescription.certificate_unknown);
        TABLE.put(Reason.UNKNOWN_ISSUER, AlertDescription.unknown_ca);
        TABLE.put(Reason.BUDGET_EXCEEDED, AlertDescription.unknown_ca);
        // "unable to correctly verify a signature" is decrypt_error in RFC 8446 section 6.2 (OpenSSL, rustls agree).
        TABLE.put(Reason.BAD_SIGNATURE, AlertDescription.decrypt_error);
        TABLE.put(Reason.NOT_A_CA, AlertDescription.bad_certificate);
        TABLE.put(Reason.PATH_TOO_LONG, AlertDescription.bad_certificate);
        TABLE.put(Reason.NAME_CONSTRAINT_VIOLATION, AlertDescription.bad_certificate);
        TABLE.put(Reason.HOSTNAME_MISMATCH, AlertDescription.bad_certificate);
        TABLE.put(Reason.MALFORMED, AlertDescription.bad_certificate);
        TABLE.put(Reason.BAD_KEY_USAGE, AlertDescription.unsupported_certificate);
        TABLE.put(Reason.BAD_EXTENDED_KEY_USAGE, AlertDescription.unsupported_certificate);
        TABLE.put(Reason.UNSUPPORTED_CRITICAL_EXTENSION, AlertDescription.unsupported_certificate);
        TABLE.put(Reason.WEAK_ALGORITHM, AlertDescription.unsupported_certificate);
        TABLE.put(Reason.REVOKED, AlertDescription.certificate_revoked);
        // TLS 1.3 value; TLS 1.2 has no certificate_required, see forReason(reason, tls13).
        TABLE.put(Reason.NO_CERTIFICATE, AlertDescription.certificate_required);
    }

    private Alerts() {}

    /**
     * @param tls13 whether TLS 1.3 was negotiated: a missing client certificate is certificate_required there
     *     (RFC 8446 section 4.4.2.4) and handshake_failure in TLS 1.2 (RFC 5246 section 7.4.6)
     */
    public static short forReason(Reason reason, boolean tls13) {
        if (reason == Reason.NO_CERTIFICATE && !tls13) return AlertDescription.handshake_failure;
        Short alert = TABLE.get(reason);
        // A reason added to the validator later still rejects, with the generic certificate alert.
        return alert != null ? alert.shortValue() : AlertDescription.bad_certificate;
    }

    /**
     * Whether a fatal alert we sent means the two sides could not agree (version, suite, group, signature
     * scheme, a required extension): the engine reports those as HANDSHAKE_FAILURE, internal_error as
     * INTERNAL_ERROR, and every other alert, a peer's malformed or unexpected input, as PROTOCOL_ERROR.
     */
    public static boolean isNegotiationFailure(int alert) {
        switch (alert) {
            case AlertDescription.handshake_failure:
            case AlertDescription.insufficient_security:
            case AlertDescription.protocol_version:
            case AlertDescription.unsupported_extension:
            case AlertDescription.missing_extension:
            case AlertDescription.no_application_protocol:
            case AlertDescription.unknown_psk_identity:
                return true;
            default:
                return false;
        }
    }

    /** "bad_certificate(42)". */
    public static String describe(int alert) {
        return AlertDescription.getText((short) alert);
    }
}
