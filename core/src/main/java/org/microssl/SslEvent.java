package org.microssl;

import org.microssl.internal.Alerts;
import org.microssl.x509.Reason;

/**
 * One thing that happened on a connection, for an {@link SslListener}: a completed handshake, an alert sent or
 * received, or a failure. {@link #toString()} is one log line, e.g.
 * {@code FAILURE peer=192.0.2.7:50312 server CERTIFICATE_REJECTED reason=EXPIRED depth=0 alert=certificate_expired(45): ...}.
 */
public final class SslEvent {

    /** What happened. */
    public enum Kind {
        /** The handshake completed: {@link #version()}, {@link #cipher()}, {@link #peerSubject()}, {@link #resumed()}. */
        HANDSHAKE_COMPLETED,
        /** We sent an alert ({@link #alert()}): a fatal one for a failure, or close_notify. */
        ALERT_SENT,
        /** The peer sent an alert ({@link #alert()}): a fatal one, or close_notify. */
        ALERT_RECEIVED,
        /** The connection failed: {@link #failure()}, {@link #reason()}, {@link #depth()}. */
        FAILURE
    }

    private final Kind kind;
    private final String peerAddress;
    private final boolean serverSide;
    private final String version;
    private final String cipher;
    private final String peerSubject;
    private final boolean resumed;
    private final int alert;
    private final boolean fatal;
    private final SslException failure;

    private SslEvent(Kind kind, String peerAddress, boolean serverSide, String version, String cipher,
            String peerSubject, boolean resumed, int alert, boolean fatal, SslException failure) {
        this.kind = kind;
        this.peerAddress = peerAddress;
        this.serverSide = serverSide;
        this.version = version;
        this.cipher = cipher;
        this.peerSubject = peerSubject;
        this.resumed = resumed;
        this.alert = alert;
        this.fatal = fatal;
        this.failure = failure;
    }

    static SslEvent handshakeCompleted(String peerAddress, boolean serverSide, String version, String cipher,
            String peerSubject, boolean resumed) {
        return new SslEvent(Kind.HANDSHAKE_COMPLETED, peerAddress, serverSide, version, cipher, peerSubject, resumed,
                SslException.NO_ALERT, false, null);
    }

    static SslEvent alert(boolean sent, String peerAddress, boolean serverSide, int alert, boolean fatal) {
        return new SslEvent(sent ? Kind.ALERT_SENT : Kind.ALERT_RECEIVED, peerAddress, serverSide, null, null, null,
                false, alert, fatal, null);
    }

    static SslEvent failure(String peerAddress, boolean serverSide, SslException failure) {
        return new SslEvent(Kind.FAILURE, peerAddress, serverSide, null, null, null, false, failure.alert(), true,
                failure);
    }

    public Kind kind() {
        return kind;
    }

    /** The peer's address ("192.0.2.7:50312"), or null when the transport does not say (not a Socket). */
    public String peerAddress() {
        return peerAddress;
    }

    /** Whether this connection is the server end. */
    public boolean serverSide() {
        return serverSide;
    }

    /** {@link Kind#HANDSHAKE_COMPLETED}: "TLSv1.3" or "TLSv1.2"; otherwise null. */
    public String version() {
        return version;
    }

    /** {@link Kind#HANDSHAKE_COMPLETED}: the cipher suite's IANA name; otherwise null. */
    public String cipher() {
        return cipher;
    }

    /**
     * {@link Kind#HANDSHAKE_COMPLETED}: the subject (RFC 4514) of the peer's certificate, or null if it sent none;
     * under CERT_NONE it was not validated.
     */
    public String peerSubject() {
        return peerSubject;
    }

    /** {@link Kind#HANDSHAKE_COMPLETED}: whether an earlier session was resumed. */
    public boolean resumed() {
        return resumed;
    }

    /**
     * The TLS AlertDescription: the alert sent or received, or for a {@link Kind#FAILURE} the one involved
     * ({@link SslException#alert()}); {@link SslException#NO_ALERT} if none.
     */
    public int alert() {
        return alert;
    }

    /** For an alert: whether it is fatal (everything but close_notify and user_canceled). */
    public boolean fatal() {
        return fatal;
    }

    /** {@link Kind#FAILURE}: the exception the application got (or gets next); otherwise null. */
    public SslException failure() {
        return failure;
    }

    /** {@link Kind#FAILURE} of a rejected certificate: why; otherwise null. */
    public Reason reason() {
        return failure != null ? failure.reason() : null;
    }

    /** {@link Kind#FAILURE} of a rejected certificate: the depth of the certificate concerned (0 = the peer's own); -1 otherwise. */
    public int depth() {
        return failure != null && failure.rejection() != null ? failure.rejection().depth() : -1;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(kind.name());
        sb.append(" peer=").append(peerAddress != null ? peerAddress : "?").append(serverSide ? " server" : " client");
        switch (kind) {
            case HANDSHAKE_COMPLETED:
                sb.append(' ').append(version).append(' ').append(cipher);
                sb.append(" subject=").append(peerSubject != null ? '"' + peerSubject + '"' : "none");
                sb.append(" resumed=").append(resumed);
                break;
            case ALERT_SENT:
            case ALERT_RECEIVED:
                sb.append(fatal ? " fatal " : " warning ").append(Alerts.describe(alert));
                break;
            default:
                sb.append(' ').append(failure.failure().name());
                if (reason() != null) sb.append(" reason=").append(reason().name()).append(" depth=").append(depth());
                if (alert != SslException.NO_ALERT) sb.append(" alert=").append(Alerts.describe(alert));
                sb.append(": ").append(failure.getMessage());
        }
        return sb.toString();
    }
}
