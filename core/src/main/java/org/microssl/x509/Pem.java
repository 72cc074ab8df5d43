package org.microssl.x509;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * RFC 7468 textual encoding, read with BouncyCastle's {@link PemReader}: finds {@code -----BEGIN label-----}
 * blocks and decodes their base64. Messages name a block by its label, never by its content (which may be a key).
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

    private static final String BEGIN = "-----BEGIN ";

    private static final String MALFORMED_BEGIN =
            "malformed PEM BEGIN line: no '-----' closing the label on the same line (RFC 7468 section 2)";

    /** Longer than any label in RFC 7468 section 4 or OpenSSL's PEM files. */
    private static final int MAX_LABEL_LENGTH = 64;

    private Pem() {}

    /** Whether {@code data} looks like PEM text rather than DER (DER always starts with a SEQUENCE tag, 0x30). */
    public static boolean isPem(byte[] data) {
        return new String(data, StandardCharsets.ISO_8859_1).contains(BEGIN);
    }

    /**
     * Decodes every block in {@code text}, in order. Text outside blocks (OpenSSL's "Bag Attributes", comments)
     * is ignored, as RFC 7468 section 2 allows.
     *
     * @throws IllegalArgumentException naming the label of a block that is unterminated, has RFC 1421 headers or
     *     is not valid base64 (never echoing its content, which may be a key)
     */
    public static List<Block> decode(byte[] text) {
        StrictPemReader reader = new StrictPemReader(new String(text, StandardCharsets.ISO_8859_1));
        List<Block> blocks = new ArrayList<Block>();
        while (true) {
            reader.label = null;
            PemObject o;
            try {
                o = reader.readPemObject();
            } catch (IOException e) {
                // a BEGIN line refused below, "-----END label----- not found", or "malformed PEM data: ..." from the
                // base64 decoder, whose message may quote the data
                if (MALFORMED_BEGIN.equals(e.getMessage())) throw new IllegalArgumentException(MALFORMED_BEGIN);
                if (e.getMessage() != null && e.getMessage().startsWith("-----END ")) {
                    throw new IllegalArgumentException("PEM block '" + reader.label + "' has no END line");
                }
                throw new IllegalArgumentException("PEM block '" + reader.label + "' is not valid base64");
            } catch (RuntimeException e) {
                // BouncyCastle 1.83's PemReader lets the decoder's DecoderException through
                throw new IllegalArgumentException("PEM block '" + reader.label + "' is not valid base64");
            }
            if (o == null) return blocks;
            if (!o.getHeaders().isEmpty()) {
                throw new IllegalArgumentException("PEM block '" + o.getType() + "' has RFC 1421 headers (encrypted?)");
            }
            blocks.add(new Block(o.getType(), o.getContent()));
        }
    }

    /**
     * Refuses a BEGIN line whose label is not closed by "-----" on the same line, is not printable ASCII, or holds a
     * '-' (PemReader would end the whole read there, dropping the blocks after it silently); remembers the label
     * of the block being read.
     */
    private static final class StrictPemReader extends PemReader {
        /** The label of the block being read, or null before its BEGIN line. */
        String label;

        StrictPemReader(String text) {
            super(new StringReader(text));
        }

        @Override
        public String readLine() throws IOException {
            String line = super.readLine();
            if (line != null && line.startsWith(BEGIN)) {
                String rest = line.substring(BEGIN.length()).trim();
                int end = rest.indexOf("-----");
                // without this, a BEGIN line missing its closing dashes would make the key's base64 the "label"
                if (end < 0 || end + 5 != rest.length() || !isLabel(rest.substring(0, end))) {
                    throw new IOException(MALFORMED_BEGIN);
                }
                if (label == null) label = rest.substring(0, end);
            }
            return line;
        }
    }

    /** RFC 7468 section 3: printable ASCII on one line; labels in use are short ("ENCRYPTED PRIVATE KEY"). */
    private static boolean isLabel(String label) {
        if (label.isEmpty() || label.length() > MAX_LABEL_LENGTH) return false;
        for (int i = 0; i < label.length(); i++) {
            char c = label.charAt(i);
            if (c < 0x20 || c > 0x7e || c == '-') return false;
        }
        return true;
    }
}
