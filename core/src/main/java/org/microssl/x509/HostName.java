package org.microssl.x509;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.GeneralName;

/**
 * Host names (RFC 6125 section 6; CA/B BR: subjectAltName only, never the subject common name): how the name the
 * application asked for is read (an IP literal or a DNS name; the TLS client's SNI uses the same reading), DNS
 * name syntax, and matching against the peer certificate's subjectAltName. After rustls-webpki's
 * {@code src/subject_name/}.
 */
final class HostName {
    private HostName() {}

    /**
     * @return null if the peer's certificate names {@code expectedName} in its subjectAltName, otherwise why not
     *     (the names it does hold, or why {@code expectedName} itself cannot be a host name)
     */
    /** The DNS names and IP addresses {@code leaf}'s subjectAltName holds, as text. */
    static List<String> presented(ParsedCertificate leaf) {
        List<String> presented = new ArrayList<String>();
        if (leaf.subjectAltNames == null) return presented;
        for (GeneralName g : leaf.subjectAltNames) {
            if (g.getTagNo() == GeneralName.iPAddress) {
                String s = IpAddress.format(ASN1OctetString.getInstance(g.getName()).getOctets());
                presented.add(s != null ? s : "(invalid iPAddress)");
            } else if (g.getTagNo() == GeneralName.dNSName) {
                presented.add(ASN1IA5String.getInstance(g.getName()).getString());
            }
        }
        return presented;
    }

    static String mismatch(ParsedCertificate leaf, String expectedName) {
        byte[] ip = ipReference(expectedName);
        String dns = ip == null ? dnsReference(expectedName) : null;
        List<String> presented = new ArrayList<String>();
        if (leaf.subjectAltNames != null) {
            for (GeneralName g : leaf.subjectAltNames) {
                if (g.getTagNo() == GeneralName.iPAddress) {
                    byte[] a = ASN1OctetString.getInstance(g.getName()).getOctets();
                    if (ip != null && Arrays.equals(a, ip)) return null;
                    String s = IpAddress.format(a);
                    presented.add(s != null ? s : "(invalid iPAddress)");
                } else if (g.getTagNo() == GeneralName.dNSName) {
                    String d = ASN1IA5String.getInstance(g.getName()).getString();
                    if (dns != null && dnsNameMatches(d, dns)) return null;
                    presented.add(d);
                }
            }
        }
        if (leaf.subjectAltNames == null) {
            return "the certificate has no subjectAltName, so it names no host (the subject common name is never"
                    + " used); expected " + expectedName;
        }
        if (ip == null && dns == null) {
            boolean ascii = true;
            for (int i = 0; i < expectedName.length(); i++) ascii &= expectedName.charAt(i) < 0x80;
            return "'" + expectedName + "' is neither a valid DNS name nor an IP address"
                    + (ascii ? "" : " (give internationalized names in their ASCII xn-- form)")
                    + (ascii && endsInNumber(stripDot(expectedName))
                            ? " (a numeric last label reads as IPv4; IPv4 is four decimal parts, no leading zeros)"
                            : "");
        }
        StringBuilder sb = new StringBuilder("the certificate is valid for ");
        if (presented.isEmpty()) sb.append("no DNS name or IP address");
        for (int i = 0; i < presented.size() && i < 10; i++) {
            if (i > 0) sb.append(", ");
            sb.append(presented.get(i));
        }
        if (presented.size() > 10) sb.append(", ...");
        return sb.append(", not ").append(expectedName).toString();
    }

    /**
     * {@code expectedName} read as a DNS name: without its trailing dot, or null when it is an IP address (IPv4,
     * IPv6, or bracketed IPv6) or is neither an IP address nor a valid DNS name. See
     * {@link PathValidator#dnsReferenceName}.
     */
    static String dnsReference(String expectedName) {
        if (expectedName == null || ipReference(expectedName) != null) return null;
        // an absolute name "example.com." is the same host (RFC 1034 section 3.1)
        String name = stripDot(expectedName);
        if (!isValidDnsName(name, false)) return null;
        // A numeric last label is an IPv4 attempt, not a host name (RFC 3696 section 2: no all-numeric TLD; the
        // WHATWG URL host parser reads "1.2.3.4." and "01.2.3.4" as IPv4). We parse neither as IPv4 (the trailing
        // dot and the octal-looking zero are ambiguous), so such a name is refused, never matched as DNS.
        return endsInNumber(name) ? null : name;
    }

    /** The address in {@code expectedName}: IPv4, IPv6, or IPv6 in brackets (RFC 3986 section 3.2.2); or null. */
    private static byte[] ipReference(String expectedName) {
        String name = expectedName;
        if (name.startsWith("[") && name.endsWith("]")) {
            byte[] v6 = IpAddress.parse(name.substring(1, name.length() - 1));
            return v6 != null && v6.length == 16 ? v6 : null;
        }
        return IpAddress.parse(name);
    }

    /** Whether the last label is decimal digits or "0x" and hex digits (WHATWG URL's "ends in a number"). */
    private static boolean endsInNumber(String name) {
        String last = name.substring(name.lastIndexOf('.') + 1);
        if (last.isEmpty()) return false;
        boolean hex = last.length() >= 2 && last.charAt(0) == '0' && (last.charAt(1) == 'x' || last.charAt(1) == 'X');
        for (int i = hex ? 2 : 0; i < last.length(); i++) {
            if (Character.digit(last.charAt(i), hex ? 16 : 10) < 0) return false;
        }
        return true;
    }

    private static String stripDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
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

    /** ASCII lower case: DNS names compare case-insensitively (RFC 4343), never by the default locale. */
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
}
