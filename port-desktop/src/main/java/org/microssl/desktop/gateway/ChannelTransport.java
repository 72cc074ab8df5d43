package org.microssl.desktop.gateway;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

import org.microssl.spi.Transport;

/** A non-blocking {@link SocketChannel} as microssl's {@link Transport}: 0 when it would block. */
public final class ChannelTransport implements Transport {
    private final SocketChannel channel;

    public ChannelTransport(SocketChannel channel) {
        this.channel = channel;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n = channel.read(ByteBuffer.wrap(buf, off, len));
        return n < 0 ? -1 : n;
    }

    @Override
    public int write(byte[] buf, int off, int len) throws IOException {
        return channel.write(ByteBuffer.wrap(buf, off, len));
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
