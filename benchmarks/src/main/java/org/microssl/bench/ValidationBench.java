package org.microssl.bench;

import java.io.ByteArrayInputStream;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.microssl.Clocks;
import org.microssl.testing.TestPki;
import org.microssl.Backends;
import org.microssl.x509.PathValidator;
import org.microssl.x509.Purpose;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Certificate path validation alone, from DER bytes: leaf + intermediate presented, root trusted.
 * {@code microssl}: {@link PathValidator} with the pure-Java signature verifier, serverAuth, hostname checked.
 * {@code jdk}: the JDK's PKIX CertPathValidator (revocation off) after parsing the same DER with
 * CertificateFactory; it checks no hostname (the JSSE handshake does that separately), so it does slightly less.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ValidationBench {

    @Param({"microssl", "jdk"})
    public String impl;

    @Param({"ecdsa_p256", "rsa_2048"})
    public String chain;

    private List<byte[]> presented;
    private PathValidator validator;
    private CertificateFactory factory;
    private PKIXParameters pkix;
    private CertPathValidator jdk;

    @Setup
    public void setUp() throws Exception {
        TestPki.Chain c = chain.equals("rsa_2048") ? Fixtures.rsaChain : Fixtures.ecChain;
        presented = Arrays.asList(c.leaf.der, c.intermediate.der);
        validator = new PathValidator(Collections.singletonList(c.root.der), Backends.lightweight().signatureVerifier(),
                Clocks.system());
        factory = CertificateFactory.getInstance("X.509");
        pkix = new PKIXParameters(Collections.singleton(new TrustAnchor(Fixtures.x509(c.root.der), null)));
        pkix.setRevocationEnabled(false);
        jdk = CertPathValidator.getInstance("PKIX");
        if (validate() == null) {
            throw new IllegalStateException("validation failed");
        }
    }

    @Benchmark
    public Object validate() throws Exception {
        if (impl.equals("microssl")) {
            return validator.verify(presented, Purpose.SERVER_AUTH, Fixtures.HOST);
        }
        List<X509Certificate> certs = new ArrayList<>(presented.size());
        for (byte[] der : presented) {
            certs.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
        }
        CertPath path = factory.generateCertPath(certs);
        return jdk.validate(path, pkix);
    }
}
