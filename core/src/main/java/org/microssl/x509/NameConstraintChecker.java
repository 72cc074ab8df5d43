package org.microssl.x509;

import java.io.IOException;
import java.util.Arrays;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.NameConstraints;

/**
 * Hand-written on purpose: BouncyCastle's PKIXNameConstraintValidator has no comparison budget and reads a wildcard
 * dNSName as a literal name (CVE-2025-61727).
 *
 * <p>RFC 5280 section 4.2.1.10 name constraints for dNSName, iPAddress, rfc822Name and directoryName. A name of a
 * form we do not process (otherName, URI, ...) fails when a constraint of that form exists, as the RFC requires
 * of an implementation that does not process it.
 */
final class NameConstraintChecker {
    private final GeneralName[] permitted;
    private final GeneralName[] excluded;

    private NameConstraintChecker(GeneralName[] permitted, GeneralName[] excluded) {
        this.permitted = permitted;
        this.excluded = excluded;
    }

    /**
     * Validates the extension (RFC 5280 section 4.2.1.10) and its constraint values; done once per certificate,
     * when it is parsed.
     *
     * @throws IOException naming the malformed part
     */
    static NameConstraintChecker of(NameConstraints nc) throws IOException {
        GeneralSubtree[] p = nc.getPermittedSubtrees();
        GeneralSubtree[] e = nc.getExcludedSubtrees();
        // "the permittedSubtrees or the excludedSubtrees MUST be present" and each is SIZE (1..MAX)
        if ((p == null || p.length == 0) && (e == null || e.length == 0)) {
            throw new IOException("nameConstraints has neither permitted nor excluded subtrees");
        }
        if ((p != null && p.length == 0) || (e != null && e.length == 0)) {
            throw new IOException("nameConstraints has an empty list of subtrees");
        }
        return new NameConstraintChecker(bases(p), bases(e));
    }

    private static GeneralName[] bases(GeneralSubtree[] subtrees) throws IOException {
        if (subtrees == null) return new GeneralName[0];
        GeneralName[] out = new GeneralName[subtrees.length];
        for (int i = 0; i < subtrees.length; i++) {
            GeneralSubtree s = subtrees[i];
            // "minimum MUST be zero, and maximum MUST be absent"
            if (s.getMinimum().signum() != 0 || s.getMaximum() != null) {
                throw new IOException("name constraint with minimum/maximum (RFC 5280: MUST be 0 and absent)");
            }
            out[i] = s.getBase();
            validateConstraint(out[i]);
        }
        return out;
    }

    private static void validateConstraint(GeneralName g) throws IOException {
        switch (g.getTagNo()) {
            case GeneralName.dNSName: {
                String c = ia5(g);
                // a DNS constraint is a host name; no wildcards and no leading period (those are URI syntax)
                if (!c.isEmpty() && !HostName.isValidDnsName(c, false)) {
                    throw new IOException("dNSName constraint '" + c + "' is not a valid DNS name");
                }
                break;
            }
            case GeneralName.iPAddress: {
                byte[] b = ASN1OctetString.getInstance(g.getName()).getOctets();
                if (b.length != 8 && b.length != 32) {
                    throw new IOException("iPAddress constraint of " + b.length + " bytes (expected address and mask, 8 or 32)");
                }
                if (!contiguousMask(b, b.length / 2)) throw new IOException("iPAddress constraint mask is not a CIDR prefix");
                break;
            }
            case GeneralName.rfc822Name: {
                String c = ia5(g);
                int at = c.indexOf('@');
                String host = at >= 0 ? c.substring(at + 1) : (c.startsWith(".") ? c.substring(1) : c);
                if (at != c.lastIndexOf('@') || at == 0 || !HostName.isValidDnsName(host, false)) {
                    throw new IOException("rfc822Name constraint '" + c + "' is not a mailbox, host or domain");
                }
                break;
            }
            default:
                break;
        }
    }

    private static boolean contiguousMask(byte[] b, int off) {
        boolean zeroSeen = false;
        for (int i = off; i < b.length; i++) {
            for (int bit = 7; bit >= 0; bit--) {
                boolean one = ((b[i] >> bit) & 1) != 0;
                if (one && zeroSeen) return false;
                if (!one) zeroSeen = true;
            }
        }
        return true;
    }

    private static String ia5(GeneralName g) {
        return ASN1IA5String.getInstance(g.getName()).getString();
    }

    /**
     * Checks every name of {@code cert}: its subject (as a directoryName, and its emailAddress attributes as
     * rfc822Names) and every subjectAltName.
     *
     * @return null if all names are allowed, otherwise what is wrong
     */
    String check(ParsedCertificate cert, Budget budget) throws Budget.Exceeded {
        X500Name subject = cert.subject;
        if (subject.getRDNs().length > 0) {
            String r = checkName(GeneralName.directoryName, subject, null, budget);
            if (r != null) return r;
            for (RDN rdn : subject.getRDNs()) {
                for (AttributeTypeAndValue ava : rdn.getTypesAndValues()) {
                    if (PKCSObjectIdentifiers.pkcs_9_at_emailAddress.equals(ava.getType())) {
                        String mail;
                        try {
                            mail = ASN1IA5String.getInstance(ava.getValue()).getString();
                        } catch (RuntimeException e) {
                            return "subject emailAddress is not an IA5String";
                        }
                        r = checkName(GeneralName.rfc822Name, null, mail, budget);
                        if (r != null) return r;
                    }
                }
            }
        }
        if (cert.subjectAltNames != null) {
            for (GeneralName g : cert.subjectAltNames) {
                String r;
                switch (g.getTagNo()) {
                    case GeneralName.dNSName:
                    case GeneralName.rfc822Name:
                        r = checkName(g.getTagNo(), null, ia5(g), budget);
                        break;
                    case GeneralName.iPAddress:
                        r = checkName(g.getTagNo(), ASN1OctetString.getInstance(g.getName()).getOctets(), null, budget);
                        break;
                    case GeneralName.directoryName:
                        r = checkName(g.getTagNo(), X500Name.getInstance(g.getName()), null, budget);
                        break;
                    default:
                        r = checkUnprocessed(g.getTagNo());
                        break;
                }
                if (r != null) return r;
            }
        }
        return null;
    }

    private String checkUnprocessed(int tag) {
        for (GeneralName c : permitted) if (c.getTagNo() == tag) return "a name constraint of form " + tag + " cannot be processed";
        for (GeneralName c : excluded) if (c.getTagNo() == tag) return "a name constraint of form " + tag + " cannot be processed";
        return null;
    }

    private String checkName(int tag, Object value, String text, Budget budget) throws Budget.Exceeded {
        boolean anyPermittedOfType = false;
        boolean permittedMatch = false;
        for (GeneralName c : permitted) {
            if (c.getTagNo() != tag) continue;
            anyPermittedOfType = true;
            budget.spendNameComparison();
            int m = matches(tag, value, text, c, false);
            if (m < 0) return "name '" + describe(tag, value, text) + "' is malformed and cannot be checked";
            if (m > 0) {
                permittedMatch = true;
                break;
            }
        }
        if (anyPermittedOfType && !permittedMatch) {
            return "name '" + describe(tag, value, text) + "' is not in any permitted subtree";
        }
        for (GeneralName c : excluded) {
            if (c.getTagNo() != tag) continue;
            budget.spendNameComparison();
            int m = matches(tag, value, text, c, true);
            if (m < 0) return "name '" + describe(tag, value, text) + "' is malformed and cannot be checked";
            if (m > 0) return "name '" + describe(tag, value, text) + "' is in excluded subtree '" + describe(tag, c) + "'";
        }
        return null;
    }

    /** @return 1 match, 0 no match, -1 malformed name */
    private static int matches(int tag, Object value, String text, GeneralName c, boolean excluding) {
        switch (tag) {
            case GeneralName.dNSName: return dnsMatches(text, ia5(c), excluding);
            case GeneralName.iPAddress: return ipMatches((byte[]) value, ASN1OctetString.getInstance(c.getName()).getOctets());
            case GeneralName.rfc822Name: return emailMatches(text, ia5(c));
            case GeneralName.directoryName: return dnMatches((X500Name) value, X500Name.getInstance(c.getName())) ? 1 : 0;
            default: return 0;
        }
    }

    /**
     * A wildcard SAN "*.base" stands for every name one label under base. For a permitted subtree all of them
     * must be inside it (base within the subtree); for an excluded one, any overlap counts, so that
     * "*.example.com" is rejected under an exclusion of "bar.example.com" (CVE-2025-61727).
     */
    private static int dnsMatches(String name, String constraint, boolean excluding) {
        if (!HostName.isValidDnsName(name, true)) return -1;
        if (!name.startsWith("*.")) return dnsWithinSubtree(name, constraint) ? 1 : 0;
        String base = name.substring(2);
        if (dnsWithinSubtree(base, constraint)) return 1;
        if (!excluding) return 0;
        // the constraint is exactly one label under base: the wildcard can produce it
        int dot = constraint.indexOf('.');
        return dot > 0 && HostName.lower(constraint.substring(dot + 1)).equals(HostName.lower(base)) ? 1 : 0;
    }

    /**
     * Whether DNS name {@code name} is within the subtree {@code constraint} (RFC 5280 section 4.2.1.10): equal
     * to it or formed by adding labels on the left. An empty constraint contains every name.
     */
    static boolean dnsWithinSubtree(String name, String constraint) {
        if (constraint.isEmpty()) return true;
        String n = HostName.lower(name);
        String c = HostName.lower(constraint);
        if (n.equals(c)) return true;
        return n.endsWith(c) && n.charAt(n.length() - c.length() - 1) == '.';
    }

    private static int ipMatches(byte[] addr, byte[] constraint) {
        if (addr.length != 4 && addr.length != 16) return -1;
        if (constraint.length != addr.length * 2) return 0; // IPv4 constraints do not apply to IPv6 and back
        int n = addr.length;
        for (int i = 0; i < n; i++) {
            byte mask = constraint[n + i];
            if ((addr[i] & mask) != (constraint[i] & mask)) return 0;
        }
        return 1;
    }

    /** RFC 5280 section 4.2.1.10: a mailbox, all mailboxes at a host, or ".domain" for hosts under a domain. */
    private static int emailMatches(String mail, String constraint) {
        int at = mail.indexOf('@');
        if (at <= 0 || at != mail.lastIndexOf('@')) return -1;
        String local = mail.substring(0, at);
        String host = mail.substring(at + 1);
        if (!HostName.isValidDnsName(host, false)) return -1;
        int cat = constraint.indexOf('@');
        if (cat >= 0) {
            // the local part is case-sensitive (RFC 5321 section 2.4), the host is not
            return local.equals(constraint.substring(0, cat))
                    && HostName.lower(host).equals(HostName.lower(constraint.substring(cat + 1))) ? 1 : 0;
        }
        if (constraint.startsWith(".")) {
            String h = HostName.lower(host);
            return h.endsWith(HostName.lower(constraint)) ? 1 : 0;
        }
        return HostName.lower(host).equals(HostName.lower(constraint)) ? 1 : 0;
    }

    /** directoryName: the constraint's RDNs are a prefix of the name's (compared as DER). */
    private static boolean dnMatches(X500Name name, X500Name constraint) {
        RDN[] n = name.getRDNs();
        RDN[] c = constraint.getRDNs();
        if (c.length > n.length) return false;
        try {
            for (int i = 0; i < c.length; i++) {
                if (!Arrays.equals(n[i].getEncoded(ASN1Encoding.DER), c[i].getEncoded(ASN1Encoding.DER))) return false;
            }
        } catch (IOException e) {
            return false;
        }
        return true;
    }

    private static String describe(int tag, Object value, String text) {
        if (text != null) return text;
        if (value instanceof byte[]) {
            String s = IpAddress.format((byte[]) value);
            return s != null ? s : "(invalid address)";
        }
        if (value instanceof X500Name) return Names.rfc4514((X500Name) value);
        return String.valueOf(value);
    }

    private static String describe(int tag, GeneralName c) {
        if (tag == GeneralName.dNSName || tag == GeneralName.rfc822Name) return ia5(c);
        if (tag == GeneralName.iPAddress) {
            byte[] b = ASN1OctetString.getInstance(c.getName()).getOctets();
            int n = b.length / 2;
            byte[] a = Arrays.copyOf(b, n);
            int bits = 0;
            for (int i = n; i < b.length; i++) bits += Integer.bitCount(b[i] & 0xff);
            return IpAddress.format(a) + "/" + bits;
        }
        if (tag == GeneralName.directoryName) return Names.rfc4514(X500Name.getInstance(c.getName()));
        return c.toString();
    }

}
