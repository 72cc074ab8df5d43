package org.microssl.desktop.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

import javax.net.SocketFactory;

import org.microssl.SSLContext;

/**
 * A {@link SocketFactory} whose sockets speak TLS through microssl: for Java clients that take a socket factory
 * (Eclipse Paho, OkHttp, JDBC drivers...). Each {@link Socket} it makes is a plain TCP socket whose streams are
 * TLS; the handshake runs on the first read or write, or on {@link MicrosslSocket#startHandshake()}, and
 * {@code setSoTimeout} bounds reads as it does on any socket (the handshake itself is bounded by
 * {@link SSLContext#setHandshakeTimeout}).
 *
 * <p>The name checked against the server's certificate (and sent as SNI) is the host the socket connects to, as
 * given ({@link InetSocketAddress#getHostString()}), unless the factory was made with a fixed one.
 *
 * <p>This is not a {@code javax.net.ssl.SSLSocketFactory} (microssl is not JSSE): clients that insist on one for
 * {@code ssl://} or {@code https://} URLs are given the plain-scheme URL ({@code tcp://}, {@code http://}) with
 * this factory, and get TLS all the same. See the README, "plugging in".
 */
public final class MicrosslSocketFactory extends SocketFactory {
    private final SSLContext context;
    private final String serverHostname;

    /** Sockets that check the server against the host they connect to. */
    public MicrosslSocketFactory(SSLContext context) {
        this(context, null);
    }

    /**
     * @param serverHostname the name to send as SNI and check the certificate against, whatever address the socket
     *     connects to; null: the host connected to
     */
    public MicrosslSocketFactory(SSLContext context, String serverHostname) {
        if (context == null) throw new IllegalArgumentException("context is null");
        this.context = context;
        this.serverHostname = serverHostname;
    }

    /** An unconnected socket: {@code connect} it, then use its streams. */
    @Override
    public Socket createSocket() {
        return new MicrosslSocket(context, serverHostname);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected(new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return connected(new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
    }

    private Socket connected(InetSocketAddress remote, InetSocketAddress local) throws IOException {
        MicrosslSocket s = new MicrosslSocket(context, serverHostname);
        try {
            if (local != null) s.bind(local);
            s.connect(remote);
            return s;
        } catch (IOException | RuntimeException e) {
            try {
                s.close();
            } catch (IOException x) {
                e.addSuppressed(x);
            }
            throw e;
        }
    }
}
