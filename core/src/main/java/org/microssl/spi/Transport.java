package org.microssl.spi;

import java.io.Closeable;
import java.io.IOException;

/**
 * The smallest byte stream a network driver can implement: read into the caller's buffer, write from one,
 * close. It may be blocking or non-blocking.
 *
 * <p>A blocking transport's {@code read} waits for at least one byte and its {@code write} writes everything.
 * A non-blocking transport returns 0 from either call when it cannot make progress now.
 */
public interface Transport extends Closeable {

    /** @return bytes read (at least 1), 0 if non-blocking and nothing is available now, or -1 at end of stream */
    int read(byte[] buf, int off, int len) throws IOException;

    /** @return bytes written, possibly fewer than {@code len}; 0 if non-blocking and the driver is full */
    int write(byte[] buf, int off, int len) throws IOException;

    /** Closes the underlying connection. Idempotent. */
    @Override
    void close() throws IOException;
}
