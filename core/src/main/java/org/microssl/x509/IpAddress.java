package org.microssl.x509;

import java.util.Locale;

/**
 * Hand-written on purpose: stricter than {@code InetAddress} and BouncyCastle's {@code IPAddress} (no name lookup,
 * no leading zeros, short IPv4 forms or zone ids).
 *
 * <p>Textual IPv4 (dotted decimal, RFC 3986 section 3.2.2) and IPv6 (RFC 4291 section 2.2) addresses. Public only
 * for {@code org.microssl.internal} (getpeercert's addresses); not API.
 */
public final class IpAddress {
    private IpAddress() {}

    /** @return 4 or 16 bytes, or null if {@code s} is not a valid address */
    static byte[] parse(String s) {
        if (s == null || s.isEmpty()) return null;
        if (s.indexOf(':') >= 0) return parseV6(s);
        return parseV4(s);
    }

    static byte[] parseV4(String s) {
        byte[] out = new byte[4];
        int part = 0;
        int i = 0;
        int n = s.length();
        while (part < 4) {
            int start = i;
            int v = 0;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                v = v * 10 + (s.charAt(i) - '0');
                i++;
                if (i - start > 3) return null;
            }
            int len = i - start;
            // no empty parts, no leading zeros (octal ambiguity), each part at most 255
            if (len == 0 || (len > 1 && s.charAt(start) == '0') || v > 255) return null;
            out[part++] = (byte) v;
            if (part < 4) {
                if (i >= n || s.charAt(i) != '.') return null;
                i++;
            }
        }
        return i == n ? out : null;
    }

    static byte[] parseV6(String s) {
        byte[] out = new byte[16];
        int n = s.length();
        int gap = -1; // index in out where "::" was
        int pos = 0;
        int i = 0;
        if (s.startsWith("::")) {
            gap = 0;
            i = 2;
            if (i == n) return out;
        } else if (s.startsWith(":")) {
            return null;
        }
        while (i < n) {
            if (pos >= 16) return null;
            int start = i;
            int v = 0;
            while (i < n && Character.digit(s.charAt(i), 16) >= 0 && i - start < 4) {
                v = (v << 4) | Character.digit(s.charAt(i), 16);
                i++;
            }
            if (i < n && s.charAt(i) == '.') {
                // trailing embedded IPv4, e.g. ::ffff:192.0.2.1
                if (pos > 12) return null;
                byte[] v4 = parseV4(s.substring(start));
                if (v4 == null) return null;
                System.arraycopy(v4, 0, out, pos, 4);
                pos += 4;
                i = n;
                break;
            }
            if (i == start) return null;
            out[pos++] = (byte) (v >> 8);
            out[pos++] = (byte) v;
            if (i == n) break;
            if (s.charAt(i) != ':') return null;
            i++;
            if (i < n && s.charAt(i) == ':') {
                if (gap >= 0) return null; // only one "::"
                gap = pos;
                i++;
                if (i == n) break;
            } else if (i == n) {
                return null; // trailing single ':'
            }
        }
        if (gap < 0) return pos == 16 ? out : null;
        if (pos == 16) return null; // "::" must stand for at least one group
        int tail = pos - gap;
        System.arraycopy(out, gap, out, 16 - tail, tail);
        for (int k = gap; k < 16 - tail; k++) out[k] = 0;
        return out;
    }

    /** Canonical text: dotted decimal, or RFC 5952 section 4 (lowercase, longest zero run compressed); or null. */
    static String format(byte[] a) {
        if (a.length == 4) return dotted(a);
        if (a.length != 16) return null;
        int[] g = groups(a);
        int bestStart = -1;
        int bestLen = 1; // a single zero group is not compressed (RFC 5952 section 4.2.2)
        for (int k = 0; k < 8; ) {
            if (g[k] != 0) {
                k++;
                continue;
            }
            int j = k;
            while (j < 8 && g[j] == 0) j++;
            if (j - k > bestLen) {
                bestStart = k;
                bestLen = j - k;
            }
            k = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < 8; k++) {
            if (k == bestStart) {
                sb.append("::");
                k += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') sb.append(':');
            sb.append(Integer.toHexString(g[k]));
        }
        return sb.toString();
    }

    /**
     * As OpenSSL prints a subjectAltName iPAddress, which CPython's {@code getpeercert()} shows: dotted decimal, or
     * eight upper-case hex groups, uncompressed ("2001:DB8:0:0:0:0:0:1"); null for a length that is neither.
     */
    public static String formatOpenSsl(byte[] a) {
        if (a.length == 4) return dotted(a);
        if (a.length != 16) return null;
        StringBuilder sb = new StringBuilder();
        for (int g : groups(a)) {
            if (sb.length() > 0) sb.append(':');
            sb.append(Integer.toHexString(g).toUpperCase(Locale.ROOT));
        }
        return sb.toString();
    }

    private static String dotted(byte[] a) {
        return (a[0] & 255) + "." + (a[1] & 255) + "." + (a[2] & 255) + "." + (a[3] & 255);
    }

    /** The eight 16-bit groups of an IPv6 address. */
    private static int[] groups(byte[] a) {
        int[] g = new int[8];
        for (int k = 0; k < 8; k++) g[k] = ((a[2 * k] & 255) << 8) | (a[2 * k + 1] & 255);
        return g;
    }
}
