package org.microssl.internal;

import org.microssl.internal.crypto.RecordBuffers;

/**
 * Decrypted application data not yet read. It replaces BouncyCastle's {@code applicationDataQueue}, which grows
 * to the next power of two above a record (32 KiB) and is never shrunk: this one holds an array only while it
 * holds data, a pooled {@link RecordBuffers} one for large records. Guarded by the {@link BcConnection}'s monitor.
 */
final class PlaintextQueue {
    /** Up to this much is held in an array of its own size; more comes from the pool. */
    private static final int SMALL = 2048;

    private byte[] buf;
    private boolean pooled;
    private int start;
    private int end;

    int available() {
        return end - start;
    }

    void add(byte[] b, int off, int len) {
        if (len == 0) return;
        int held = end - start;
        int need = held + len;
        if (buf == null || end + len > buf.length) {
            byte[] to = buf != null && need <= buf.length ? buf : allocate(need, buf == null ? 0 : buf.length);
            if (held > 0) System.arraycopy(buf, start, to, 0, held);
            if (to != buf) release();
            pooled = to.length == RecordBuffers.SIZE;
            buf = to;
            start = 0;
            end = held;
        }
        System.arraycopy(b, off, buf, end, len);
        end += len;
    }

    int read(byte[] b, int off, int len) {
        int n = Math.min(len, end - start);
        if (n <= 0) return 0;
        System.arraycopy(buf, start, b, off, n);
        start += n;
        if (start == end) release();
        return n;
    }

    private static byte[] allocate(int need, int had) {
        if (need > SMALL && need <= RecordBuffers.SIZE) return RecordBuffers.take();
        // past a record (data left unread while more arrives): at least doubling, so copies stay linear
        return new byte[need > RecordBuffers.SIZE ? Math.max(need, 2 * had) : need];
    }

    private void release() {
        if (pooled) RecordBuffers.give(buf);
        buf = null;
        pooled = false;
        start = end = 0;
    }
}
