package org.microssl.desktop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.microssl.desktop.MainClientTest.Run;
import org.microssl.desktop.interop.InteropPki;
import org.microssl.testing.Peer;
import org.microssl.testing.TestPki.KeyType;

/** {@code microssl.jar x509 FILE} says what {@code openssl x509} says, field by field. */
class X509CommandTest {
    private static final InteropPki PKI = InteropPki.get();

    /** Our fields for one certificate of the output, by name ("subject", "sha256", ...). */
    static List<Map<String, String>> parse(String out) {
        List<Map<String, String>> certs = new java.util.ArrayList<>();
        Map<String, String> current = null;
        for (String line : out.split("\n")) {
            if (line.startsWith("subject:")) certs.add(current = new HashMap<>());
            int colon = line.indexOf(':');
            if (current != null && colon > 0 && !line.startsWith("certificate ")) {
                current.put(line.substring(0, colon), line.substring(colon + 1).trim());
            }
        }
        return certs;
    }

    /** openssl's view of {@code pem}: name=value lines plus the -text fields we compare. */
    static Map<String, String> openssl(Path pem) throws Exception {
        Map<String, String> m = new HashMap<>();
        String fields = Peer.runTool(pem.getParent(), "openssl", "x509", "-in", pem.toString(), "-noout", "-subject",
                "-issuer", "-nameopt", "RFC2253", "-serial", "-fingerprint", "-sha256", "-enddate");
        for (String line : fields.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) m.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
        }
        String text = Peer.runTool(pem.getParent(), "openssl", "x509", "-in", pem.toString(), "-noout", "-text");
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].trim();
            if (l.startsWith("Signature Algorithm:") && !m.containsKey("sig")) m.put("sig", l.substring(20).trim());
            if (l.startsWith("Public-Key: (") || l.startsWith("RSA Public-Key: (")) {
                m.put("bits", l.replaceAll(".*\\((\\d+) bit\\).*", "$1"));
            }
            if (l.startsWith("X509v3 Subject Alternative Name:")) m.put("san", lines[i + 1].trim());
            if (l.startsWith("CA:")) m.put("ca", l.startsWith("CA:TRUE") ? "yes" : "no");
        }
        return m;
    }

    @ParameterizedTest
    @ValueSource(strings = {"EC_P256", "RSA_2048", "ED25519"})
    void everyFieldAgreesWithOpenssl(String type) throws Exception {
        KeyType t = KeyType.valueOf(type);
        Run r = MainClientTest.main("x509", PKI.path(t, "chain.pem"));
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith("certificate 1 of 2\nsubject:"), r.out());
        List<Map<String, String>> ours = parse(r.out());
        assertEquals(2, ours.size());
        String[] files = {"leaf.pem", "int.pem"};
        for (int i = 0; i < 2; i++) {
            Map<String, String> o = ours.get(i);
            Map<String, String> ssl = openssl(PKI.file(t, files[i]));
            assertEquals(ssl.get("subject"), o.get("subject"));
            assertEquals(ssl.get("issuer"), o.get("issuer"));
            assertEquals(ssl.get("serial"), o.get("serial"));
            assertEquals(ssl.get("sha256 Fingerprint"), o.get("sha256"));
            assertEquals(ssl.get("sig"), o.get("signature"));
            assertEquals(ssl.get("ca"), o.get("ca").replaceAll(" .*", ""));
            if (t == KeyType.ED25519) {
                assertEquals("Ed25519 (256 bits)", o.get("key")); // openssl prints no size for it
            } else {
                assertTrue(o.get("key").contains("(" + ssl.get("bits") + " bits)")
                        || o.get("key").contains(" " + ssl.get("bits") + " bits"), o.get("key") + " vs " + ssl.get("bits"));
            }
            Instant notAfter = ZonedDateTime.parse(ssl.get("notAfter").replaceAll(" +", " "),
                    DateTimeFormatter.ofPattern("MMM d HH:mm:ss yyyy z", Locale.ENGLISH)).toInstant();
            assertTrue(o.get("not after").startsWith(notAfter.toString() + " ("), o.get("not after"));
            assertTrue(o.get("not after").matches(".*\\((36[45]|36[0-9]) days left\\)|.*\\(\\d+ days left\\)"),
                    o.get("not after"));
            if (ssl.containsKey("san")) assertEquals(ssl.get("san"), o.get("alt names"));
        }
    }

    @Test
    void derAndTheSystemBundle() throws Exception {
        Run der = MainClientTest.main("x509", PKI.path(KeyType.EC_P256, "root.der"));
        assertEquals(0, der.status(), der.err());
        assertEquals(openssl(PKI.file(KeyType.EC_P256, "root.pem")).get("sha256 Fingerprint"),
                parse(der.out()).get(0).get("sha256"));
        assertTrue(der.out().contains("ca:          yes\n"), der.out());

        Path bundle = Paths.get("/etc/ssl/certs/ca-certificates.crt");
        assumeTrue(Files.isRegularFile(bundle), "no system CA bundle at " + bundle);
        int blocks = new String(Files.readAllBytes(bundle), java.nio.charset.StandardCharsets.US_ASCII)
                .split("BEGIN CERTIFICATE", -1).length - 1;
        Run all = MainClientTest.main("x509", bundle.toString());
        assertEquals(0, all.status(), all.err());
        assertEquals(blocks, parse(all.out()).size());
        assertTrue(all.out().startsWith("certificate 1 of " + blocks + "\n"), all.out().substring(0, 40));
    }

    @Test
    void notACertificateOrNoFile() {
        Run key = MainClientTest.main("x509", PKI.path(KeyType.EC_P256, "leaf.key"));
        assertEquals(1, key.status());
        assertTrue(key.err().startsWith("error: INVALID_CERT: "), key.err());
        Run missing = MainClientTest.main("x509", "/nonexistent/cert.pem");
        assertEquals(1, missing.status());
        assertEquals("error: IO: cannot read /nonexistent/cert.pem: no such file\n", missing.err());
        Run help = MainClientTest.main("x509", "--help");
        assertEquals(0, help.status());
        assertTrue(help.out().startsWith("usage: java -jar microssl.jar x509 FILE\n"), help.out());
    }
}
