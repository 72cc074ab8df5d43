package org.microssl.embedded;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.microssl.Ssl;
import org.microssl.SSLContext;
import org.microssl.x509.Pem;
import org.microssl.x509.TrustAnchors;
import org.openjdk.jol.info.GraphLayout;

/**
 * Issue 14: what a context holds for Debian's roots once its validator is built (JOL object-graph sizes, HotSpot,
 * compressed oops), loaded as certificates ({@code loadVerifyLocations}) or as compact anchors
 * ({@code loadTrustAnchors}), against an empty context. Sizes, not times. {@code -Dfootprint.print=true} prints
 * the README's figures.
 */
class TrustAnchorsFootprintTest {

    static final Path BUNDLE = Paths.get("/etc/ssl/certs/ca-certificates.crt");

    /** The context's retained size with its validator built (what the first handshake builds). */
    static long retained(SSLContext ctx) throws Exception {
        Method validator = SSLContext.class.getDeclaredMethod("validator");
        validator.setAccessible(true);
        Object v = validator.invoke(ctx);
        return (v == null ? GraphLayout.parseInstance(ctx) : GraphLayout.parseInstance(ctx, v)).totalSize(); // none: no anchors
    }

    @Test
    void compactAnchorsHoldLessHeapThanTheCertificates() throws Exception {
        Assumptions.assumeTrue(Files.isReadable(BUNDLE), "no " + BUNDLE + " (Debian's ca-certificates)");
        byte[] pem = Files.readAllBytes(BUNDLE);
        List<byte[]> roots = new ArrayList<>();
        long der = 0;
        for (Pem.Block b : Pem.decode(pem)) {
            roots.add(b.der);
            der += b.der.length;
        }
        byte[] compact = TrustAnchors.encode(roots, null);

        SSLContext empty = new SSLContext(Ssl.PROTOCOL_TLS_CLIENT);
        SSLContext certificates = new SSLContext(Ssl.PROTOCOL_TLS_CLIENT);
        certificates.loadVerifyLocations(null, pem);
        SSLContext anchors = new SSLContext(Ssl.PROTOCOL_TLS_CLIENT);
        anchors.loadTrustAnchors(compact);
        long base = retained(empty);
        long viaCertificates = retained(certificates) - base;
        long viaAnchors = retained(anchors) - base;
        if (Boolean.getBoolean("footprint.print")) {
            System.out.printf("%d roots: DER %,d bytes, compact anchors %,d bytes; heap held with the validator built: "
                    + "loadVerifyLocations %,d B, loadTrustAnchors %,d B%n", roots.size(), der, compact.length,
                    viaCertificates, viaAnchors);
        }
        assertNotNull(anchors.getCryptoBackend());
        assertTrue(viaAnchors * 2 < viaCertificates, viaAnchors + " vs " + viaCertificates);
    }
}
