package org.microssl.bench;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Full handshakes per second, client and server in one thread (both sides' work counted), a new connection
 * per operation, no session resumption. Compare with ../shared/openssl-anchor/hs.c run in the same sitting.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class HandshakeBench {

    @Param({"bc", "bcfast", "bcjca", "jsse", "jssepkix", "microssl", "microssl_none"})
    public String impl;

    @Param({"t13_ecdsa_chain", "t13_ecdsa_ss", "t13_ed25519", "t12_ecdsa", "t13_mutual"})
    public String scenario;

    private Peers.Factory factory;

    @Setup
    public void setUp() throws Exception {
        factory = new Peers.Factory(impl, Scenario.valueOf(scenario), Scenario.AES_128_GCM, 0);
        factory.newPair().handshake(); // fail fast on a broken configuration
    }

    @Benchmark
    public Object handshake() throws Exception {
        Pair pair = factory.newPair();
        pair.handshake();
        return pair;
    }
}
