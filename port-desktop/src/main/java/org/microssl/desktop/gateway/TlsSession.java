package org.microssl.desktop.gateway;

import java.io.IOException;
import java.nio.channels.SocketChannel;

/**
 * The TLS under one gateway connection, driven by a selector thread over a non-blocking {@link SocketChannel}.
 * microssl's is {@link MicrosslSessions}; the benchmarks plug SunJSSE's {@code SSLEngine} in here, so that both
 * run under the same gateway code.
 */
public interface TlsSession {

    /** Advances the handshake. @return true when complete; false if the channel would block */
    boolean handshake() throws IOException;

    /**
     * Decrypted bytes into the start of {@code b}.
     *
     * @return bytes read (at least 1), 0 if the channel would block, -1 at the end of the stream (close_notify)
     */
    int read(byte[] b, int len) throws IOException;

    /** Encrypts and sends. @return bytes taken, possibly fewer than {@code len} (0 if the channel is full) */
    int write(byte[] b, int off, int len) throws IOException;

    /** Sends encrypted bytes still waiting for the channel. @return true when none are left */
    boolean flush() throws IOException;

    /** Whether encrypted bytes wait for the channel to accept them. */
    boolean wantsWrite();

    /** "TLSv1.3" or "TLSv1.2"; null before the handshake completed. */
    String version();

    /** The client's certificate (DER), or null if it sent none. */
    byte[] peerCertificate();

    /** Sends close_notify if it can without waiting, then closes the channel. Never throws. */
    void close();

    /** Makes a session for each accepted channel. */
    interface Factory {
        TlsSession open(SocketChannel channel) throws IOException;
    }
}
