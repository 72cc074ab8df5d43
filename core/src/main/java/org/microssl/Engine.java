package org.microssl;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SecurityParameters;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.bouncycastle.tls.TlsNoCloseNotifyException;
import org.bouncycastle.tls.crypto.TlsCrypto;
import org.microssl.SslException.Failure;
import org.microssl.internal.Alerts;
import org.microssl.internal.BcConnection;
import org.microssl.internal.Drbg;
import org.microssl.internal.Identity;
import org.microssl.internal.LimitExceeded;
import org.microssl.internal.PeerState;
import org.microssl.internal.Settings;
import org.microssl.spi.TimedTransport;
import org.microssl.spi.Transport;
import org.microssl.x509.CertificateRejectedException;
import org.microssl.x509.PathValidator;

/**
 * One TLS connection driven through BouncyCastle's non-blocking mode over a {@link Transport}, in two halves as
 * Go's {@code halfConn}: an {@link InputHalf} (its lock, buffer and record framing) and an {@link OutputHalf} (its
 * lock and buffer), around one guarded BouncyCastle object ({@link BcConnection}, whose monitor is never held across
 * a transport call). One thread may read while another writes, neither waiting on the other's transport call. The
 * same code serves blocking transports (a transport call always makes progress, so loops run until done) and
 * non-blocking ones (a transport call returning 0 makes the operation return {@link #WOULD_BLOCK}, and
 * {@link #wantsRead()} / {@link #wantsWrite()} say which direction to wait for). Lock order: input, output,
 * BouncyCastle.
 *
 * <p>The first fatal error sticks (BearSSL's {@code br_ssl_engine_fail}, Go's {@code halfConn.err}): a TLS failure
 * ends both halves; once established, a transport that refuses a write ends only the output half, so data already
 * received can still be read.
 */
final class Engine {
    public static final int EOF = -1;
    public static final int WOULD_BLOCK = -2;

    /**
     * Transfer buffers' starting size without max_fragment_length. The input buffer grows (once, in practice) when
     * a larger record arrives: it must hold a whole record.
     */
    static final int DEFAULT_TRANSFER_BUFFER = 4096;
    /** TLS record header (5) plus the largest TLS 1.3 ciphertext expansion (256, RFC 8446 section 5.2). */
    static final int RECORD_OVERHEAD = 5 + 256;
    /**
     * What our AEAD suites add to a fragment without padding: header 5, TLS 1.2 explicit nonce 8 (RFC 5288), TLS
     * 1.3 inner content type 1, tag 16. Under max_fragment_length the buffers start at the fragment plus this,
     * not plus the 256 a padded TLS 1.3 record may add: our own records are never padded, and the input buffer
     * grows (to at most the fragment plus {@link #RECORD_OVERHEAD}) if a peer pads.
     */
    static final int AEAD_RECORD_OVERHEAD = 5 + 8 + 1 + 16;
    /** The largest record allowed: 2^14 plaintext plus {@link #RECORD_OVERHEAD} (RFC 8446 section 5.2). */
    static final int MAX_RECORD = (1 << 14) + RECORD_OVERHEAD;

    private static final int BLOCKED_NONE = 0;
    private static final int BLOCKED_READ = 1;
    private static final int BLOCKED_WRITE = 2;

    private final Transport transport;
    private final BcConnection bc;
    private final PeerState peer;
    private final boolean server;
    /** Its monitor is the input lock, held across transport reads and by the handshake. */
    private final InputHalf in;
    private final OutputHalf out;

    /** The handshake is complete and its last flight went out: reads no longer pass through the handshake. */
    private volatile boolean established;
    private boolean buffersSized; // in
    /** The connection's first fatal error: both halves are done. */
    private volatile IOException failure;
    /** The input half's own: the transport failed a read. */
    private volatile IOException readError;
    private volatile boolean closed;
    private volatile int blockedOn = BLOCKED_NONE;

    private final long handshakeTimeoutMillis;
    /** System.nanoTime() by which the handshake must complete; set by its first step. in. */
    private long handshakeDeadline;
    private boolean deadlineStarted; // in
    /** The transport's own read timeout, put back once the handshake is done (TimedTransport only). in. */
    private int transportReadTimeout = -1;

    Engine(Settings settings, Transport transport, TlsCrypto crypto, PathValidator validator,
            String serverHostname) throws IOException {
        this.transport = transport;
        this.server = settings.server;
        this.handshakeTimeoutMillis = settings.handshakeTimeoutMillis;
        int size = settings.maxFragmentLength != 0
                ? Math.min(settings.maxFragmentLength + AEAD_RECORD_OVERHEAD, DEFAULT_TRANSFER_BUFFER)
                : DEFAULT_TRANSFER_BUFFER;
        BcConnection connection;
        try {
            connection = BcConnection.open(settings, crypto, validator, serverHostname);
        } catch (IOException | RuntimeException | Error e) {
            throw classify(e, null);
        }
        this.bc = connection;
        this.peer = connection.peer();
        this.in = new InputHalf(connection, size, MAX_RECORD);
        this.out = new OutputHalf(transport, connection);
    }

    // ------------------------------------------------------------------------------------------ operations

    /** Drives the handshake. @return true when complete, false if the transport would block */
    public boolean handshake() throws IOException {
        synchronized (in) {
            return advanceHandshake();
        }
    }

    /**
     * Reads decrypted application data, driving the handshake first if needed.
     *
     * @return bytes read (at least 1 if {@code len > 0}), {@link #EOF} after the peer's close_notify, or
     *     {@link #WOULD_BLOCK}
     */
    public int read(byte[] b, int off, int len) throws IOException {
        synchronized (in) {
            if (!established && !advanceHandshake()) return WOULD_BLOCK;
            while (true) {
                checkReadable();
                int available = bc.availableInput();
                if (available > 0) {
                    blockedOn = BLOCKED_NONE;
                    int n = bc.readInput(b, off, Math.min(len, available));
                    if (n == available && !in.inRecord()) { // read all that arrived: idle
                        bc.trimInput();
                        out.trimIfIdle();
                    }
                    return n;
                }
                if (in.peerClosed()) return EOF;
                if (len == 0) return 0;
                // e.g. a KeyUpdate answer, sent if the output half is free (else its holder sends it)
                if (out.pending()) flushFromReader();
                if (!in.inRecord()) out.trimIfIdle(); // about to wait for the peer: idle
                if (readTransport() == 0) {
                    blockedOn = BLOCKED_READ;
                    if (!in.inRecord()) bc.trimInput();
                    return WOULD_BLOCK;
                }
            }
        }
    }

    /**
     * Encrypts and sends application data, driving the handshake first if needed. A blocking transport takes
     * everything; a non-blocking one may take part (the rest is for the caller to write again).
     *
     * @return bytes accepted, or {@link #WOULD_BLOCK} if none could be
     */
    public int write(byte[] b, int off, int len) throws IOException {
        if (!peer.handshakeComplete()) {
            synchronized (in) {
                if (!advanceHandshake()) return WOULD_BLOCK;
            }
        }
        out.lock();
        try {
            checkWritable();
            // Output still pending from an earlier call goes first; until it has, take nothing new.
            if (drainOrFail() == OutputHalf.WOULD_BLOCK) {
                blockedOn = BLOCKED_WRITE;
                return WOULD_BLOCK;
            }
            int done = 0;
            while (done < len) {
                checkWritable();
                try {
                    done += bc.writeRecord(b, off + done, len - done);
                } catch (IOException | RuntimeException | Error e) {
                    IOException failed = fail(e);
                    try {
                        out.drain(); // the alert BouncyCastle queued
                    } catch (IOException | RuntimeException x) {
                        if (x != failed) failed.addSuppressed(x);
                    }
                    throw failed;
                }
                // One record at a time: BouncyCastle's output queue never holds more than one record.
                if (drainOrFail() == OutputHalf.WOULD_BLOCK) break;
            }
            blockedOn = BLOCKED_NONE;
            return done;
        } finally {
            unlockOutput();
        }
    }

    /**
     * Sends close_notify (RFC 8446 section 6.1) if the connection is healthy, then closes the transport.
     * Idempotent. close_notify may not get out if a non-blocking transport is full, or if another thread's write
     * holds the transport for longer than a second.
     */
    public void close() throws IOException {
        boolean sendCloseNotify;
        IOException error = null;
        synchronized (this) {
            if (closed) return;
            closed = true;
            // After the peer's close_notify our answer was already attempted (see readTransport).
            sendCloseNotify = failure == null && out.error() == null && !in.peerClosed();
        }
        if (sendCloseNotify) {
            try {
                bc.close(); // queues close_notify
            } catch (IOException | RuntimeException e) {
                sendCloseNotify = false;
                error = new SslException(Failure.INTERNAL_ERROR, "queueing close_notify failed: " + e, e);
            }
        }
        try {
            if (sendCloseNotify && out.tryLock(1000)) {
                try {
                    out.drain();
                } finally {
                    out.unlock();
                }
            }
        } catch (IOException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            error = new SslException(Failure.TRANSPORT_ERROR, "sending close_notify failed: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                transport.close();
            } catch (IOException e) {
                if (error == null) error = e; else error.addSuppressed(e);
            }
        }
        if (error != null) throw error;
    }

    /** Decrypted bytes that {@link #read} can return without touching the transport. */
    public int available() {
        return failure == null && !closed ? bc.availableInput() : 0;
    }

    /** Whether encrypted bytes are waiting for the transport to accept them. */
    public boolean wantsWrite() {
        return failure == null && !closed && out.error() == null && out.pending();
    }

    /** Whether the last operation that returned WOULD_BLOCK waits for bytes from the peer. */
    public boolean wantsRead() {
        return blockedOn == BLOCKED_READ && !wantsWrite();
    }

    /** Whether the peer's close_notify has arrived. */
    public boolean peerClosed() {
        return in.peerClosed();
    }

    public boolean isHandshakeComplete() {
        return peer.handshakeComplete();
    }

    public boolean isServer() {
        return server;
    }

    public List<byte[]> peerChain() {
        return peer.peerChain();
    }

    public boolean peerValidated() {
        return peer.peerValidated();
    }

    public boolean resumed() {
        return peer.resumed();
    }

    /** Client side: the session this connection can be resumed from, or null (issue 11). */
    public org.microssl.internal.ResumableSession resumableSession() {
        org.microssl.internal.ClientResumption r = peer.clientResumption();
        return r == null ? null : r.session(peer);
    }

    /** Why an offered session or ticket was not resumed, or null. */
    public String sessionNotReused() {
        return peer.sessionNotReused();
    }

    /** Client side: whether the server asked for a certificate. */
    public boolean certificateRequested() {
        return peer.wasCertificateRequested();
    }

    public String serverName() {
        return peer.serverName();
    }

    /** Negotiated cipher suite, or -1 before the handshake completed. */
    public int cipherSuite() {
        SecurityParameters p = peer.connectionParameters();
        return p == null ? -1 : p.getCipherSuite();
    }

    /** "TLSv1.3" / "TLSv1.2", or null before the handshake completed. */
    public String protocolVersion() {
        SecurityParameters p = peer.connectionParameters();
        if (p == null) return null;
        ProtocolVersion v = p.getNegotiatedVersion();
        if (ProtocolVersion.TLSv13.equals(v)) return "TLSv1.3";
        if (ProtocolVersion.TLSv12.equals(v)) return "TLSv1.2";
        return v.getName();
    }

    /** The application protocol ALPN chose (RFC 7301), or null. */
    public String applicationProtocol() {
        return org.microssl.internal.Alpn.selected(peer.connectionParameters());
    }

    /** Negotiated max_fragment_length in bytes, or 0 if none. */
    public int maxFragmentLength() {
        SecurityParameters p = peer.connectionParameters();
        if (p == null || p.getMaxFragmentLength() < 1) return 0;
        return 1 << (8 + p.getMaxFragmentLength());
    }

    /** The input transfer buffer's size in bytes (the output half has none), for tests and memory figures. */
    public int transferBufferSize() {
        return in.bufferSize();
    }

    // ------------------------------------------------------------------------------------------ the pump

    /** Caller holds the input lock. @return true once the handshake is complete */
    private boolean advanceHandshake() throws IOException {
        startDeadline();
        while (true) {
            checkReadable();
            if (peer.handshakeComplete()) {
                endDeadline();
                sizeBuffers();
                // Our last flight. Never wait here: a writer may hold the transport (it then sends the flight).
                if (flushOrFail(false) == OutputHalf.FLUSHED) established = true;
                return true;
            }
            if (flushOrFail(true) == OutputHalf.WOULD_BLOCK) {
                blockedOn = BLOCKED_WRITE;
                return checkDeadline();
            }
            armReadTimeout();
            if (readTransport() == 0) {
                blockedOn = BLOCKED_READ;
                return checkDeadline();
            }
        }
    }

    /**
     * Caller holds the input lock (and no other: a blocking read may take long). Reads what the transport has and
     * offers BouncyCastle every record now complete; then sends what that made BouncyCastle queue (a handshake
     * flight, a KeyUpdate answer, an alert).
     *
     * @return bytes read, 0 if the transport would block, -1 at end of stream after close_notify
     */
    private int readTransport() throws IOException {
        int n;
        try {
            n = in.read(transport);
        } catch (InterruptedIOException e) {
            if (deadlinePassed()) throw handshakeTimedOut();
            throw e; // a read timeout: nothing was consumed, the connection (and the partial record) is intact
        } catch (IOException e) {
            if (closed && failure == null) {
                throw new SslException(Failure.CLOSED, "the connection was closed during a read", e);
            }
            SslException error = new SslException(Failure.TRANSPORT_ERROR, "transport read failed: " + e, e);
            if (!established) throw failAndNotify(error);
            readError = error;
            throw error;
        }
        if (n == 0) return 0; // nothing arrived; a failure meanwhile is reported by the next call
        checkReadable();
        if (n < 0) {
            if (in.peerClosed()) return -1;
            String when = peer.handshakeComplete() ? "" : " during the handshake";
            String where = in.inRecord() ? ", in the middle of a record" : "";
            throw fail(new SslException(Failure.TRUNCATED,
                    "the peer closed the connection without close_notify" + when + where));
        }
        boolean closeNotifyArrived;
        IOException failed;
        try {
            closeNotifyArrived = in.offerRecords();
            failed = null;
        } catch (IOException | RuntimeException e) {
            closeNotifyArrived = false;
            failed = fail(e);
        } catch (Error e) {
            // BouncyCastle lets an Error through with its state half-updated: fail it too, with internal_error.
            abortQuietly(AlertDescription.internal_error, "microssl failed: " + e, e);
            closeNotifyArrived = false;
            failed = fail(e);
        }
        if (failed != null) {
            notifyPeer(failed); // the fatal alert BouncyCastle queued
            throw failed;
        }
        if (closeNotifyArrived) {
            // BouncyCastle queued our answering close_notify (RFC 8446 section 6.1). The peer may already have
            // closed its socket, so failing to deliver the answer is no error of this connection: the data it
            // sent stays readable up to EOF.
            try {
                out.flush(false);
            } catch (IOException e) {
                out.discard();
            }
            return n;
        }
        if (established) {
            flushFromReader();
        } else {
            flushOrFail(false);
        }
        return n;
    }

    /**
     * Sends what reading made BouncyCastle queue, if the output half is free (its holder sends it otherwise). A
     * write failure here ends only the output half: the reader goes on reading what the peer sent.
     */
    private void flushFromReader() throws IOException {
        try {
            out.flush(false);
        } catch (IOException e) {
            if (e != out.error()) throw failAndNotify(e);
        } catch (RuntimeException | Error e) {
            throw failAndNotify(e);
        }
    }

    private int flushOrFail(boolean wait) throws IOException {
        try {
            return out.flush(wait);
        } catch (IOException | RuntimeException | Error e) {
            throw writeFailed(e);
        }
    }

    /** Caller holds the output lock. */
    private int drainOrFail() throws IOException {
        try {
            return out.drain();
        } catch (IOException | RuntimeException | Error e) {
            throw writeFailed(e);
        }
    }

    /** Caller holds the output lock. */
    private void unlockOutput() throws IOException {
        try {
            out.unlock();
        } catch (IOException | RuntimeException | Error e) {
            throw writeFailed(e);
        }
    }

    /**
     * A failure while sending. Once established, the transport refusing a write ends the output half only (it is
     * that half's sticky error); before, and for anything else, the connection fails.
     */
    private IOException writeFailed(Throwable e) {
        if (established && e == out.error()) {
            if (closed) return new SslException(Failure.CLOSED, "the connection was closed during a write", e);
            return (IOException) e;
        }
        return failAndNotify(e);
    }

    /**
     * Caller holds the input lock. Once negotiated, a smaller max_fragment_length shrinks the input buffer
     * (RFC 6066 section 4); the output half has none of its own.
     */
    private void sizeBuffers() {
        if (buffersSized) return;
        buffersSized = true;
        int mfl = maxFragmentLength();
        if (mfl == 0) return;
        int size = mfl + AEAD_RECORD_OVERHEAD;
        in.shrink(size, Math.min(mfl + RECORD_OVERHEAD, MAX_RECORD));
    }

    // ------------------------------------------------------------------------------------------ the deadline

    /** Caller holds the input lock. The handshake's deadline runs from its first step. */
    private void startDeadline() {
        if (deadlineStarted) return;
        deadlineStarted = true;
        handshakeDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(handshakeTimeoutMillis);
    }

    private boolean deadlinePassed() {
        return deadlineStarted && !peer.handshakeComplete() && System.nanoTime() - handshakeDeadline >= 0;
    }

    /** A non-blocking step that would block: fails if the deadline has passed. @return false */
    private boolean checkDeadline() throws IOException {
        if (deadlinePassed()) throw handshakeTimedOut();
        return false;
    }

    /** Caller holds the input lock. A transport that can time out its reads waits at most until the deadline. */
    private void armReadTimeout() throws IOException {
        if (!(transport instanceof TimedTransport)) {
            if (deadlinePassed()) throw handshakeTimedOut();
            return;
        }
        TimedTransport timed = (TimedTransport) transport;
        long leftNanos = handshakeDeadline - System.nanoTime();
        if (leftNanos <= 0) throw handshakeTimedOut();
        // rounded up, so that a read timing out means the deadline has passed
        long left = (leftNanos + 999_999) / 1_000_000;
        if (transportReadTimeout < 0) transportReadTimeout = timed.readTimeout();
        int own = transportReadTimeout;
        int wait = (int) Math.min(left, Integer.MAX_VALUE);
        timed.setReadTimeout(own > 0 ? Math.min(own, wait) : wait);
    }

    /** Caller holds the input lock. Puts the transport's own read timeout back once the handshake is complete. */
    private void endDeadline() throws IOException {
        if (transportReadTimeout < 0) return;
        int own = transportReadTimeout;
        transportReadTimeout = -1;
        try {
            ((TimedTransport) transport).setReadTimeout(own);
        } catch (IOException e) {
            throw failAndNotify(new SslException(Failure.TRANSPORT_ERROR, "restoring the read timeout failed: " + e,
                    e));
        }
    }

    /**
     * Fails the connection with HANDSHAKE_TIMEOUT and tells the peer: user_canceled, then close_notify (RFC 8446
     * section 6.1: canceling a handshake for a reason unrelated to a protocol failure).
     */
    private IOException handshakeTimedOut() {
        SslException timeout;
        synchronized (this) {
            if (failure != null) return failure;
            timeout = new SslException(Failure.HANDSHAKE_TIMEOUT, "the handshake did not complete within "
                    + handshakeTimeoutMillis + " ms (SSLContext.setHandshakeTimeout); sent alert "
                    + Alerts.describe(AlertDescription.user_canceled), AlertDescription.user_canceled, null);
            failure = timeout;
        }
        try {
            bc.close(); // queues user_canceled and close_notify
        } catch (IOException | RuntimeException e) {
            timeout.addSuppressed(e);
        }
        notifyPeer(timeout);
        return timeout;
    }

    // ------------------------------------------------------------------------------------------ failures

    private void checkReadable() throws IOException {
        IOException f = failure;
        if (f == null) f = readError;
        if (f != null) throw f;
        if (closed) throw new SslException(Failure.CLOSED, "the connection is closed");
    }

    private void checkWritable() throws IOException {
        IOException f = failure;
        if (f != null) throw f;
        if (closed) throw new SslException(Failure.CLOSED, "the connection is closed");
        if (in.peerClosed()) {
            // (our answering close_notify may have met a closed socket: that is no error of this connection)
            throw new SslException(Failure.CLOSED,
                    "the peer closed the connection (close_notify); nothing more can be written");
        }
        f = out.error();
        if (f != null) throw f;
    }

    /** Fails BouncyCastle's side with {@code alert} for a reason it did not see itself. */
    private void abortQuietly(short alert, String message, Throwable cause) {
        try {
            bc.abort(alert, message, cause);
        } catch (IOException | RuntimeException | Error e) {
            // the alert could not be queued; the connection fails all the same
        }
    }

    /**
     * Records the connection's first fatal error (later ones are ignored: the first is the cause) and returns it
     * for the caller to throw. Callers that may send should use {@link #failAndNotify}.
     */
    private IOException fail(Throwable t) {
        IOException e = classify(t, peer);
        synchronized (this) {
            if (failure == null) failure = e;
            return failure;
        }
    }

    /** {@link #fail}, then tries to send the alert BouncyCastle queued for the peer. */
    private IOException failAndNotify(Throwable t) {
        IOException e = fail(t);
        notifyPeer(e);
        return e;
    }

    private void notifyPeer(IOException failure) {
        try {
            out.flush(false);
        } catch (IOException | RuntimeException x) {
            if (x != failure) failure.addSuppressed(x);
        }
    }

    /** ": why", from BouncyCastle's "alert_name(n); why" message; "" if it gave no reason. */
    private static String alertDetail(TlsFatalAlert alert) {
        String message = alert.getMessage();
        String prefix = Alerts.describe(alert.getAlertDescription());
        if (message == null || message.equals(prefix)) return "";
        if (message.startsWith(prefix + "; ")) message = message.substring(prefix.length() + 2);
        return ": " + message;
    }

    /** The fatal alert we sent for {@code t}: the one it carries, else the last one our peer object raised. */
    private static int alertSent(Throwable t, PeerState peer) {
        if (t instanceof TlsFatalAlert && !(t instanceof TlsFatalAlertReceived)) {
            return ((TlsFatalAlert) t).getAlertDescription();
        }
        return peer != null ? peer.alertRaised() : SslException.NO_ALERT;
    }

    /** Maps a BouncyCastle or transport failure to what the user sees. */
    static IOException classify(Throwable t, PeerState peer) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof CertificateRejectedException) {
                return SslException.rejected((CertificateRejectedException) c, alertSent(t, peer));
            }
            if (c instanceof LimitExceeded) {
                int alert = alertSent(t, peer);
                return new SslException(Failure.LIMIT_EXCEEDED, c.getMessage() + "; sent alert "
                        + Alerts.describe(alert), alert, c);
            }
            if (c instanceof SslException) return (SslException) c;
            if (c instanceof Drbg.EntropyFailure) {
                return new SslException(Failure.ENTROPY_FAILURE, c.getMessage(), AlertDescription.internal_error,
                        c.getCause());
            }
            if (c instanceof Identity.SignerFailure) {
                return new SslException(Failure.SIGNER_FAILURE, c.getMessage(), AlertDescription.internal_error,
                        c.getCause());
            }
            if (c.getCause() == c) break;
        }
        if (t instanceof TlsFatalAlertReceived) {
            short alert = ((TlsFatalAlertReceived) t).getAlertDescription();
            String when = peer != null && peer.handshakeComplete() ? "" : " during the handshake";
            return new SslException(Failure.ALERT_RECEIVED, "peer sent alert " + Alerts.describe(alert) + when,
                    alert, t);
        }
        if (t instanceof TlsFatalAlert) {
            short alert = ((TlsFatalAlert) t).getAlertDescription();
            Failure kind = Alerts.isNegotiationFailure(alert) ? Failure.HANDSHAKE_FAILURE
                    : alert == AlertDescription.internal_error ? Failure.INTERNAL_ERROR : Failure.PROTOCOL_ERROR;
            return new SslException(kind, "sent alert " + Alerts.describe(alert) + alertDetail((TlsFatalAlert) t),
                    alert, t);
        }
        if (t instanceof TlsNoCloseNotifyException) {
            return new SslException(Failure.TRUNCATED, "the peer closed the connection without close_notify", t);
        }
        int alert = peer != null ? peer.alertRaised() : -1;
        if (t instanceof IOException) {
            String message = t.getMessage() != null ? t.getMessage() : t.getClass().getName();
            return new SslException(Failure.PROTOCOL_ERROR, message, alert, t);
        }
        return new SslException(Failure.INTERNAL_ERROR, t.toString(), alert, t);
    }
}
