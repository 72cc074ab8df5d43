package org.microssl;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.microssl.internal.DtlsCookies;
import org.microssl.spi.DatagramTransport;

/**
 * A DTLS 1.2 server for many clients on one UDP socket: one receiving thread hands each datagram to its
 * client's association, keyed by the client's address and port. A datagram from an address without one goes to
 * the stateless cookie exchange (RFC 6347 section 4.2.1): a ClientHello is answered with a HelloVerifyRequest and
 * forgotten, anything else is dropped; only a ClientHello carrying the cookie for its source address creates an
 * association, which {@link #accept()} then hands out. So a flood of spoofed ClientHellos costs one HMAC each and
 * no memory.
 *
 * <pre>{@code
 * try (DtlsServer server = new DtlsServer(ctx, new DatagramSocket(5684))) {
 *     while (true) {
 *         DtlsSocket s = server.accept();          // handshake runs in s.doHandshake() or the first recv
 *         executor.execute(() -> serve(s));
 *     }
 * }
 * }</pre>
 */
public final class DtlsServer implements Closeable {
    /** Datagrams waiting for one association's reader; more are dropped, as a full socket buffer would. */
    private static final int QUEUE_PER_ASSOCIATION = 64;
    /** Verified clients waiting for {@link #accept()}; more are dropped (they retransmit their ClientHello). */
    private static final int ACCEPT_BACKLOG = 32;

    private final SSLContext ctx;
    private final DatagramSocket socket;
    private final int mtu;
    private final DtlsCookies cookies;
    private final ConcurrentHashMap<SocketAddress, Association> associations =
            new ConcurrentHashMap<SocketAddress, Association>();
    private final BlockingQueue<DtlsSocket> backlog = new ArrayBlockingQueue<DtlsSocket>(ACCEPT_BACKLOG);
    private final Thread receiver;
    private volatile int maxAssociations = 1024;
    private volatile boolean closed;
    private volatile IOException receiveFailure;

    /** @param socket a bound, unconnected UDP socket (e.g. {@code new DatagramSocket(5684)}) */
    public DtlsServer(SSLContext ctx, DatagramSocket socket) {
        this(ctx, socket, DatagramTransport.DEFAULT_MTU);
    }

    /** @param mtu the largest datagram payload sent to clients (see {@link DatagramTransport#mtu()}) */
    public DtlsServer(SSLContext ctx, DatagramSocket socket, int mtu) {
        if (ctx == null || socket == null) throw new IllegalArgumentException("ctx and socket are required");
        if (socket.isConnected()) throw new IllegalArgumentException("the server's socket must not be connected");
        DatagramSocketTransport.checkMtu(mtu);
        ctx.checkDtlsBeforeIo(true, null);
        this.ctx = ctx;
        this.socket = socket;
        this.mtu = mtu;
        this.cookies = ctx.dtlsCookies();
        this.receiver = new Thread(new Runnable() {
            @Override
            public void run() {
                receiveLoop();
            }
        }, "microssl-dtls-server-" + socket.getLocalPort());
        receiver.setDaemon(true);
        receiver.start();
    }

    /** The most associations kept at once (handshaking or established); default 1,024. */
    public void setMaxAssociations(int max) {
        if (max < 1) throw new IllegalArgumentException("max associations must be at least 1");
        maxAssociations = max;
    }

    /** Associations currently kept (each from a client that returned its cookie, until its socket is closed). */
    public int associations() {
        return associations.size();
    }

    public int getLocalPort() {
        return socket.getLocalPort();
    }

    /** The next client that passed the cookie exchange; its handshake runs in its first call. Blocks. */
    public DtlsSocket accept() throws IOException {
        while (true) {
            DtlsSocket s = accept(1000);
            if (s != null) return s;
        }
    }

    /** As {@link #accept()}, waiting at most {@code timeoutMillis}: null if no client came. */
    public DtlsSocket accept(int timeoutMillis) throws IOException {
        if (closed) throw new SslException(SslException.Failure.CLOSED, "the DTLS server is closed");
        IOException failed = receiveFailure;
        if (failed != null) throw failed;
        try {
            return backlog.poll(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while accepting");
        }
    }

    /** Stops receiving and closes the socket; associations already handed out fail on their next wait. */
    @Override
    public void close() {
        closed = true;
        socket.close();
        for (Association a : associations.values()) a.shutdown();
        DtlsSocket pending;
        while ((pending = backlog.poll()) != null) {
            try {
                pending.close();
            } catch (IOException ignored) {
                // never handshaken: nothing to tell the client
            }
        }
    }

    private void receiveLoop() {
        byte[] buf = new byte[Math.max(mtu, 16384 + 269)];
        DatagramPacket packet = new DatagramPacket(buf, buf.length);
        while (!closed) {
            try {
                packet.setData(buf, 0, buf.length);
                socket.receive(packet);
            } catch (IOException e) {
                if (!closed) receiveFailure = e;
                return;
            }
            SocketAddress from = packet.getSocketAddress();
            Association a = associations.get(from);
            if (a != null) {
                a.deliver(buf, packet.getLength());
                continue;
            }
            if (associations.size() >= maxAssociations) continue; // full: the client will retransmit
            newClient((InetSocketAddress) from, buf, packet.getLength());
        }
    }

    private void newClient(InetSocketAddress from, byte[] buf, int len) {
        byte[] ip = from.getAddress().getAddress();
        byte[] clientId = new byte[ip.length + 2];
        System.arraycopy(ip, 0, clientId, 0, ip.length);
        clientId[ip.length] = (byte) (from.getPort() >> 8);
        clientId[ip.length + 1] = (byte) from.getPort();
        Association a = new Association(from);
        Object request = cookies.verify(clientId, buf, 0, len, a);
        if (request == null) return; // a HelloVerifyRequest went back, or the datagram was not a ClientHello
        String address = from.getAddress().getHostAddress();
        address = (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + from.getPort();
        try {
            DtlsSocket s = ctx.dtlsSocket(a, true, null, request, clientId, address);
            associations.put(from, a);
            if (!backlog.offer(s)) associations.remove(from, a);
        } catch (IOException | RuntimeException e) {
            associations.remove(from, a); // entropy failure: the client retransmits, and is dropped again
        }
    }

    /** One client's datagrams: sent from the shared socket, received through a queue the receiver fills. */
    private final class Association implements DatagramTransport {
        private final InetSocketAddress peer;
        private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<byte[]>(QUEUE_PER_ASSOCIATION);
        private volatile boolean done;

        Association(InetSocketAddress peer) {
            this.peer = peer;
        }

        void deliver(byte[] buf, int len) {
            byte[] copy = new byte[len];
            System.arraycopy(buf, 0, copy, 0, len);
            queue.offer(copy); // full: dropped
        }

        void shutdown() {
            done = true;
            queue.offer(new byte[0]); // wakes a waiting reader
        }

        @Override
        public void send(byte[] buf, int off, int len) throws IOException {
            if (done) throw new IOException("the DTLS server is closed");
            socket.send(new DatagramPacket(buf, off, len, peer));
        }

        @Override
        public int receive(byte[] buf, int off, int len, int timeoutMillis) throws IOException {
            if (done) throw new IOException("the association is closed");
            byte[] d;
            try {
                d = queue.poll(timeoutMillis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for a datagram");
            }
            if (done) throw new IOException("the association is closed");
            if (d == null) return -1;
            int n = Math.min(d.length, len);
            System.arraycopy(d, 0, buf, off, n);
            return n;
        }

        @Override
        public int mtu() {
            return mtu;
        }

        @Override
        public void close() {
            done = true;
            associations.remove(peer, this);
        }
    }
}
