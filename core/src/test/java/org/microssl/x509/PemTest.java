package org.microssl.x509;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.microssl.SSLContext;
import org.microssl.Ssl;
import org.microssl.testing.TestPki;

/** RFC 7468 decoding, and that a malformed block never puts its content (a key) into a message. */
class PemTest {
    static final String BODY = "U0VDUkVULUtFWS1NQVRFUklBTC0wMTIzNDU2Nzg5";

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void decodesBlocksAndIgnoresTextAround() {
        List<Pem.Block> blocks = Pem.decode(ascii("Bag Attributes\n-----BEGIN PRIVATE KEY-----\n" + BODY
                + "\n-----END PRIVATE KEY-----\ntrailer\n"));
        assertEquals(1, blocks.size());
        assertEquals("PRIVATE KEY", blocks.get(0).label);
        assertArrayEquals(java.util.Base64.getDecoder().decode(BODY), blocks.get(0).der);
    }

    @Test
    void beginLineWithoutClosingDashesDoesNotEchoTheBody() {
        String pem = "-----BEGIN PRIVATE KEY\n" + BODY + "\n-----END PRIVATE KEY-----\n";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Pem.decode(ascii(pem)));
        assertTrue(e.getMessage().startsWith("malformed PEM BEGIN line"), e.getMessage());
        assertFalse(e.getMessage().contains(BODY.substring(0, 12)), e.getMessage());
        // the same through loadCertChain: an "invalid key" naming the problem, without the key
        SSLContext ctx = new SSLContext(Ssl.PROTOCOL_TLS_SERVER);
        byte[] cert = ascii(TestPki.cert().subject("CN=pem").build().pem());
        IllegalArgumentException key = assertThrows(IllegalArgumentException.class,
                () -> ctx.loadCertChain(cert, ascii(pem)));
        assertTrue(key.getMessage().startsWith("invalid key: malformed PEM BEGIN line"), key.getMessage());
        assertFalse(key.getMessage().contains(BODY.substring(0, 12)), key.getMessage());
    }

    @Test
    void overlongLabelIsMalformed() {
        String label = new String(new char[65]).replace('\0', 'A');
        String pem = "-----BEGIN " + label + "-----\n" + BODY + "\n-----END " + label + "-----\n";
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Pem.decode(ascii(pem))).getMessage()
                .startsWith("malformed PEM BEGIN line"));
    }

    @Test
    void readsEveryBlockWhateverTheLineEndings() {
        String block = "-----BEGIN CERTIFICATE-----\r\n" + BODY + "\r\n-----END CERTIFICATE-----\r\n";
        List<Pem.Block> blocks = Pem.decode(ascii("# comment\n" + block + "between\n" + block.replace("\r\n", "\n")));
        assertEquals(2, blocks.size());
        for (Pem.Block b : blocks) {
            assertEquals("CERTIFICATE", b.label);
            assertArrayEquals(java.util.Base64.getDecoder().decode(BODY), b.der);
        }
        assertTrue(Pem.decode(ascii("no PEM here\n")).isEmpty());
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("-----BEGIN PRIVATE KEY-----\nBODY\n", "PEM block 'PRIVATE KEY' has no END line"),
                Arguments.of("-----BEGIN PRIVATE KEY-----\nBODY\n-----END RSA PRIVATE KEY-----\n",
                        "PEM block 'PRIVATE KEY' has no END line"),
                Arguments.of("-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nBODY\n"
                        + "-----END RSA PRIVATE KEY-----\n", "PEM block 'RSA PRIVATE KEY' has RFC 1421 headers (encrypted?)"),
                Arguments.of("-----BEGIN PRIVATE KEY-----\nBODY!*\n-----END PRIVATE KEY-----\n",
                        "PEM block 'PRIVATE KEY' is not valid base64"));
    }

    /** Each malformed block gets a message naming its label (or the BEGIN line), never quoting its content. */
    @ParameterizedTest(name = "{1}")
    @MethodSource("malformed")
    void malformedBlockIsNamedNotQuoted(String pem, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Pem.decode(ascii(pem.replace("BODY", BODY))));
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
        assertFalse(e.getMessage().contains(BODY.substring(0, 12)), e.getMessage());
    }
}
