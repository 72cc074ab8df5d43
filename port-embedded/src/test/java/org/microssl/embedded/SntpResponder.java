package org.microssl.embedded;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A local SNTP server on loopback for tests: answers each request with the datagrams a scenario makes from it.
 */
final class SntpResponder implements AutoCloseable {

    private final DatagramSocket socket;
    private final Thread thread;
    final AtomicInteger requests = new AtomicInteger();
    volatile byte[] lastRequest;

    SntpResponder(Function<byte[], List<byte[]>> scenario) throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        thread = new Thread(() -> serve(scenario), "sntp-responder");
        thread.setDaemon(true);
        thread.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    private void serve(Function<byte[], List<byte[]>> scenario) {
        byte[] buf = new byte[512];
        while (!socket.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                socket.receive(p);
                byte[] req = java.util.Arrays.copyOf(p.getData(), p.getLength());
                lastRequest = req;
                requests.incrementAndGet();
                for (byte[] reply : scenario.apply(req)) {
                    socket.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
                }
            } catch (SocketException closed) {
                return;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** A well-formed server reply (mode 4, stratum 2, version 4) echoing the request's transmit timestamp. */
    static byte[] reply(byte[] request, long serverUnixMillis) {
        byte[] r = new byte[48];
        r[0] = (byte) (0 << 6 | 4 << 3 | 4);
        r[1] = 2;
        r[12] = 127;
        r[15] = 1;
        System.arraycopy(request, 40, r, 24, 8);
        putLong(r, 32, SntpClient.unixMillisToNtp(serverUnixMillis));
        putLong(r, 40, SntpClient.unixMillisToNtp(serverUnixMillis));
        return r;
    }

    static void putLong(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        thread.join(2000);
    }
}
