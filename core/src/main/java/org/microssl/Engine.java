package org.microssl;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.ContentType;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SecurityParameters;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.bouncycastle.tls.TlsNoCloseNotifyException;
import org.bouncycastle.tls.TlsProtocol;
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
 * The record pump: one TLS connection driven through BouncyCastle's non-blocking mode ({@code offerInput} /
 * {@code readOutput}) over a {@link Transport}. The same code serves blocking transports (a transport call always
 * makes progress, so loops run until done) and non-blocking ones (a transport call returning 0 makes the operation
 * return {@link #WOULD_BLOCK}, and {@link #wantsRead()} / {@link #wantsWrite()} say which direction to wait for).
 *
 * <p>Locking, so that one thread may read while another writes without either waiting on the other's transport
 * call: {@code readLock} serialises readers (and the handshake, which reads) and is held while blocked in a
 * transport read; {@code writeLock} serialises transport writes and owns the pending output; {@code stateLock}
 * guards the BouncyCastle protocol object and is never held across a transport call. Order: readLock, writeLock,
 * stateLock. A reader that has output to send (a KeyUpdate answer, an alert) while a writer holds writeLock
 * leaves it to that writer ({@link #flush}), instead of waiting for a write that may be blocked on a peer that is
 * itself waiting for us to read.
 *
 * <p>The first fatal error sticks: it is stored and every later call rethrows it (BearSSL's
 * {@code br_ssl_engine_fail}, Go's {@code halfConn.err}).
 */
final class Engine {
    public static final int EOF = -1;
    public static final int WOULD_BLOCK = -2;

    /**
     * Transfer buffers' starting size without max_fragment_length. The input buffer grows (once, in practice) when
     * a larger record arrives: it must hold a whole record, see {@link #readTransport}.
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
    private static final int RECORD_HEADER = 5; // type, legacy_record_version, length (RFC 8446 section 5.1)

    private static final int BLOCKED_NONE = 0;
    private static final int BLOCKED_READ = 1;
    private static final int BLOCKED_WRITE = 2;

    /** {@link #flush} outcomes. */
    private static final int FLUSHED = 0;
    private static final int FLUSH_WOULD_BLOCK = 1;
    private static final int FLUSH_LEFT_TO_WRITER = 2;

    private final Object readLock = new Object();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Object stateLock = new Object();

    private final Transport transport;
    private final BcConnection bc;
    private final TlsProtocol protocol;
    private final PeerState peer;
    private final boolean server;

    private volatile byte[] inBuf; // replaced under readLock
    private byte[] outBuf; // writeLock
    private int outOff; // writeLock
    private volatile int outLen; // written under writeLock
    private volatile int shrinkOutBufTo; // set once the negotiated record size is known
    private volatile boolean flushRequested;
    /** The handshake is complete and its last flight went out: reads no longer pass through the handshake. */
    private volatile boolean established;
    private boolean buffersSized; // readLock
    // Received bytes not yet offered (readLock): inBuf[inStart, inFill) is the start of one record, never a whole
    // one (whole records are offered as soon as they arrive); inRecordSize is its size once its header is complete.
    private int inStart;
    private int inFill;
    private int inRecordSize;
    /** How far inBuf may grow: {@link #MAX_RECORD}, or less after max_fragment_length. readLock. */
    private int recordLimit = MAX_RECORD;
    private final byte[] recordHeader = new byte[RECORD_HEADER]; // readLock
    private int changeCipherSpecs; // stateLock

    private volatile IOException failure;
    private volatile boolean closed;
    private volatile boolean peerClosed;
    private volatile int blockedOn = BLOCKED_NONE;

    private final long handshakeTimeoutMillis;
    /** System.nanoTime() by which the handshake must complete; set by its first step. readLock. */
    private long handshakeDeadline;
    private boolean deadlineStarted; // readLock
    /** The transport's own read timeout, put back once the handshake is done (TimedTransport only). readLock. */
    private int transportReadTimeout = -1;

    Engine(Settings settings, Transport transport, TlsCrypto crypto, PathValidator validator,
            String serverHostname) throws IOException {
        this.transport = transport;
        this.server = settings.server;
        int size = settings.maxFragmentLength != 0
                ? Math.min(settings.maxFragmentLength + AEAD_RECORD_OVERHEAD, DEFAULT_TRANSFER_BUFFER)
                : DEFAULT_TRANSFER_BUFFER;
        this.inBuf = new byte[size];
        this.outBuf = new byte[size];
        this.handshakeTimeoutMillis = settings.handshakeTimeoutMillis;
        BcConnection connection;
        try {
            connection = BcConnection.open(settings, crypto, validator, serverHostname);
        } catch (IOException | RuntimeException | Error e) {
            throw classify(e);
        }
        this.bc = connection;
        this.protocol = connection.protocol;
        this.peer = connection.peer;
    }

    // ------------------------------------------------------------------------------------------ operations

    /** Drives the handshake. @return true when complete, false if the transport would block */
    public boolean handshake() throws IOException {
        synchronized (readLock) {
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
        synchronized (readLock) {
            if (!established && !advanceHandshake()) return WOULD_BLOCK;
            while (true) {
                boolean outputPending;
                synchronized (stateLock) {
                    checkUsable();
                    try {
                        int available = protocol.getAvailableInputBytes();
                        if (available > 0) {
                            blockedOn = BLOCKED_NONE;
                            return protocol.readInput(b, off, Math.min(len, available));
                        }
                        outputPending = outLen > 0 || protocol.getAvailableOutputBytes() > 0;
                    } catch (RuntimeException | Error e) {
                        throw fail(e);
                    }
                    if (peerClosed) return EOF;
                    if (len == 0) return 0;
                }
                // e.g. a KeyUpdate answer; a full transport must not stop us reading
                if (outputPending) flushOrFail(false);
                if (readTransport() == 0) {
                    blockedOn = BLOCKED_READ;
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
            synchronized (readLock) {
                if (!advanceHandshake()) return WOULD_BLOCK;
            }
        }
        writeLock.lock();
        try {
            checkUsableForWrite();
            // Output still pending from an earlier call goes first; until it has, take nothing new.
            if (drainOrFail() == FLUSH_WOULD_BLOCK) {
                blockedOn = BLOCKED_WRITE;
                return WOULD_BLOCK;
            }
            int done = 0;
            while (done < len) {
                IOException failed = null;
                synchronized (stateLock) {
                    checkUsableForWrite();
                    int chunk = Math.min(protocol.getApplicationDataLimit(), len - done);
                    try {
                        protocol.writeApplicationData(b, off + done, chunk);
                        done += chunk;
                    } catch (IOException | RuntimeException | Error e) {
                        failed = fail(e);
                    }
                }
                if (failed != null) {
                    try {
                        drain(); // the alert BouncyCastle queued
                    } catch (IOException | RuntimeException x) {
                        if (x != failed) failed.addSuppressed(x);
                    }
                    throw failed;
                }
                // One record at a time: BouncyCastle's output queue never holds more than one record.
                if (drainOrFail() == FLUSH_WOULD_BLOCK) break;
            }
            blockedOn = BLOCKED_NONE;
            return done;
        } finally {
            releaseWriteLock();
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
        synchronized (stateLock) {
            if (closed) return;
            closed = true;
            // After the peer's close_notify our answer was already attempted (see readTransport).
            sendCloseNotify = failure == null && !peerClosed;
            if (sendCloseNotify && !protocol.isClosed()) {
                try {
                    protocol.close(); // queues close_notify
                } catch (IOException | RuntimeException e) {
                    sendCloseNotify = false;
                    error = new SslException(Failure.INTERNAL_ERROR, "queueing close_notify failed: " + e, e);
                }
            }
        }
        try {
            if (sendCloseNotify && writeLock.tryLock(1, TimeUnit.SECONDS)) {
                try {
                    drain();
                } finally {
                    writeLock.unlock();
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
        synchronized (stateLock) {
            return failure == null && !closed ? protocol.getAvailableInputBytes() : 0;
        }
    }

    /** Whether encrypted bytes are waiting for the transport to accept them. */
    public boolean wantsWrite() {
        if (outLen > 0) return true;
        synchronized (stateLock) {
            return failure == null && !closed && protocol.getAvailableOutputBytes() > 0;
        }
    }

    /** Whether the last operation that returned WOULD_BLOCK waits for bytes from the peer. */
    public boolean wantsRead() {
        return blockedOn == BLOCKED_READ && !wantsWrite();
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

    /** Negotiated max_fragment_length in bytes, or 0 if none. */
    public int maxFragmentLength() {
        SecurityParameters p = peer.connectionParameters();
        if (p == null || p.getMaxFragmentLength() < 1) return 0;
        return 1 << (8 + p.getMaxFragmentLength());
    }

    /** The input transfer buffer's size in bytes (the output one is at most this), for tests and memory figures. */
    public int transferBufferSize() {
        return inBuf.length;
    }

    // ------------------------------------------------------------------------------------------ the pump

    /** Caller holds readLock. @return true once the handshake is complete */
    private boolean advanceHandshake() throws IOException {
        startDeadline();
        while (true) {
            boolean complete;
            synchronized (stateLock) {
                checkUsable();
                complete = peer.handshakeComplete();
            }
            if (complete) {
                endDeadline();
                sizeBuffers();
                // Our last flight. Never wait here: a writer may hold the transport (it then sends the flight).
                if (flushOrFail(false) == FLUSHED) established = true;
                return true;
            }
            if (flushOrFail(true) == FLUSH_WOULD_BLOCK) {
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

    // ------------------------------------------------------------------------------------------ the deadline

    /** Caller holds readLock. The handshake's deadline runs from its first step. */
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

    /** Caller holds readLock. A transport that can time out its reads waits at most until the deadline. */
    private void armReadTimeout() throws IOException {
        if (!(transport instanceof TimedTransport)) {
            if (deadlinePassed()) throw handshakeTimedOut();
            return;
        }
        TimedTransport timed = (TimedTransport) transport;
        long left = TimeUnit.NANOSECONDS.toMillis(handshakeDeadline - System.nanoTime());
        if (left <= 0) throw handshakeTimedOut();
        if (transportReadTimeout < 0) transportReadTimeout = timed.readTimeout();
        int own = transportReadTimeout;
        int wait = (int) Math.min(left, Integer.MAX_VALUE);
        timed.setReadTimeout(own > 0 ? Math.min(own, wait) : wait);
    }

    /** Caller holds readLock. Puts the transport's own read timeout back once the handshake is complete. */
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
        synchronized (stateLock) {
            if (failure != null) return failure;
            timeout = new SslException(Failure.HANDSHAKE_TIMEOUT, "the handshake did not complete within "
                    + handshakeTimeoutMillis + " ms (SSLContext.setHandshakeTimeout); sent alert "
                    + Alerts.describe(AlertDescription.user_canceled), AlertDescription.user_canceled, null);
            failure = timeout;
            try {
                protocol.close(); // queues user_canceled and close_notify
            } catch (IOException | RuntimeException e) {
                timeout.addSuppressed(e);
            }
        }
        notifyPeer(timeout);
        return timeout;
    }

    /** Fails BouncyCastle's side with {@code alert} for a reason it did not see itself. Caller holds stateLock. */
    private void abortQuietly(short alert, String message, Throwable cause) {
        try {
            bc.abort(alert, message, cause);
        } catch (IOException | RuntimeException | Error e) {
            // the alert could not be queued; the connection fails all the same
        }
    }

    /**
     * Caller holds readLock (and no other lock: a blocking read may take long). Reads what the transport has, up
     * to the free space in inBuf, then offers BouncyCastle every record that is now complete, each whole in its
     * own {@code offerInput} call: that is its in-place path (decrypt in our buffer, nothing queued or allocated);
     * partial input would be copied into its queue and every record re-allocated. One transport call can bring
     * many small records (one system call instead of two per record), and no complete record is ever left
     * undecrypted here, so {@link #available()} counts all that arrived and a poll loop never waits on a socket
     * for bytes we already hold. Each header is checked by BouncyCastle ({@code previewInputRecord}) as soon as it
     * is complete, so a bad content type or an over-long record (record_overflow, RFC 8446 section 5.2) fails at
     * once instead of waiting for a body that may never come.
     *
     * @return bytes read, 0 if the transport would block, -1 at end of stream after close_notify
     */
    private int readTransport() throws IOException {
        byte[] buf = makeRoom();
        int n;
        try {
            n = transport.read(buf, inFill, buf.length - inFill);
        } catch (InterruptedIOException e) {
            if (deadlinePassed()) throw handshakeTimedOut();
            throw e; // a read timeout: nothing was consumed, the connection (and the partial record) is intact
        } catch (IOException e) {
            if (closed && failure == null) {
                throw new SslException(Failure.CLOSED, "the connection was closed during a read", e);
            }
            throw failAndNotify(new SslException(Failure.TRANSPORT_ERROR, "transport read failed: " + e, e));
        }
        if (n == 0) return 0; // nothing arrived; a failure meanwhile is reported by the next call
        boolean closeNotifyArrived = false;
        IOException failed = null;
        synchronized (stateLock) {
            checkUsable();
            if (n < 0) {
                if (peerClosed) return -1;
                String when = peer.handshakeComplete() ? "" : " during the handshake";
                String where = inFill > inStart ? ", in the middle of a record" : "";
                throw fail(new SslException(Failure.TRUNCATED,
                        "the peer closed the connection without close_notify" + when + where));
            }
            inFill += n;
            try {
                while (true) {
                    int buffered = inFill - inStart;
                    if (inRecordSize == 0) {
                        if (buffered < RECORD_HEADER) break;
                        System.arraycopy(buf, inStart, recordHeader, 0, RECORD_HEADER);
                        inRecordSize = protocol.previewInputRecord(recordHeader).getRecordSize(); // throws if bad
                        if (recordHeader[1] != 3) refuse(AlertDescription.protocol_version, "a record's version is "
                                + (recordHeader[1] & 0xff) + "." + (recordHeader[2] & 0xff) + ", not TLS's 3.x");
                    }
                    if (buffered < inRecordSize) break; // more of this record to come; makeRoom() fits it
                    int at = inStart;
                    int size = inRecordSize;
                    inStart += size;
                    inRecordSize = 0;
                    if (buf[at] == ContentType.change_cipher_spec) checkChangeCipherSpec();
                    protocol.offerInput(buf, at, size);
                    if (protocol.isClosed()) {
                        // A close_notify arrived (fatal alerts throw); nothing after it belongs to the stream.
                        closeNotifyArrived = !peerClosed;
                        peerClosed = true;
                        inStart = inFill;
                        break;
                    }
                }
                if (inStart == inFill) inStart = inFill = 0;
            } catch (IOException | RuntimeException e) {
                failed = fail(e);
            } catch (Error e) {
                // BouncyCastle lets an Error through with its state half-updated: fail it too, with internal_error.
                abortQuietly(AlertDescription.internal_error, "microssl failed: " + e, e);
                failed = fail(e);
            }
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
                flush(false);
            } catch (IOException e) {
                outLen = 0;
            }
            return n;
        }
        flushOrFail(false);
        return n;
    }

    /**
     * Caller holds stateLock. A peer sends one change_cipher_spec per handshake: TLS 1.2's, or TLS 1.3's
     * middlebox-compatibility one, which BouncyCastle drops unseen however often it comes. A second one, or one
     * after the handshake, is unexpected_message (RFC 8446 section 5; no renegotiation in TLS 1.2).
     */
    private void checkChangeCipherSpec() throws IOException {
        if (++changeCipherSpecs == 1 && !peer.handshakeComplete()) return;
        refuse(AlertDescription.unexpected_message, (peer.handshakeComplete()
                ? "a change_cipher_spec record after the handshake"
                : "a second change_cipher_spec record in one handshake") + " (RFC 8446 section 5)");
    }

    /** Caller holds stateLock. Fails the connection for a record BouncyCastle would mishandle, with {@code alert}. */
    private void refuse(short alert, String message) throws IOException {
        bc.abort(alert, message, null);
        throw new TlsFatalAlert(alert, message);
    }

    /**
     * Caller holds readLock. Makes sure inBuf has free space after inFill and room for the whole record in
     * progress from where it starts: moves that partial record to the front, or grows inBuf to at least the
     * record (at most recordLimit, at least doubling, so a connection reaches full-size records in one or two
     * steps; an idle connection never grows, a max_fragment_length one at most to its limit).
     */
    private byte[] makeRoom() {
        byte[] buf = inBuf;
        int need = inRecordSize != 0 ? inRecordSize : RECORD_HEADER;
        if (inStart + need <= buf.length) return buf;
        int buffered = inFill - inStart;
        byte[] to = need <= buf.length ? buf : new byte[Math.max(need, Math.min(recordLimit, 2 * buf.length))];
        System.arraycopy(buf, inStart, to, 0, buffered);
        inStart = 0;
        inFill = buffered;
        inBuf = to;
        return to;
    }

    /**
     * Moves BouncyCastle's output to the transport. Caller holds no stateLock. If another thread is writing
     * ({@code wait} false), the output is left to it: it looks again before it lets go of the transport.
     */
    private int flush(boolean wait) throws IOException {
        if (wait) {
            writeLock.lock();
        } else if (!writeLock.tryLock()) {
            flushRequested = true;
            // The holder may have looked for output just before we asked: take over if it has let go meanwhile.
            if (!writeLock.tryLock()) return FLUSH_LEFT_TO_WRITER;
        }
        try {
            return drain();
        } finally {
            releaseWriteLock();
        }
    }

    private int flushOrFail(boolean wait) throws IOException {
        try {
            return flush(wait);
        } catch (IOException | RuntimeException | Error e) {
            throw failAndNotify(e);
        }
    }

    private int drainOrFail() throws IOException {
        try {
            return drain();
        } catch (IOException | RuntimeException | Error e) {
            throw failAndNotify(e);
        }
    }

    /** Caller holds writeLock. @return FLUSHED or FLUSH_WOULD_BLOCK */
    private int drain() throws IOException {
        flushRequested = false;
        // Whether BouncyCastle may hold output we have not taken. Output another thread queues meanwhile comes
        // with flushRequested, which releaseWriteLock() serves: no need to look again after our last piece.
        boolean more = true;
        while (true) {
            if (outLen == 0) {
                if (!more) return FLUSHED;
                if (shrinkOutBufTo > 0 && shrinkOutBufTo < outBuf.length) outBuf = new byte[shrinkOutBufTo];
                synchronized (stateLock) {
                    if (protocol.getAvailableOutputBytes() == 0) return FLUSHED;
                    outOff = 0;
                    outLen = protocol.readOutput(outBuf, 0, outBuf.length);
                    more = protocol.getAvailableOutputBytes() > 0;
                }
            }
            int n;
            try {
                n = transport.write(outBuf, outOff, outLen);
            } catch (IOException e) {
                outLen = 0; // the connection is dead; pending bytes can never go
                if (closed) throw new SslException(Failure.CLOSED, "the connection was closed during a write", e);
                throw new SslException(Failure.TRANSPORT_ERROR, "transport write failed: " + e, e);
            }
            if (n <= 0) return FLUSH_WOULD_BLOCK;
            outOff += n;
            outLen -= n;
        }
    }

    /** Lets go of writeLock, then sends what a reader left to us while we held it. */
    private void releaseWriteLock() throws IOException {
        writeLock.unlock();
        while (flushRequested && writeLock.tryLock()) {
            try {
                if (drain() == FLUSH_WOULD_BLOCK) return;
            } catch (IOException | RuntimeException e) {
                throw failAndNotify(e);
            } finally {
                writeLock.unlock();
            }
        }
    }

    /**
     * Caller holds readLock. Once negotiated, a smaller max_fragment_length shrinks the transfer buffers
     * (RFC 6066 section 4): the input one now, the output one when it is next empty.
     */
    private void sizeBuffers() {
        if (buffersSized) return;
        buffersSized = true;
        int mfl = maxFragmentLength();
        if (mfl == 0) return;
        recordLimit = Math.min(mfl + RECORD_OVERHEAD, MAX_RECORD);
        int size = mfl + AEAD_RECORD_OVERHEAD;
        // Bytes already received after the handshake's last record move along; if they do not fit (a peer
        // ignoring the limit), inBuf keeps its size and the record layer rejects what is too long.
        int buffered = inFill - inStart;
        if (size < inBuf.length && buffered <= size) {
            byte[] smaller = new byte[size];
            System.arraycopy(inBuf, inStart, smaller, 0, buffered);
            inBuf = smaller;
            inStart = 0;
            inFill = buffered;
        }
        shrinkOutBufTo = size;
    }

    private void checkUsable() throws IOException {
        IOException f = failure;
        if (f != null) throw f;
        if (closed) throw new SslException(Failure.CLOSED, "the connection is closed");
    }

    private void checkUsableForWrite() throws IOException {
        checkUsable();
        if (peerClosed) {
            throw new SslException(Failure.CLOSED,
                    "the peer closed the connection (close_notify); nothing more can be written");
        }
    }

    /**
     * Records the first fatal error (later ones are ignored: the first is the cause) and returns it for the
     * caller to throw. Callers holding no lock should use {@link #failAndNotify}.
     */
    private IOException fail(Throwable t) {
        synchronized (stateLock) {
            if (failure != null) return failure;
            IOException e = classify(t);
            failure = e;
            return e;
        }
    }

    /** {@link #fail}, then tries to send the alert BouncyCastle queued for the peer. Caller holds no stateLock. */
    private IOException failAndNotify(Throwable t) {
        IOException e = fail(t);
        notifyPeer(e);
        return e;
    }

    private void notifyPeer(IOException failure) {
        try {
            flush(false);
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
    private int alertSent(Throwable t) {
        if (t instanceof TlsFatalAlert && !(t instanceof TlsFatalAlertReceived)) {
            return ((TlsFatalAlert) t).getAlertDescription();
        }
        return peer != null ? peer.alertRaised() : SslException.NO_ALERT;
    }

    /** Maps a BouncyCastle or transport failure to what the user sees. */
    private IOException classify(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof CertificateRejectedException) {
                return SslException.rejected((CertificateRejectedException) c, alertSent(t));
            }
            if (c instanceof LimitExceeded) {
                int alert = alertSent(t);
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
