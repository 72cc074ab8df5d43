package org.microssl.x509;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * Distinguished names as RFC 4514 strings, the attribute-type names shared with {@code getpeercert()}, and DNS name
 * syntax and matching (RFC 1034, RFC 6125). Public only for {@code org.microssl.internal}; not API.
 */
public final class Names {
    private Names() {}

    /** Attribute type OID -> RFC 4514 short name (section 3, plus the ones people see in certificates every day). */
    private static final Map<String, String> SHORT_NAMES = new HashMap<String, String>();
    /** Attribute type OID -> OpenSSL's long name, which CPython's getpeercert() uses as keys. */
    private static final Map<String, String> LONG_NAMES = new HashMap<String, String>();

    private static void attribute(String oid, String shortName, String longName) {
        if (shortName != null) SHORT_NAMES.put(oid, shortName);
        LONG_NAMES.put(oid, longName);
    }

    static {
        attribute("2.5.4.3", "CN", "commonName");
        attribute("2.5.4.4", null, "surname");
        attribute("2.5.4.5", "SERIALNUMBER", "serialNumber");
        attribute("2.5.4.6", "C", "countryName");
        attribute("2.5.4.7", "L", "localityName");
        attribute("2.5.4.8", "ST", "stateOrProvinceName");
        attribute("2.5.4.9", "STREET", "streetAddress");
        attribute("2.5.4.10", "O", "organizationName");
        attribute("2.5.4.11", "OU", "organizationalUnitName");
        attribute("2.5.4.12", null, "title");
        attribute("2.5.4.17", null, "postalCode");
        attribute("2.5.4.42", null, "givenName");
        attribute("2.5.4.97", null, "organizationIdentifier");
        attribute("1.2.840.113549.1.9.1", "emailAddress", "emailAddress");
        attribute("0.9.2342.19200300.100.1.1", "UID", "userId");
        attribute("0.9.2342.19200300.100.1.25", "DC", "domainComponent");
    }

    /** OpenSSL's long name of an attribute type ("commonName"), or the dotted OID for one without. */
    public static String longName(String oid) {
        String n = LONG_NAMES.get(oid);
        return n != null ? n : oid;
    }

    /** RFC 4514: RDNs in reverse order of the encoding, comma-separated, values escaped. */
    public static String rfc4514(X500Name name) {
        RDN[] rdns = name.getRDNs();
        StringBuilder sb = new StringBuilder();
        for (int i = rdns.length - 1; i >= 0; i--) {
            if (sb.length() > 0) sb.append(',');
            AttributeTypeAndValue[] avas = rdns[i].getTypesAndValues();
            for (int j = 0; j < avas.length; j++) {
                if (j > 0) sb.append('+');
                ASN1ObjectIdentifier type = avas[j].getType();
                String shortName = SHORT_NAMES.get(type.getId());
                sb.append(shortName != null ? shortName : type.getId()).append('=');
                sb.append(valueToString(avas[j]));
            }
        }
        return sb.toString();
    }

    /** Caps a name for messages: a hostile certificate can carry thousands of attributes. */
    static String forMessage(String name) {
        return name.length() <= 200 ? name : name.substring(0, 200) + "...";
    }

    /** A value as RFC 4514 text; one that is not a valid string of its type as "#" and its DER in hex. */
    private static String valueToString(AttributeTypeAndValue ava) {
        try {
            return IETFUtils.valueToString(ava.getValue());
        } catch (RuntimeException e) {
            try {
                return "#" + org.bouncycastle.util.encoders.Hex.toHexString(ava.getValue().toASN1Primitive().getEncoded("DER"));
            } catch (java.io.IOException e2) {
                return "#";
            }
        }
    }

    /** Whether every attribute value of {@code name} is a valid string of its declared type (e.g. UTF-8). */
    static boolean stringsAreValid(X500Name name) {
        for (RDN rdn : name.getRDNs()) {
            for (AttributeTypeAndValue ava : rdn.getTypesAndValues()) {
                try {
                    IETFUtils.valueToString(ava.getValue());
                } catch (RuntimeException e) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Whether {@code name} is a DNS name in preferred name syntax (RFC 1034 section 3.5 as relaxed by RFC 1123
     * section 2.1): ASCII letters, digits and hyphens, labels of 1..63 characters not starting or ending with a
     * hyphen, 253 characters at most. With {@code allowWildcard}, the left-most label may be exactly "*".
     */
    static boolean isValidDnsName(String name, boolean allowWildcard) {
        if (name.isEmpty() || name.length() > 253) return false;
        int start = 0;
        if (allowWildcard && name.startsWith("*.")) start = 2;
        int labelStart = start;
        for (int i = start; i <= name.length(); i++) {
            if (i == name.length() || name.charAt(i) == '.') {
                int len = i - labelStart;
                if (len == 0 || len > 63) return false;
                if (name.charAt(labelStart) == '-' || name.charAt(i - 1) == '-') return false;
                labelStart = i + 1;
                continue;
            }
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
            if (!ok) return false;
        }
        return true;
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    /**
     * Whether the SAN dNSName {@code presented} names the host {@code reference} (RFC 6125 section 6.4): ASCII
     * case-insensitive; a wildcard only as the whole left-most label, matching exactly one non-empty label, and
     * only over at least two further labels (so "*" and "*.com" match nothing).
     */
    static boolean dnsNameMatches(String presented, String reference) {
        if (!isValidDnsName(presented, true)) return false;
        String p = lower(presented);
        String r = lower(reference);
        if (!p.startsWith("*.")) return p.equals(r);
        String base = p.substring(2);
        if (base.indexOf('.') < 0) return false;
        int dot = r.indexOf('.');
        if (dot <= 0) return false;
        return r.substring(dot + 1).equals(base);
    }

    /**
     * Whether DNS name {@code name} is within the subtree {@code constraint} (RFC 5280 section 4.2.1.10): equal
     * to it or formed by adding labels on the left. An empty constraint contains every name.
     */
    static boolean dnsWithinSubtree(String name, String constraint) {
        if (constraint.isEmpty()) return true;
        String n = lower(name);
        String c = lower(constraint);
        if (n.equals(c)) return true;
        return n.endsWith(c) && n.charAt(n.length() - c.length() - 1) == '.';
    }
}
