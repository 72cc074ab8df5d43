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
}
