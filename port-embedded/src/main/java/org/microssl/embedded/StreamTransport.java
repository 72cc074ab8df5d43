package org.microssl.embedded;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import org.microssl.spi.Transport;

/**
 * A blocking {@link Transport} over an {@code InputStream}/{@code OutputStream} pair: what a CLDC
 * {@code StreamConnection}, a vendor modem socket or a {@code java.net.Socket} gives. {@code read} blocks until
 * at least one byte arrives; {@code write} writes everything and flushes, so a record leaves when it is written.
 */
public final class StreamTransport implements Transport {

    private final InputStream in;
    private final OutputStream out;
    private final Closeable connection;
    private boolean closed;

    /** @param connection closed after both streams (the {@code StreamConnection} or socket itself); may be null */
    public StreamTransport(InputStream in, OutputStream out, Closeable connection) {
        if (in == null || out == null) {
            throw new IllegalArgumentException("StreamTransport needs both an input and an output stream");
        }
        this.in = in;
        this.out = out;
        this.connection = connection;
    }

    public StreamTransport(InputStream in, OutputStream out) {
        this(in, out, null);
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        // InputStream.read may legally return 0 for len > 0 on some vendor streams; a blocking transport must
        // not, so retry until a byte or end of stream arrives.
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

    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        IOException first = null;
        for (Closeable c : new Closeable[] {out, in, connection}) {
            if (c == null) {
                continue;
            }
            try {
                c.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
