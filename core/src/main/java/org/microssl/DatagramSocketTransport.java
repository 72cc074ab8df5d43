package org.microssl;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;

import org.microssl.spi.DatagramTransport;

/**
 * The {@link DatagramTransport} hook over {@code java.net.DatagramSocket}, connected to one peer so datagrams from
 * any other address are dropped by the socket itself.
 */
public final class DatagramSocketTransport implements DatagramTransport {

    private final DatagramSocket socket;
    private final int mtu;

    /** Opens an ephemeral local port connected to {@code host:port} (e.g. an NTP server on port 123). */
    public static DatagramSocketTransport open(String host, int port) throws IOException {
        return open(new InetSocketAddress(InetAddress.getByName(host), port));
    }

    public static DatagramSocketTransport open(SocketAddress peer) throws IOException {
        return open(peer, DEFAULT_MTU);
    }

    /** @param mtu the largest datagram payload to send, at least 256 (see {@link DatagramTransport#mtu()}) */
    public static DatagramSocketTransport open(SocketAddress peer, int mtu) throws IOException {
        checkMtu(mtu);
        DatagramSocket socket = new DatagramSocket();
        try {
            socket.connect(peer);
        } catch (RuntimeException e) {
            socket.close();
            throw new IOException("cannot open a datagram socket to " + peer + ": " + e.getMessage(), e);
        }
        return new DatagramSocketTransport(socket, mtu);
    }

    /** @param socket a socket already connected to the peer */
    public DatagramSocketTransport(DatagramSocket socket) {
        this(socket, DEFAULT_MTU);
    }

    /** @param socket a socket already connected to the peer; @param mtu as {@link #open(SocketAddress, int)} */
    public DatagramSocketTransport(DatagramSocket socket, int mtu) {
        if (socket == null || !socket.isConnected()) {
            throw new IllegalArgumentException("DatagramSocketTransport needs a connected DatagramSocket");
        }
        checkMtu(mtu);
        this.socket = socket;
        this.mtu = mtu;
    }

    static void checkMtu(int mtu) {
        // 256: room for a DTLS record header, a handshake fragment header and some bytes of a message; 65,507 is
        // the largest UDP payload over IPv4.
        if (mtu < 256 || mtu > 65507) throw new IllegalArgumentException("mtu must be between 256 and 65507");
    }

    @Override
    public void send(byte[] buf, int off, int len) throws IOException {
        socket.send(new DatagramPacket(buf, off, len));
    }

    @Override
    public int receive(byte[] buf, int off, int len, int timeoutMillis) throws IOException {
        if (timeoutMillis <= 0) {
            return -1;
        }
        DatagramPacket packet = new DatagramPacket(buf, off, len);
        socket.setSoTimeout(timeoutMillis);
        try {
            socket.receive(packet);
        } catch (SocketTimeoutException e) {
            return -1;
        }
        return packet.getLength();
    }

    @Override
    public int mtu() {
        return mtu;
    }

    @Override
    public void close() {
        socket.close();
    }
}
