package org.microssl;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketException;

import org.microssl.spi.TimedTransport;

/**
 * A socket transport that lets what the peer said before it reset the connection be read first. A TLS 1.3 server
 * that refuses our certificate (or our lack of one) does so after our handshake has completed: it sends its alert
 * (certificate_required, bad_certificate) and closes. If we write meanwhile (an MQTT CONNECT, an HTTP request),
 * the write fails with "Connection reset by peer" while the alert that explains it sits unread in the socket. Here
 * a write that fails so takes what the peer had sent (at most one record's worth, waiting at most
 * {@link #DRAIN_MILLIS}) and, if there was something, reports the write as done: the bytes are lost with the
 * connection either way, as they would have been had the reset come a moment later, and the next read returns
 * the peer's bytes (the alert, which then fails the connection with the peer's reason) before the reset.
 */
final class ResetAwareTransport implements TimedTransport {
    /** How long to wait for bytes the peer sent before its reset: they are already in the socket, or not coming. */
    static final int DRAIN_MILLIS = 200;
    /** One TLS record at most: what an alert (or the data before it) can be. */
    static final int MAX_DRAIN = (1 << 14) + 5 + 256;

    private final TimedTransport inner;
    private byte[] stash; // what the peer sent before the reset; guarded by this
    private int stashOff;
    private IOException deferred;

    ResetAwareTransport(TimedTransport inner) {
        this.inner = inner;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        synchronized (this) {
            if (stash != null) {
                int n = Math.min(len, stash.length - stashOff);
                System.arraycopy(stash, stashOff, buf, off, n);
                stashOff += n;
                if (stashOff == stash.length) stash = null;
                return n;
            }
            if (deferred != null) throw deferred;
        }
        return inner.read(buf, off, len);
    }

    @Override
    public int write(byte[] buf, int off, int len) throws IOException {
        synchronized (this) {
            if (deferred != null) throw deferred;
        }
        try {
            return inner.write(buf, off, len);
        } catch (SocketException e) {
            if (!isReset(e)) throw e;
            byte[] said = drain();
            if (said.length == 0) throw e;
            synchronized (this) {
                stash = said;
                stashOff = 0;
                deferred = e;
            }
            return len;
        }
    }

    private static boolean isReset(SocketException e) {
        String m = String.valueOf(e.getMessage());
        return m.contains("Connection reset") || m.contains("Broken pipe");
    }

    /** What the socket still holds from the peer, up to one record, waiting at most {@link #DRAIN_MILLIS}. */
    private byte[] drain() {
        byte[] buf = new byte[MAX_DRAIN];
        int got = 0;
        try {
            int timeout = inner.readTimeout();
            inner.setReadTimeout(DRAIN_MILLIS);
            try {
                while (got < buf.length) {
                    int n = inner.read(buf, got, buf.length - got);
                    if (n < 0) break;
                    got += n;
                }
            } finally {
                inner.setReadTimeout(timeout);
            }
        } catch (InterruptedIOException timedOut) {
            // nothing more was there
        } catch (IOException e) {
            // the socket is gone: what we have is all there is
        }
        byte[] out = new byte[got];
        System.arraycopy(buf, 0, out, 0, got);
        return out;
    }

    @Override
    public int readTimeout() throws IOException {
        return inner.readTimeout();
    }

    @Override
    public void setReadTimeout(int millis) throws IOException {
        inner.setReadTimeout(millis);
    }

    @Override
    public void close() throws IOException {
        inner.close();
    }

    @Override
    public String toString() {
        return inner.toString();
    }
}
