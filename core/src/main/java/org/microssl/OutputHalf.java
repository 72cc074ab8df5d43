package org.microssl;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.microssl.SslException.Failure;
import org.microssl.internal.BcConnection;
import org.microssl.spi.Transport;

/**
 * The sending half of a connection (Go's {@code halfConn}): its lock, which is held across transport writes, its
 * buffer of encrypted bytes the transport has not yet taken, and its own sticky error, a transport that refused a
 * write (which does not hide data already read).
 *
 * <p>There is no hand-off between threads: whoever holds the lock sends, and a thread that found it held leaves
 * BouncyCastle's output queued ({@link #pending()}, the engine's {@code wantsWrite}). The holder looks for such
 * output again after it lets go of the lock ({@link #unlock()}), so output queued while it held the lock is never
 * stranded.
 */
final class OutputHalf {
    static final int FLUSHED = 0;
    static final int WOULD_BLOCK = 1;
    /** Another thread holds the lock; it sends what is queued before it leaves. */
    static final int BUSY = 2;

    private final ReentrantLock lock = new ReentrantLock();
    private final Transport transport;
    private final BcConnection bc;
    private byte[] buf; // lock
    private int off; // lock
    private volatile int len; // written under lock
    private volatile int shrinkTo; // set once the negotiated record size is known
    private volatile IOException error;

    OutputHalf(Transport transport, BcConnection bc, int size) {
        this.transport = transport;
        this.bc = bc;
        this.buf = new byte[size];
    }

    /** Whether encrypted bytes wait for the transport: ours, or BouncyCastle's not yet taken. */
    boolean pending() {
        return len > 0 || bc.availableOutput() > 0;
    }

    /** The transport write failure that ended this half, or null. */
    IOException error() {
        return error;
    }

    /** The buffer becomes {@code size} bytes when it is next empty (max_fragment_length, RFC 6066 section 4). */
    void shrinkTo(int size) {
        shrinkTo = size;
    }

    void lock() {
        lock.lock();
    }

    boolean tryLock(long millis) throws InterruptedException {
        return lock.tryLock(millis, TimeUnit.MILLISECONDS);
    }

    /** Lets go of the lock, then sends what another thread queued while we held it. */
    void unlock() throws IOException {
        lock.unlock();
        while (bc.availableOutput() > 0 && lock.tryLock()) {
            try {
                if (drain() == WOULD_BLOCK) return;
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Sends what is queued. {@code wait} false: returns {@link #BUSY} at once if another thread holds the lock.
     *
     * @return FLUSHED, WOULD_BLOCK or BUSY
     */
    int flush(boolean wait) throws IOException {
        if (wait) {
            lock.lock();
        } else if (!lock.tryLock()) {
            return BUSY;
        }
        try {
            return drain();
        } finally {
            unlock();
        }
    }

    /** Caller holds the lock. Moves BouncyCastle's output to the transport. @return FLUSHED or WOULD_BLOCK */
    int drain() throws IOException {
        IOException e = error;
        if (e != null) throw e;
        while (true) {
            if (len == 0) {
                int size = shrinkTo;
                if (size > 0 && size < buf.length) buf = new byte[size];
                if (bc.availableOutput() == 0) return FLUSHED;
                off = 0;
                len = bc.readOutput(buf, 0, buf.length);
                if (len == 0) return FLUSHED;
            }
            int n;
            try {
                n = transport.write(buf, off, len);
            } catch (IOException x) {
                len = 0; // the transport is dead; these bytes can never go
                error = new SslException(Failure.TRANSPORT_ERROR, "transport write failed: " + x, x);
                throw error;
            }
            if (n <= 0) return WOULD_BLOCK;
            off += n;
            len -= n;
        }
    }

    /** Forgets bytes the transport will never take (the peer has gone after its close_notify). */
    void discard() {
        len = 0;
    }
}
