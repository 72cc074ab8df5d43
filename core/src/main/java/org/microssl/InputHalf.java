package org.microssl;

import java.io.IOException;

import org.microssl.internal.BcConnection;
import org.microssl.internal.crypto.RecordBuffers;
import org.microssl.spi.Transport;

/**
 * The receiving half of a connection (Go's {@code halfConn}): its lock (this object's monitor, held across
 * transport reads; the handshake holds it too, since it reads), its buffer and the record framing. Whole records
 * go to BouncyCastle one per {@code offerInput} call, its in-place path (decrypted in our buffer, nothing queued
 * or allocated); partial input would be copied into its queue and every record re-allocated.
 *
 * <p>{@code buf[start, fill)} is the start of one record, never a whole one: whole records are offered as soon
 * as they arrive, so the engine's {@code available()} counts all that arrived and a poll loop never waits on a
 * socket for bytes already here. {@code recordSize} is that record's size once its header is complete.
 *
 * <p>The buffer of its own is small (4 KiB, or a max_fragment_length record). A larger record is read into a
 * pooled {@link RecordBuffers} array, given back as soon as it is empty: a connection holds a record-sized
 * buffer only while a record is arriving.
 */
final class InputHalf {
    static final int RECORD_HEADER = 5; // type, legacy_record_version, length (RFC 8446 section 5.1)

    private final BcConnection bc;
    private volatile byte[] buf;
    /** The buffer of its own; buf is this or a pooled array. */
    private byte[] own;
    private int start;
    private int fill;
    private int recordSize;
    /** How far buf may grow: a full record, or less after max_fragment_length. */
    private int recordLimit;
    private final byte[] header = new byte[RECORD_HEADER];
    /** The peer's close_notify arrived: nothing after it belongs to the stream. */
    private volatile boolean peerClosed;

    InputHalf(BcConnection bc, int size, int recordLimit) {
        this.bc = bc;
        this.buf = this.own = new byte[size];
        this.recordLimit = recordLimit;
    }

    boolean peerClosed() {
        return peerClosed;
    }

    /** Whether part of a record has arrived (an end of stream now cuts it). */
    boolean inRecord() {
        return fill > start;
    }

    int bufferSize() {
        return buf.length;
    }

    /**
     * Caller holds this half's lock and no other: a blocking read may take long.
     *
     * @return bytes read, 0 if a non-blocking transport has none, -1 at end of stream
     */
    int read(Transport transport) throws IOException {
        byte[] b = makeRoom();
        int n = transport.read(b, fill, b.length - fill);
        if (n > 0) {
            fill += n;
        } else if (start == fill) {
            giveBack();
        }
        return n;
    }

    /**
     * Offers BouncyCastle every record that is now complete. Each header is checked as soon as it is complete
     * ({@code previewRecord}), so a bad content type or an over-long record (record_overflow, RFC 8446 section
     * 5.2) fails at once instead of waiting for a body that may never come.
     *
     * @return true if the peer's close_notify arrived now
     */
    boolean offerRecords() throws IOException {
        byte[] b = buf;
        try {
            while (!peerClosed) {
                int buffered = fill - start;
                if (recordSize == 0) {
                    if (buffered < RECORD_HEADER) return false;
                    System.arraycopy(b, start, header, 0, RECORD_HEADER);
                    recordSize = bc.previewRecord(header); // throws if bad
                }
                if (buffered < recordSize) return false; // more of this record to come; makeRoom() fits it
                int at = start;
                int size = recordSize;
                start += size;
                recordSize = 0;
                if (bc.offerRecord(b, at, size)) {
                    peerClosed = true;
                    start = fill;
                    return true;
                }
            }
            return false;
        } finally {
            if (start == fill) {
                start = fill = 0;
                giveBack();
            }
        }
    }

    /** Caller has found buf empty: a pooled array goes back, the buffer of its own takes over. */
    private void giveBack() {
        byte[] b = buf;
        if (b == own) return;
        buf = own;
        start = fill = 0;
        RecordBuffers.give(b);
    }

    /**
     * Makes sure buf has free space after fill and room for the whole record in progress from where it starts:
     * moves that partial record to the front, or takes a pooled record-sized array for it; under
     * max_fragment_length (recordLimit below a pooled array) the buffer of its own grows instead, at most to the
     * limit, for a peer that pads.
     */
    private byte[] makeRoom() {
        byte[] b = buf;
        int need = recordSize != 0 ? recordSize : RECORD_HEADER;
        if (start + need <= b.length) return b;
        int buffered = fill - start;
        boolean pooled = b != own;
        byte[] to;
        if (need <= b.length) {
            to = b;
        } else if (recordLimit >= RecordBuffers.SIZE) {
            to = RecordBuffers.take();
        } else {
            to = own = new byte[Math.max(need, Math.min(recordLimit, 2 * b.length))];
        }
        System.arraycopy(b, start, to, 0, buffered);
        if (pooled && to != b) RecordBuffers.give(b);
        start = 0;
        fill = buffered;
        buf = to;
        return to;
    }

    /**
     * Once max_fragment_length is negotiated (RFC 6066 section 4) the buffer shrinks to {@code size} and may grow
     * to {@code limit}. Bytes already received after the handshake's last record move along; if they do not fit
     * (a peer ignoring the limit), the buffer keeps its size and the record layer rejects what is too long.
     */
    void shrink(int size, int limit) {
        recordLimit = limit;
        int buffered = fill - start;
        byte[] b = buf;
        boolean pooled = b != own;
        if (size < b.length && buffered <= size) {
            byte[] smaller = new byte[size];
            System.arraycopy(b, start, smaller, 0, buffered);
            buf = own = smaller;
            start = 0;
            fill = buffered;
            if (pooled) RecordBuffers.give(b);
        }
    }
}
