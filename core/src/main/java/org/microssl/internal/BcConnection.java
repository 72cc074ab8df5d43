package org.microssl.internal;

import java.io.IOException;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.ContentType;
import org.bouncycastle.tls.TlsClientProtocol;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsProtocol;
import org.bouncycastle.tls.TlsServerProtocol;
import org.bouncycastle.tls.crypto.TlsCrypto;
import org.microssl.x509.PathValidator;

/**
 * One connection's BouncyCastle protocol object (non-blocking mode), guarded: every call into it holds this
 * object's monitor, which is never held across a transport call, so the engine's input and output halves can
 * each use it between their own I/O. In front of it sit our peer (its callbacks and what they learn) and
 * {@link HandshakeGuard}; the record checks BouncyCastle would get wrong are made here.
 */
public final class BcConnection {
    private final TlsProtocol protocol;
    private final PeerState peer;
    private final GuardedProtocol guarded;
    private int changeCipherSpecs;

    private BcConnection(TlsProtocol protocol, PeerState peer, GuardedProtocol guarded) {
        this.protocol = protocol;
        this.peer = peer;
        this.guarded = guarded;
    }

    /** A server (serverHostname null) or a client; a client's ClientHello is queued, nothing is sent yet. */
    public static BcConnection open(Settings settings, TlsCrypto crypto, PathValidator validator,
            String serverHostname) throws IOException {
        HandshakeGuard guard = new HandshakeGuard(settings);
        if (settings.server) {
            if (!org.microssl.internal.crypto.Profile.serverSide()) {
                throw new UnsupportedOperationException("this build of microssl is client-only (no server side)");
            }
            ServerPeer serverPeer = new ServerPeer(crypto, settings, validator, guard.bouncyCastleLimit());
            GuardedServerProtocol p = new GuardedServerProtocol(guard);
            BcConnection c = new BcConnection(p, serverPeer.state, p);
            ((TlsServerProtocol) p).accept(serverPeer);
            return c;
        }
        ClientPeer clientPeer = new ClientPeer(crypto, settings, validator, serverHostname, guard.bouncyCastleLimit());
        GuardedClientProtocol p = new GuardedClientProtocol(guard);
        BcConnection c = new BcConnection(p, clientPeer.state, p);
        ((TlsClientProtocol) p).connect(clientPeer);
        return c;
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
        int size = protocol.previewInputRecord(header).getRecordSize();
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
        protocol.offerInput(buf, off, len);
        return protocol.isClosed();
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
        return protocol.getAvailableInputBytes();
    }

    public synchronized int readInput(byte[] b, int off, int len) {
        return protocol.readInput(b, off, len);
    }

    public synchronized int availableOutput() {
        return protocol.getAvailableOutputBytes();
    }

    public synchronized int readOutput(byte[] b, int off, int len) {
        return protocol.readOutput(b, off, len);
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
