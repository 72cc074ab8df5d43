package org.microssl.bench;

/**
 * Runs every implementation through every scenario once (handshake, 16 KiB each way) and prints what failed:
 * {@code java -cp benchmarks.jar org.microssl.bench.Check}. Use before a JMH run.
 */
public final class Check {
    public static void main(String[] args) throws Exception {
        String[] impls = args.length > 0 ? args[0].split(",") : new String[] {"bc", "bcfast", "bcjca", "bcjcafast",
            "jsse", "jssepkix", "microssl", "microssl_none", "microssl_jca", "microssl_jca_none"};
        int failures = 0;
        for (String impl : impls) {
            for (Scenario s : Scenario.values()) {
                for (String suite : new String[] {Scenario.AES_128_GCM, Scenario.CHACHA20}) {
                    if (s != Scenario.t13_ecdsa_ss && suite.equals(Scenario.CHACHA20)) {
                        continue;
                    }
                    if (impl.equals("bcjca") && suite.equals(Scenario.CHACHA20)
                            || impl.startsWith("bcjca") && s == Scenario.t13_ed25519) {
                        // BouncyCastle's JcaTlsCrypto over the JDK's providers: no "ChaCha7539" (the JCA backend
                        // brings its own); Ed25519 signing fails with internal_error. Not applicable.
                        continue;
                    }
                    try {
                        Pair p = new Peers.Factory(impl, s, suite, 0).newPair();
                        long t0 = System.nanoTime();
                        p.handshake();
                        long t1 = System.nanoTime();
                        byte[] data = new byte[16384];
                        byte[] sink = new byte[17 * 1024];
                        int a = p.clientToServer(data, data.length, sink);
                        int b = p.serverToClient(data, data.length, sink);
                        if (a != data.length || b != data.length) {
                            throw new IllegalStateException("lost data: " + a + ", " + b);
                        }
                        System.out.printf("ok    %-14s %-16s %-30s %6.1f ms%n", impl, s, suite, (t1 - t0) / 1e6);
                    } catch (Exception | Error e) {
                        failures++;
                        System.out.printf("FAIL  %-14s %-16s %-30s %s%n", impl, s, suite, e);
                    }
                }
            }
        }
        System.exit(failures == 0 ? 0 : 1);
    }
}
