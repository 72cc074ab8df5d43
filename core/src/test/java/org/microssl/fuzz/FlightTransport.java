package org.microssl.fuzz;

import org.microssl.spi.Transport;

/**
 * A blocking transport that plays back a recorded (and mutated) peer flight: its bytes, at most {@code chunk} per
 * read, then end of stream. What we write is counted and dropped.
 */
final class FlightTransport implements Transport {
    private final byte[] flight;
    private final int offset;
    private final int chunk;
    private int at;
    long written;

    /** Plays {@code flight[offset..]} back. */
    FlightTransport(byte[] flight, int offset, int chunk) {
        this.flight = flight;
        this.offset = offset;
        this.chunk = chunk;
        this.at = offset;
    }

    @Override
    public int read(byte[] buf, int off, int len) {
        if (at >= flight.length) return -1;
        int n = Math.min(Math.min(len, chunk), flight.length - at);
        System.arraycopy(flight, at, buf, off, n);
        at += n;
        return n;
    }

    @Override
    public int write(byte[] buf, int off, int len) {
        written += len;
        return len;
    }

    @Override
    public void close() {
        at = flight.length;
    }

    /** Bytes of the flight not read yet. */
    int remaining() {
        return flight.length - at;
    }

    int consumed() {
        return at - offset;
    }
}
