package org.microssl.embedded;

import java.io.Closeable;
import java.io.IOException;

/**
 * The smallest datagram hook a network driver can implement: send one datagram to the peer it was opened for,
 * receive one with a timeout, close. microssl uses it for SNTP (RFC 4330) so a device can set its RTC before its
 * first verified handshake; the port opens it towards the time server.
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

    /** Releases the driver's socket. Idempotent. */
    @Override
    void close() throws IOException;
}
