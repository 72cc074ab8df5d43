package org.microssl;

import java.io.IOException;

import org.bouncycastle.tls.AlertDescription;
import org.microssl.x509.CertificateRejectedException;
import org.microssl.x509.Reason;

/**
 * Every TLS failure: {@link #failure()} says what kind, {@link #alert()} which alert was sent (or received), and
 * the message says the rest ("peer sent alert bad_certificate(42)"). One {@code catch (SslException e)} handles
 * them all. A rejected peer certificate is {@link Failure#CERTIFICATE_REJECTED}: {@link #reason()} is the
 * validator's {@link Reason} and {@link #rejection()} its exception, with the certificate, its depth and the
 * typed details (dates, names).
 *
 * <p>Once a connection has failed, every later call on it rethrows the same exception (the first error sticks).
 */
public class SslException extends IOException {
    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Failure {
        /**
         * The peer's certificate chain failed validation (or a required one was not sent): see {@link #reason()}
         * and {@link #rejection()}; {@link #alert()} is the alert the peer was sent.
         */
        CERTIFICATE_REJECTED,
        /** The handshake could not agree (no common version, cipher suite, group or signature scheme). */
        HANDSHAKE_FAILURE,
        /** The peer sent a fatal alert; the message names it, e.g. "peer sent alert bad_certificate(42)". */
        ALERT_RECEIVED,
        /** The transport reached end of stream without the peer's close_notify (RFC 8446 section 6.1). */
        TRUNCATED,
        /** The peer broke the protocol (bad record MAC, malformed or unexpected message, ...). */
        PROTOCOL_ERROR,
        /** The connection was closed (by {@code close()}, or by the peer's close_notify before a write). */
        CLOSED,
        /** The entropy source failed; no key material was generated from it. */
        ENTROPY_FAILURE,
        /** The handshake did not complete within {@link SSLContext#setHandshakeTimeout}'s deadline. */
        HANDSHAKE_TIMEOUT,
        /**
         * The peer sent more than a configured limit allows (a handshake message, a certificate chain): see
         * {@link SSLContext#setMaxHandshakeMessageSize} and {@link SSLContext#setMaxCertificateChain}.
         */
        LIMIT_EXCEEDED,
        /** The transport failed (its exception is the cause). */
        TRANSPORT_ERROR,
        /** The private key's signer (software or secure element) failed. */
        SIGNER_FAILURE,
        /** A bug or an unexpected state in microssl or BouncyCastle (the cause says more). */
        INTERNAL_ERROR
    }

    /** No TLS alert involved. */
    public static final int NO_ALERT = -1;

    private final Failure failure;
    private final int alert;
    private final CertificateRejectedException rejection;
    /** What to do about it, added where the connection knows more than the engine did (never a secret). */
    private volatile String hint;

    public SslException(Failure failure, String message) {
        this(failure, message, NO_ALERT, null);
    }

    public SslException(Failure failure, String message, Throwable cause) {
        this(failure, message, NO_ALERT, cause);
    }

    /** @param alert the TLS AlertDescription sent to or received from the peer, or {@link #NO_ALERT} */
    public SslException(Failure failure, String message, int alert, Throwable cause) {
        super(failure.name() + ": " + message, cause);
        this.failure = failure;
        this.alert = alert;
        this.rejection = cause instanceof CertificateRejectedException ? (CertificateRejectedException) cause : null;
    }

    /** Adds what to do about it to the message; set once, before the exception first reaches the application. */
    void hint(String hint) {
        if (this.hint == null) this.hint = hint;
    }

    /** The failure, and what to do about it where microssl can tell. */
    @Override
    public String getMessage() {
        String message = super.getMessage();
        String h = hint;
        return h == null ? message : message + ": " + h;
    }

    /** A certificate rejection, after {@code alert} was sent to the peer. */
    static SslException rejected(CertificateRejectedException rejection, int alert) {
        String sent = alert >= 0 ? "; sent alert " + AlertDescription.getText((short) alert) : "";
        return new SslException(Failure.CERTIFICATE_REJECTED, rejection.getMessage() + sent, alert, rejection);
    }

    /** For {@link Failure#CERTIFICATE_REJECTED}: why the validator refused the chain; otherwise null. */
    public Reason reason() {
        return rejection != null ? rejection.reason() : null;
    }

    /**
     * For {@link Failure#CERTIFICATE_REJECTED}: the validator's exception, with the certificate concerned, its
     * depth and the details; otherwise null.
     */
    public CertificateRejectedException rejection() {
        return rejection;
    }

    public Failure failure() {
        return failure;
    }

    /**
     * The TLS AlertDescription (RFC 8446 section 6) involved: for {@link Failure#ALERT_RECEIVED} the one the peer
     * sent, otherwise the fatal alert microssl sent to the peer; {@link #NO_ALERT} if none.
     */
    public int alert() {
        return alert;
    }
}
