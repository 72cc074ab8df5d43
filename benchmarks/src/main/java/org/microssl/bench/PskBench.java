package org.microssl.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import org.microssl.Backends;
import org.microssl.SSLContext;
import org.microssl.SSLSocket;
import org.microssl.Ssl;

/**
 * External-PSK handshakes per second, client and server in one thread, a new connection per operation:
 * {@code t13_psk_dhe} is ../shared/openssl-anchor/hs.c's case of that name (TLS 1.3, 32-byte key, SHA-256,
 * psk_dhe_ke with X25519, TLS_AES_128_GCM_SHA256, no certificate anywhere); {@code t12_ecdhe_psk} is TLS 1.2
 * ECDHE_PSK with ChaCha20-Poly1305 (MicroPython's mbedTLS peers). Through {@link Interleaved}:
 * {@code java -cp benchmarks.jar org.microssl.bench.Interleaved psk [seconds] [repeats]}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PskBench {
    static final byte[] KEY = new byte[32];

    static {
        for (int i = 0; i < KEY.length; i++) KEY[i] = (byte) (i * 7 + 1);
    }

    @Param({"microssl", "microssl_jca"})
    public String impl;

    @Param({"t13_psk_dhe", "t12_ecdhe_psk"})
    public String scenario;

    private SSLContext client;
    private SSLContext server;

    @Setup
    public void setUp() throws Exception {
        SSLContext[] c = contexts(impl, scenario);
        client = c[0];
        server = c[1];
        SSLSocket[] done = handshake(client, server);
        if (done[0].getPeerCertChain() != null || !done[0].cipher()[0].equals(done[1].cipher()[0])) {
            throw new IllegalStateException("not a PSK handshake: " + String.join(" ", done[0].cipher()));
        }
    }

    @Benchmark
    public Object handshake() throws Exception {
        return handshake(client, server);
    }

    static SSLContext[] contexts(String impl, String scenario) {
        SSLContext client = new SSLContext(Ssl.PROTOCOL_TLS_CLIENT);
        SSLContext server = new SSLContext(Ssl.PROTOCOL_TLS_SERVER);
        boolean tls13 = scenario.equals("t13_psk_dhe");
        for (SSLContext c : new SSLContext[] {client, server}) {
            if (impl.equals("microssl_jca")) c.setCryptoBackend(Backends.jca());
            int version = tls13 ? Ssl.TLSv1_3 : Ssl.TLSv1_2;
            c.setMinimumVersion(version);
            c.setMaximumVersion(version);
            c.setCiphers(tls13 ? "TLS_AES_128_GCM_SHA256" : "TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256");
            c.setPskIdentity("hs-psk");
            c.setPskKey(KEY);
        }
        return new SSLContext[] {client, server};
    }

    static SSLSocket[] handshake(SSLContext client, SSLContext server) throws Exception {
        MemoryWire[] wire = MemoryWire.pair();
        SSLSocket c = client.wrapSocket(wire[0], false, false, null);
        SSLSocket s = server.wrapSocket(wire[1], true, false, null);
        for (int i = 0; i < 100; i++) {
            boolean cd = c.doHandshake();
            boolean sd = s.doHandshake();
            if (cd && sd) return new SSLSocket[] {c, s};
        }
        throw new IllegalStateException("PSK handshake did not complete");
    }

    /** For {@link Interleaved}: the PSK cases, and the validated full handshake beside them for scale. */
    static List<Interleaved.Case> cases() throws Exception {
        List<Interleaved.Case> cases = new ArrayList<>();
        for (String scenario : new String[] {"t13_psk_dhe", "t12_ecdhe_psk"}) {
            for (String impl : new String[] {"microssl", "microssl_jca"}) {
                PskBench b = new PskBench();
                b.impl = impl;
                b.scenario = scenario;
                b.setUp();
                cases.add(new Interleaved.Case(impl + " " + scenario, 1, b::handshake));
            }
        }
        Peers.Factory full = new Peers.Factory("microssl", Scenario.t13_ecdsa_chain, Scenario.AES_128_GCM, 0);
        cases.add(new Interleaved.Case("microssl t13_ecdsa_chain (full, validated)", 1, () -> full.newPair().handshake()));
        return cases;
    }
}
