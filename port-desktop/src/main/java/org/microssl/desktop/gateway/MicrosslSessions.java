package org.microssl.desktop.gateway;

import java.io.IOException;
import java.nio.channels.SocketChannel;

import org.microssl.SSLContext;
import org.microssl.SSLSocket;
import org.microssl.SocketChannelTransport;

/**
 * microssl under the gateway: a server-side {@link SSLSocket} over the non-blocking channel itself (no memory
 * buffers in between: the engine reads records straight from the channel into its own buffer).
 */
public final class MicrosslSessions implements TlsSession.Factory {
    private final SSLContext context;

    /** @param context a PROTOCOL_TLS_SERVER context with its certificate loaded */
    public MicrosslSessions(SSLContext context) {
        this.context = context;
    }

    @Override
    public TlsSession open(SocketChannel channel) throws IOException {
        return new Session(context.wrapSocket(new SocketChannelTransport(channel), true, false, null));
    }

    private static final class Session implements TlsSession {
        private static final byte[] NONE = new byte[0];
        private final SSLSocket tls;

        Session(SSLSocket tls) {
            this.tls = tls;
        }

        @Override
        public boolean handshake() throws IOException {
            return tls.doHandshake();
        }

        @Override
        public int read(byte[] b, int len) throws IOException {
            Integer n = tls.recvInto(b, len);
            if (n == null) return 0;
            return n == 0 ? -1 : n;
        }

        @Override
        public int write(byte[] b, int off, int len) throws IOException {
            Integer n = tls.write(b, off, len);
            return n == null ? 0 : n;
        }

        @Override
        public boolean flush() throws IOException {
            if (tls.wantsWrite()) tls.write(NONE, 0, 0);
            return !tls.wantsWrite();
        }

        @Override
        public boolean wantsWrite() {
            return tls.wantsWrite();
        }

        @Override
        public String version() {
            return tls.version();
        }

        @Override
        public byte[] peerCertificate() {
            return (byte[]) tls.getpeercert(true);
        }

        @Override
        public void close() {
            try {
                tls.close();
            } catch (IOException | RuntimeException e) {
                // closing: the connection is gone either way
            }
        }
    }
}
