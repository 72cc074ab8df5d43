package org.microssl.x509;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.microssl.testing.TestPki;
import org.microssl.testing.TestPki.Issued;

/** RFC 5280 section 4.2.1.10 name constraints, one row per rule: root -> constrained CA -> leaf. */
class NameConstraintsTest {

    static GeneralName dns(String s) { return new GeneralName(GeneralName.dNSName, s); }

    static GeneralName email(String s) { return new GeneralName(GeneralName.rfc822Name, s); }

    static GeneralName dn(String s) { return new GeneralName(new X500Name(s)); }

    static GeneralName ip(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) b[i] = (byte) bytes[i];
        return new GeneralName(GeneralName.iPAddress, new DEROctetString(b));
    }

    static GeneralSubtree[] trees(GeneralName... names) {
        if (names.length == 0) return null;
        GeneralSubtree[] t = new GeneralSubtree[names.length];
        for (int i = 0; i < names.length; i++) t[i] = new GeneralSubtree(names[i]);
        return t;
    }

    /** permitted, excluded, leaf subject, leaf SANs ("DNS:..", "IP:..", "EMAIL:.."), expected failure or null. */
    static Arguments row(String why, GeneralName[] permitted, GeneralName[] excluded, String subject, String[] sans,
            Reason expected) {
        return Arguments.of(why, permitted, excluded, subject, sans, expected);
    }

    static GeneralName[] n(GeneralName... g) { return g; }

    static String[] s(String... v) { return v; }

    static Stream<Arguments> rows() {
        Reason nc = Reason.NAME_CONSTRAINT_VIOLATION;
        return Stream.of(
                row("permitted exact", n(dns("example.com")), n(), "CN=a", s("DNS:example.com"), null),
                row("permitted adds labels", n(dns("example.com")), n(), "CN=a", s("DNS:a.b.example.com"), null),
                row("label boundary", n(dns("example.com")), n(), "CN=a", s("DNS:notexample.com"), nc),
                row("case-insensitive", n(dns("EXAMPLE.com")), n(), "CN=a", s("DNS:www.Example.COM"), null),
                row("every SAN must fit", n(dns("example.com")), n(), "CN=a", s("DNS:www.example.com", "DNS:evil.test"), nc),
                row("excluded wins over permitted", n(dns("example.com")), n(dns("example.com")), "CN=a", s("DNS:example.com"), nc),
                row("wildcard inside permitted", n(dns("example.com")), n(), "CN=a", s("DNS:*.example.com"), null),
                row("wildcard wider than permitted (CVE-2025-61727)", n(dns("foo.example.com")), n(), "CN=a", s("DNS:*.example.com"), nc),
                row("wildcard could be the excluded name (CVE-2025-61727)", n(), n(dns("bar.example.com")), "CN=a", s("DNS:*.example.com"), nc),
                row("wildcard cannot reach a deeper exclusion", n(), n(dns("x.bar.example.com")), "CN=a", s("DNS:*.example.com"), null),
                row("other name type is unconstrained", n(ip(192, 0, 2, 0, 255, 255, 255, 0)), n(), "CN=a", s("DNS:example.com"), null),
                row("IPv4 in permitted net", n(ip(192, 0, 2, 0, 255, 255, 255, 0)), n(), "CN=a", s("IP:192.0.2.9"), null),
                row("IPv4 outside permitted net", n(ip(192, 0, 2, 0, 255, 255, 255, 0)), n(), "CN=a", s("IP:192.0.3.9"), nc),
                row("IPv6 constraint does not cover IPv4", n(), n(ip(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)), "CN=a", s("IP:192.0.2.9"), null),
                row("mailbox exact", n(email("user@example.com")), n(), "CN=a", s("EMAIL:user@example.com"), null),
                row("mailbox local part is case-sensitive", n(email("user@example.com")), n(), "CN=a", s("EMAIL:User@example.com"), nc),
                row("host: all mailboxes there", n(email("example.com")), n(), "CN=a", s("EMAIL:any@example.com"), null),
                row("host: not its subdomains", n(email("example.com")), n(), "CN=a", s("EMAIL:any@sub.example.com"), nc),
                row("domain: its subdomains", n(email(".example.com")), n(), "CN=a", s("EMAIL:any@sub.example.com"), null),
                row("subject emailAddress is an rfc822Name", n(email("example.com")), n(), "CN=a,E=x@evil.test", s(), nc),
                row("directoryName prefix", n(dn("O=Org")), n(), "O=Org,CN=leaf", s(), null),
                row("directoryName outside", n(dn("O=Org")), n(), "O=Other,CN=leaf", s(), nc),
                row("excluded directoryName", n(), n(dn("O=Org")), "O=Org,CN=leaf", s(), nc),
                row("invalid constraint: leading period", n(dns(".example.com")), n(), "CN=a", s("DNS:a.example.com"), Reason.MALFORMED),
                row("invalid constraint: wildcard", n(dns("*.example.com")), n(), "CN=a", s("DNS:a.example.com"), Reason.MALFORMED),
                row("invalid constraint: IPv4 mask not a prefix", n(ip(192, 0, 2, 0, 255, 0, 255, 0)), n(), "CN=a", s("IP:192.0.2.1"), Reason.MALFORMED),
                row("invalid constraint: two @", n(email("a@b@example.com")), n(), "CN=a", s("EMAIL:a@example.com"), Reason.MALFORMED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void constraints(String why, GeneralName[] permitted, GeneralName[] excluded, String subject, String[] sans,
            Reason expected) throws Exception {
        Issued ca = PathValidatorTest.ca("CN=Constrained CA", PathValidatorTest.ROOT, 0)
                .extension(Extension.nameConstraints, true, new NameConstraints(trees(permitted), trees(excluded))).build();
        TestPki.Builder b = TestPki.cert().subject(subject).issuer(ca)
                .validity(PathValidatorTest.LEAF_FROM, PathValidatorTest.LEAF_TO);
        for (String san : sans) b.san(san);
        Issued leaf = b.build();
        List<byte[]> chain = new ArrayList<>();
        chain.add(leaf.der);
        chain.add(ca.der);
        PathValidator v = PathValidatorTest.validator(PathValidatorTest.NOW, PathValidatorTest.ROOT);
        if (expected == null) {
            v.verify(chain, Purpose.SERVER_AUTH, null);
        } else {
            CertificateRejectedException e = assertThrows(CertificateRejectedException.class,
                    () -> v.verify(chain, Purpose.SERVER_AUTH, null));
            assertEquals(expected, e.reason(), e.getMessage());
        }
    }
}
