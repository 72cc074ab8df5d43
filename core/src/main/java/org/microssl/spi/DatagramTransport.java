package org.microssl.spi;

import java.io.Closeable;
import java.io.IOException;

/**
 * The smallest datagram hook a network driver can implement: send one datagram to the peer it was opened for,
 * receive one with a timeout, say how large a datagram may be, close. microssl uses it for DTLS 1.2
 * ({@code SSLContext.wrapDatagram}) and, in the embedded port, for SNTP (RFC 4330).
 */
public interface DatagramTransport extends Closeable {

    /** Sends {@code len} bytes from {@code buf} as one datagram. */
    void send(byte[] buf, int off, int len) throws IOException;

    /**
     * Waits at most {@code timeoutMillis} for one datagram from the peer and copies it into {@code buf}
     * (truncated to {@code len}).
     *
     * @return the datagram's length as copied (0 is a valid empty datagram), or -1 if the timeout expired first
     */
    int receive(byte[] buf, int off, int len, int timeoutMillis) throws IOException;

    /**
     * The largest datagram payload the path carries without IP fragmentation (the path MTU less the IP and UDP
     * headers). DTLS fragments its handshake messages and bounds each write to fit it (RFC 6347 section 4.1.1.1).
     * Default {@link #DEFAULT_MTU}.
     */
    int mtu();

    /**
     * 1,232 bytes: IPv6's minimum MTU (1,280, RFC 8200 section 5) less its 40-byte header and UDP's 8, so a
     * datagram crosses any IPv6 path (and nearly every IPv4 one) unfragmented.
     */
    int DEFAULT_MTU = 1232;

    /** Releases the driver's socket. Idempotent. */
    @Override
    void close() throws IOException;
}
