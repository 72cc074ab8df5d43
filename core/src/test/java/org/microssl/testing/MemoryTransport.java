package org.microssl.testing;

import java.io.IOException;
import java.io.InterruptedIOException;

import org.microssl.spi.Transport;

/**
 * An in-memory connection: {@link #pair} gives two ends. Blocking ends wait for data; non-blocking ends return 0
 * when empty, and can be made adversarial: at most {@code maxChunk} bytes per call (1 = one byte at a time,
 * Okio's OneByteAtATimeSource) and every other write refused with 0 (a full driver).
 */
public final class MemoryTransport implements Transport {

    /** One direction: a growable byte queue. */
    static final class Pipe {
        private byte[] buf = new byte[1024];
        private int start;
        private int end;
        private boolean closed;

        synchronized void write(byte[] b, int off, int len) throws IOException {
            if (closed) throw new IOException("pipe closed");
            if (end + len > buf.length) {
                int live = end - start;
                byte[] n = live + len > buf.length ? new byte[Math.max(buf.length * 2, live + len)] : buf;
                System.arraycopy(buf, start, n, 0, live);
                end -= start;
                start = 0;
                buf = n;
            }
            System.arraycopy(b, off, buf, end, len);
            end += len;
            notifyAll();
        }

        synchronized int read(byte[] b, int off, int len, boolean blocking) throws IOException {
            while (start == end) {
                if (closed) return -1;
                if (!blocking) return 0;
                try {
                    wait(10_000);
                } catch (InterruptedException e) {
                    throw new InterruptedIOException();
                }
                if (start == end && !closed) throw new InterruptedIOException("memory transport read timed out");
            }
            int n = Math.min(len, end - start);
            System.arraycopy(buf, start, b, off, n);
            start += n;
            if (start == end) start = end = 0; // empty: reuse the buffer from its start
            return n;
        }

        synchronized void close() {
            closed = true;
            notifyAll();
        }

        synchronized int available() {
            return end - start;
        }
    }

    private final Pipe in;
    private final Pipe out;
    private final boolean blocking;
    private final int maxChunk;
    private final boolean stallWrites;
    private boolean stallNext;
    private volatile boolean closed;
    public volatile long bytesWritten;
    /** Calls to {@link #read} that returned data. */
    public volatile int reads;
    public volatile int largestWrite;

    private MemoryTransport(Pipe in, Pipe out, boolean blocking, int maxChunk, boolean stallWrites) {
        this.in = in;
        this.out = out;
        this.blocking = blocking;
        this.maxChunk = maxChunk;
        this.stallWrites = stallWrites;
    }

    /** Two blocking ends. */
    public static MemoryTransport[] blockingPair() {
        Pipe a = new Pipe();
        Pipe b = new Pipe();
        return new MemoryTransport[] {new MemoryTransport(a, b, true, Integer.MAX_VALUE, false),
            new MemoryTransport(b, a, true, Integer.MAX_VALUE, false)};
    }

    /** Two non-blocking ends moving at most {@code maxChunk} bytes per call, optionally refusing every other write. */
    public static MemoryTransport[] nonBlockingPair(int maxChunk, boolean stallWrites) {
        Pipe a = new Pipe();
        Pipe b = new Pipe();
        return new MemoryTransport[] {new MemoryTransport(a, b, false, maxChunk, stallWrites),
            new MemoryTransport(b, a, false, maxChunk, stallWrites)};
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (closed) throw new IOException("transport closed");
        int n = in.read(b, off, Math.min(len, maxChunk), blocking);
        if (n > 0) reads++;
        return n;
    }

    @Override
    public int write(byte[] b, int off, int len) throws IOException {
        if (closed) throw new IOException("transport closed");
        if (stallWrites) {
            stallNext = !stallNext;
            if (stallNext) return 0;
        }
        int n = Math.min(len, maxChunk);
        out.write(b, off, n);
        bytesWritten += n;
        largestWrite = Math.max(largestWrite, n);
        return n;
    }

    /** Closes both directions (the peer reads end of stream), like closing a TCP socket. */
    @Override
    public void close() {
        closed = true;
        out.close();
        in.close();
    }

    /** Ends only our sending direction without closing: the peer sees EOF (a truncation if no close_notify). */
    public void shutdownOutput() {
        out.close();
    }

    /** Injects raw bytes to the peer, as an attacker on the wire would. */
    public void inject(byte[] bytes) throws IOException {
        out.write(bytes, 0, bytes.length);
    }

    public boolean isClosed() {
        return closed;
    }

    /** Bytes waiting to be read at this end. */
    public int pendingInput() {
        return in.available();
    }
}
