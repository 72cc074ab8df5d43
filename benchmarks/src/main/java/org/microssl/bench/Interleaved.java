package org.microssl.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.microssl.internal.crypto.AeadBench;

/**
 * Ratios that survive a shared, noisy machine: the cases run round-robin (repeat 1 of every case, then repeat 2,
 * ...), as ../shared/openssl-anchor/hs.c does, and each is timed both by wall clock and by this thread's CPU time;
 * medians are reported. CPU time is what the ratios in RESULTS.md use: other processes on the 2 shared cores
 * stretch wall time but not (much) the CPU time a case consumes.
 *
 * <pre>
 * java -cp benchmarks.jar org.microssl.bench.Interleaved records  [seconds-per-case] [repeats]
 * java -cp benchmarks.jar org.microssl.bench.Interleaved handshakes [seconds-per-case] [repeats]
 *     [impl,impl,...] [scenario,scenario,...]
 * java -cp benchmarks.jar org.microssl.bench.Interleaved aeads [seconds-per-case] [repeats] [impl,impl,...]
 * </pre>
 * {@code aeads}: the record AEADs alone against BouncyCastle's AEAD modes ({@link AeadBench}), one record sealed
 * and opened per operation.
 * Add {@code -Xint} (or {@code -zero}) before {@code -cp} for the interpreter rows.
 */
public final class Interleaved {

    interface Op {
        void run() throws Exception;
    }

    static final class Case {
        final String name;
        final double unitsPerOp; // bytes per op for records (MB/s), 1 for handshakes (ops/s)
        final Op op;
        final List<Double> wall = new ArrayList<>(), cpu = new ArrayList<>();

        Case(String name, double unitsPerOp, Op op) {
            this.name = name;
            this.unitsPerOp = unitsPerOp;
            this.op = op;
        }
    }

    public static void main(String[] args) throws Exception {
        String what = args.length > 0 ? args[0] : "records";
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 2;
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        String[] impls = args.length > 3 ? args[3].split(",") : null;
        String[] scenarios = args.length > 4 ? args[4].split(",") : null;
        List<Case> cases = what.equals("psk") ? PskBench.cases()
                : what.equals("handshakes") ? handshakeCases(impls, scenarios)
                : what.equals("aeads") ? aeadCases(impls) : recordCases(impls);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (Case c : cases) { // warm-up
            long end = System.nanoTime() + (long) (seconds * 0.5e9);
            while (System.nanoTime() < end) {
                c.op.run();
            }
        }
        for (int r = 0; r < repeats; r++) {
            for (Case c : cases) {
                long ops = 0;
                long w0 = System.nanoTime(), c0 = mx.getCurrentThreadCpuTime();
                long cpuBudget = (long) (seconds * 1e9);
                while (mx.getCurrentThreadCpuTime() - c0 < cpuBudget) {
                    for (int i = 0; i < 8; i++) {
                        c.op.run();
                    }
                    ops += 8;
                }
                double wall = (System.nanoTime() - w0) / 1e9, cpu = (mx.getCurrentThreadCpuTime() - c0) / 1e9;
                c.wall.add(ops * c.unitsPerOp / wall);
                c.cpu.add(ops * c.unitsPerOp / cpu);
            }
        }
        String unit = what.equals("handshakes") || what.equals("psk") ? "handshakes/s" : "MB/s";
        System.out.printf("%-48s %14s %14s   (%s, median of %d)%n", "case", "cpu-time rate", "wall rate", unit, repeats);
        for (Case c : cases) {
            System.out.printf("%-48s %14.1f %14.1f%n", c.name, median(c.cpu), median(c.wall));
        }
    }

    static double median(List<Double> v) {
        double[] a = v.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }

    static List<Case> recordCases(String[] only) throws Exception {
        String[] impls = only != null ? only : new String[] {"bc", "bcfast", "bcjca", "jsse", "microssl"};
        List<Case> cases = new ArrayList<>();
        for (String suite : new String[] {Scenario.AES_128_GCM, Scenario.CHACHA20}) {
            for (int size : new int[] {16384, 64}) {
                for (String impl : impls) {
                    if (impl.equals("bcjca") && suite.equals(Scenario.CHACHA20)) {
                        continue; // the JDK's providers have no "ChaCha7539" for BouncyCastle's JcaTlsCrypto
                    }
                    Pair p = new Peers.Factory(impl, Scenario.t13_ecdsa_ss, suite, 0).newPair();
                    p.handshake();
                    byte[] data = new byte[size];
                    byte[] sink = new byte[17 * 1024];
                    String name = String.format("%s %s %d B one-way", impl, suite.replace("TLS_", "")
                            .replace("_SHA256", ""), size);
                    // MB/s: payload bytes (1 MB = 1e6 bytes), each encrypted and decrypted once
                    cases.add(new Case(name, size / 1e6, () -> p.clientToServer(data, size, sink)));
                }
            }
        }
        return cases;
    }

    static List<Case> aeadCases(String[] only) throws Exception {
        String[] impls = only != null ? only
                : new String[] {"aesgcm", "aesgcm_compact", "bc_gcm", "jca_gcm", "chacha", "bc_chacha", "jca_chacha"};
        List<Case> cases = new ArrayList<>();
        for (int size : new int[] {16384, 64}) {
            for (String impl : impls) {
                AeadBench b = new AeadBench();
                b.impl = impl;
                b.size = size;
                b.setUp();
                // MB/s: record bytes (1 MB = 1e6 bytes), each encrypted and decrypted once
                cases.add(new Case(String.format("%s %d B seal+open", impl, size), size / 1e6, b::sealAndOpen));
            }
        }
        return cases;
    }

    static List<Case> handshakeCases(String[] only, String[] onlyScenarios) throws Exception {
        String[] impls = only != null ? only
                : new String[] {"bc", "bcfast", "bcjca", "jsse", "jssepkix", "microssl", "microssl_none"};
        Map<String, Scenario> scenarios = new LinkedHashMap<>();
        for (Scenario s : Scenario.values()) {
            if (onlyScenarios == null || java.util.Arrays.asList(onlyScenarios).contains(s.name())) {
                scenarios.put(s.name(), s);
            }
        }
        List<Case> cases = new ArrayList<>();
        for (Scenario s : scenarios.values()) {
            for (String impl : impls) {
                if (impl.equals("bcjca") && s == Scenario.t13_ed25519) {
                    continue; // BouncyCastle's JcaTlsCrypto fails Ed25519 signing with the JDK's providers
                }
                if (impl.equals("microssl_cold") && (s.server != Scenario.ServerCert.EC_CHAIN || s.mutual)) {
                    continue; // defined for the ECDSA chain scenarios only
                }
                Peers.Factory f = new Peers.Factory(impl, s, Scenario.AES_128_GCM, 0);
                cases.add(new Case(impl + " " + s, 1, () -> f.newPair().handshake()));
            }
        }
        return cases;
    }
}
