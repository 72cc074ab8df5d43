package org.microssl.embedded;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;


/**
 * The {@link DatagramTransport} hook over {@code java.net.DatagramSocket}, connected to one peer so datagrams from
 * any other address are dropped by the socket itself.
 */
public final class DatagramSocketTransport implements DatagramTransport {

    private final DatagramSocket socket;

    /** Opens an ephemeral local port connected to {@code host:port} (e.g. an NTP server on port 123). */
    public static DatagramSocketTransport open(String host, int port) throws IOException {
        return open(new InetSocketAddress(InetAddress.getByName(host), port));
    }

    public static DatagramSocketTransport open(SocketAddress peer) throws IOException {
        DatagramSocket socket = new DatagramSocket();
        try {
            socket.connect(peer);
        } catch (RuntimeException e) {
            socket.close();
            throw new IOException("cannot open a datagram socket to " + peer + ": " + e.getMessage(), e);
        }
        return new DatagramSocketTransport(socket);
    }

    /** @param socket a socket already connected to the peer */
    public DatagramSocketTransport(DatagramSocket socket) {
        if (socket == null || !socket.isConnected()) {
            throw new IllegalArgumentException("DatagramSocketTransport needs a connected DatagramSocket");
        }
        this.socket = socket;
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
    public void close() {
        socket.close();
    }
}
