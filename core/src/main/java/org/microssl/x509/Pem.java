package org.microssl.x509;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Hand-written on purpose: BouncyCastle's PemReader needs java.logging, absent from a java.base-only device
 * (ShrunkJarIT), and silently ends the read at a malformed BEGIN line instead of saying so.
 *
 * <p>RFC 7468 textual encoding: finds {@code -----BEGIN label-----} blocks and decodes their base64 (the JDK's
 * decoder). Messages name a block by its label, never by its content (which may be a key).
 */
public final class Pem {

    /** One decoded block. */
    public static final class Block {
        public final String label;
        public final byte[] der;

        Block(String label, byte[] der) {
            this.label = label;
            this.der = der;
        }
    }

    /** Longer than any label in RFC 7468 section 4 or OpenSSL's PEM files. */
    private static final int MAX_LABEL_LENGTH = 64;

    private Pem() {}

    /** Whether {@code data} looks like PEM text rather than DER (DER always starts with a SEQUENCE tag, 0x30). */
    public static boolean isPem(byte[] data) {
        return new String(data, StandardCharsets.ISO_8859_1).contains("-----BEGIN ");
    }

    /**
     * Decodes every block in {@code text}, in order. Text outside blocks (OpenSSL's "Bag Attributes", comments)
     * is ignored, as RFC 7468 section 2 allows.
     *
     * @throws IllegalArgumentException naming the label of a block that is unterminated or not valid base64
     *     (never echoing its content, which may be a key)
     */
    public static List<Block> decode(byte[] text) {
        String s = new String(text, StandardCharsets.ISO_8859_1);
        List<Block> blocks = new ArrayList<Block>();
        int pos = 0;
        while (true) {
            int begin = s.indexOf("-----BEGIN ", pos);
            if (begin < 0) break;
            int labelEnd = s.indexOf("-----", begin + 11);
            if (labelEnd < 0) throw new IllegalArgumentException("unterminated PEM BEGIN line");
            String label = s.substring(begin + 11, labelEnd);
            if (!isLabel(label)) {
                // without this, a BEGIN line missing its closing dashes would make the key's base64 the "label"
                throw new IllegalArgumentException(
                        "malformed PEM BEGIN line: no '-----' closing the label on the same line (RFC 7468 section 2)");
            }
            String endLine = "-----END " + label + "-----";
            int end = s.indexOf(endLine, labelEnd + 5);
            if (end < 0) throw new IllegalArgumentException("PEM block '" + label + "' has no END line");
            String body = s.substring(labelEnd + 5, end);
            if (body.indexOf(':') >= 0) {
                throw new IllegalArgumentException("PEM block '" + label + "' has RFC 1421 headers (encrypted?)");
            }
            StringBuilder b64 = new StringBuilder(body.length());
            for (int i = 0; i < body.length(); i++) {
                char c = body.charAt(i);
                if (c != '\r' && c != '\n' && c != ' ' && c != '\t') b64.append(c);
            }
            byte[] der;
            try {
                der = Base64.getDecoder().decode(b64.toString());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("PEM block '" + label + "' is not valid base64");
            }
            blocks.add(new Block(label, der));
            pos = end + endLine.length();
        }
        return blocks;
    }

    /** RFC 7468 section 3: printable ASCII on one line; labels in use are short ("ENCRYPTED PRIVATE KEY"). */
    private static boolean isLabel(String label) {
        if (label.length() > MAX_LABEL_LENGTH) return false;
        for (int i = 0; i < label.length(); i++) {
            char c = label.charAt(i);
            if (c < 0x20 || c > 0x7e) return false;
        }
        return true;
    }
}
