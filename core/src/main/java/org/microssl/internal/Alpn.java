package org.microssl.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Vector;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.ProtocolName;
import org.bouncycastle.tls.SecurityParameters;
import org.bouncycastle.tls.TlsFatalAlert;

/** Application-Layer Protocol Negotiation (RFC 7301): the names we offer or accept, and the server's choice. */
public final class Alpn {
    private Alpn() {}

    /**
     * CPython's {@code set_alpn_protocols} checks: each name 1 to 255 bytes (RFC 7301 section 3.1,
     * {@code opaque ProtocolName<1..2^8-1>}), the list within {@code ProtocolName protocol_name_list<2..2^16-1>}.
     *
     * @return a copy of {@code names}, checked
     * @throws IllegalArgumentException naming the offending entry
     */
    public static String[] check(String... names) {
        if (names == null || names.length == 0) {
            throw new IllegalArgumentException("ALPN protocols: the list is empty (give at least one name)");
        }
        int total = 0;
        String[] out = new String[names.length];
        for (int i = 0; i < names.length; i++) {
            if (names[i] == null) throw new IllegalArgumentException("ALPN protocols: entry " + i + " is null");
            int length = names[i].getBytes(StandardCharsets.UTF_8).length;
            if (length < 1 || length > 255) {
                throw new IllegalArgumentException("ALPN protocols must be 1 to 255 bytes long; entry " + i
                        + " is " + length + " bytes");
            }
            total += 1 + length;
            out[i] = names[i];
        }
        if (total > 0xffff) {
            throw new IllegalArgumentException("ALPN protocols: the list is " + total + " bytes, more than 65535");
        }
        return out;
    }

    /** BouncyCastle's form of the names, or null for none (no extension is sent, or no choice is made). */
    static Vector<ProtocolName> protocolNames(String[] names) {
        if (names == null) return null;
        Vector<ProtocolName> v = new Vector<ProtocolName>(names.length);
        for (String name : names) v.addElement(ProtocolName.asUtf8Encoding(name));
        return v;
    }

    /**
     * The server's choice: its own first name that the client offered (server preference, as OpenSSL's
     * {@code s_server -alpn} and nginx choose).
     *
     * @throws TlsFatalAlert no_application_protocol when none is common (RFC 7301 section 3.2), naming both lists
     */
    static ProtocolName select(Vector<?> clientNames, Vector<?> serverNames) throws IOException {
        for (Object name : serverNames) {
            if (clientNames.contains(name)) return (ProtocolName) name;
        }
        throw new TlsFatalAlert(AlertDescription.no_application_protocol, "no common application protocol: the "
                + "client offered " + describe(clientNames) + ", this server accepts " + describe(serverNames)
                + " (RFC 7301 section 3.2)");
    }

    /** The negotiated protocol, or null if none. */
    public static String selected(SecurityParameters parameters) {
        if (parameters == null) return null;
        ProtocolName name = parameters.getApplicationProtocol();
        return name == null ? null : new String(name.getBytes(), StandardCharsets.UTF_8);
    }

    /** At most 8 names, each as printable text (a peer's bytes may be anything). */
    private static String describe(Vector<?> names) {
        List<String> out = new ArrayList<String>();
        for (Object o : names) {
            if (out.size() == 8) {
                out.add("... (" + names.size() + " in all)");
                break;
            }
            out.add(Printable.text(((ProtocolName) o).getBytes(), 64));
        }
        return out.toString();
    }
}
