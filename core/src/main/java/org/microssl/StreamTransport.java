package org.microssl;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

import org.microssl.spi.TimedTransport;

/**
 * The blocking {@link org.microssl.spi.Transport} over an {@code InputStream}/{@code OutputStream} pair: what a
 * {@link Socket}, a CLDC {@code StreamConnection} or a vendor modem driver gives. {@code read} blocks until at
 * least one byte arrives (a stream that returns 0 is asked again); {@code write} writes everything and flushes,
 * so a record leaves when it is written. Over a {@link Socket} reads can be bounded in time ({@code SO_TIMEOUT}),
 * so the handshake deadline holds however slowly the peer sends; over bare streams the deadline is checked
 * between reads only.
 */
public final class StreamTransport implements TimedTransport {
    private final InputStream in;
    private final OutputStream out;
    private final Closeable connection;
    private final Socket socket;
    private boolean closed;

    /** @param connection closed after both streams (the {@code StreamConnection} or socket itself); may be null */
    public StreamTransport(InputStream in, OutputStream out, Closeable connection) {
        this(in, out, connection, connection instanceof Socket ? (Socket) connection : null);
    }

    public StreamTransport(InputStream in, OutputStream out) {
        this(in, out, null, null);
    }

    /** Over a connected socket's streams, with read timeouts. */
    public StreamTransport(Socket socket) throws IOException {
        this(socket.getInputStream(), socket.getOutputStream(), socket, socket);
    }

    private StreamTransport(InputStream in, OutputStream out, Closeable connection, Socket socket) {
        if (in == null || out == null) {
            throw new IllegalArgumentException("StreamTransport needs both an input and an output stream");
        }
        this.in = in;
        this.out = out;
        this.connection = connection;
        this.socket = socket;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        if (len == 0) return 0;
        // InputStream.read may legally return 0 for len > 0 on some vendor streams; a blocking transport must
        // not, so ask again until a byte or the end of the stream arrives.
        int n;
        do {
            n = in.read(buf, off, len);
        } while (n == 0);
        return n;
    }

    @Override
    public int write(byte[] buf, int off, int len) throws IOException {
        out.write(buf, off, len);
        out.flush();
        return len;
    }

    /** The socket's {@code SO_TIMEOUT}; 0 (none) over bare streams. */
    @Override
    public int readTimeout() throws IOException {
        return socket != null ? socket.getSoTimeout() : 0;
    }

    /** Sets the socket's {@code SO_TIMEOUT}; bare streams have no timeout, and this does nothing. */
    @Override
    public void setReadTimeout(int millis) throws IOException {
        if (socket != null) socket.setSoTimeout(millis);
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) return;
        closed = true;
        IOException first = null;
        for (Closeable c : new Closeable[] {out, in, connection}) {
            if (c == null) continue;
            try {
                c.close();
            } catch (IOException e) {
                if (first == null) first = e; else first.addSuppressed(e);
            }
        }
        if (first != null) throw first;
    }

    @Override
    public String toString() {
        return "StreamTransport(" + (socket != null ? socket : connection != null ? connection : in) + ")";
    }
}
