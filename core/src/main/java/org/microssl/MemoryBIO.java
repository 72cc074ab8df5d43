package org.microssl;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * CPython's {@code ssl.MemoryBIO}: a byte queue between an {@link SSLObject} and whatever moves the bytes (an NIO
 * selector loop, Netty, a modem driver handing over byte arrays). One BIO carries one direction: the network's
 * bytes into the {@code SSLObject} ("incoming"), or its records out ("outgoing").
 *
 * <p>An empty BIO holds no buffer (memory follows the traffic: an idle connection's BIOs cost a few dozen bytes).
 * {@link #readFrom(ReadableByteChannel)} and {@link #writeTo(WritableByteChannel)} move bytes between a channel and
 * the queue's own array with no copy in between. Thread-safe.
 */
public final class MemoryBIO {
    private static final byte[] EMPTY = new byte[0];
    /** The first buffer's size: a TLS record header plus a typical small record. */
    private static final int INITIAL = 512;
    /** How much one {@link #readFrom} call reads at most: one largest TLS record. */
    private static final int CHANNEL_CHUNK = Engine.MAX_RECORD;

    private byte[] buf = EMPTY;
    private int start;
    private int end;
    private boolean eofWritten;

    /** CPython's {@code write(buf)}: appends {@code b}. @return its length */
    public int write(byte[] b) {
        return write(b, 0, b.length);
    }

    /**
     * Appends {@code b[off, off+len)}.
     *
     * @return {@code len}
     * @throws IllegalStateException after {@link #writeEof()} (CPython: "cannot write() after write_eof()")
     */
    public synchronized int write(byte[] b, int off, int len) {
        if (off < 0 || len < 0 || off + len > b.length) throw new IndexOutOfBoundsException();
        checkWritable();
        System.arraycopy(b, off, room(len), end, len);
        end += len;
        return len;
    }

    /** Appends all that {@code src} has remaining (its position moves to its limit). @return bytes appended */
    public synchronized int write(ByteBuffer src) {
        checkWritable();
        int len = src.remaining();
        src.get(room(len), end, len);
        end += len;
        return len;
    }

    /**
     * Reads once from {@code channel} straight into this queue (for incoming BIOs in an NIO loop), at most one
     * TLS record's worth.
     *
     * @return bytes read, 0 if a non-blocking channel had none, -1 at the channel's end of stream (this BIO is
     *     then marked {@link #writeEof() at EOF})
     */
    public synchronized int readFrom(ReadableByteChannel channel) throws IOException {
        checkWritable();
        // The lock is held across the call: meant for non-blocking channels, which return at once.
        room(buf.length - end >= INITIAL ? INITIAL : CHANNEL_CHUNK);
        int n = channel.read(ByteBuffer.wrap(buf, end, buf.length - end));
        if (n < 0) {
            eofWritten = true;
            releaseIfEmpty();
            return -1;
        }
        end += n;
        releaseIfEmpty();
        return n;
    }

    /** CPython's {@code read(n)}: up to {@code n} bytes from the front of the queue; empty if there are none. */
    public synchronized byte[] read(int n) {
        if (n < 0) throw new IllegalArgumentException("n < 0");
        int len = Math.min(n, end - start);
        if (len == 0) return EMPTY;
        byte[] out = new byte[len];
        System.arraycopy(buf, start, out, 0, len);
        consumed(len);
        return out;
    }

    /** CPython's {@code read()}: everything queued. */
    public synchronized byte[] read() {
        return read(end - start);
    }

    /** Moves up to {@code len} queued bytes into {@code b[off..]}. @return bytes moved (0 if none are queued) */
    public synchronized int read(byte[] b, int off, int len) {
        if (off < 0 || len < 0 || off + len > b.length) throw new IndexOutOfBoundsException();
        int n = Math.min(len, end - start);
        System.arraycopy(buf, start, b, off, n);
        consumed(n);
        return n;
    }

    /** Moves as many queued bytes as fit into {@code dst}. @return bytes moved */
    public synchronized int read(ByteBuffer dst) {
        int n = Math.min(dst.remaining(), end - start);
        dst.put(buf, start, n);
        consumed(n);
        return n;
    }

    /**
     * Writes queued bytes straight from this queue to {@code channel} (for outgoing BIOs in an NIO loop), as much
     * as it takes in one call.
     *
     * @return bytes written (0 if the channel is full or nothing is queued)
     */
    public synchronized int writeTo(WritableByteChannel channel) throws IOException {
        if (end == start) return 0;
        int n = channel.write(ByteBuffer.wrap(buf, start, end - start));
        consumed(n);
        return n;
    }

    /** CPython's {@code pending}: bytes queued. */
    public synchronized int pending() {
        return end - start;
    }

    /** CPython's {@code write_eof()}: no more bytes will be written (the network's end of stream). */
    public synchronized void writeEof() {
        eofWritten = true;
    }

    /** CPython's {@code eof}: {@link #writeEof()} was called and every byte has been read. */
    public synchronized boolean eof() {
        return eofWritten && start == end;
    }

    /** Whether {@link #writeEof()} was called (bytes may still be queued). */
    synchronized boolean eofWritten() {
        return eofWritten;
    }

    /** The queue's array size, for tests and memory figures. */
    synchronized int capacity() {
        return buf.length;
    }

    private void checkWritable() {
        if (eofWritten) throw new IllegalStateException("cannot write to a MemoryBIO after writeEof()");
    }

    /** Caller holds the lock. Makes room for {@code len} more bytes at {@code end}; returns the array. */
    private byte[] room(int len) {
        if (buf.length - end >= len) return buf;
        int live = end - start;
        if (len > Integer.MAX_VALUE - 16 - live) throw new IllegalArgumentException("MemoryBIO would exceed 2 GiB");
        int need = live + len;
        byte[] target = buf;
        if (need > buf.length) {
            int size = Math.max(INITIAL, buf.length);
            while (size < need) size = size > (Integer.MAX_VALUE - 16) / 2 ? need : size * 2;
            target = new byte[size];
        }
        System.arraycopy(buf, start, target, 0, live);
        buf = target;
        start = 0;
        end = live;
        return buf;
    }

    private void consumed(int n) {
        start += n;
        releaseIfEmpty();
    }

    /** An empty queue gives its array back: an idle connection holds none. */
    private void releaseIfEmpty() {
        if (start == end) {
            buf = EMPTY;
            start = end = 0;
        }
    }
}
