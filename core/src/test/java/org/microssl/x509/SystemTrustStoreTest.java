package org.microssl.x509;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.microssl.Backends;

/**
 * The validator's profile must not lock out real roots: every root of the machine's trust store parses, and every
 * one that has not expired is usable as a trust anchor (legacy encodings included).
 */
class SystemTrustStoreTest {

    static final Path BUNDLE = Paths.get("/etc/ssl/certs/ca-certificates.crt");

    @Test
    void everyUnexpiredSystemRootIsAUsableAnchor() throws Exception {
        assumeTrue(Files.isRegularFile(BUNDLE), "no system CA bundle at " + BUNDLE + " (Debian's ca-certificates)");
        List<Pem.Block> blocks = Pem.decode(Files.readAllBytes(BUNDLE));
        long now = System.currentTimeMillis() / 1000;
        PathValidator v = new PathValidator(Collections.emptyList(), Backends.lightweight().signatureVerifier(), () -> now * 1000);
        List<String> unusable = new ArrayList<>();
        for (Pem.Block b : blocks) {
            ParsedCertificate c = ParsedCertificate.parse(b.der);
            Problem p = v.anchorProblem(c, now);
            if (p != null && p.reason != Reason.EXPIRED) unusable.add(c.subjectString() + ": " + p.reason + " " + p.detail);
        }
        assertEquals(Collections.emptyList(), unusable);
    }
}
