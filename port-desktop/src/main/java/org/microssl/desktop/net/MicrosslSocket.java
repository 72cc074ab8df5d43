package org.microssl.desktop.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.List;

import org.microssl.SSLContext;
import org.microssl.SSLSocket;
import org.microssl.spi.TimedTransport;

/**
 * A {@link java.net.Socket} whose streams are TLS (a client connection, from {@link MicrosslSocketFactory}). Its
 * own TCP streams carry the records; {@link #getInputStream()} and {@link #getOutputStream()} carry the plaintext.
 * One thread may read while another writes (Paho does). The first fatal error sticks, as on {@link SSLSocket}.
 */
public final class MicrosslSocket extends Socket {
    private final SSLContext context;
    private final String fixedHostname;
    private String host;
    private SSLSocket tls; // guarded by this
    private volatile boolean handshaken;
    private InputStream in;
    private OutputStream out;

    MicrosslSocket(SSLContext context, String fixedHostname) {
        this.context = context;
        this.fixedHostname = fixedHostname;
    }

    @Override
    public void connect(SocketAddress endpoint, int timeout) throws IOException {
        if (endpoint instanceof InetSocketAddress) host = ((InetSocketAddress) endpoint).getHostString();
        super.connect(endpoint, timeout);
    }

    /** Runs the handshake now (else the first read or write does). Waits at most the context's handshake timeout. */
    public void startHandshake() throws IOException {
        SSLSocket s = tls();
        while (true) {
            try {
                s.doHandshake();
                handshaken = true;
                return;
            } catch (SocketTimeoutException e) {
                // SO_TIMEOUT bounds one read; the handshake's own deadline bounds the handshake (it throws then)
            }
        }
    }

    /** The TLS connection under the streams, for what {@link SSLSocket} tells (cipher, peer certificate...). */
    public SSLSocket tlsConnection() throws IOException {
        return tls();
    }

    /** As {@link SSLSocket#getPeerCertChain()}; null before the handshake. */
    public List<byte[]> getPeerCertChain() throws IOException {
        return tls().getPeerCertChain();
    }

    private synchronized SSLSocket tls() throws IOException {
        if (tls == null) {
            if (isClosed()) throw new SocketException("Socket is closed");
            if (!isConnected()) throw new SocketException("Socket is not connected");
            String name = fixedHostname != null ? fixedHostname : host;
            tls = context.wrapSocket(new OwnStreams(), false, false, name);
        }
        return tls;
    }

    @Override
    public synchronized InputStream getInputStream() throws IOException {
        if (in == null) {
            SSLSocket s = tls();
            InputStream plain = s.getInputStream();
            in = new InputStream() {
                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    int n = read(one, 0, 1);
                    return n < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (!handshaken) startHandshake();
                    return plain.read(b, off, len);
                }

                @Override
                public int available() throws IOException {
                    return plain.available();
                }

                @Override
                public void close() throws IOException {
                    MicrosslSocket.this.close();
                }
            };
        }
        return in;
    }

    @Override
    public synchronized OutputStream getOutputStream() throws IOException {
        if (out == null) {
            SSLSocket s = tls();
            OutputStream plain = s.getOutputStream();
            out = new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    if (!handshaken) startHandshake();
                    plain.write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    MicrosslSocket.this.close();
                }
            };
        }
        return out;
    }

    /** Sends close_notify if the connection is up, then closes the TCP socket. */
    @Override
    public void close() throws IOException {
        SSLSocket s;
        synchronized (this) {
            s = tls;
        }
        if (s == null) {
            super.close();
            return;
        }
        try {
            s.close(); // closes our TCP streams and the socket through OwnStreams
        } finally {
            super.close();
        }
    }

    @Override
    public String toString() {
        return "MicrosslSocket[" + super.toString() + "]";
    }

    /** The TCP socket's own streams and SO_TIMEOUT, as microssl's transport. */
    private final class OwnStreams implements TimedTransport {
        private final InputStream rawIn = MicrosslSocket.super.getInputStream();
        private final OutputStream rawOut = MicrosslSocket.super.getOutputStream();

        OwnStreams() throws IOException {
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            if (len == 0) return 0;
            int n;
            do {
                n = rawIn.read(buf, off, len);
            } while (n == 0);
            return n;
        }

        @Override
        public int write(byte[] buf, int off, int len) throws IOException {
            rawOut.write(buf, off, len);
            rawOut.flush();
            return len;
        }

        @Override
        public int readTimeout() throws IOException {
            return getSoTimeout();
        }

        @Override
        public void setReadTimeout(int millis) throws IOException {
            setSoTimeout(millis);
        }

        @Override
        public void close() throws IOException {
            MicrosslSocket.super.close();
        }
    }
}
