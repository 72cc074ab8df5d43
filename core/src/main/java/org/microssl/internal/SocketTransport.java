package org.microssl.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

import org.microssl.spi.TimedTransport;

/** A blocking {@link TimedTransport} over a connected {@link java.net.Socket}. */
public final class SocketTransport implements TimedTransport {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public SocketTransport(Socket socket) throws IOException {
        if (socket == null) throw new IllegalArgumentException("socket is null");
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        if (len == 0) return 0;
        return in.read(buf, off, len);
    }

    @Override
    public int write(byte[] buf, int off, int len) throws IOException {
        out.write(buf, off, len);
        out.flush();
        return len;
    }

    @Override
    public int readTimeout() throws IOException {
        return socket.getSoTimeout();
    }

    @Override
    public void setReadTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    @Override
    public String toString() {
        return "SocketTransport(" + socket + ")";
    }
}
