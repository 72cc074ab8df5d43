package org.microssl.x509;

import java.io.IOException;

/**
 * A certificate chain was rejected. One type for every failure; {@link #reason()} says which, {@link #depth()}
 * and {@link #subject()} which certificate (0 is the peer's own), and the message the detail a person can act on,
 * e.g. {@code EXPIRED: depth 0 (CN=server.test): now 2031-02-01T00:00:00Z is after notAfter 2030-12-31T00:00:00Z}.
 */
public final class CertificateRejectedException extends IOException {
    private static final long serialVersionUID = 1L;

    private final Reason reason;
    private final int depth;
    private final String subject;
    private final String detail;

    /**
     * @param depth position of the certificate concerned in the path (0 = peer), or -1 if none in particular
     * @param subject its subject as an RFC 4514 string, or null
     */
    public CertificateRejectedException(Reason reason, int depth, String subject, String detail) {
        super(format(reason, depth, subject, detail));
        this.reason = reason;
        this.depth = depth;
        this.subject = subject;
        this.detail = detail;
    }

    private static String format(Reason reason, int depth, String subject, String detail) {
        StringBuilder sb = new StringBuilder(reason.name()).append(": ");
        if (depth >= 0) {
            sb.append("depth ").append(depth);
            if (subject != null) sb.append(" (").append(subject).append(')');
            sb.append(": ");
        }
        return sb.append(detail).toString();
    }

    public Reason reason() { return reason; }

    /** Position in the path of the certificate concerned (0 = the peer's own), or -1. */
    public int depth() { return depth; }

    /** Subject of the certificate concerned, or null. */
    public String subject() { return subject; }

    /** The detail alone, without reason and certificate. */
    public String detail() { return detail; }
}
