package org.microssl;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.bouncycastle.tls.TlsTimeoutException;
import org.microssl.SslException.Failure;
import org.microssl.internal.DtlsConnection;
import org.microssl.internal.DtlsSuites;
import org.microssl.internal.PeerCertificates;
import org.microssl.internal.PeerState;
import org.microssl.spi.DatagramTransport;

/**
 * A DTLS 1.2 connection (MicroPython's {@code PROTOCOL_DTLS_CLIENT}/{@code PROTOCOL_DTLS_SERVER} socket), from
 * {@link SSLContext#wrapDatagram}: the surface of {@link SSLSocket} where datagrams make sense. Each
 * {@link #write} sends one record in one datagram (at most {@link #maxDatagram()} bytes); each {@link #recv}
 * returns the application data of one record, never part of two and never one twice (RFC 6347's replay window).
 * Datagrams that are lost are lost: DTLS retransmits its handshake, not application data.
 *
 * <p>Failures are {@link SslException}s and the first one sticks, as on {@link SSLSocket}. Forged, corrupt or
 * replayed datagrams are dropped silently (RFC 6347 section 4.1.2.7) and never fail the connection.
 *
 * <p>One thread may read while another writes.
 */
public final class DtlsSocket implements Closeable {
    private final DtlsConnection dtls;
    private final DatagramTransport transport;
    private final Diagnostics diagnostics;
    private final String serverHostname;
    private final Object request; // server: the verified ClientHello
    private final byte[] clientId;
    private final Object handshakeLock = new Object();
    private final Object readLock = new Object();
    private volatile boolean established;
    private volatile IOException failure;
    private volatile boolean closed;
    private volatile boolean eof;
    private volatile int timeoutMillis;
    /**
     * The buffer of the read in progress (readLock); dropped after each read, so an idle association holds no
     * record-sized buffer (BouncyCastle allocates one per receive call anyway).
     */
    private byte[] readBuffer;

    DtlsSocket(DtlsConnection dtls, DatagramTransport transport, Diagnostics diagnostics, String serverHostname,
            Object request, byte[] clientId) {
        this.dtls = dtls;
        this.transport = transport;
        this.diagnostics = diagnostics;
        this.serverHostname = serverHostname;
        this.request = request;
        this.clientId = clientId == null ? null : clientId.clone();
    }

    /**
     * Runs the handshake if it has not run (blocking, retransmitting lost flights, bounded by
     * {@link SSLContext#setHandshakeTimeout}). Called by {@code wrapDatagram} unless asked not to.
     *
     * @return true
     */
    public boolean doHandshake() throws IOException {
        synchronized (handshakeLock) {
            checkUsable();
            if (established) return true;
            try {
                dtls.handshake(request);
            } catch (Throwable t) {
                throw fail(t);
            }
            established = true;
            if (diagnostics != null) {
                diagnostics.handshakeCompleted(version(), cipher()[0], peerSubject());
            }
            return true;
        }
    }

    /**
     * Read timeout for {@link #recv}: 0 (the default) waits for ever; otherwise a read that waits longer throws
     * {@link SocketTimeoutException} and the connection stays usable.
     */
    public void setTimeout(int millis) {
        if (millis < 0) throw new IllegalArgumentException("timeout must be 0 (none) or positive");
        timeoutMillis = millis;
    }

    public int getTimeout() {
        return timeoutMillis;
    }

    /**
     * The application data of the next record (one datagram's worth), whole.
     *
     * @return the data; an empty array once the peer has sent close_notify (empty records are skipped)
     * @throws SocketTimeoutException when {@link #setTimeout} passes first
     */
    public byte[] recv() throws IOException {
        return recv(Integer.MAX_VALUE);
    }

    /**
     * As {@link #recv()}, at most {@code n} bytes of the record: the rest of that record is discarded, as a UDP
     * socket's {@code recv} discards the rest of a datagram.
     */
    public byte[] recv(int n) throws IOException {
        if (n < 0) throw new IllegalArgumentException("n must not be negative");
        synchronized (readLock) {
            try {
                int len = receive();
                if (len < 0) return new byte[0];
                byte[] out = new byte[Math.min(n, len)];
                System.arraycopy(readBuffer, 0, out, 0, out.length);
                return out;
            } finally {
                readBuffer = null;
            }
        }
    }

    /** MicroPython's {@code read(n)} on a DTLS socket: one record, as {@link #recv(int)}. */
    public byte[] read(int n) throws IOException {
        return recv(n);
    }

    /**
     * One record's data into {@code buf} (what does not fit is discarded, see {@link #recv(int)}).
     *
     * @return bytes stored; 0 once the peer has sent close_notify
     */
    public Integer readinto(byte[] buf) throws IOException {
        synchronized (readLock) {
            try {
                int len = receive();
                if (len < 0) return 0;
                int n = Math.min(len, buf.length);
                System.arraycopy(readBuffer, 0, buf, 0, n);
                return n;
            } finally {
                readBuffer = null;
            }
        }
    }

    /** @return the record's length in {@link #readBuffer}, or -1 at end of stream. readLock. */
    private int receive() throws IOException {
        doHandshake();
        if (readBuffer == null) readBuffer = new byte[dtls.receiveLimit()];
        long deadline = timeoutMillis == 0 ? 0 : System.nanoTime() + timeoutMillis * 1000000L;
        while (true) {
            checkUsable();
            if (eof) return -1;
            int wait = 0;
            if (deadline != 0) {
                long left = (deadline - System.nanoTime()) / 1000000L;
                if (left <= 0) throw new SocketTimeoutException("no datagram within " + timeoutMillis + " ms");
                wait = (int) Math.min(Integer.MAX_VALUE, left);
            }
            int n;
            try {
                n = dtls.receive(readBuffer, 0, readBuffer.length, wait);
            } catch (Throwable t) {
                if (dtls.closeNotifyReceived()) {
                    eof = true;
                    return -1;
                }
                throw fail(t);
            }
            if (dtls.closeNotifyReceived()) {
                eof = true;
                if (diagnostics != null) diagnostics.closeNotifyReceived();
                return -1;
            }
            if (n > 0) return n;
            // n == 0: an empty record, skipped; n < 0: the wait passed (or only dropped datagrams came)
        }
    }

    /**
     * Sends {@code buf} as one record in one datagram.
     *
     * @return the bytes sent (all of them)
     * @throws IllegalArgumentException if it exceeds {@link #maxDatagram()}
     */
    public Integer write(byte[] buf) throws IOException {
        return write(buf, 0, buf.length);
    }

    public Integer write(byte[] buf, int off, int len) throws IOException {
        if (off < 0 || len < 0 || off + len > buf.length) throw new IndexOutOfBoundsException();
        doHandshake();
        int limit = maxDatagram();
        if (len > limit) {
            throw new IllegalArgumentException("a DTLS write is one datagram: " + len + " bytes exceed the "
                    + limit + " that fit the MTU of " + transport.mtu());
        }
        checkUsable();
        try {
            dtls.send(buf, off, len);
        } catch (Throwable t) {
            throw fail(t);
        }
        return len;
    }

    /** The most application data one {@link #write} can carry: the MTU less the record's header and expansion. */
    public int maxDatagram() throws IOException {
        doHandshake();
        try {
            return dtls.sendLimit();
        } catch (Throwable t) {
            throw fail(t);
        }
    }

    /** Sends close_notify if the connection is healthy, then closes the transport. Idempotent. */
    @Override
    public void close() throws IOException {
        if (closed) return;
        closed = true;
        try {
            if (failure == null) {
                dtls.close();
                if (established && diagnostics != null) diagnostics.closeNotifySent();
            }
        } finally {
            transport.close();
        }
    }

    /** As {@link SSLSocket#getpeercert(boolean)}. */
    public Object getpeercert(boolean binaryForm) {
        PeerState peer = dtls.peer();
        if (!established || !peer.handshakeComplete()) return null;
        List<byte[]> chain = peer.peerChain();
        if (chain.isEmpty()) return null;
        if (binaryForm) return chain.get(0).clone();
        if (!peer.peerValidated()) return Collections.<String, Object>emptyMap();
        return PeerCertificates.decode(chain.get(0));
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> getpeercert() {
        return (Map<String, Object>) getpeercert(false);
    }

    /** The peer's certificate chain as it sent it (DER copies), or null. */
    public List<byte[]> getPeerCertChain() {
        PeerState peer = dtls.peer();
        if (!established || peer.peerChain().isEmpty()) return null;
        List<byte[]> out = new ArrayList<byte[]>();
        for (byte[] der : peer.peerChain()) out.add(der.clone());
        return out;
    }

    /** {name, "DTLSv1.2", secret bits}, e.g. {@code {"TLS_PSK_WITH_AES_128_CCM_8", "DTLSv1.2", "128"}}. */
    public String[] cipher() {
        if (!established) return null;
        int suite = dtls.peer().connectionParameters().getCipherSuite();
        return new String[] {DtlsSuites.name(suite), "DTLSv1.2", String.valueOf(DtlsSuites.secretBits(suite))};
    }

    /** The peer certificate's subject, or null if it sent none. */
    private String peerSubject() {
        List<byte[]> sent = dtls.peer().peerChain();
        if (sent.isEmpty()) return null;
        try {
            return org.bouncycastle.asn1.x509.Certificate.getInstance(sent.get(0)).getSubject().toString();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** "DTLSv1.2" once the handshake is complete, else null. */
    public String version() {
        return established ? "DTLSv1.2" : null;
    }

    /** The SNI name: the one sent (client) or received (server); null if none. */
    public String serverHostname() {
        String name = dtls.peer().serverName();
        return name != null ? name : serverHostname;
    }

    /** A server's client address as its cookie was bound to (MicroPython's {@code client_id}); null for a client. */
    public byte[] clientId() {
        return clientId == null ? null : clientId.clone();
    }

    private void checkUsable() throws IOException {
        IOException f = failure;
        if (f != null) throw f;
        if (closed) throw new SslException(Failure.CLOSED, "the connection is closed");
    }

    /** Records the first failure (which every later call rethrows) and returns it. */
    private IOException fail(Throwable t) {
        synchronized (handshakeLock) {
            if (failure != null) return failure;
            IOException e;
            if (t instanceof TlsTimeoutException || (!established && t instanceof InterruptedIOException
                    && !(t instanceof SocketTimeoutException))) {
                e = new SslException(Failure.HANDSHAKE_TIMEOUT, "the DTLS handshake did not complete in time"
                        + " (retransmitting with back-off until the handshake timeout)", t);
            } else if (dtls.closeNotifyReceived() && !established) {
                e = new SslException(Failure.ALERT_RECEIVED, "peer sent close_notify during the handshake",
                        org.bouncycastle.tls.AlertDescription.close_notify, t);
            } else {
                e = Engine.classify(t, dtls.peer());
            }
            failure = e;
            if (diagnostics != null && e instanceof SslException) diagnostics.failed((SslException) e);
            try {
                dtls.close();
            } catch (IOException | RuntimeException ignored) {
                // failing already; the transport is closed below
            }
            try {
                transport.close();
            } catch (IOException | RuntimeException ignored) {
                // idem
            }
            return e;
        }
    }
}
