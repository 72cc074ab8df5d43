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
 * Application data over an established TLS 1.3 connection (self-signed ECDSA, no validation: the record layer
 * only). {@code oneWay}: the client writes {@code size} bytes and the server reads them, so every byte is
 * encrypted and decrypted once, as hs.c's rec_* cases; MB/s = ops/s x size / 1e6. {@code echo}: there and back.
 * Use {@code -prof gc} for gc.alloc.rate.norm (bytes allocated per operation, both ends).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RecordBench {

    @Param({"bc", "bcfast", "bcjca", "jsse", "microssl"})
    public String impl;

    @Param({Scenario.AES_128_GCM, Scenario.CHACHA20})
    public String suite;

    @Param({"64", "16384"})
    public int size;

    /** 0: none; 512..4096: max_fragment_length requested by the client (not SunJSSE). */
    @Param({"0"})
    public int mfl;

    private Pair pair;
    private byte[] data;
    private byte[] sink;

    @Setup
    public void setUp() throws Exception {
        pair = new Peers.Factory(impl, Scenario.t13_ecdsa_ss, suite, mfl).newPair();
        pair.handshake();
        data = new byte[size];
        new java.util.Random(1).nextBytes(data);
        sink = new byte[Math.max(size, 17 * 1024)];
        if (pair.clientToServer(data, size, sink) != size) {
            throw new IllegalStateException(impl + " lost data");
        }
    }

    @Benchmark
    public int oneWay() throws Exception {
        return pair.clientToServer(data, size, sink);
    }

    @Benchmark
    public int echo() throws Exception {
        return pair.clientToServer(data, size, sink) + pair.serverToClient(data, size, sink);
    }
}
