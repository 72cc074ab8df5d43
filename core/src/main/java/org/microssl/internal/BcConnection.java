package org.microssl.internal;

import java.io.IOException;
import java.io.OutputStream;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.ByteQueue;
import org.bouncycastle.tls.ContentType;
import org.bouncycastle.tls.TlsClientProtocol;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsProtocol;
import org.bouncycastle.tls.TlsServerProtocol;
import org.bouncycastle.tls.crypto.TlsCrypto;
import org.microssl.internal.crypto.ConnectionCiphers;
import org.microssl.internal.crypto.RecordBuffers;
import org.microssl.x509.PathValidator;

/**
 * One connection's BouncyCastle protocol object (non-blocking mode), guarded: every call into it holds this
 * object's monitor, which is never held across a transport call, so the engine's input and output halves can
 * each use it between their own I/O. In front of it sit our peer (its callbacks and what they learn) and
 * {@link HandshakeGuard}; the record checks BouncyCastle would get wrong are made here.
 *
 * <p>Memory follows the traffic: received application data goes to our {@link PlaintextQueue}, not
 * BouncyCastle's, output is sent straight from BouncyCastle's queue ({@link #lendOutput}), and when a half is
 * idle the engine trims it ({@link #trimInput}, {@link #trimOutput}).
 */
public final class BcConnection {
    private final TlsProtocol protocol;
    private final PeerState peer;
    private final GuardedProtocol guarded;
    /** A server's skipping of rejected 0-RTT data (RFC 8446 section 4.2.10); null for a client. */
    private final EarlyDataSkip earlyData;
    private final PlaintextQueue plaintext;
    private final ByteQueue output;
    private final ConnectionCiphers ciphers = new ConnectionCiphers();
    private final Loan probe = new Loan();
    /** The output queue's array is left alone up to this size (ByteQueue's smallest is 512). */
    private static final int KEPT_QUEUE = 512;
    private int changeCipherSpecs;

    private BcConnection(TlsProtocol protocol, PeerState peer, GuardedProtocol guarded, EarlyDataSkip earlyData) {
        this.protocol = protocol;
        this.peer = peer;
        this.guarded = guarded;
        this.earlyData = earlyData;
        this.plaintext = guarded.plaintext();
        this.output = guarded.outputQueue();
    }

    /** A server (serverHostname null) or a client; a client's ClientHello is queued, nothing is sent yet. */
    public static BcConnection open(Settings settings, TlsCrypto crypto, PathValidator validator,
            String serverHostname) throws IOException {
        HandshakeGuard guard = new HandshakeGuard(settings);
        if (settings.server) return ServerSide.open(settings, crypto, validator, guard);
        ClientPeer clientPeer = new ClientPeer(crypto, settings, validator, serverHostname, guard.bouncyCastleLimit());
        GuardedClientProtocol p = new GuardedClientProtocol(guard);
        BcConnection c = new BcConnection(p, clientPeer.state, p, null);
        ((TlsClientProtocol) p).connect(clientPeer);
        return c;
    }

    /**
     * The server side, in a class of its own: the JVM loads and links a class when it is first used, so a client
     * never loads BouncyCastle's server protocol and ours (about 20 KB of class files, their Metaspace on a
     * device). In {@link #open} they would be loaded by the bytecode verifier, which loads a type to check it is
     * assignable where it is used.
     */
    private static final class ServerSide {
        private ServerSide() {}

        static BcConnection open(Settings settings, TlsCrypto crypto, PathValidator validator, HandshakeGuard guard)
                throws IOException {
            if (!org.microssl.internal.crypto.Profile.serverSide()) {
                throw org.microssl.internal.crypto.Profile.clientOnly();
            }
            ServerPeer serverPeer = new ServerPeer(crypto, settings, validator, guard.bouncyCastleLimit());
            EarlyDataSkip earlyData = new EarlyDataSkip();
            GuardedServerProtocol p = new GuardedServerProtocol(guard, earlyData);
            BcConnection c = new BcConnection(p, serverPeer.state, p, earlyData);
            ((TlsServerProtocol) p).accept(serverPeer);
            return c;
        }
    }

    /** What the peer callbacks learnt (thread-safe on its own). */
    public PeerState peer() {
        return peer;
    }

    /**
     * Checks a record header; a record version other than 3.x is protocol_version here, before BouncyCastle
     * throws a runtime exception on it.
     *
     * @return the whole record's size
     */
    public synchronized int previewRecord(byte[] header) throws IOException {
        int size = earlyData != null ? earlyDataPreview(header) : -1;
        if (size < 0) size = protocol.previewInputRecord(header).getRecordSize();
        if (header[1] != 3) {
            refuse(AlertDescription.protocol_version,
                    "a record's version is " + (header[1] & 0xff) + "." + (header[2] & 0xff) + ", not TLS's 3.x");
        }
        return size;
    }

    /**
     * Offers one whole record (BouncyCastle's in-place path: decrypted in the caller's buffer).
     *
     * @return true once the connection is closed: the peer's close_notify arrived (a fatal alert throws), and
     *     BouncyCastle has queued our answer
     */
    public synchronized boolean offerRecord(byte[] buf, int off, int len) throws IOException {
        if (buf[off] == ContentType.change_cipher_spec) checkChangeCipherSpec();
        if (earlyData != null && earlyDataDropped(buf, off, len)) return false;
        ciphers.enter(); // a record may make BouncyCastle create this connection's next cipher
        try {
            protocol.offerInput(buf, off, len);
        } finally {
            ciphers.exit();
        }
        return protocol.isClosed();
    }

    private int earlyDataPreview(byte[] header) throws IOException {
        try {
            return earlyData.preview(header);
        } catch (TlsFatalAlert e) {
            guarded.abort(e.getAlertDescription(), e.getMessage(), null);
            throw e;
        }
    }

    private boolean earlyDataDropped(byte[] buf, int off, int len) throws IOException {
        try {
            return earlyData.drop(buf, off, len);
        } catch (TlsFatalAlert e) {
            guarded.abort(e.getAlertDescription(), e.getMessage(), null);
            throw e;
        }
    }

    /**
     * A peer sends one change_cipher_spec per handshake: TLS 1.2's, or TLS 1.3's middlebox-compatibility one,
     * which BouncyCastle drops unseen however often it comes. A second one, or one after the handshake, is
     * unexpected_message (RFC 8446 section 5; no renegotiation in TLS 1.2).
     */
    private void checkChangeCipherSpec() throws IOException {
        if (++changeCipherSpecs == 1 && !peer.handshakeComplete()) return;
        refuse(AlertDescription.unexpected_message, (peer.handshakeComplete()
                ? "a change_cipher_spec record after the handshake"
                : "a second change_cipher_spec record in one handshake") + " (RFC 8446 section 5)");
    }

    private void refuse(short alert, String message) throws IOException {
        guarded.abort(alert, message, null);
        throw new TlsFatalAlert(alert, message);
    }

    public synchronized int availableInput() {
        return plaintext.available();
    }

    public synchronized int readInput(byte[] b, int off, int len) {
        return plaintext.read(b, off, len);
    }

    public synchronized int availableOutput() {
        return protocol.getAvailableOutputBytes();
    }

    public synchronized int readOutput(byte[] b, int off, int len) {
        return protocol.readOutput(b, off, len);
    }

    /**
     * Lends the queued output for one transport write without copying it: {@code loan} is set to the region of
     * BouncyCastle's own array, which stays queued (and counted by {@link #availableOutput}) until
     * {@link #endLoan}. Safe across the write with this monitor released because the region starts at the array's
     * start: {@code ByteQueue.addData} then only appends after it or moves everything to a new array, never over
     * it. Output that does not start there (after a partial removal) is copied out instead.
     *
     * @return false if nothing is queued
     */
    public synchronized boolean lendOutput(Loan loan) {
        int n = output.available();
        if (n == 0) return false;
        try {
            output.copyTo(loan, n); // sets loan.buf and loan.off to the queue's own array and data offset
        } catch (IOException e) {
            throw new IllegalStateException(e); // Loan.write throws nothing
        }
        if (loan.off != 0) {
            byte[] copy = n <= RecordBuffers.SIZE ? RecordBuffers.take() : new byte[n];
            output.removeData(copy, 0, n, 0);
            loan.buf = copy;
            loan.off = 0;
            loan.owned = true;
        }
        loan.len = n;
        return true;
    }

    /** The transport took the whole loan (or never will): it leaves the queue. */
    public synchronized void endLoan(Loan loan) {
        if (loan.owned) {
            RecordBuffers.give(loan.buf);
        } else if (loan.len > 0) {
            output.removeData(loan.len);
        }
        loan.buf = null;
        loan.off = loan.len = 0;
        loan.owned = false;
    }

    /**
     * The output half is idle (nothing queued, nothing lent): the queue and the sealing cipher let go of memory.
     * BouncyCastle's queue grows to the power of two above a record (32 KiB for a 16 KiB one) and never shrinks
     * itself; shrunk, it allocates again for the next record, so a queue of at most {@link #KEPT_QUEUE} bytes
     * (small records: no record-sized buffer) is kept.
     */
    public synchronized void trimOutput() {
        if (output.available() != 0) return;
        try {
            output.copyTo(probe, 0); // learns the queue's array, to see its size
        } catch (IOException e) {
            throw new IllegalStateException(e); // Loan.write throws nothing
        }
        if (probe.buf.length > KEPT_QUEUE) output.shrink();
        probe.buf = null;
        ciphers.trimEncrypt();
    }

    /** The input half is idle (no partial record, nothing unread): the opening cipher lets go of its tables. */
    public synchronized void trimInput() {
        if (plaintext.available() != 0) return;
        ciphers.trimDecrypt();
    }

    /** A region of BouncyCastle's output queue (or, rarely, a copy of it) lent for one transport write. */
    public static final class Loan extends OutputStream {
        public byte[] buf;
        public int off;
        public int len;
        boolean owned;

        @Override
        public void write(int b) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void write(byte[] b, int off, int len) {
            this.buf = b;
            this.off = off;
        }
    }

    /** Encrypts at most one record of {@code b}. @return the bytes taken */
    public synchronized int writeRecord(byte[] b, int off, int len) throws IOException {
        int chunk = Math.min(protocol.getApplicationDataLimit(), len);
        protocol.writeApplicationData(b, off, chunk);
        return chunk;
    }

    /** Queues close_notify (and user_canceled before the handshake completed), unless already closed. */
    public synchronized void close() throws IOException {
        if (!protocol.isClosed()) protocol.close();
    }

    /** Fails BouncyCastle's side for a reason it did not see itself: queues the fatal alert and closes it. */
    public synchronized void abort(short alert, String message, Throwable cause) throws IOException {
        guarded.abort(alert, message, cause);
    }
}
