package org.microssl.x509;

import java.io.IOException;
import java.util.Arrays;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Primitive;

/**
 * Strict DER decoding (X.690 section 10): whatever does not re-encode to the same bytes is rejected. Not API.
 *
 * <p>{@link #checkLengths} walks the TLV structure by hand on purpose: it refuses indefinite and non-minimal
 * lengths before BouncyCastle parses and re-encodes, which for nested indefinite-length SETs costs memory
 * exponential in the nesting (34 MB for 3.4 KB).
 */
public final class Der {
    private Der() {}

    /** Deeper nesting than any certificate or CRL has. */
    private static final int MAX_DEPTH = 32;

    /**
     * @throws IOException unless {@code der} is one TLV whose every length, at every level, is definite and
     *     minimal and fits its container (X.690 sections 10.1 and 8.1.3)
     */
    public static void checkLengths(byte[] der) throws IOException {
        int end = walk(der, 0, der.length, 0);
        if (end != der.length) throw new IOException("trailing bytes after the DER value");
    }

    /**
     * @return where the DER value that starts at {@code pos} ends, its lengths checked as {@link #checkLengths}
     *     does: for slicing concatenated certificates without re-encoding them
     */
    public static int valueEnd(byte[] der, int pos) throws IOException {
        return walk(der, pos, der.length, 0);
    }

    /** @return the end of the TLV at {@code pos} */
    private static int walk(byte[] b, int pos, int limit, int depth) throws IOException {
        if (depth > MAX_DEPTH) throw new IOException("DER nested deeper than " + MAX_DEPTH);
        if (pos >= limit) throw new IOException("DER value truncated");
        int tag = b[pos++] & 0xff;
        if ((tag & 0x1f) == 0x1f) { // high tag number form
            do {
                if (pos >= limit) throw new IOException("DER tag truncated");
            } while ((b[pos++] & 0x80) != 0);
        }
        if (pos >= limit) throw new IOException("DER length truncated");
        int first = b[pos++] & 0xff;
        int length;
        if (first < 0x80) {
            length = first;
        } else {
            int count = first & 0x7f;
            if (count == 0) throw new IOException("indefinite length (BER, not DER)");
            if (count > 3) throw new IOException("DER length too large");
            if (pos + count > limit) throw new IOException("DER length truncated");
            if (b[pos] == 0) throw new IOException("non-minimal DER length");
            length = 0;
            for (int i = 0; i < count; i++) length = (length << 8) | (b[pos++] & 0xff);
            if (length < 0x80) throw new IOException("non-minimal DER length");
        }
        if (length > limit - pos) throw new IOException("DER length runs past its container");
        int end = pos + length;
        if ((tag & 0x20) != 0) { // constructed: its contents are TLVs
            while (pos < end) pos = walk(b, pos, end, depth + 1);
        }
        return end;
    }

    /** The exception's message, or its class where it has none (the JIT's fast throw drops messages). */
    static String why(Throwable e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getName();
    }

    /**
     * @throws IOException if {@code der} is not one complete, canonical DER value (BER forms such as indefinite
     *     lengths, non-minimal lengths, unsorted SETs or explicit DEFAULT values re-encode differently)
     */
    static ASN1Primitive parse(byte[] der) throws IOException {
        checkLengths(der);
        ASN1Primitive p;
        try {
            p = ASN1Primitive.fromByteArray(der); // also rejects trailing bytes
        } catch (RuntimeException e) {
            throw new IOException("not valid ASN.1: " + Der.why(e));
        }
        if (p == null) throw new IOException("empty encoding");
        if (!Arrays.equals(p.getEncoded(ASN1Encoding.DER), der)) throw new IOException("not DER (BER encoding)");
        return p;
    }
}
