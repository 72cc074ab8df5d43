package org.microssl.internal;

/** Small checks on a serverHostname before it is used for SNI. */
final class HostNames {
    private HostNames() {}

    /** IPv4 dotted quad or an IPv6 literal (contains ':'). */
    static boolean isIpLiteral(String host) {
        if (host.indexOf(':') >= 0) return true;
        String[] parts = host.split("\\.", -1);
        if (parts.length != 4) return false;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3) return false;
            for (int i = 0; i < p.length(); i++) {
                if (p.charAt(i) < '0' || p.charAt(i) > '9') return false;
            }
            if (Integer.parseInt(p) > 255) return false;
        }
        return true;
    }
}
