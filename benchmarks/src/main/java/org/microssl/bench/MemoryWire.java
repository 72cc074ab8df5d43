package org.microssl.bench;

import java.io.IOException;

import org.microssl.spi.Transport;

/**
 * A non-blocking in-memory transport pair for single-threaded benchmarks: a write is always taken whole, a read
 * returns 0 when nothing is there. {@link #trim} drops the (empty) queue buffers so that retained-heap figures
 * count the TLS connection, not the wire.
 */
final class MemoryWire implements Transport {
    static final class Queue {
        byte[] buf = new byte[0];
        int start, end;

        void write(byte[] b, int off, int len) {
            if (end + len > buf.length) {
                int live = end - start;
                byte[] n = live + len > buf.length ? new byte[Math.max(2 * buf.length, live + len)] : buf;
                System.arraycopy(buf, start, n, 0, live);
                buf = n;
                start = 0;
                end = live;
            }
            System.arraycopy(b, off, buf, end, len);
            end += len;
        }

        int read(byte[] b, int off, int len) {
            int n = Math.min(len, end - start);
            System.arraycopy(buf, start, b, off, n);
            start += n;
            if (start == end) {
                start = end = 0;
            }
            return n;
        }
    }

    private final Queue in, out;
    private boolean closed;

    private MemoryWire(Queue in, Queue out) {
        this.in = in;
        this.out = out;
    }

    static MemoryWire[] pair() {
        Queue a = new Queue(), b = new Queue();
        return new MemoryWire[] {new MemoryWire(a, b), new MemoryWire(b, a)};
    }

    void trim() {
        if (in.start == in.end) {
            in.buf = new byte[0];
        }
        if (out.start == out.end) {
            out.buf = new byte[0];
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("closed");
        }
        return in.read(b, off, len);
    }

    @Override
    public int write(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("closed");
        }
        out.write(b, off, len);
        return len;
    }

    @Override
    public void close() {
        closed = true;
    }
}
