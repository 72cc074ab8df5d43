package org.microssl.x509;

/**
 * Why a certificate, a link or a path cannot be used: a reason and the detail a person can act on, and, once
 * known, where in the path (the depth, 0 being the peer's certificate, and that certificate's subject).
 */
final class Problem {
    final Reason reason;
    final String detail;
    /** -1 while not tied to a position in a path. */
    final int depth;
    final String subject;

    Problem(Reason reason, String detail) {
        this(reason, detail, -1, null);
    }

    private Problem(Reason reason, String detail, int depth, String subject) {
        this.reason = reason;
        this.detail = detail;
        this.depth = depth;
        this.subject = subject;
    }

    /** This problem found at {@code depth} of a path, on the certificate named {@code subject}. */
    Problem at(int depth, String subject) {
        return new Problem(reason, detail, depth, subject);
    }

    CertificateRejectedException toException() {
        return new CertificateRejectedException(reason, depth, subject, detail);
    }
}
