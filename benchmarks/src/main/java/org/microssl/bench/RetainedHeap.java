package org.microssl.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Retained heap per established connection pair (client + server), measured as a heap delta: N pairs are made
 * and kept, harness-owned wire buffers are dropped, and the used heap after full collections is compared with
 * the used heap before. Everything a connection keeps is counted (protocol state, cipher state, record and
 * queue buffers, SunJSSE's session-cache entries); what all connections share (contexts, keys, classes) is not.
 *
 * <pre>java -XX:+UseSerialGC -Xmx1g -cp benchmarks.jar org.microssl.bench.RetainedHeap [pairs]</pre>
 */
public final class RetainedHeap {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        String[] impls = args.length > 1 ? args[1].split(",")
                : new String[] {"bc", "bcfast", "bcjca", "jsse", "microssl", "microssl_jca"};
        System.out.printf("%-14s %-30s %5s  %14s %14s %14s   (bytes per connection pair, %d pairs)%n", "impl",
                "suite", "mfl", "idle", "after 16 KiB", "then polled", n);
        for (String impl : impls) {
            for (String suite : new String[] {Scenario.AES_128_GCM, Scenario.CHACHA20}) {
                if (impl.equals("bcjca") && suite.equals(Scenario.CHACHA20)) {
                    continue;
                }
                for (int mfl : new int[] {0, 512}) {
                    if (mfl > 0 && impl.startsWith("jsse")) {
                        continue;
                    }
                    long idle = measure(impl, suite, mfl, n, false, false);
                    long busy = measure(impl, suite, mfl, n, true, false);
                    long polled = measure(impl, suite, mfl, n, true, true);
                    System.out.printf("%-14s %-30s %5s  %14d %14d %14d%n", impl, suite, mfl == 0 ? "-" : mfl, idle,
                            busy, polled);
                }
            }
        }
    }

    /**
     * After traffic the server's last call was a write; with {@code polled} each end then reads once and finds
     * nothing, as a connection waiting for its peer does.
     */
    static long measure(String impl, String suite, int mfl, int n, boolean traffic, boolean polled)
            throws Exception {
        Peers.Factory factory = new Peers.Factory(impl, Scenario.t13_ecdsa_ss, suite, mfl);
        byte[] data = new byte[16384];
        byte[] sink = new byte[17 * 1024];
        for (int i = 0; i < 3; i++) { // warm: first-use classes and caches belong to nobody
            open(factory, traffic, polled, data, sink);
        }
        List<Object[]> kept = new ArrayList<>(n);
        long before = usedAfterGc();
        for (int i = 0; i < n; i++) {
            kept.add(open(factory, traffic, polled, data, sink));
        }
        long after = usedAfterGc();
        if (kept.size() != n) {
            throw new AssertionError();
        }
        return (after - before) / n;
    }

    private static Object[] open(Peers.Factory factory, boolean traffic, boolean polled, byte[] data, byte[] sink)
            throws Exception {
        Pair p = factory.newPair();
        p.handshake();
        if (traffic) {
            if (p.clientToServer(data, data.length, sink) != data.length
                    || p.serverToClient(data, data.length, sink) != data.length) {
                throw new IllegalStateException("lost data");
            }
            if (polled) p.pollBoth(sink);
        }
        p.dropHarnessBuffers();
        return p.connectionState();
    }

    /** The used heap after full collections (the least of four), for heap-delta measurements. */
    static long usedAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(20);
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }
}
