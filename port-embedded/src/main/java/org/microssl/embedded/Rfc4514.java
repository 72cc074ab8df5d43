package org.microssl.embedded;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Certificate;

/** A certificate subject as an RFC 4514 string ("CN=device-1,O=Example"), for the CLI's {@code peer=} line. */
final class Rfc4514 {

    private Rfc4514() {
    }

    static String subjectOf(byte[] certificateDer) {
        return format(Certificate.getInstance(certificateDer).getSubject());
    }

    static String format(X500Name name) {
        RDN[] rdns = name.getRDNs();
        StringBuilder sb = new StringBuilder();
        // RFC 4514 section 2.1: the last RDN of the sequence comes first.
        for (int i = rdns.length - 1; i >= 0; i--) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            AttributeTypeAndValue[] atvs = rdns[i].getTypesAndValues();
            for (int j = 0; j < atvs.length; j++) {
                if (j > 0) {
                    sb.append('+');
                }
                sb.append(shortName(atvs[j].getType().getId())).append('=');
                appendValue(sb, atvs[j].getValue());
            }
        }
        return sb.toString();
    }

    private static String shortName(String oid) {
        // RFC 4514 section 3's table, plus the attributes certificates commonly carry.
        if ("2.5.4.3".equals(oid)) {
            return "CN";
        } else if ("2.5.4.6".equals(oid)) {
            return "C";
        } else if ("2.5.4.7".equals(oid)) {
            return "L";
        } else if ("2.5.4.8".equals(oid)) {
            return "ST";
        } else if ("2.5.4.9".equals(oid)) {
            return "STREET";
        } else if ("2.5.4.10".equals(oid)) {
            return "O";
        } else if ("2.5.4.11".equals(oid)) {
            return "OU";
        } else if ("0.9.2342.19200300.100.1.25".equals(oid)) {
            return "DC";
        } else if ("0.9.2342.19200300.100.1.1".equals(oid)) {
            return "UID";
        }
        return oid;
    }

    private static void appendValue(StringBuilder sb, ASN1Encodable value) {
        if (!(value instanceof ASN1String)) {
            sb.append('#');
            try {
                for (byte b : value.toASN1Primitive().getEncoded()) {
                    sb.append(Character.forDigit((b >> 4) & 15, 16)).append(Character.forDigit(b & 15, 16));
                }
            } catch (java.io.IOException e) {
                sb.append("??");
            }
            return;
        }
        String s = ((ASN1String) value).getString();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            // RFC 4514 section 2.4 escapes.
            boolean edge = (i == 0 && (c == ' ' || c == '#')) || (i == s.length() - 1 && c == ' ');
            if (edge || c == '"' || c == '+' || c == ',' || c == ';' || c == '<' || c == '>' || c == '\\'
                    || c == '=') {
                sb.append('\\');
            }
            sb.append(c);
        }
    }
}
