package org.microssl.bench;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.microssl.Clocks;
import org.microssl.SSLContext;
import org.microssl.Ssl;
import org.microssl.internal.SystemTrust;
import org.microssl.internal.crypto.LightweightSignatureVerifier;
import org.microssl.x509.PathValidator;
import org.microssl.x509.Pem;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What trusting the system's CA bundle costs (Debian's {@code /etc/ssl/certs/ca-certificates.crt}, 144 roots):
 * {@code createDefault} reads, PEM-decodes and checks the bundle (or takes the copy kept from an earlier read);
 * the validator then parses the anchors once per context, on its first connection. Cold figures are the first call
 * in a fresh JVM ({@code -bm ss -f 10 -wi 0 -i 1}); warm ones the average after JMH's warm-up.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class DefaultTrustBench {
    static final String BUNDLE = "/etc/ssl/certs/ca-certificates.crt";
    private List<byte[]> anchors;

    @Setup
    public void setUp() throws Exception {
        anchors = new SystemTrust().trustAnchors();
    }

    /** A context of a JVM's first connection: the bundle read and parsed, then the validator built. */
    @Benchmark
    public PathValidator firstContext() throws Exception {
        SystemTrust.dropCached();
        SSLContext.createDefault();
        return new PathValidator(new SystemTrust().trustAnchors(), new LightweightSignatureVerifier(), Clocks.system());
    }

    /** createDefault() once the bundle has been read in this JVM (unchanged file: the kept copy). */
    @Benchmark
    public SSLContext createDefault() {
        return SSLContext.createDefault();
    }

    /** createDefault() parsing the bundle again (as after the file changed). */
    @Benchmark
    public SSLContext createDefaultRereading() {
        SystemTrust.dropCached();
        return SSLContext.createDefault();
    }

    /** The validator a context builds on its first connection: 144 anchors parsed. */
    @Benchmark
    public PathValidator validator() {
        return new PathValidator(anchors, new LightweightSignatureVerifier(), Clocks.system());
    }

    /**
     * How the CLI loaded the system bundle before {@code loadDefaultCerts} (main at 6ff4ab1): read and PEM-decode the
     * file, concatenate the DER, {@code loadVerifyLocations} (which parses each again), then the validator.
     */
    @Benchmark
    public PathValidator before() throws Exception {
        List<byte[]> ders = new java.util.ArrayList<>();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (Pem.Block b : Pem.decode(Files.readAllBytes(Paths.get(BUNDLE)))) {
            if (!b.label.equals("CERTIFICATE")) continue;
            ders.add(b.der);
            all.write(b.der);
        }
        SSLContext ctx = new SSLContext(Ssl.PROTOCOL_TLS_CLIENT);
        ctx.loadVerifyLocations(null, all.toByteArray());
        return new PathValidator(ders, new LightweightSignatureVerifier(), Clocks.system());
    }
}
