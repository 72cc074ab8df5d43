package org.microssl.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.microssl.DtlsSocket;
import org.microssl.SSLContext;
import org.microssl.Ssl;
import org.microssl.spi.DatagramTransport;
import org.microssl.testing.TestPki;

/**
 * DTLS 1.2 figures (issue 15), in process, no sockets: handshakes per process-CPU-second and per wall-second, bytes
 * on the wire per handshake, and retained heap per association. Compared with {@code benchmarks/dtls/dtls_hs.c}
 * (OpenSSL's DTLS over memory BIOs) run in the same sitting.
 *
 * <p>Each handshake: new client and server {@link DtlsSocket}s over a pair of in-memory datagram queues (MTU 1232),
 * the server running the stateless cookie exchange first (ClientHello, HelloVerifyRequest, ClientHello, ...), the
 * client on this thread and the server on a second one (BouncyCastle's DTLS is blocking). Process CPU time counts
 * both threads (and the JIT and GC); OpenSSL's harness is one thread.
 *
 * <pre>
 * java -cp benchmarks.jar org.microssl.bench.DtlsBench certs DIR          (writes the ECDSA chain for dtls_hs.c)
 * java -XX:+UseSerialGC -cp benchmarks.jar org.microssl.bench.DtlsBench rate DIR [seconds] [repeats]
 * java -XX:+UseSerialGC -Xmx1g -cp benchmarks.jar org.microssl.bench.DtlsBench heap DIR [associations]
 * </pre>
 */
public final class DtlsBench {
    static final byte[] PSK = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    static final int MTU = 1232;

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        if (mode.equals("certs")) {
            TestPki.chain(TestPki.KeyType.EC_P256).writeTo(Paths.get(args[1]), "");
            return;
        }
        String chain = args[1];
        if (mode.equals("rate")) {
            double seconds = args.length > 2 ? Double.parseDouble(args[2]) : 5;
            int repeats = args.length > 3 ? Integer.parseInt(args[3]) : 3;
            rate(chain, seconds, repeats);
        } else {
            heap(chain, args.length > 2 ? Integer.parseInt(args[2]) : 200);
        }
    }

    // ------------------------------------------------------------------------------------------ contexts

    static SSLContext[] contexts(String kind, String dir) {
        SSLContext client = new SSLContext(Ssl.PROTOCOL_DTLS_CLIENT);
        SSLContext server = new SSLContext(Ssl.PROTOCOL_DTLS_SERVER);
        if (kind.equals("psk_ccm8")) {
            for (SSLContext c : new SSLContext[] {client, server}) {
                c.setPskIdentity("sensor-0042");
                c.setPskKey(PSK);
                c.setCiphers("TLS_PSK_WITH_AES_128_CCM_8");
            }
        } else {
            // the files dtls_hs.c reads: leaf + intermediate, the root
            server.loadCertChain(dir + "/chain.pem", dir + "/leaf.key");
            client.loadVerifyLocations(dir + "/root.pem", null);
            client.setCiphers("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
        }
        return new SSLContext[] {client, server};
    }

    // ------------------------------------------------------------------------------------------ the wire

    /** One direction: whole datagrams, counted. */
    static final class Queue {
        final BlockingQueue<byte[]> datagrams = new ArrayBlockingQueue<byte[]>(256);
    }

    static final class End implements DatagramTransport {
        final Queue in;
        final Queue out;
        final AtomicLong bytes;

        End(Queue in, Queue out, AtomicLong bytes) {
            this.in = in;
            this.out = out;
            this.bytes = bytes;
        }

        @Override
        public void send(byte[] buf, int off, int len) {
            byte[] d = new byte[len];
            System.arraycopy(buf, off, d, 0, len);
            bytes.addAndGet(len);
            out.datagrams.offer(d);
        }

        @Override
        public int receive(byte[] buf, int off, int len, int timeoutMillis) throws IOException {
            byte[] d;
            try {
                d = in.datagrams.poll(timeoutMillis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                throw new java.io.InterruptedIOException();
            }
            if (d == null) return -1;
            int n = Math.min(len, d.length);
            System.arraycopy(d, 0, buf, off, n);
            return n;
        }

        @Override
        public int mtu() {
            return MTU;
        }

        @Override
        public void close() {
        }
    }

    static final byte[] CLIENT_ID = {127, 0, 0, 1, (byte) 0x9c, 0x40};

    /** One handshake; returns {client, server}, established. */
    static DtlsSocket[] handshake(SSLContext[] ctx, ExecutorService serverThread, AtomicLong bytes) throws Exception {
        Queue toServer = new Queue();
        Queue toClient = new Queue();
        final End serverEnd = new End(toServer, toClient, bytes);
        End clientEnd = new End(toClient, toServer, bytes);
        final SSLContext serverCtx = ctx[1];
        Future<DtlsSocket> server = serverThread.submit(
                () -> serverCtx.wrapDatagram(serverEnd, true, true, null, CLIENT_ID));
        DtlsSocket client = ctx[0].wrapDatagram(clientEnd, false, true, "localhost", null);
        return new DtlsSocket[] {client, server.get(30, TimeUnit.SECONDS)};
    }

    // ------------------------------------------------------------------------------------------ rate

    static void rate(String chain, double seconds, int repeats) throws Exception {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        ExecutorService serverThread = Executors.newSingleThreadExecutor();
        String[] kinds = {"psk_ccm8", "ecdhe_ecdsa"};
        System.out.printf("microssl DTLS 1.2, %s %s, %.0f s per run%n", System.getProperty("java.vm.name"),
                System.getProperty("java.version"), seconds);
        for (String kind : kinds) { // warm up: JIT, first-use classes
            SSLContext[] ctx = contexts(kind, chain);
            long end = System.nanoTime() + 5_000_000_000L;
            while (System.nanoTime() < end) closeAll(handshake(ctx, serverThread, new AtomicLong()));
        }
        for (int rep = 1; rep <= repeats; rep++) {
            for (String kind : kinds) {
                SSLContext[] ctx = contexts(kind, chain);
                AtomicLong bytes = new AtomicLong();
                long n = 0;
                long cpu0 = os.getProcessCpuTime();
                long wall0 = System.nanoTime();
                while (System.nanoTime() - wall0 < seconds * 1e9) {
                    closeAll(handshake(ctx, serverThread, bytes));
                    n++;
                }
                double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
                double wall = (System.nanoTime() - wall0) / 1e9;
                // close_notify of each side is counted in bytes: take it out (2 alerts of 39 bytes, AEAD)
                System.out.printf("microssl %-12s rep %d: %8.1f hs/cpu-s %8.1f hs/wall-s %6d bytes/hs (%d handshakes)%n",
                        kind, rep, n / cpu, n / wall, bytes.get() / n - closeNotifyBytes(kind), n);
            }
        }
        serverThread.shutdownNow();
    }

    /** Two close_notify records (header 13, explicit nonce 8, alert 2, tag: 8 for CCM_8, 16 for GCM). */
    static long closeNotifyBytes(String kind) {
        return 2 * (13 + 8 + 2 + (kind.equals("psk_ccm8") ? 8 : 16));
    }

    static void closeAll(DtlsSocket[] sockets) throws IOException {
        for (DtlsSocket s : sockets) s.close();
    }

    // ------------------------------------------------------------------------------------------ heap

    static void heap(String chain, int n) throws Exception {
        ExecutorService serverThread = Executors.newSingleThreadExecutor();
        System.out.printf("%-12s %10s %10s %10s   (bytes retained per established association, %d of each)%n",
                "kind", "client", "server", "pair", n);
        for (String kind : new String[] {"psk_ccm8", "ecdhe_ecdsa"}) {
            SSLContext[] ctx = contexts(kind, chain);
            for (int i = 0; i < 20; i++) closeAll(handshake(ctx, serverThread, new AtomicLong()));
            long[] perSide = new long[3];
            for (int side = 0; side < 3; side++) { // 0 client kept, 1 server kept, 2 both
                List<Object> kept = new ArrayList<Object>(n);
                long before = RetainedHeap.usedAfterGc();
                for (int i = 0; i < n; i++) {
                    DtlsSocket[] pair = handshake(ctx, serverThread, new AtomicLong());
                    if (side == 0 || side == 2) kept.add(pair[0]);
                    if (side == 1 || side == 2) kept.add(pair[1]);
                }
                long after = RetainedHeap.usedAfterGc();
                perSide[side] = (after - before) / n;
                if (kept.isEmpty()) throw new AssertionError();
                kept.clear();
            }
            System.out.printf("%-12s %10d %10d %10d%n", kind, perSide[0], perSide[1], perSide[2]);
        }
        serverThread.shutdownNow();
    }
}
