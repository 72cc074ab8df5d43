package org.microssl.internal.crypto;

import java.util.Arrays;

/**
 * A small process-wide pool of record-sized arrays (Okio's {@code SegmentPool}, BearSSL's caller-given buffers):
 * a connection holds one only while a record is in it, so an idle connection holds none, and traffic takes them
 * from here instead of allocating two or three per 16 KiB record. At most {@link #KEPT} arrays stay here; more are
 * left to the collector. An array comes back zeroed: it held decrypted data of another connection.
 */
public final class RecordBuffers {
    /** The largest record: header, 2^14 plaintext and the most TLS 1.3 adds to it (RFC 8446 section 5.2). */
    public static final int SIZE = 5 + (1 << 14) + 256;
    /** Enough for a few threads' worth of records in flight (an array is held for one record, not per connection). */
    static final int KEPT = 8;

    private static final byte[][] free = new byte[KEPT][];
    private static int count;

    private RecordBuffers() {
    }

    public static byte[] take() {
        synchronized (free) {
            if (count > 0) {
                byte[] b = free[--count];
                free[count] = null;
                return b;
            }
        }
        return new byte[SIZE];
    }

    /** Returns an array from {@link #take}; others (null, other sizes) are ignored. */
    public static void give(byte[] b) {
        if (b == null || b.length != SIZE) return;
        Arrays.fill(b, (byte) 0);
        synchronized (free) {
            if (count < KEPT) free[count++] = b;
        }
    }
}
