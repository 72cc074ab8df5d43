package org.microssl;

import org.bouncycastle.tls.AlertDescription;
import org.microssl.internal.AlertObserver;

/**
 * One connection's {@link SslListener} feed. Alerts come from the engine ({@link AlertObserver}) where it reports
 * them; until it does, they are inferred from what surfaces to the application: the fatal alert of a failure
 * ({@link SslException#alert()}), close_notify at end of stream and on close.
 */
final class Diagnostics implements AlertObserver {
    private static final int WARNING = 1;
    private static final int FATAL = 2;

    private final SslListener listener;
    private final String peerAddress;
    private final boolean serverSide;
    private volatile boolean engineReportsAlerts;
    private volatile boolean handshakeReported;
    private volatile SslException failureReported;
    private volatile boolean closeNotifyReceived;
    private volatile boolean closeNotifySent;

    Diagnostics(SslListener listener, String peerAddress, boolean serverSide) {
        this.listener = listener;
        this.peerAddress = peerAddress;
        this.serverSide = serverSide;
    }

    /** From the engine: an alert sent or received. */
    @Override
    public void alert(boolean sent, int level, int description) {
        engineReportsAlerts = true;
        if (description == AlertDescription.close_notify) {
            if (sent) closeNotifySent = true; else closeNotifyReceived = true;
        }
        emit(SslEvent.alert(sent, peerAddress, serverSide, description, level == FATAL));
    }

    void handshakeCompleted(SSLSocket socket, boolean resumed) {
        if (handshakeReported) return;
        synchronized (this) {
            if (handshakeReported) return;
            handshakeReported = true;
        }
        String[] cipher = socket.cipher();
        emit(SslEvent.handshakeCompleted(peerAddress, serverSide, socket.version(), cipher != null ? cipher[0] : null,
                socket.peerSubject(), resumed));
    }

    /** As {@link #handshakeCompleted(SSLSocket, boolean)}, for a DTLS connection. */
    void handshakeCompleted(String version, String cipher, String peerSubject) {
        if (handshakeReported) return;
        synchronized (this) {
            if (handshakeReported) return;
            handshakeReported = true;
        }
        emit(SslEvent.handshakeCompleted(peerAddress, serverSide, version, cipher, peerSubject, false));
    }

    boolean handshakeReported() {
        return handshakeReported;
    }

    /**
     * The first time {@code e} (the connection's sticky failure) reaches the application. CLOSED is not a failure
     * of the connection but a use of it after close(): not reported.
     */
    void failed(SslException e) {
        if (e.failure() == SslException.Failure.CLOSED) return;
        synchronized (this) {
            if (failureReported != null) return;
            failureReported = e;
        }
        if (!engineReportsAlerts && e.alert() != SslException.NO_ALERT) {
            boolean received = e.failure() == SslException.Failure.ALERT_RECEIVED;
            emit(SslEvent.alert(!received, peerAddress, serverSide, e.alert(), true));
        }
        emit(SslEvent.failure(peerAddress, serverSide, e));
    }

    /** The stream ended with the peer's close_notify. */
    void closeNotifyReceived() {
        if (engineReportsAlerts || closeNotifyReceived) return;
        closeNotifyReceived = true;
        emit(SslEvent.alert(false, peerAddress, serverSide, AlertDescription.close_notify, false));
    }

    /** close() on a healthy connection: our close_notify went out (as far as the transport took it). */
    void closeNotifySent() {
        if (engineReportsAlerts || closeNotifySent || failureReported != null) return;
        closeNotifySent = true;
        emit(SslEvent.alert(true, peerAddress, serverSide, AlertDescription.close_notify, false));
    }

    private void emit(SslEvent event) {
        try {
            listener.onEvent(event);
        } catch (RuntimeException ignored) {
            // a listener's bug must not become the connection's failure (documented on SslListener)
        }
    }
}
