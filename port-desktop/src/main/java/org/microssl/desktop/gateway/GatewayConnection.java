package org.microssl.desktop.gateway;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

import org.microssl.SslException;

/**
 * One client of the {@link Gateway}, as its {@link Handler} sees it. Lives on one selector thread: call its
 * methods from the handler's callbacks only.
 *
 * <p>Back-pressure: what the channel does not take is kept here (up to {@link Gateway.Config#maxPendingOutput})
 * and the connection stops reading until it has gone out, so a client that does not read its answers cannot make
 * the gateway hold more than that for it.
 */
public final class GatewayConnection {
    private static final int HANDSHAKING = 0;
    private static final int OPEN = 1;
    private static final int CLOSED = 2;
    /** Reads per selector turn before the other connections of the thread get theirs. */
    private static final int READS_PER_TURN = 8;
    private static final byte[] EMPTY = new byte[0];

    private final Worker worker;
    private final SocketChannel channel;
    private final TlsSession tls;
    private final Gateway.Config config;
    private final SocketAddress remote;
    SelectionKey key;
    private int state = HANDSHAKING;
    /** System.nanoTime() by which the handshake must complete, then by which the client must be heard from. */
    private long deadline;
    /** Plaintext the handler wrote that the TLS session could not take yet; released when empty. */
    private byte[] pending = EMPTY;
    private int pendingStart;
    private int pendingEnd;
    private Object attachment;

    GatewayConnection(Worker worker, SocketChannel channel, TlsSession tls, Gateway.Config config) {
        this.worker = worker;
        this.channel = channel;
        this.tls = tls;
        this.config = config;
        this.remote = channel.socket().getRemoteSocketAddress();
        this.deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.handshakeTimeoutMillis);
    }

    /**
     * Sends {@code b[off, off+len)}: what the channel does not take now is kept and sent when it can be.
     *
     * @throws IOException if the connection is closed, or if more than {@link Gateway.Config#maxPendingOutput}
     *     would be kept (the connection is then closed)
     */
    public void write(byte[] b, int off, int len) throws IOException {
        if (state == CLOSED) throw new IOException("the connection is closed");
        if (pendingEnd == pendingStart && !tls.wantsWrite()) {
            int n = tls.write(b, off, len);
            off += n;
            len -= n;
        }
        if (len == 0) return;
        int live = pendingEnd - pendingStart;
        if (live + len > config.maxPendingOutput) {
            IOException e = new IOException("the client does not read: more than " + config.maxPendingOutput
                    + " bytes would wait for it (maxPendingOutput)");
            end(e, Worker.Outcome.FAILED);
            throw e;
        }
        if (pending.length - pendingEnd < len) {
            byte[] grown = new byte[Math.max(live + len, Math.min(2 * pending.length, config.maxPendingOutput))];
            System.arraycopy(pending, pendingStart, grown, 0, live);
            pending = grown;
            pendingStart = 0;
            pendingEnd = live;
        }
        System.arraycopy(b, off, pending, pendingEnd, len);
        pendingEnd += len;
    }

    /** Bytes the handler wrote that have not gone out yet. */
    public int pendingOutput() {
        return pendingEnd - pendingStart;
    }

    /** Sends close_notify (if the channel takes it now) and closes the connection. */
    public void close() {
        end(null, Worker.Outcome.CLOSED_BY_HANDLER);
    }

    public boolean isOpen() {
        return state != CLOSED;
    }

    public SocketAddress remoteAddress() {
        return remote;
    }

    /** "TLSv1.3" or "TLSv1.2". */
    public String version() {
        return tls.version();
    }

    /** The client's certificate (DER), or null if it sent none. */
    public byte[] peerCertificate() {
        return tls.peerCertificate();
    }

    public Object attachment() {
        return attachment;
    }

    public void attach(Object value) {
        attachment = value;
    }

    // ------------------------------------------------------------------------------------------ the selector's side

    /** The channel is ready (or the last turn ran out of reads): handshake, send what waits, read and hand over. */
    void ready(byte[] scratch) {
        if (state == CLOSED) return;
        try {
            if (state == HANDSHAKING) {
                if (!tls.handshake()) {
                    interest();
                    return;
                }
                state = OPEN;
                touch();
                worker.handshakeCompleted();
                config.handler.opened(this);
                if (state == CLOSED) return;
            }
            if (!drain()) {
                interest();
                return;
            }
            for (int i = 0; ; i++) {
                int n = tls.read(scratch, scratch.length);
                if (n == 0) break;
                if (n < 0) {
                    end(null, Worker.Outcome.CLOSED_BY_CLIENT);
                    return;
                }
                touch();
                config.handler.received(this, scratch, 0, n);
                if (state == CLOSED) return;
                if (!drain()) break; // back-pressure: no more reading until the answer has gone out
                if (i + 1 == READS_PER_TURN) {
                    worker.again(this);
                    break;
                }
            }
            interest();
        } catch (SslException e) {
            // a device that drops the TCP connection between records, without close_notify, is common and
            // harmless here: nothing it sent is lost (CPython's suppress_ragged_eofs)
            boolean ragged = state == OPEN && e.failure() == SslException.Failure.TRUNCATED
                    && !String.valueOf(e.getMessage()).contains("in the middle of a record");
            end(e, ragged ? Worker.Outcome.TRUNCATED : Worker.Outcome.FAILED);
        } catch (IOException | RuntimeException e) {
            end(e, Worker.Outcome.FAILED);
        }
    }

    /** Ends the connection if its handshake or idle deadline has passed. */
    void checkDeadline(long now) {
        if (state == CLOSED || now - deadline < 0) return;
        boolean handshaking = state == HANDSHAKING;
        String what = handshaking ? "the handshake did not complete within " + config.handshakeTimeoutMillis + " ms"
                : "nothing from the client for " + config.idleTimeoutMillis + " ms";
        end(new IOException(what), handshaking ? Worker.Outcome.HANDSHAKE_TIMEOUT : Worker.Outcome.IDLE_TIMEOUT);
    }

    /** The gateway is stopping. */
    void shutdown() {
        end(new IOException("the gateway stopped"), Worker.Outcome.CLOSED_BY_HANDLER);
    }

    /** @return true if nothing waits to go out any more */
    private boolean drain() throws IOException {
        while (true) {
            if (!tls.flush()) return false;
            int live = pendingEnd - pendingStart;
            if (live == 0) return true;
            int n = tls.write(pending, pendingStart, live);
            if (n == 0) return false;
            touch();
            pendingStart += n;
            if (pendingStart == pendingEnd) {
                pending = EMPTY;
                pendingStart = pendingEnd = 0;
            }
        }
    }

    private void interest() {
        if (state == CLOSED || !key.isValid()) return;
        boolean writing = tls.wantsWrite() || pendingEnd > pendingStart;
        key.interestOps(writing ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
    }

    private void touch() {
        deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.idleTimeoutMillis);
    }

    private void end(Exception cause, Worker.Outcome outcome) {
        if (state == CLOSED) return;
        boolean wasOpen = state == OPEN;
        state = CLOSED;
        if (key != null) key.cancel();
        pending = EMPTY;
        worker.ended(outcome, cause, this); // counted before the client can see the close
        tls.close();
        if (wasOpen || cause != null) {
            try {
                config.handler.closed(this, cause);
            } catch (RuntimeException e) {
                // the handler's own failure; the connection is closed either way
            }
        }
    }
}
