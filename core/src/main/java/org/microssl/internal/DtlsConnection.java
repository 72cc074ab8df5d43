package org.microssl.internal;

import java.io.IOException;

import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSRequest;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.crypto.TlsCrypto;
import org.microssl.internal.crypto.Profile;
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
        this.link = new Link(transport, this);
    }

    /** The suite being negotiated or in use, or -1 before the ServerHello. */
    int cipherSuite() {
        org.bouncycastle.tls.TlsContext context = server ? serverPeer.context() : clientPeer.context();
        if (context == null) return -1;
        org.bouncycastle.tls.SecurityParameters p = context.getSecurityParameters();
        return p == null ? -1 : p.getCipherSuite();
    }

    public static DtlsConnection client(Settings settings, TlsCrypto crypto, PathValidator validator,
            String serverHostname, DatagramTransport transport) {
        return new DtlsConnection(false, new DtlsClientPeer(crypto, settings, validator, serverHostname), null,
                transport);
    }

    public static DtlsConnection server(Settings settings, TlsCrypto crypto, PathValidator validator,
            DatagramTransport transport) {
        if (!Profile.serverSide()) throw Profile.clientOnly();
        return new DtlsConnection(true, null, new DtlsServerPeer(crypto, settings, validator), transport);
    }

    /**
     * Runs the handshake to its end (blocking; bounded by the context's handshake timeout).
     *
     * @param request a server's verified ClientHello ({@link DtlsCookies#verify}); null for a client
     */
    public void handshake(Object request) throws IOException {
        if (server) {
            // folded away in a client-only build (Profile), with BouncyCastle's DTLS server behind it
            if (!Profile.serverSide()) throw Profile.clientOnly();
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

    /**
     * RFC 6347 section 4.1.2.7: an invalid record is discarded, never fatal. Two kinds are cut out of each datagram
     * here, before BouncyCastle sees them:
     * <ul>
     * <li>an encrypted record too short to hold its AEAD's explicit nonce and tag: BouncyCastle drops records that
     * fail authentication, but fails the association with decode_error on these, which anyone can forge;
     * <li>an epoch-0 (unprotected) record whose content does not parse: application data, a change_cipher_spec
     * other than the single byte 1, an alert other than two bytes, handshake fragments whose headers do not add
     * up to the record (RFC 6347 section 4.2.2). Epoch 0 has no MAC, so BouncyCastle moves its replay window on
     * any such record; a garbage one with a high sequence number would make it discard the peer's real flight
     * until the handshake deadline.
     * </ul>
     *
     * @return the datagram's new length
     */
    static int dropInvalidRecords(byte[] buf, int off, int len, int minimumCiphertext) {
        int read = off;
        int write = off;
        int end = off + len;
        while (end - read >= 13) {
            int epoch = ((buf[read + 3] & 0xff) << 8) | (buf[read + 4] & 0xff);
            int length = ((buf[read + 11] & 0xff) << 8) | (buf[read + 12] & 0xff);
            int size = Math.min(13 + length, end - read);
            boolean invalid = epoch != 0 ? length < minimumCiphertext
                    : size < 13 + length || !plaintextParses(buf[read], buf, read + 13, length);
            if (!invalid) {
                if (write != read) System.arraycopy(buf, read, buf, write, size);
                write += size;
            }
            read += size;
        }
        if (read < end) { // a partial header: BouncyCastle drops it
            System.arraycopy(buf, read, buf, write, end - read);
            write += end - read;
        }
        return write - off;
    }

    private static boolean plaintextParses(byte type, byte[] b, int off, int len) {
        switch (type) {
            case 20: // change_cipher_spec (RFC 5246 section 7.1)
                return len == 1 && b[off] == 1;
            case 21: // alert
                return len == 2 && (b[off] == 1 || b[off] == 2);
            case 22: // handshake: 12-byte DTLS headers, each fragment within its message (RFC 6347 section 4.2.2)
                int pos = off;
                int end = off + len;
                while (pos < end) {
                    if (end - pos < 12) return false;
                    int messageLength = int24(b, pos + 1);
                    int fragmentOffset = int24(b, pos + 6);
                    int fragmentLength = int24(b, pos + 9);
                    if (fragmentOffset + fragmentLength > messageLength) return false;
                    if (fragmentLength > end - pos - 12) return false;
                    pos += 12 + fragmentLength;
                }
                return len > 0;
            default: // application_data, heartbeat, or no content type at all: never unprotected
                return false;
        }
    }

    private static int int24(byte[] b, int off) {
        return ((b[off] & 0xff) << 16) | ((b[off + 1] & 0xff) << 8) | (b[off + 2] & 0xff);
    }

    /** Explicit nonce plus tag of the suite's AEAD (RFC 5288, RFC 6655, RFC 7905); 24 covers all before it is known. */
    static int minimumCiphertext(int suite) {
        if (suite < 0) return 24;
        String name = DtlsSuites.name(suite);
        if (name.contains("CCM_8")) return 8 + 8;
        if (name.contains("CHACHA20")) return 16;
        return 8 + 16;
    }

    /** BouncyCastle's view of our transport. Once closed, sends go nowhere and receives fail at once. */
    static final class Link implements org.bouncycastle.tls.DatagramTransport {
        private final DatagramTransport transport;
        private final DtlsConnection connection;
        private volatile boolean closed;

        Link(DatagramTransport transport, DtlsConnection connection) {
            this.transport = transport;
            this.connection = connection;
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
            int n = transport.receive(buf, off, len, waitMillis == 0 ? Integer.MAX_VALUE : waitMillis);
            return n <= 0 ? n : dropInvalidRecords(buf, off, n, minimumCiphertext(connection.cipherSuite()));
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
