package org.microssl.spi;

import java.io.IOException;

/**
 * A blocking {@link Transport} whose reads can be bounded in time (a socket's {@code SO_TIMEOUT}), so that
 * microssl can hold a handshake to its deadline however slowly the peer sends. A blocking transport without it is
 * checked against the deadline between reads only: a peer that sends nothing at all is then not timed out.
 */
public interface TimedTransport extends Transport {

    /** @return the read timeout now in force, in milliseconds; 0 for none */
    int readTimeout() throws IOException;

    /**
     * Bounds each later read to {@code millis} (0: wait forever). A read that times out throws an
     * {@link java.io.InterruptedIOException} (such as {@code SocketTimeoutException}) and consumes nothing.
     */
    void setReadTimeout(int millis) throws IOException;
}
