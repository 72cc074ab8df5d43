package org.microssl.desktop.limbo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.microssl.testing.TestPki;

/** The harness on a small corpus built here, so it is tested even where the real corpus is absent. */
class LimboHarnessTest {

    static final TestPki.Chain CHAIN = TestPki.chain(TestPki.KeyType.EC_P256);

    static Map<String, Object> testcase(String id, String expected, String name, String kind) {
        Map<String, Object> tc = new LinkedHashMap<>();
        tc.put("id", id);
        tc.put("features", Collections.emptyList());
        tc.put("validation_kind", kind);
        tc.put("trusted_certs", Collections.singletonList(CHAIN.root.pem()));
        tc.put("untrusted_intermediates", Collections.singletonList(CHAIN.intermediate.pem()));
        tc.put("peer_certificate", CHAIN.leaf.pem());
        tc.put("validation_time", null);
        tc.put("signature_algorithms", Collections.emptyList());
        tc.put("key_usage", Collections.emptyList());
        tc.put("extended_key_usage", Collections.emptyList());
        tc.put("expected_result", expected);
        Map<String, Object> peer = new LinkedHashMap<>();
        peer.put("kind", name.contains(".") && Character.isDigit(name.charAt(0)) ? "IP" : "DNS");
        peer.put("value", name);
        tc.put("expected_peer_name", peer);
        tc.put("expected_peer_names", Collections.emptyList());
        tc.put("max_chain_depth", null);
        tc.put("crls", Collections.emptyList());
        return tc;
    }

    static byte[] corpus(boolean gzip) throws Exception {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("version", 1L);
        doc.put("testcases", Arrays.asList(
                testcase("ok::dns", "SUCCESS", "localhost", "SERVER"),
                testcase("ok::ip", "SUCCESS", "127.0.0.1", "SERVER"),
                testcase("bad::name", "FAILURE", "other.test", "SERVER"),
                testcase("bad::client-purpose", "FAILURE", "localhost", "CLIENT")));
        StringBuilder sb = new StringBuilder();
        Json.write(doc, sb);
        byte[] plain = sb.toString().getBytes(StandardCharsets.UTF_8);
        if (!gzip) return plain;
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(bos)) {
            z.write(plain);
        }
        return bos.toByteArray();
    }

    @Test
    @SuppressWarnings("unchecked")
    void writesTheResultsFormatForPlainAndGzippedInput() throws Exception {
        for (boolean gzip : new boolean[] {false, true}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int status = LimboHarness.run(new String[0], new ByteArrayInputStream(corpus(gzip)),
                    new PrintStream(out, true, "UTF-8"));
            assertEquals(0, status);
            Map<String, Object> doc = (Map<String, Object>) Json.parse(out.toString("UTF-8"));
            assertEquals(1L, doc.get("version"));
            assertEquals("microssl", doc.get("harness"));
            List<Map<String, Object>> results = (List<Map<String, Object>>) doc.get("results");
            assertEquals(4, results.size());
            assertEquals("ok::dns", results.get(0).get("id"));
            assertEquals("SUCCESS", results.get(0).get("actual_result"));
            assertEquals("SUCCESS", results.get(1).get("actual_result"));
            assertEquals("FAILURE", results.get(2).get("actual_result"));
            assertTrue(((String) results.get(2).get("context")).startsWith("HOSTNAME_MISMATCH"));
            assertEquals("FAILURE", results.get(3).get("actual_result"));
            assertTrue(((String) results.get(3).get("context")).startsWith("BAD_EXTENDED_KEY_USAGE"));
        }
    }

    @Test
    void unreadableInputIsExitStatusTwo() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = LimboHarness.run(new String[0], new ByteArrayInputStream("{\"x\": [1,".getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out));
        assertEquals(2, status);
        assertEquals(0, out.size());
    }

    @Test
    void jsonRoundTripsEscapesAndNumbers() {
        String text = "{\"s\":\"a\\\"b\\\\c\\n\\u00e9\\u0001\",\"n\":-12,\"f\":1.5e3,\"t\":true,\"z\":null,\"l\":[]}";
        Object v = Json.parse(text);
        StringBuilder sb = new StringBuilder();
        Json.write(v, sb);
        assertEquals(v, Json.parse(sb.toString()));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":1} x"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[1,]"));
    }
}
