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
 *
 * <p>It has no buffer: the transport writes straight from BouncyCastle's output queue, lent region by region
 * ({@link BcConnection#lendOutput}). Whoever lets go of the lock with nothing left to send trims the half
 * ({@link BcConnection#trimOutput}): BouncyCastle's queue and the sealing cipher give their record-sized memory
 * back.
 */
final class OutputHalf {
    static final int FLUSHED = 0;
    static final int WOULD_BLOCK = 1;
    /** Another thread holds the lock; it sends what is queued before it leaves. */
    static final int BUSY = 2;

    private final ReentrantLock lock = new ReentrantLock();
    private final Transport transport;
    private final BcConnection bc;
    private final BcConnection.Loan loan = new BcConnection.Loan(); // lock
    private int off; // lock: how far into the loan the transport has taken
    private volatile int len; // written under lock: what the transport has yet to take of the loan
    private volatile IOException error;

    OutputHalf(Transport transport, BcConnection bc) {
        this.transport = transport;
        this.bc = bc;
    }

    /** Whether encrypted bytes wait for the transport: lent, or still in BouncyCastle's queue. */
    boolean pending() {
        return len > 0 || bc.availableOutput() > 0;
    }

    /** The transport write failure that ended this half, or null. */
    IOException error() {
        return error;
    }

    void lock() {
        lock.lock();
    }

    boolean tryLock(long millis) throws InterruptedException {
        return lock.tryLock(millis, TimeUnit.MILLISECONDS);
    }

    /** Lets go of the lock (trimming an idle half first), then sends what another thread queued while we held it. */
    void unlock() throws IOException {
        // A loan the transport refused to finish: it goes first, when the caller polls for writability again.
        boolean stalled = len > 0;
        lock.unlock();
        if (stalled) return;
        while (bc.availableOutput() > 0 && lock.tryLock()) {
            try {
                if (drain() == WOULD_BLOCK) return;
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * The connection has gone idle on the input side (all that arrived was read, or a read waits for the peer): if
     * this half is free and has nothing queued, BouncyCastle's queue and the sealing cipher give their record-sized
     * memory back. Not done after each write, so a sender of back-to-back full records does not regrow BouncyCastle's
     * 32 KiB queue each time; a connection that waits for its peer holds no record-sized buffer.
     */
    void trimIfIdle() {
        if (!lock.tryLock()) return;
        try {
            if (len == 0 && error == null) bc.trimOutput();
        } finally {
            lock.unlock();
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
                if (!bc.lendOutput(loan)) return FLUSHED;
                off = loan.off;
                len = loan.len;
            }
            int n;
            try {
                n = transport.write(loan.buf, off, len);
            } catch (IOException x) {
                len = 0; // the transport is dead; these bytes can never go
                bc.endLoan(loan);
                error = new SslException(Failure.TRANSPORT_ERROR, "transport write failed: " + x, x);
                throw error;
            }
            if (n <= 0) return WOULD_BLOCK;
            off += n;
            len -= n;
            if (len == 0) bc.endLoan(loan);
        }
    }

    /** Forgets bytes the transport will never take (the peer has gone after its close_notify). */
    void discard() {
        len = 0;
    }
}
