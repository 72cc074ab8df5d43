package org.microssl.x509;

/**
 * Why a certificate, a link or a path cannot be used: a reason and the detail a person can act on, the typed
 * facts behind a date failure, and, once known, where in the path (the depth, 0 being the peer's certificate, and
 * that certificate).
 */
final class Problem {
    final Reason reason;
    final String detail;
    /** -1 while not tied to a position in a path. */
    final int depth;
    final ParsedCertificate certificate;
    /** For date failures: the time checked and the validity period (epoch milliseconds); else null. */
    final Long now;
    final Long notBefore;
    final Long notAfter;

    Problem(Reason reason, String detail) {
        this(reason, detail, null, null, null, -1, null);
    }

    private Problem(Reason reason, String detail, Long now, Long notBefore, Long notAfter, int depth,
            ParsedCertificate certificate) {
        this.reason = reason;
        this.detail = detail;
        this.now = now;
        this.notBefore = notBefore;
        this.notAfter = notAfter;
        this.depth = depth;
        this.certificate = certificate;
    }

    /** A date failure: {@code now} outside [{@code notBefore}, {@code notAfter}], all in epoch seconds. */
    static Problem dates(Reason reason, String detail, long now, long notBefore, long notAfter) {
        return new Problem(reason, detail, now * 1000, notBefore * 1000, notAfter * 1000, -1, null);
    }

    /** This problem found at {@code depth} of a path, on {@code certificate}. */
    Problem at(int depth, ParsedCertificate certificate) {
        return new Problem(reason, detail, now, notBefore, notAfter, depth, certificate);
    }

    CertificateRejectedException toException() {
        return new CertificateRejectedException(reason, depth,
                certificate != null ? certificate.subjectString() : null, detail,
                certificate != null ? certificate.der : null, now, notBefore, notAfter, null, null);
    }
}
