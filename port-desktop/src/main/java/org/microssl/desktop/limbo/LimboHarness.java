package org.microssl.desktop.limbo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PushbackInputStream;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import org.microssl.Backends;
import org.microssl.spi.Clock;
import org.microssl.spi.SignatureVerifier;
import org.microssl.x509.CertificateRejectedException;
import org.microssl.x509.PathValidator;
import org.microssl.x509.Pem;
import org.microssl.x509.Purpose;
import org.microssl.x509.TrustAnchors;

/**
 * Runs microssl's validator over the C2SP x509-limbo corpus (github.com/C2SP/x509-limbo): reads
 * {@code limbo.json} (plain or gzipped) and writes x509-limbo's results format,
 * {@code {"version":1,"harness":"microssl","results":[{"id","actual_result","context"}]}}.
 *
 * <p>Every field of a case is honoured: validation_kind (SERVER/CLIENT purpose), validation_time (null: now),
 * expected_peer_name (DNS or IP; RFC822 names are not checked, as microssl checks client names nowhere),
 * extended_key_usage, key_usage, max_chain_depth, crls (as {@link PathValidator.Options#revocationLists}) and
 * features (all are supported).
 */
public final class LimboHarness {

    /** The result of one case. */
    public static final class Result {
        public final String id;
        /** SUCCESS, FAILURE or SKIPPED. */
        public final String actual;
        public final String expected;
        public final String context;

        Result(String id, String actual, String expected, String context) {
            this.id = id;
            this.actual = actual;
            this.expected = expected;
            this.context = context;
        }
    }

    private LimboHarness() {}

    /**
     * The CLI entry point: {@code java -jar microssl.jar limbo < limbo.json > results.json}.
     *
     * @return the process exit status: 0 when the results were written, 2 for unreadable input
     */
    public static int run(String[] args, InputStream in, PrintStream out) {
        Map<String, Object> corpus;
        try {
            corpus = readCorpus(in);
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("error: limbo: cannot read limbo.json from standard input: " + e.getMessage());
            return 2;
        }
        // --anchors=compact: the trusted certificates go through microssl's compact trust anchors (TrustAnchors)
        boolean compact = java.util.Arrays.asList(args).contains("--anchors=compact");
        List<Result> results = evaluateAll(corpus, compact);
        List<Object> rows = new ArrayList<Object>();
        for (Result r : results) {
            Map<String, Object> row = new LinkedHashMap<String, Object>();
            row.put("id", r.id);
            row.put("actual_result", r.actual);
            row.put("context", r.context);
            rows.add(row);
        }
        Map<String, Object> doc = new LinkedHashMap<String, Object>();
        doc.put("version", 1L);
        doc.put("harness", "microssl");
        doc.put("results", rows);
        StringBuilder sb = new StringBuilder();
        Json.write(doc, sb);
        out.println(sb);
        out.flush();
        return 0;
    }

    /** Reads a corpus, gzipped or not. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> readCorpus(InputStream in) throws IOException {
        PushbackInputStream pin = new PushbackInputStream(in, 2);
        byte[] magic = new byte[2];
        int n = pin.read(magic);
        if (n > 0) pin.unread(magic, 0, n);
        InputStream src = (n == 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) ? new GZIPInputStream(pin, 1 << 16) : pin;
        ByteArrayOutputStream buf = new ByteArrayOutputStream(1 << 20);
        byte[] b = new byte[1 << 16];
        int r;
        while ((r = src.read(b)) > 0) buf.write(b, 0, r);
        Object doc = Json.parse(new String(buf.toByteArray(), StandardCharsets.UTF_8));
        if (!(doc instanceof Map) || !(((Map<String, Object>) doc).get("testcases") instanceof List)) {
            throw new IllegalArgumentException("not an x509-limbo document (no \"testcases\" array)");
        }
        return (Map<String, Object>) doc;
    }

    public static List<Result> evaluateAll(Map<String, Object> corpus) {
        return evaluateAll(corpus, false);
    }

    /** @param compactAnchors give the validator each case's trusted certificates as compact anchors */
    @SuppressWarnings("unchecked")
    public static List<Result> evaluateAll(Map<String, Object> corpus, boolean compactAnchors) {
        SignatureVerifier verifier = Backends.lightweight().signatureVerifier();
        List<Result> out = new ArrayList<Result>();
        for (Object tc : (List<Object>) corpus.get("testcases")) {
            out.add(evaluate((Map<String, Object>) tc, verifier, compactAnchors));
        }
        return out;
    }

    public static Result evaluate(Map<String, Object> tc, SignatureVerifier verifier) {
        return evaluate(tc, verifier, false);
    }

    /**
     * @param compactAnchors the trusted certificates reach the validator as compact trust anchors
     *     ({@link TrustAnchors#encode}, what {@code SSLContext.loadTrustAnchors} loads) instead of certificates
     */
    @SuppressWarnings("unchecked")
    public static Result evaluate(Map<String, Object> tc, SignatureVerifier verifier, boolean compactAnchors) {
        String id = (String) tc.get("id");
        String expected = (String) tc.get("expected_result");
        List<Object> crls = (List<Object>) tc.get("crls");
        try {
            Purpose purpose;
            String kind = (String) tc.get("validation_kind");
            if ("SERVER".equals(kind)) {
                purpose = Purpose.SERVER_AUTH;
            } else if ("CLIENT".equals(kind)) {
                purpose = Purpose.CLIENT_AUTH;
            } else {
                return new Result(id, "SKIPPED", expected, "unknown validation_kind " + kind);
            }
            List<byte[]> anchors = pems((List<Object>) tc.get("trusted_certs"));
            List<byte[]> chain = new ArrayList<byte[]>();
            chain.addAll(pems(java.util.Collections.<Object>singletonList(tc.get("peer_certificate"))));
            chain.addAll(pems((List<Object>) tc.get("untrusted_intermediates")));

            Object vt = tc.get("validation_time");
            final long millis = vt == null ? System.currentTimeMillis()
                    : OffsetDateTime.parse((String) vt).toInstant().toEpochMilli();
            Clock clock = new Clock() {
                @Override
                public long currentTimeMillis() {
                    return millis;
                }
            };

            // the verdict is all x509-limbo compares; skip re-checking signatures only to refine failure messages
            PathValidator.Options options = PathValidator.Options.defaults().diagnoseSignatures(false);
            List<Object> eku = (List<Object>) tc.get("extended_key_usage");
            if (eku != null && !eku.isEmpty()) {
                List<String> oids = new ArrayList<String>();
                for (Object e : eku) oids.add(ekuOid((String) e));
                options = options.requiredExtendedKeyUsage(oids);
            }
            List<Object> ku = (List<Object>) tc.get("key_usage");
            if (ku != null && !ku.isEmpty()) {
                List<String> names = new ArrayList<String>();
                for (Object k : ku) names.add((String) k);
                options = options.requiredKeyUsage(names);
            }
            if (crls != null && !crls.isEmpty()) {
                List<byte[]> crlDers = new ArrayList<byte[]>();
                for (Object t : crls) {
                    for (Pem.Block b : Pem.decode(((String) t).getBytes(StandardCharsets.US_ASCII))) {
                        if ("X509 CRL".equals(b.label)) crlDers.add(b.der);
                    }
                }
                options = options.revocationLists(crlDers);
            }
            Object depth = tc.get("max_chain_depth");
            if (depth != null) options = options.maxIntermediates(((Number) depth).intValue());

            String name = null;
            Map<String, Object> peerName = (Map<String, Object>) tc.get("expected_peer_name");
            if (peerName != null && purpose == Purpose.SERVER_AUTH) {
                String pk = (String) peerName.get("kind");
                if ("DNS".equals(pk) || "IP".equals(pk)) {
                    name = (String) peerName.get("value");
                } else {
                    return new Result(id, "SKIPPED", expected, "server peer name of kind " + pk + " is not supported");
                }
            }

            PathValidator validator;
            try {
                validator = compactAnchors
                        ? new PathValidator(java.util.Collections.<byte[]>emptyList(),
                                java.util.Collections.singletonList(TrustAnchors.encode(anchors, null)), verifier, clock,
                                options)
                        : new PathValidator(anchors, verifier, clock, options);
            } catch (IllegalArgumentException e) {
                return new Result(id, "FAILURE", expected, e.getMessage());
            }
            validator.verify(chain, purpose, name);
            return new Result(id, "SUCCESS", expected, "verified");
        } catch (CertificateRejectedException e) {
            return new Result(id, "FAILURE", expected, e.getMessage());
        } catch (IllegalArgumentException e) {
            return new Result(id, "FAILURE", expected, "input rejected: " + e.getMessage());
        }
    }

    private static List<byte[]> pems(List<Object> texts) {
        List<byte[]> out = new ArrayList<byte[]>();
        if (texts == null) return out;
        for (Object t : texts) {
            for (Pem.Block b : Pem.decode(((String) t).getBytes(StandardCharsets.US_ASCII))) {
                if ("CERTIFICATE".equals(b.label)) out.add(b.der);
            }
        }
        return out;
    }

    /** x509-limbo's KnownEKUs names to OIDs (RFC 5280 section 4.2.1.12). */
    static String ekuOid(String name) {
        switch (name) {
            case "anyExtendedKeyUsage": return "2.5.29.37.0";
            case "serverAuth": return "1.3.6.1.5.5.7.3.1";
            case "clientAuth": return "1.3.6.1.5.5.7.3.2";
            case "codeSigning": return "1.3.6.1.5.5.7.3.3";
            case "emailProtection": return "1.3.6.1.5.5.7.3.4";
            case "timeStamping": return "1.3.6.1.5.5.7.3.8";
            case "OCSPSigning": return "1.3.6.1.5.5.7.3.9";
            default: throw new IllegalArgumentException("unknown extended key usage '" + name + "'");
        }
    }

    /** Runs the harness directly: {@code java -cp microssl.jar org.microssl.desktop.limbo.LimboHarness < limbo.json}. */
    public static void main(String[] args) {
        System.exit(run(args, System.in, System.out));
    }
}
