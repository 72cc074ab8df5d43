package org.microssl.desktop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.microssl.Backends;
import org.microssl.desktop.limbo.LimboHarness;
import org.microssl.spi.SignatureVerifier;

/**
 * The JCA verifier gives the validator the same answers as the pure-Java one on x509-limbo's native cases (RFC
 * 5280, web PKI and pathological chains: every key and signature type of the corpus, malformed ones included).
 * The 9,572 BetterTLS cases (one key type) and the name-constraint DoS cases (budgets, seconds each) are left to
 * LimboCorpusTest. Measured once on the whole corpus: 0 disagreements in 9,780 cases.
 */
class JcaVerifierLimboAgreementTest {

    /** -Dlimbo.path=..., else shared/x509-limbo/limbo.json.gz in this module's directory or any parent. */
    private static Path corpus() {
        String prop = System.getProperty("limbo.path");
        if (prop != null && !prop.isEmpty()) return Paths.get(prop);
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path p = dir.resolve("shared/x509-limbo/limbo.json.gz");
            if (Files.isRegularFile(p)) return p;
        }
        return null;
    }

    @Test
    @SuppressWarnings("unchecked")
    void sameResultsAsTheLightweightVerifier() throws Exception {
        Path path = corpus();
        assumeTrue(path != null && Files.isRegularFile(path), "x509-limbo corpus (C2SP/x509-limbo) not found: "
                + "expected ../shared/x509-limbo/limbo.json.gz, or point -Dlimbo.path at limbo.json(.gz)");
        Map<String, Object> doc;
        try (InputStream in = Files.newInputStream(path)) {
            doc = LimboHarness.readCorpus(in);
        }
        SignatureVerifier lightweight = Backends.lightweight().signatureVerifier();
        SignatureVerifier jca = Backends.jca().signatureVerifier();
        List<String> disagreements = new ArrayList<>();
        int compared = 0;
        for (Object o : (List<Object>) doc.get("testcases")) {
            Map<String, Object> tc = (Map<String, Object>) o;
            String id = String.valueOf(tc.get("id"));
            // BetterTLS repeats one key type 9,572 times; the name-constraint DoS cases test budgets, not
            // signatures, and take seconds each
            if (id.startsWith("bettertls::") || id.startsWith("pathological::nc-dos")) continue;
            LimboHarness.Result a = LimboHarness.evaluate(tc, lightweight);
            LimboHarness.Result b = LimboHarness.evaluate(tc, jca);
            compared++;
            if (!a.actual.equals(b.actual)) {
                disagreements.add(a.id + ": lightweight " + a.actual + " (" + a.context + "), jca " + b.actual + " (" + b.context + ")");
            }
        }
        assertTrue(compared > 150, "only " + compared + " native cases found");
        assertEquals(List.of(), disagreements);
    }
}
