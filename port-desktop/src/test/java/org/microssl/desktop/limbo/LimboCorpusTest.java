package org.microssl.desktop.limbo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.microssl.Backends;
import org.microssl.spi.SignatureVerifier;

/**
 * Runs the whole C2SP x509-limbo corpus (github.com/C2SP/x509-limbo) through the validator and holds it to
 * {@code limbo-exclusions.txt}: every case where microssl's result differs from the expected one must be listed
 * there with a reason, and nothing else may be listed.
 */
class LimboCorpusTest {

    /** Committed floor: the share of all cases whose result matches x509-limbo's expected result. */
    static final double AGREEMENT_FLOOR = 0.9970;

    static final String CORPUS = "shared/x509-limbo/limbo.json.gz";

    /** -Dlimbo.path=..., else shared/x509-limbo/limbo.json.gz in this module's directory or any parent. */
    static Path locateCorpus() {
        String prop = System.getProperty("limbo.path");
        if (prop != null && !prop.isEmpty()) return Paths.get(prop);
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path p = dir.resolve(CORPUS);
            if (Files.isRegularFile(p)) return p;
        }
        return null;
    }

    /** One listed disagreement: the result microssl gives and why. */
    static final class Exclusion {
        final String actual;
        final String reason;

        Exclusion(String actual, String reason) {
            this.actual = actual;
            this.reason = reason;
        }
    }

    /**
     * The file: "## reason" lines set the reason for the id lines after them; an id line is
     * "case-id ACTUAL" (ACTUAL is what microssl answers: SUCCESS, FAILURE or SKIPPED); '#' starts a comment.
     */
    static Map<String, Exclusion> readExclusions() throws IOException {
        Map<String, Exclusion> out = new LinkedHashMap<>();
        try (InputStream in = LimboCorpusTest.class.getResourceAsStream("/limbo-exclusions.txt")) {
            assertTrue(in != null, "limbo-exclusions.txt is missing from the test resources");
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String reason = null;
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                String t = line.trim();
                if (t.startsWith("## ")) {
                    reason = t.substring(3).trim();
                    continue;
                }
                if (t.isEmpty() || t.startsWith("#")) continue;
                String[] parts = t.split("\\s+");
                assertEquals(2, parts.length, "limbo-exclusions.txt line " + n + ": expected 'case-id ACTUAL': " + line);
                assertTrue(reason != null, "limbo-exclusions.txt line " + n + ": no '## reason' above " + parts[0]);
                assertTrue(parts[1].matches("SUCCESS|FAILURE|SKIPPED"), "line " + n + ": bad result " + parts[1]);
                assertTrue(out.put(parts[0], new Exclusion(parts[1], reason)) == null, "listed twice: " + parts[0]);
            }
        }
        return out;
    }

    /**
     * Issue 14: the trusted certificates of every case, as compact trust anchors (TrustAnchors, what
     * SSLContext.loadTrustAnchors loads), give the validator exactly the verdicts the certificates give.
     */
    @Test
    void compactAnchorsGiveEveryCaseTheSameVerdict() throws Exception {
        Path corpusPath = locateCorpus();
        assumeTrue(corpusPath != null && Files.isRegularFile(corpusPath),
                "x509-limbo corpus not found: expected ../shared/x509-limbo/limbo.json.gz, or -Dlimbo.path=");
        Map<String, Object> corpus;
        try (InputStream in = Files.newInputStream(corpusPath)) {
            corpus = LimboHarness.readCorpus(in);
        }
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> cases = (List<Map<String, Object>>) corpus.get("testcases");
        SignatureVerifier verifier = Backends.lightweight().signatureVerifier();
        List<String> differ = cases.parallelStream().map(tc -> {
            LimboHarness.Result der = LimboHarness.evaluate(tc, verifier, false);
            LimboHarness.Result compact = LimboHarness.evaluate(tc, verifier, true);
            return der.actual.equals(compact.actual) ? null
                    : der.id + ": " + der.actual + " with certificates, " + compact.actual + " with compact anchors ("
                            + compact.context + ")";
        }).filter(java.util.Objects::nonNull).sorted().collect(Collectors.toList());
        System.out.printf("x509-limbo with compact anchors: %d of %d cases give another verdict%n", differ.size(),
                cases.size());
        if (!differ.isEmpty()) fail(differ.size() + " case(s) differ:\n" + String.join("\n", differ));
    }

    @Test
    void wholeCorpusAgreesExceptForTheWrittenExclusions() throws Exception {
        Path corpusPath = locateCorpus();
        if (System.getProperty("limbo.path") != null && !Files.isRegularFile(corpusPath)) {
            fail("-Dlimbo.path=" + corpusPath + " is not a file (expected C2SP/x509-limbo's limbo.json or limbo.json.gz)");
        }
        assumeTrue(corpusPath != null && Files.isRegularFile(corpusPath),
                "x509-limbo corpus (C2SP/x509-limbo, limbo.json or limbo.json.gz) not found: expected ../shared/"
                        + "x509-limbo/limbo.json.gz beside the project, or run with -Dlimbo.path=/path/to/limbo.json.gz");
        Map<String, Object> corpus;
        try (InputStream in = Files.newInputStream(corpusPath)) {
            corpus = LimboHarness.readCorpus(in);
        }
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> cases = (List<Map<String, Object>>) corpus.get("testcases");
        SignatureVerifier verifier = Backends.lightweight().signatureVerifier();
        long start = System.nanoTime();
        // the cases are independent: use both cores
        List<LimboHarness.Result> results = cases.parallelStream()
                .map(tc -> LimboHarness.evaluate(tc, verifier))
                .collect(Collectors.toList());
        long ms = (System.nanoTime() - start) / 1_000_000;

        Map<String, Exclusion> exclusions = readExclusions();
        int agree = 0;
        int falseAccepts = 0;
        int falseRejects = 0;
        int skipped = 0;
        List<String> problems = new ArrayList<>();
        Map<String, LimboHarness.Result> byId = new TreeMap<>();
        for (LimboHarness.Result r : results) {
            byId.put(r.id, r);
            if (r.actual.equals(r.expected)) {
                agree++;
                continue;
            }
            if (r.actual.equals("SKIPPED")) skipped++;
            else if (r.actual.equals("SUCCESS")) falseAccepts++;
            else falseRejects++;
            Exclusion ex = exclusions.get(r.id);
            if (ex == null) {
                problems.add("not in limbo-exclusions.txt: " + r.id + " " + r.actual + " (expected " + r.expected
                        + "): " + r.context);
            } else if (!ex.actual.equals(r.actual)) {
                problems.add("limbo-exclusions.txt says " + r.id + " is " + ex.actual + ", but it is " + r.actual
                        + ": " + r.context);
            }
        }
        for (String id : exclusions.keySet()) {
            LimboHarness.Result r = byId.get(id);
            if (r == null) problems.add("stale entry in limbo-exclusions.txt: no case " + id + " in the corpus");
            else if (r.actual.equals(r.expected)) problems.add("stale entry in limbo-exclusions.txt: " + id + " now agrees");
        }
        double agreement = agree / (double) results.size();
        System.out.printf("x509-limbo: %d/%d cases agree (%.2f%%), %d false accepts, %d false rejects, %d skipped, %d ms%n",
                agree, results.size(), 100 * agreement, falseAccepts, falseRejects, skipped, ms);
        writeResults(results);
        if (!problems.isEmpty()) fail(problems.size() + " problem(s):\n" + String.join("\n", problems));
        assertTrue(agreement >= AGREEMENT_FLOOR,
                String.format("agreement %.4f fell below the floor %.4f", agreement, AGREEMENT_FLOOR));
    }

    /** Leaves target/limbo-results.json in x509-limbo's results format, for a look or for x509-limbo's tools. */
    private static void writeResults(List<LimboHarness.Result> results) throws IOException {
        Path target = Paths.get("target");
        if (!Files.isDirectory(target)) return;
        List<Object> rows = new ArrayList<>();
        for (LimboHarness.Result r : results) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", r.id);
            row.put("actual_result", r.actual);
            row.put("context", r.context);
            rows.add(row);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("version", 1L);
        doc.put("harness", "microssl");
        doc.put("results", rows);
        StringBuilder sb = new StringBuilder();
        Json.write(doc, sb);
        Files.write(target.resolve("limbo-results.json"), sb.toString().getBytes(StandardCharsets.UTF_8));
    }
}
