package org.microssl.x509;

import java.io.IOException;
import java.util.Arrays;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Primitive;

/** Strict DER decoding (X.690 section 10): whatever does not re-encode to the same bytes is rejected. */
final class Der {
    private Der() {}

    /**
     * @throws IOException if {@code der} is not one complete, canonical DER value (BER forms such as indefinite
     *     lengths, non-minimal lengths, unsorted SETs or explicit DEFAULT values re-encode differently)
     */
    static ASN1Primitive parse(byte[] der) throws IOException {
        ASN1Primitive p;
        try {
            p = ASN1Primitive.fromByteArray(der); // also rejects trailing bytes
        } catch (RuntimeException e) {
            throw new IOException("not valid ASN.1: " + e.getMessage());
        }
        if (p == null) throw new IOException("empty encoding");
        if (!Arrays.equals(p.getEncoded(ASN1Encoding.DER), der)) throw new IOException("not DER (BER encoding)");
        return p;
    }

    /**
     * The bytes of the first element of the SEQUENCE {@code der}, which must already have passed {@link #parse}
     * (X.690 section 8.1: identifier octet, then a short or long definite length).
     */
    static byte[] firstElement(byte[] der) {
        int start = contentStart(der, 0);
        int end = contentStart(der, start) + contentLength(der, start);
        return Arrays.copyOfRange(der, start, end);
    }

    /** Offset of the contents of the element at {@code offset} (single-octet tag: DER certificates use no high tags). */
    private static int contentStart(byte[] der, int offset) {
        int first = der[offset + 1] & 0xff;
        return offset + 2 + (first < 0x80 ? 0 : first & 0x7f);
    }

    private static int contentLength(byte[] der, int offset) {
        int first = der[offset + 1] & 0xff;
        if (first < 0x80) return first;
        int len = 0;
        for (int i = 0; i < (first & 0x7f); i++) len = (len << 8) | (der[offset + 2 + i] & 0xff);
        return len;
    }
}
