package org.microssl.desktop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.microssl.testing.TestPki;
import org.microssl.x509.TrustAnchors;

/** {@code microssl.jar ta BUNDLE}: compact anchors on stdout, notes and the sizes on stderr; bad input is an error line. */
class TaCommandTest {

    @TempDir
    Path dir;

    @Test
    void writesCompactAnchorsAndSaysWhatItKeptWhole() throws Exception {
        TestPki.Chain chain = TestPki.chain(TestPki.KeyType.EC_P256);
        Path bundle = dir.resolve("bundle.pem");
        Files.write(bundle, (chain.root.pem() + chain.intermediate.pem()).getBytes(StandardCharsets.US_ASCII));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Main.run(new String[] {"ta", bundle.toString()}, new ByteArrayInputStream(new byte[0]),
            new PrintStream(out, true), new PrintStream(err, true));
        String e = err.toString("UTF-8");
        assertEquals(0, rc, e);
        assertEquals(2, TrustAnchors.check(out.toByteArray()));
        assertTrue(e.contains("kept whole: not self-issued"), e);
        assertTrue(e.contains("2 certificates (") && e.contains("-> 2 anchors, 1 kept whole: " + out.size() + " bytes"), e);
    }

    @Test
    void aFileWithoutCertificatesIsAnErrorLine() throws Exception {
        Path empty = dir.resolve("empty.pem");
        Files.write(empty, "nothing here\n".getBytes(StandardCharsets.US_ASCII));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = Main.run(new String[] {"ta", empty.toString()}, new ByteArrayInputStream(new byte[0]),
            new PrintStream(new ByteArrayOutputStream(), true), new PrintStream(err, true));
        assertEquals(1, rc);
        assertTrue(err.toString("UTF-8").startsWith("error: INVALID_CERT: no certificate in "), err.toString("UTF-8"));
    }
}
