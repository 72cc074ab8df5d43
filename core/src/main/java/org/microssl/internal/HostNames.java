package org.microssl.internal;

import org.microssl.x509.PathValidator;

/** What a client sends as SNI for its serverHostname. */
final class HostNames {
    private HostNames() {}

    /**
     * The server_name host_name for {@code serverHostname} (RFC 6066 section 3: a DNS host name, no trailing dot, no
     * IP literal), or null to send none. The validator's reading of the same name decides, so the name we send
     * and the name we check the certificate against never disagree: an IP address or a name the validator
     * refuses ("1.2.3.4.", "01.2.3.4", "foo_bar") gets no SNI.
     */
    static String sniHostName(String serverHostname) {
        return PathValidator.dnsReferenceName(serverHostname);
    }
}
