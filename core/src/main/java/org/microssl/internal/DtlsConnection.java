package org.microssl.internal;

import java.io.IOException;

import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSRequest;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.crypto.TlsCrypto;
import org.microssl.spi.DatagramTransport;
import org.microssl.x509.PathValidator;

/**
 * One DTLS 1.2 association over BouncyCastle's blocking DTLS protocol classes: BouncyCastle runs the handshake
 * (retransmission with the RFC 6347 section 4.2.4.1 timer, 1 s doubling to 60 s; fragmentation to the transport's
 * MTU; the replay window of section 4.1.2.6; records that fail to decrypt or parse are dropped, section 4.1.2.7),
 * our peers decide versions, suites, keys and certificates.
 */
public final class DtlsConnection {
    /**
     * What one received datagram may hold: a record of 2^14 plaintext bytes plus its header and AEAD expansion.
     * Peers on loopback (OpenSSL) send whole flights in one datagram of that size, whatever our MTU.
     */
    static final int RECEIVE_LIMIT = (1 << 14) + 13 + 256;

    private final boolean server;
    private final DtlsClientPeer clientPeer;
    private final DtlsServerPeer serverPeer;
    private final Link link;
    private DTLSTransport dtls;

    private DtlsConnection(boolean server, DtlsClientPeer clientPeer, DtlsServerPeer serverPeer,
            DatagramTransport transport) {
        this.server = server;
        this.clientPeer = clientPeer;
        this.serverPeer = serverPeer;
        this.link = new Link(transport);
    }

    public static DtlsConnection client(Settings settings, TlsCrypto crypto, PathValidator validator,
            String serverHostname, DatagramTransport transport) {
        return new DtlsConnection(false, new DtlsClientPeer(crypto, settings, validator, serverHostname), null,
                transport);
    }

    public static DtlsConnection server(Settings settings, TlsCrypto crypto, PathValidator validator,
            DatagramTransport transport) {
        return new DtlsConnection(true, null, new DtlsServerPeer(crypto, settings, validator), transport);
    }

    /**
     * Runs the handshake to its end (blocking; bounded by the context's handshake timeout).
     *
     * @param request a server's verified ClientHello ({@link DtlsCookies#verify}); null for a client
     */
    public void handshake(Object request) throws IOException {
        if (server) {
            dtls = new DTLSServerProtocol().accept(serverPeer, link, (DTLSRequest) request);
        } else {
            dtls = new DTLSClientProtocol().connect(clientPeer, link);
        }
    }

    public PeerState peer() {
        return server ? serverPeer.state : clientPeer.state;
    }

    public boolean closeNotifyReceived() {
        return server ? serverPeer.closeNotifyReceived : clientPeer.closeNotifyReceived;
    }

    /** Application bytes one record (one datagram) can carry. */
    public int sendLimit() throws IOException {
        return dtls.getSendLimit();
    }

    public int receiveLimit() throws IOException {
        return dtls.getReceiveLimit();
    }

    /** @return one record's application data length, or -1 if none arrived within {@code waitMillis} */
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        return dtls.receive(buf, off, len, waitMillis);
    }

    public void send(byte[] buf, int off, int len) throws IOException {
        dtls.send(buf, off, len);
    }

    /** Sends close_notify (once established and healthy) and closes the transport. */
    public void close() throws IOException {
        try {
            if (dtls != null) dtls.close();
        } finally {
            link.close();
        }
    }

    /** BouncyCastle's view of our transport. Once closed, sends go nowhere and receives fail at once. */
    static final class Link implements org.bouncycastle.tls.DatagramTransport {
        private final DatagramTransport transport;
        private volatile boolean closed;

        Link(DatagramTransport transport) {
            this.transport = transport;
        }

        @Override
        public int getReceiveLimit() {
            return Math.max(transport.mtu(), RECEIVE_LIMIT);
        }

        @Override
        public int getSendLimit() {
            return transport.mtu();
        }

        @Override
        public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
            if (closed) throw new java.io.EOFException("the datagram transport is closed");
            // BouncyCastle: 0 waits for ever; our transports: at most the time given.
            return transport.receive(buf, off, len, waitMillis == 0 ? Integer.MAX_VALUE : waitMillis);
        }

        @Override
        public void send(byte[] buf, int off, int len) throws IOException {
            if (!closed) transport.send(buf, off, len);
        }

        @Override
        public void close() throws IOException {
            if (closed) return;
            closed = true;
            transport.close();
        }
    }
}
