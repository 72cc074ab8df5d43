package org.microssl;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

import org.microssl.spi.Transport;

/**
 * A {@link Transport} over a {@link SocketChannel}. In non-blocking mode (the usual use: a single-threaded poll
 * loop, MicroPython's {@code socket.setblocking(False)}) {@code read} and {@code write} return 0 when the socket
 * is not ready, and the TLS layer then answers {@code null} with {@code wantsRead()/wantsWrite()} set. In
 * blocking mode it behaves as any blocking transport.
 *
 * <p>The channel should be connected (or {@link #finishConnect() connecting}) before the first TLS I/O.
 */
public final class SocketChannelTransport implements Transport {

    private final SocketChannel channel;

    public SocketChannelTransport(SocketChannel channel) {
        if (channel == null) {
            throw new IllegalArgumentException("SocketChannelTransport needs a channel");
        }
        this.channel = channel;
    }

    public SocketChannel channel() {
        return channel;
    }

    /**
     * Completes a non-blocking connect. Until it returns true the transport reports "not ready" (0) for every
     * read and write, so a TLS socket wrapped around a connecting channel simply waits.
     */
    public boolean finishConnect() throws IOException {
        if (channel.isConnectionPending()) {
            return channel.finishConnect();
        }
        if (!channel.isConnected()) {
            throw new IOException(channel.isOpen() ? "socket channel is not connected" : "socket channel is closed");
        }
        return true;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        if (len == 0 || !finishConnect()) {
            return 0;
        }
        return channel.read(ByteBuffer.wrap(buf, off, len));
    }

    @Override
    public int write(byte[] buf, int off, int len) throws IOException {
        if (len == 0 || !finishConnect()) {
            return 0;
        }
        ByteBuffer src = ByteBuffer.wrap(buf, off, len);
        if (channel.isBlocking()) {
            // Blocking contract: everything is written before returning.
            while (src.hasRemaining()) {
                channel.write(src);
            }
            return len;
        }
        return channel.write(src);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
