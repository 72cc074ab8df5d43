package org.microssl.dtls;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * A UDP relay between one client and one server that loses and reorders datagrams: each datagram is dropped with
 * probability {@code drop}, or held back and sent after the next one with probability {@code swap}. Seeded, so a
 * failure repeats. It also counts every byte it forwards (the bytes a handshake puts on the wire), and can inject
 * datagrams of its own towards either side.
 */
public final class Relay implements AutoCloseable {
    private final DatagramSocket socket;
    private final SocketAddress server;
    private final Random random;
    private final double drop;
    private final double swap;
    private volatile double duplicate;
    private final Thread thread;
    private volatile SocketAddress client;
    private volatile boolean closed;
    private DatagramPacket held;
    private long bytes;
    private int datagrams;
    private int dropped;
    private int swapped;
    /** Every datagram forwarded to the server or client, as sent, for replay tests. */
    private final List<byte[]> toServer = Collections.synchronizedList(new ArrayList<byte[]>());
    private final List<byte[]> toClient = Collections.synchronizedList(new ArrayList<byte[]>());

    public Relay(int serverPort, long seed, double drop, double swap) throws SocketException {
        this.socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        this.server = new InetSocketAddress(InetAddress.getLoopbackAddress(), serverPort);
        this.random = new Random(seed);
        this.drop = drop;
        this.swap = swap;
        this.thread = new Thread(this::run, "relay");
        thread.setDaemon(true);
        thread.start();
    }

    /** Also sends each forwarded datagram twice with this probability (a network that duplicates). */
    public Relay duplicating(double probability) {
        duplicate = probability;
        return this;
    }

    private int duplicated;
    private volatile Random noise;

    /** Also sends a random datagram (half of them with a DTLS 1.2 record header) before each forwarded one. */
    public Relay noisy(long seed) {
        noise = new Random(seed);
        return this;
    }

    private void sendNoise(SocketAddress to) throws IOException {
        Random r = noise;
        byte[] g = new byte[1 + r.nextInt(200)];
        r.nextBytes(g);
        if (r.nextBoolean() && g.length > 13) {
            g[0] = (byte) (20 + r.nextInt(4));
            g[1] = (byte) 0xfe;
            g[2] = (byte) 0xfd;
            g[3] = 0;
            g[4] = (byte) r.nextInt(2);
            g[11] = (byte) ((g.length - 13) >> 8);
            g[12] = (byte) (g.length - 13);
        }
        socket.send(new DatagramPacket(g, g.length, to));
    }

    public synchronized int duplicated() {
        return duplicated;
    }

    public int port() {
        return socket.getLocalPort();
    }

    private void run() {
        byte[] buf = new byte[65536];
        while (!closed) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
            } catch (IOException e) {
                return;
            }
            byte[] data = java.util.Arrays.copyOf(p.getData(), p.getLength());
            boolean fromServer = p.getSocketAddress().equals(server);
            if (!fromServer) client = p.getSocketAddress();
            SocketAddress to = fromServer ? client : server;
            if (to == null) continue;
            (fromServer ? toClient : toServer).add(data);
            forward(new DatagramPacket(data, data.length, to));
        }
    }

    private synchronized void forward(DatagramPacket p) {
        try {
            double r = random.nextDouble();
            if (r < drop) {
                dropped++;
                return;
            }
            if (held == null && r < drop + swap) {
                held = p; // goes out after the next one
                swapped++;
                return;
            }
            if (noise != null) sendNoise(p.getSocketAddress());
            send(p);
            if (random.nextDouble() < duplicate) {
                send(p);
                duplicated++;
            }
            if (held != null) {
                send(held);
                held = null;
            }
        } catch (IOException e) {
            // the relay is closing
        }
    }

    private void send(DatagramPacket p) throws IOException {
        socket.send(p);
        bytes += p.getLength();
        datagrams++;
    }

    /** Sends {@code data} to the server as if from the client (towards the server) or to the client. */
    public void inject(byte[] data, boolean toTheServer) throws IOException {
        SocketAddress to = toTheServer ? server : client;
        socket.send(new DatagramPacket(data, data.length, to));
    }

    public List<byte[]> sentToServer() {
        synchronized (toServer) {
            return new ArrayList<byte[]>(toServer);
        }
    }

    public List<byte[]> sentToClient() {
        synchronized (toClient) {
            return new ArrayList<byte[]>(toClient);
        }
    }

    public synchronized long bytes() {
        return bytes;
    }

    public synchronized int datagrams() {
        return datagrams;
    }

    public synchronized int dropped() {
        return dropped;
    }

    public synchronized int swapped() {
        return swapped;
    }

    @Override
    public void close() {
        closed = true;
        socket.close();
    }
}
