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
 * java -cp benchmarks.jar org.microssl.bench.Interleaved primitives [seconds-per-case] [repeats] [impl,impl,...]
 * </pre>
 * {@code aeads}: the record AEADs alone against BouncyCastle's AEAD modes ({@link AeadBench}), one record sealed
 * and opened per operation. {@code primitives}: the ceiling under them, 16 KiB only: BouncyCastle's AES, GHASH
 * (each multiplier), ChaCha20 block function and Poly1305 alone, one pass each ({@link AeadBench#PRIMITIVES}),
 * then the AEADs, then the seal+open rate each pair of primitives allows, {@code 1 / (2/a + 2/b)}.
 * A third column gives the rate by the process's CPU time (GC and compiler threads included).
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
        final List<Double> wall = new ArrayList<>(), cpu = new ArrayList<>(), process = new ArrayList<>();

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
                : what.equals("aeads") ? aeadCases(impls, 16384, 64)
                : what.equals("primitives") ? primitiveCases(impls) : recordCases(impls);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        com.sun.management.OperatingSystemMXBean processCpu = os instanceof com.sun.management.OperatingSystemMXBean
                ? (com.sun.management.OperatingSystemMXBean) os : null;
        for (Case c : cases) { // warm-up
            long end = System.nanoTime() + (long) (seconds * 0.5e9);
            while (System.nanoTime() < end) {
                c.op.run();
            }
        }
        for (int r = 0; r < repeats; r++) {
            for (Case c : cases) {
                long ops = 0;
                long p0 = processCpu != null ? processCpu.getProcessCpuTime() : -1;
                long w0 = System.nanoTime(), c0 = mx.getCurrentThreadCpuTime();
                long cpuBudget = (long) (seconds * 1e9);
                while (mx.getCurrentThreadCpuTime() - c0 < cpuBudget) {
                    for (int i = 0; i < 8; i++) {
                        c.op.run();
                    }
                    ops += 8;
                }
                double wall = (System.nanoTime() - w0) / 1e9, cpu = (mx.getCurrentThreadCpuTime() - c0) / 1e9;
                double proc = p0 < 0 ? Double.NaN : (processCpu.getProcessCpuTime() - p0) / 1e9;
                c.wall.add(ops * c.unitsPerOp / wall);
                c.cpu.add(ops * c.unitsPerOp / cpu);
                c.process.add(ops * c.unitsPerOp / proc);
            }
        }
        String unit = what.equals("handshakes") || what.equals("psk") ? "handshakes/s" : "MB/s";
        System.out.printf("%-48s %14s %14s %14s   (%s, median of %d)%n", "case", "cpu-time rate", "wall rate",
                "process cpu", unit, repeats);
        for (Case c : cases) {
            System.out.printf("%-48s %14.1f %14.1f %14.1f%n", c.name, median(c.cpu), median(c.wall),
                    median(c.process));
        }
        if (what.equals("primitives")) {
            printBounds(cases);
        }
    }

    /** The seal+open rate two primitives allow when every record byte passes each twice: 1 / (2/a + 2/b). */
    static void printBounds(List<Case> cases) {
        String[][] pairs = {
            {"AES-128-GCM", "aes", "ghash_basic"}, {"AES-128-GCM", "aes", "ghash_4k"},
            {"AES-128-GCM", "aes", "ghash_8k"}, {"AES-128-GCM", "aes", "ghash_64k"},
            {"AES-128-GCM compact", "aes_light", "ghash_basic"}, {"ChaCha20-Poly1305", "chacha_core", "poly1305"},
            {"AES-128-GCM, counter mode included", "aes_ctr", "ghash_4k"},
            {"AES-128-GCM, counter mode included", "aes_ctr", "ghash_8k"},
            {"ChaCha20-Poly1305, counter mode included", "chacha_ctr", "poly1305"}};
        System.out.println("seal+open ceiling, 1 / (2/a + 2/b) over the cpu-time medians above:");
        for (String[] p : pairs) {
            Case a = find(cases, p[1]), b = find(cases, p[2]);
            if (a != null && b != null) {
                double ra = median(a.cpu), rb = median(b.cpu);
                System.out.printf("%-64s %8.1f%n", p[0] + " <= " + p[1] + " + " + p[2], 1 / (2 / ra + 2 / rb));
            }
        }
    }

    private static Case find(List<Case> cases, String impl) {
        for (Case c : cases) {
            if (c.name.startsWith(impl + " ")) return c;
        }
        return null;
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

    private static final String[] AEADS =
        {"aesgcm", "aesgcm_compact", "bc_gcm", "jca_gcm", "chacha", "bc_chacha", "jca_chacha"};

    static List<Case> aeadCases(String[] only, int... sizes) throws Exception {
        String[] impls = only != null ? only : AEADS;
        List<Case> cases = new ArrayList<>();
        for (int size : sizes) {
            for (String impl : impls) {
                AeadBench b = new AeadBench();
                b.impl = impl;
                b.size = size;
                b.setUp();
                // MB/s: record bytes (1 MB = 1e6 bytes), each encrypted and decrypted once; a primitive's one pass
                String what = AeadBench.PRIMITIVES.contains(impl) ? "one pass" : "seal+open";
                cases.add(new Case(String.format("%s %d B %s", impl, size, what), size / 1e6, b::sealAndOpen));
            }
        }
        return cases;
    }

    static List<Case> primitiveCases(String[] only) throws Exception {
        List<String> impls = new ArrayList<>(AeadBench.PRIMITIVES);
        impls.addAll(Arrays.asList(AEADS));
        return aeadCases(only != null ? only : impls.toArray(new String[0]), 16384);
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
