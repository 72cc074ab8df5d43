package org.microssl.x509;

import java.io.IOException;
import java.util.Collections;
import java.util.List;

/**
 * A certificate chain was rejected. One type for every failure; {@link #reason()} says which, {@link #depth()}
 * and {@link #subject()} which certificate (0 is the peer's own), and the message the detail a person can act on,
 * e.g. {@code EXPIRED: depth 0 (CN=server.test): now 2031-02-01T00:00:00Z is after notAfter 2030-12-31T00:00:00Z}.
 * The facts behind it are typed, as Go's {@code CertificateInvalidError} and webpki's
 * {@code CertExpired { time, not_after }}: {@link #certificate()}, {@link #now()} / {@link #notBefore()} /
 * {@link #notAfter()} for dates, {@link #expectedName()} / {@link #presentedNames()} for host names.
 */
public final class CertificateRejectedException extends IOException {
    private static final long serialVersionUID = 1L;

    private final Reason reason;
    private final int depth;
    private final String subject;
    private final String detail;
    private final byte[] certificate;
    private final Long now;
    private final Long notBefore;
    private final Long notAfter;
    private final String expectedName;
    private final List<String> presentedNames;

    /**
     * @param depth position of the certificate concerned in the path (0 = peer), or -1 if none in particular
     * @param subject its subject as an RFC 4514 string, or null
     */
    public CertificateRejectedException(Reason reason, int depth, String subject, String detail) {
        this(reason, depth, subject, detail, null, null, null, null, null, null);
    }

    CertificateRejectedException(Reason reason, int depth, String subject, String detail, byte[] certificate,
            Long now, Long notBefore, Long notAfter, String expectedName, List<String> presentedNames) {
        super(format(reason, depth, subject, detail));
        this.reason = reason;
        this.depth = depth;
        this.subject = subject;
        this.detail = detail;
        this.certificate = certificate;
        this.now = now;
        this.notBefore = notBefore;
        this.notAfter = notAfter;
        this.expectedName = expectedName;
        this.presentedNames = presentedNames == null ? null : Collections.unmodifiableList(presentedNames);
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

    /** The DER of the certificate concerned (a copy), or null. */
    public byte[] certificate() { return certificate == null ? null : certificate.clone(); }

    /** For EXPIRED and NOT_YET_VALID: the time the certificate was checked against, epoch ms; else null. */
    public Long now() { return now; }

    /** For EXPIRED and NOT_YET_VALID: the certificate's notBefore, epoch ms; else null. */
    public Long notBefore() { return notBefore; }

    /** For EXPIRED and NOT_YET_VALID: the certificate's notAfter, epoch ms; else null. */
    public Long notAfter() { return notAfter; }

    /** For HOSTNAME_MISMATCH: the name asked for; else null. */
    public String expectedName() { return expectedName; }

    /** For HOSTNAME_MISMATCH: the DNS names and IP addresses the certificate holds; else null. */
    public List<String> presentedNames() { return presentedNames; }
}
