package org.microssl.x509;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.microssl.Backends;
import org.microssl.spi.Clock;
import org.microssl.spi.SignatureVerifier;
import org.microssl.testing.TestPki;
import org.microssl.testing.TestPki.Issued;
import org.microssl.testing.TestPki.KeyType;

/** The validator against chains built here, with a pinned clock. */
class PathValidatorTest {

    // every certificate below is valid 2020..2040 unless a row says otherwise; the clock is pinned inside that
    static final Instant CA_FROM = Instant.parse("2020-01-01T00:00:00Z");
    static final Instant CA_TO = Instant.parse("2040-01-01T00:00:00Z");
    static final Instant LEAF_FROM = Instant.parse("2030-01-01T00:00:00Z");
    static final Instant LEAF_TO = Instant.parse("2030-12-31T00:00:00Z");
    static final Instant NOW = Instant.parse("2030-06-01T12:00:00Z");

    static final SignatureVerifier VERIFIER = Backends.lightweight().signatureVerifier();

    // one shared PKI for most rows: key generation is the slow part
    static final Issued ROOT = ca("CN=Test Root", null, -1).build();
    static final Issued INTERMEDIATE = ca("CN=Test Intermediate", ROOT, 0).build();
    static final Issued LEAF = leaf(INTERMEDIATE).build();
    private static Issued rsaRoot;

    static synchronized Issued rsaRoot() {
        if (rsaRoot == null) rsaRoot = ca("CN=RSA Root", null, -1).key(KeyType.RSA_2048).build();
        return rsaRoot;
    }

    private static Issued rootWithoutSki;

    /** A root without key identifiers; the certificates it issues carry an AKI (the SHA-1 of its key), as usual. */
    static synchronized Issued rootWithoutSki() {
        if (rootWithoutSki == null) rootWithoutSki = ca("CN=Root Without SKI", null, -1).noKeyIdentifiers().build();
        return rootWithoutSki;
    }

    static TestPki.Builder ca(String subject, Issued issuer, int pathLen) {
        TestPki.Builder b = TestPki.cert().subject(subject).key(KeyType.EC_P256).ca(pathLen).validity(CA_FROM, CA_TO);
        return issuer == null ? b : b.issuer(issuer);
    }

    static TestPki.Builder leaf(Issued issuer) {
        return TestPki.cert().subject("CN=server").key(KeyType.EC_P256).issuer(issuer).validity(LEAF_FROM, LEAF_TO)
                .san("DNS:server.test").san("IP:192.0.2.7").eku(KeyPurposeId.id_kp_serverAuth);
    }

    static Clock at(Instant t) {
        long ms = t.toEpochMilli();
        return () -> ms;
    }

    static PathValidator validator(Instant now, Issued... anchors) {
        List<byte[]> ders = new ArrayList<>();
        for (Issued a : anchors) ders.add(a.der);
        return new PathValidator(ders, VERIFIER, at(now));
    }

    static List<byte[]> ders(Issued... certs) {
        List<byte[]> l = new ArrayList<>();
        for (Issued c : certs) l.add(c.der);
        return l;
    }

    static CertificateRejectedException rejected(PathValidator v, List<byte[]> chain, String name) {
        return assertThrows(CertificateRejectedException.class, () -> v.verify(chain, Purpose.SERVER_AUTH, name));
    }

    @Test
    void validChainReturnsPathLeafFirstEndingAtTheAnchor() throws Exception {
        List<byte[]> path = validator(NOW, ROOT).verify(ders(LEAF, INTERMEDIATE), Purpose.SERVER_AUTH, "server.test");
        assertEquals(3, path.size());
        assertArrayEquals(LEAF.der, path.get(0));
        assertArrayEquals(INTERMEDIATE.der, path.get(1));
        assertArrayEquals(ROOT.der, path.get(2));
    }

    // ---- dates: one second either side of notBefore and notAfter (RFC 5280 4.1.2.5: both inclusive)

    static Stream<Arguments> dates() {
        return Stream.of(
                Arguments.of("1 s before notBefore", LEAF_FROM.minusSeconds(1), Reason.NOT_YET_VALID),
                Arguments.of("at notBefore", LEAF_FROM, null),
                Arguments.of("1 s after notBefore", LEAF_FROM.plusSeconds(1), null),
                Arguments.of("1 s before notAfter", LEAF_TO.minusSeconds(1), null),
                Arguments.of("at notAfter", LEAF_TO, null),
                Arguments.of("999 ms after notAfter (seconds precision)", LEAF_TO.plusMillis(999), null),
                Arguments.of("1 s after notAfter", LEAF_TO.plusSeconds(1), Reason.EXPIRED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dates")
    void validityIsInclusiveToTheSecond(String row, Instant now, Reason expected) throws Exception {
        PathValidator v = validator(now, ROOT);
        if (expected == null) {
            v.verify(ders(LEAF, INTERMEDIATE), Purpose.SERVER_AUTH, "server.test");
        } else {
            CertificateRejectedException e = rejected(v, ders(LEAF, INTERMEDIATE), "server.test");
            assertEquals(expected, e.reason(), e.getMessage());
            assertEquals(0, e.depth());
        }
    }

    @Test
    void expiryMessageNamesBothTimesAndTheCertificate() {
        CertificateRejectedException e = rejected(validator(Instant.parse("2031-02-01T00:00:00Z"), ROOT),
                ders(LEAF, INTERMEDIATE), "server.test");
        assertEquals(Reason.EXPIRED, e.reason());
        assertEquals("CN=server", e.subject());
        assertEquals("now 2031-02-01T00:00:00Z is after notAfter 2030-12-31T00:00:00Z", e.detail());
        assertEquals("EXPIRED: depth 0 (CN=server): now 2031-02-01T00:00:00Z is after notAfter 2030-12-31T00:00:00Z",
                e.getMessage());
        // the same facts, typed (Go's CertificateInvalidError, webpki's CertExpired { time, not_after })
        assertEquals(Instant.parse("2031-02-01T00:00:00Z").toEpochMilli(), e.now().longValue());
        assertEquals(LEAF_FROM.toEpochMilli(), e.notBefore().longValue());
        assertEquals(LEAF_TO.toEpochMilli(), e.notAfter().longValue());
        org.junit.jupiter.api.Assertions.assertArrayEquals(LEAF.der, e.certificate());
        org.junit.jupiter.api.Assertions.assertNull(e.expectedName());
    }

    @Test
    void hostnameMismatchNamesBothSides() {
        CertificateRejectedException e = rejected(validator(LEAF_FROM.plusSeconds(60), ROOT),
                ders(LEAF, INTERMEDIATE), "other.test");
        assertEquals(Reason.HOSTNAME_MISMATCH, e.reason());
        assertEquals("other.test", e.expectedName());
        assertEquals(java.util.Arrays.asList("server.test", "192.0.2.7"), e.presentedNames());
        org.junit.jupiter.api.Assertions.assertArrayEquals(LEAF.der, e.certificate());
        org.junit.jupiter.api.Assertions.assertNull(e.now());
    }

    @Test
    void unsetClockFailsAndSaysHowToFixIt() {
        PathValidator v = new PathValidator(ders(ROOT), VERIFIER, () -> Clock.TIME_UNKNOWN);
        CertificateRejectedException e = rejected(v, ders(LEAF, INTERMEDIATE), "server.test");
        assertEquals(Reason.CLOCK_NOT_SET, e.reason());
        assertTrue(e.getMessage().contains("real-time clock") && e.getMessage().contains("SNTP"), e.getMessage());
    }

    // ---- one chain for every reason

    /** A case: what to build, and the reason it must be rejected with. */
    static Arguments reasonRow(Reason reason, String why, Supplier<Object[]> scenario) {
        return Arguments.of(reason, why, scenario);
    }

    static Stream<Arguments> everyReason() {
        return Stream.of(
                reasonRow(Reason.EXPIRED, "intermediate expired, the only path", () -> {
                    Issued i = ca("CN=Old Intermediate", ROOT, 0).validity(CA_FROM, NOW.minusSeconds(1)).build();
                    return new Object[] {ders(leaf(i).build(), i), ROOT, "server.test"};
                }),
                reasonRow(Reason.NOT_YET_VALID, "intermediate not yet valid", () -> {
                    Issued i = ca("CN=Future Intermediate", ROOT, 0).validity(NOW.plusSeconds(1), CA_TO).build();
                    return new Object[] {ders(leaf(i).build(), i), ROOT, "server.test"};
                }),
                reasonRow(Reason.UNKNOWN_ISSUER, "missing intermediate", () ->
                        new Object[] {ders(LEAF), ROOT, "server.test"}),
                reasonRow(Reason.UNKNOWN_ISSUER, "unknown root", () -> {
                    Issued otherRoot = ca("CN=Other Root", null, -1).build();
                    return new Object[] {ders(LEAF, INTERMEDIATE), otherRoot, "server.test"};
                }),
                reasonRow(Reason.BAD_SIGNATURE, "leaf signature altered", () -> {
                    byte[] bad = LEAF.der.clone();
                    bad[bad.length - 5] ^= 0x01;
                    return new Object[] {Arrays.asList(bad, INTERMEDIATE.der), ROOT, "server.test"};
                }),
                reasonRow(Reason.BAD_SIGNATURE, "right names, wrong key", () -> {
                    Issued impostor = ca("CN=Test Intermediate", ROOT, 0).build(); // same subject, new key
                    return new Object[] {ders(LEAF, impostor), ROOT, "server.test"};
                }),
                reasonRow(Reason.UNKNOWN_ISSUER, "another CA with the trust anchor's name (MicroPython's unknown CA)", () -> {
                    Issued sameName = ca("CN=Test Root", null, -1).build(); // same subject as ROOT, its own key
                    return new Object[] {ders(leaf(sameName).build()), ROOT, "server.test"};
                }),
                reasonRow(Reason.UNKNOWN_ISSUER, "another CA with the trust anchor's name, sending its own root", () -> {
                    Issued sameName = ca("CN=Test Root", null, -1).build();
                    Issued i = ca("CN=Test Intermediate", sameName, 0).build();
                    return new Object[] {ders(leaf(i).build(), i, sameName), ROOT, "server.test"};
                }),
                reasonRow(Reason.BAD_SIGNATURE, "altered certificate under the anchor its authorityKeyIdentifier names", () -> {
                    byte[] bad = leaf(ROOT).build().der;
                    bad[bad.length - 5] ^= 0x01;
                    return new Object[] {Collections.singletonList(bad), ROOT, "server.test"};
                }),
                reasonRow(Reason.BAD_SIGNATURE, "altered certificate under an anchor without subjectKeyIdentifier (key hash)", () -> {
                    byte[] bad = leaf(rootWithoutSki()).build().der;
                    bad[bad.length - 5] ^= 0x01;
                    return new Object[] {Collections.singletonList(bad), rootWithoutSki(), "server.test"};
                }),
                reasonRow(Reason.NOT_A_CA, "issuer without cA", () -> {
                    Issued notCa = TestPki.cert().subject("CN=Not A CA").issuer(ROOT).validity(CA_FROM, CA_TO)
                            .keyUsage(KeyUsage.digitalSignature).build();
                    return new Object[] {ders(leaf(notCa).build(), notCa), ROOT, "server.test"};
                }),
                reasonRow(Reason.PATH_TOO_LONG, "pathLen 0 followed by another CA", () -> {
                    Issued sub = ca("CN=Sub CA", INTERMEDIATE, -1).build();
                    return new Object[] {ders(leaf(sub).build(), sub, INTERMEDIATE), ROOT, "server.test"};
                }),
                reasonRow(Reason.NAME_CONSTRAINT_VIOLATION, "DNS name outside permitted subtree", () -> {
                    Issued nc = ca("CN=Constrained", ROOT, 0).extension(Extension.nameConstraints, true,
                            new NameConstraints(new GeneralSubtree[] {new GeneralSubtree(
                                    new GeneralName(GeneralName.dNSName, "example.com"))}, null)).build();
                    return new Object[] {ders(leaf(nc).build(), nc), ROOT, "server.test"};
                }),
                reasonRow(Reason.NAME_CONSTRAINT_VIOLATION, "IP address in excluded subtree", () -> {
                    byte[] net = {(byte) 192, 0, 2, 0, (byte) 255, (byte) 255, (byte) 255, 0};
                    Issued nc = ca("CN=Constrained IP", ROOT, 0).extension(Extension.nameConstraints, true,
                            new NameConstraints(null, new GeneralSubtree[] {new GeneralSubtree(
                                    new GeneralName(GeneralName.iPAddress, new DEROctetString(net)))})).build();
                    return new Object[] {ders(leaf(nc).build(), nc), ROOT, "server.test"};
                }),
                reasonRow(Reason.BAD_KEY_USAGE, "leaf keyUsage without digitalSignature", () -> {
                    Issued l = leaf(INTERMEDIATE).keyUsage(KeyUsage.keyEncipherment).build();
                    return new Object[] {ders(l, INTERMEDIATE), ROOT, "server.test"};
                }),
                reasonRow(Reason.BAD_KEY_USAGE, "CA keyUsage without keyCertSign", () -> {
                    Issued i = ca("CN=No CertSign", ROOT, 0).keyUsage(KeyUsage.cRLSign).build();
                    return new Object[] {ders(leaf(i).build(), i), ROOT, "server.test"};
                }),
                reasonRow(Reason.BAD_EXTENDED_KEY_USAGE, "client certificate presented by a server", () -> {
                    Issued l = TestPki.cert().subject("CN=client").issuer(INTERMEDIATE).validity(LEAF_FROM, LEAF_TO)
                            .san("DNS:server.test").eku(KeyPurposeId.id_kp_clientAuth).build();
                    return new Object[] {ders(l, INTERMEDIATE), ROOT, "server.test"};
                }),
                reasonRow(Reason.HOSTNAME_MISMATCH, "other host", () ->
                        new Object[] {ders(LEAF, INTERMEDIATE), ROOT, "other.test"}),
                reasonRow(Reason.HOSTNAME_MISMATCH, "name only in the subject CN", () -> {
                    Issued l = TestPki.cert().subject("CN=cn-only.test").issuer(INTERMEDIATE)
                            .validity(LEAF_FROM, LEAF_TO).san("DNS:other.test").build();
                    return new Object[] {ders(l, INTERMEDIATE), ROOT, "cn-only.test"};
                }),
                reasonRow(Reason.UNSUPPORTED_CRITICAL_EXTENSION, "unknown critical extension in the leaf", () -> {
                    Issued l = leaf(INTERMEDIATE).extension(new ASN1ObjectIdentifier("1.3.6.1.4.1.55738.666.1"), true,
                            DERNull.INSTANCE).build();
                    return new Object[] {ders(l, INTERMEDIATE), ROOT, "server.test"};
                }),
                reasonRow(Reason.WEAK_ALGORITHM, "RSA-1024 leaf key", () -> {
                    Issued l = leaf(INTERMEDIATE).key(KeyType.RSA_1024).build();
                    return new Object[] {ders(l, INTERMEDIATE), ROOT, "server.test"};
                }),
                reasonRow(Reason.WEAK_ALGORITHM, "RSA-1024 intermediate", () -> {
                    Issued i = ca("CN=Weak Intermediate", ROOT, 0).key(KeyType.RSA_1024).build();
                    return new Object[] {ders(leaf(i).build(), i), ROOT, "server.test"};
                }),
                reasonRow(Reason.WEAK_ALGORITHM, "SHA-1 signature", () -> {
                    Issued l = leaf(rsaRoot()).signatureAlgorithm("SHA1withRSA").build();
                    return new Object[] {ders(l), rsaRoot(), "server.test"};
                }),
                reasonRow(Reason.MALFORMED, "not DER at all", () ->
                        new Object[] {Collections.singletonList(new byte[] {0x30, 0x03, 0x02, 0x01}), ROOT, "server.test"}),
                reasonRow(Reason.MALFORMED, "trailing byte after the certificate", () -> {
                    byte[] padded = Arrays.copyOf(LEAF.der, LEAF.der.length + 1);
                    return new Object[] {Arrays.asList(padded, INTERMEDIATE.der), ROOT, "server.test"};
                }),
                reasonRow(Reason.MALFORMED, "CA without subjectKeyIdentifier", () -> {
                    Issued i = ca("CN=No SKI", ROOT, 0).noKeyIdentifiers().build();
                    return new Object[] {ders(leaf(i).build(), i), ROOT, "server.test"};
                }),
                reasonRow(Reason.BUDGET_EXCEEDED, "name constraints x names beyond 250,000 comparisons", () -> {
                    GeneralSubtree[] excluded = new GeneralSubtree[600];
                    for (int k = 0; k < excluded.length; k++) {
                        excluded[k] = new GeneralSubtree(new GeneralName(GeneralName.dNSName, "x" + k + ".invalid"));
                    }
                    Issued nc = ca("CN=Many Constraints", ROOT, 0).extension(Extension.nameConstraints, true,
                            new NameConstraints(null, excluded)).build();
                    TestPki.Builder l = leaf(nc);
                    for (int k = 0; k < 500; k++) l.san("DNS:n" + k + ".server.test");
                    return new Object[] {ders(l.build(), nc), ROOT, "server.test"};
                }),
                reasonRow(Reason.REVOKED, "leaf listed on the intermediate's CRL", () -> new Object[] {
                        ders(LEAF, INTERMEDIATE), ROOT, "server.test", PathValidator.Options.defaults()
                                .revocationLists(Collections.singletonList(crl(INTERMEDIATE, true, LEAF_TO, LEAF)))}),
                reasonRow(Reason.NO_CERTIFICATE, "empty chain", () ->
                        new Object[] {Collections.emptyList(), ROOT, "server.test"}));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("everyReason")
    @SuppressWarnings("unchecked")
    void everyReasonHasAChain(Reason expected, String why, Supplier<Object[]> scenario) {
        Object[] s = scenario.get();
        PathValidator v = validator(NOW, (Issued) s[1]);
        if (s.length > 3) v = v.withOptions((PathValidator.Options) s[3]);
        CertificateRejectedException e = rejected(v, (List<byte[]>) s[0], (String) s[2]);
        assertEquals(expected, e.reason(), e.getMessage());
        assertTrue(e.detail() != null && !e.detail().isEmpty());
    }

    @Test
    void everyReasonIsCoveredByTheTable() {
        java.util.EnumSet<Reason> covered = java.util.EnumSet.of(Reason.CLOCK_NOT_SET);
        everyReason().forEach(a -> covered.add((Reason) a.get()[0]));
        assertEquals(java.util.EnumSet.allOf(Reason.class), covered);
    }

    @Test
    void unknownCaWithTheAnchorsNameSaysTheKeyDiffers() {
        Issued sameName = ca("CN=Test Root", null, -1).build();
        CertificateRejectedException e = rejected(validator(NOW, ROOT), ders(leaf(sameName).build()), "server.test");
        assertEquals(Reason.UNKNOWN_ISSUER, e.reason(), e.getMessage());
        assertEquals(0, e.depth());
        assertEquals("issued by a CA that is not trusted: a trust anchor named CN=Test Root exists, but with a different"
                + " key (the signature does not verify under it)", e.detail());
    }

    // ---- path building

    @Test
    void chainOutOfOrderWithDuplicatesAndExtrasIsAccepted() throws Exception {
        Issued unrelated = ca("CN=Unrelated", null, -1).build();
        List<byte[]> chain = ders(LEAF, unrelated, INTERMEDIATE, ROOT, INTERMEDIATE, LEAF);
        List<byte[]> path = validator(NOW, ROOT).verify(chain, Purpose.SERVER_AUTH, "server.test");
        assertEquals(3, path.size());
        assertArrayEquals(ROOT.der, path.get(2));
    }

    @Test
    void threeLevelsPresentedTopDown() throws Exception {
        Issued sub = ca("CN=Sub", ROOT, 1).build();
        Issued subSub = ca("CN=SubSub", sub, 0).build();
        Issued l = leaf(subSub).build();
        List<byte[]> path = validator(NOW, ROOT).verify(ders(l, sub, subSub), Purpose.SERVER_AUTH, "server.test");
        assertEquals(4, path.size());
        assertArrayEquals(subSub.der, path.get(1));
    }

    @Test
    void crossSignedAlternatePathIsFoundWhenTheFirstFails() throws Exception {
        // the same intermediate (subject and key) issued twice: by an expired old root, and by the trusted new one
        Issued oldRoot = ca("CN=Old Root", null, -1).validity(CA_FROM, NOW.minusSeconds(3600)).build();
        Issued newRoot = ca("CN=New Root", null, -1).build();
        Issued viaOld = ca("CN=Shared Intermediate", oldRoot, -1).build();
        Issued viaNew = ca("CN=Shared Intermediate", newRoot, -1).keyPair(viaOld.keyPair, KeyType.EC_P256).build();
        Issued l = leaf(viaOld).build();
        PathValidator v = validator(NOW, oldRoot, newRoot);
        List<byte[]> path = v.verify(ders(l, viaOld, viaNew), Purpose.SERVER_AUTH, "server.test");
        assertArrayEquals(newRoot.der, path.get(2));
        assertArrayEquals(viaNew.der, path.get(1));
        // and with only the old root trusted, the failure names the real problem, not "unknown issuer"
        CertificateRejectedException e = rejected(validator(NOW, oldRoot), ders(l, viaOld, viaNew), "server.test");
        assertEquals(Reason.EXPIRED, e.reason(), e.getMessage());
        assertEquals("CN=Old Root", e.subject());
    }

    @Test
    void expiredAnchorIsBypassedThroughItsCrossSignedCopy() throws Exception {
        // the trust store holds an expired root R; the server also sends R's key and name cross-signed by a live root
        Issued liveRoot = ca("CN=Live Root", null, -1).build();
        Issued expired = ca("CN=Aging Root", null, -1).validity(CA_FROM, NOW.minusSeconds(60)).build();
        Issued crossSigned = ca("CN=Aging Root", liveRoot, -1).keyPair(expired.keyPair, KeyType.EC_P256).build();
        Issued l = leaf(expired).build();
        List<byte[]> path = validator(NOW, expired, liveRoot).verify(ders(l, crossSigned), Purpose.SERVER_AUTH, "server.test");
        assertArrayEquals(liveRoot.der, path.get(2));
        // without the cross-signed copy, the expired anchor is what is reported
        CertificateRejectedException e = rejected(validator(NOW, expired, liveRoot), ders(l), "server.test");
        assertEquals(Reason.EXPIRED, e.reason(), e.getMessage());
        assertEquals(1, e.depth());
    }

    @Test
    void legacyRootWithoutKeyIdentifiersIsStillAnAnchorButSuchAnIntermediateIsNot() throws Exception {
        Issued legacyRoot = ca("CN=Legacy Root", null, -1).noKeyIdentifiers().build();
        Issued i = ca("CN=Modern Intermediate", legacyRoot, 0).build();
        validator(NOW, legacyRoot).verify(ders(leaf(i).build(), i), Purpose.SERVER_AUTH, "server.test");
        Issued legacyIntermediate = ca("CN=Legacy Intermediate", ROOT, 0).noKeyIdentifiers().build();
        CertificateRejectedException e = rejected(validator(NOW, ROOT),
                ders(leaf(legacyIntermediate).build(), legacyIntermediate), "server.test");
        assertEquals(Reason.MALFORMED, e.reason(), e.getMessage());
    }

    @Test
    void selfIssuedIntermediatesDoNotCountAgainstPathLen() throws Exception {
        // root -> CA (pathLen 0) -> CA rollover (same subject, new key, self-issued) -> leaf
        Issued ca = ca("CN=Rolling CA", ROOT, 0).build();
        Issued rolled = ca("CN=Rolling CA", ca, 0).build();
        Issued l = leaf(rolled).build();
        List<byte[]> path = validator(NOW, ROOT).verify(ders(l, rolled, ca), Purpose.SERVER_AUTH, "server.test");
        assertEquals(4, path.size());
    }

    @Test
    void maxIntermediatesOptionBoundsThePath() throws Exception {
        PathValidator v = validator(NOW, ROOT).withOptions(PathValidator.Options.defaults().maxIntermediates(0));
        CertificateRejectedException e = rejected(v, ders(LEAF, INTERMEDIATE), "server.test");
        assertEquals(Reason.PATH_TOO_LONG, e.reason(), e.getMessage());
        validator(NOW, ROOT).withOptions(PathValidator.Options.defaults().maxIntermediates(1))
                .verify(ders(LEAF, INTERMEDIATE), Purpose.SERVER_AUTH, "server.test");
    }

    @Test
    void intermediateCanBeTheTrustAnchor() throws Exception {
        List<byte[]> path = validator(NOW, INTERMEDIATE).verify(ders(LEAF, ROOT), Purpose.SERVER_AUTH, "server.test");
        assertEquals(2, path.size());
    }

    @Test
    void pinnedSelfSignedServerCertificate() throws Exception {
        Issued self = TestPki.cert().subject("CN=device").validity(LEAF_FROM, LEAF_TO).san("DNS:device.local").build();
        validator(NOW, self).verify(ders(self), Purpose.SERVER_AUTH, "device.local");
        // not pinned: it is not a CA, so it cannot be its own issuer
        CertificateRejectedException e = rejected(validator(NOW, ROOT), ders(self), "device.local");
        assertEquals(Reason.UNKNOWN_ISSUER, e.reason(), e.getMessage());
    }

    @Test
    void clientCertificateNeedsClientAuth() throws Exception {
        Issued client = TestPki.cert().subject("CN=client").issuer(INTERMEDIATE).validity(LEAF_FROM, LEAF_TO)
                .eku(KeyPurposeId.id_kp_clientAuth).build();
        validator(NOW, ROOT).verify(ders(client, INTERMEDIATE), Purpose.CLIENT_AUTH, null);
        CertificateRejectedException e = assertThrows(CertificateRejectedException.class,
                () -> validator(NOW, ROOT).verify(ders(LEAF, INTERMEDIATE), Purpose.CLIENT_AUTH, null));
        assertEquals(Reason.BAD_EXTENDED_KEY_USAGE, e.reason());
    }

    @Test
    void unparseableTrustAnchorIsAnIllegalArgument() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PathValidator(Collections.singletonList(new byte[] {1, 2, 3}), VERIFIER, at(NOW)));
        assertTrue(e.getMessage().contains("trust anchor #0"), e.getMessage());
    }

    // ---- revocation lists (RFC 5280 section 6.3), when the application supplies them

    /** A CRL issued by {@code issuer}, valid from CA_FROM to {@code nextUpdate}, revoking {@code revoked}. */
    static byte[] crl(Issued issuer, boolean withNumber, Instant nextUpdate, Issued... revoked) {
        try {
            org.bouncycastle.cert.X509v2CRLBuilder b = new org.bouncycastle.cert.X509v2CRLBuilder(issuer.subject,
                    java.util.Date.from(CA_FROM));
            b.setNextUpdate(java.util.Date.from(nextUpdate));
            for (Issued r : revoked) {
                b.addCRLEntry(r.holder().getSerialNumber(), java.util.Date.from(LEAF_FROM.plusSeconds(86400)),
                        org.bouncycastle.asn1.x509.CRLReason.keyCompromise);
            }
            if (withNumber) b.addExtension(Extension.cRLNumber, false, new org.bouncycastle.asn1.x509.CRLNumber(java.math.BigInteger.ONE));
            return b.build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder(issuer.keyType.defaultSignature)
                    .setProvider(TestPki.BC).build(issuer.keyPair.getPrivate())).getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<Arguments> crlRows() {
        Issued otherCa = ca("CN=Other CA", ROOT, 0).build();
        return Stream.of(
                Arguments.of("CRL that does not list the leaf", crl(INTERMEDIATE, true, LEAF_TO), null, null),
                Arguments.of("CRL of another CA listing the same serial", crl(otherCa, true, LEAF_TO, LEAF), null, null),
                Arguments.of("revoked leaf", crl(INTERMEDIATE, true, LEAF_TO, LEAF), Reason.REVOKED,
                        "was revoked on 2030-01-02T00:00:00Z (CRL of CN=Test Intermediate)"),
                Arguments.of("CRL without cRLNumber", crl(INTERMEDIATE, false, LEAF_TO), Reason.MALFORMED, "cRLNumber"),
                Arguments.of("stale CRL", crl(INTERMEDIATE, true, NOW.minusSeconds(1)), Reason.EXPIRED, "load a fresh CRL"),
                Arguments.of("CRL signed by an impostor with the issuer's name",
                        crl(ca("CN=Test Intermediate", ROOT, 0).build(), true, LEAF_TO), Reason.BAD_SIGNATURE, "does not verify"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("crlRows")
    void revocationLists(String row, byte[] crl, Reason expected, String detail) throws Exception {
        PathValidator v = validator(NOW, ROOT).withOptions(
                PathValidator.Options.defaults().revocationLists(Collections.singletonList(crl)));
        if (expected == null) {
            v.verify(ders(LEAF, INTERMEDIATE), Purpose.SERVER_AUTH, "server.test");
            return;
        }
        CertificateRejectedException e = rejected(v, ders(LEAF, INTERMEDIATE), "server.test");
        assertEquals(expected, e.reason(), e.getMessage());
        assertTrue(e.detail().contains(detail), e.getMessage());
    }

    @Test
    void unparseableCrlIsAnIllegalArgument() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PathValidator.Options.defaults().revocationLists(Collections.singletonList(new byte[] {0x30, 0})));
        assertTrue(e.getMessage().startsWith("invalid CRL"), e.getMessage());
    }

    // ---- every signature algorithm through the pure-Java verifier

    static Stream<Arguments> algorithms() {
        return Stream.of(
                Arguments.of(KeyType.RSA_2048, "SHA256withRSA"), Arguments.of(KeyType.RSA_2048, "SHA384withRSA"),
                Arguments.of(KeyType.RSA_2048, "SHA512withRSA"), Arguments.of(KeyType.RSA_2048, "SHA256withRSAandMGF1"),
                Arguments.of(KeyType.RSA_2048, "SHA384withRSAandMGF1"), Arguments.of(KeyType.RSA_2048, "SHA512withRSAandMGF1"),
                Arguments.of(KeyType.EC_P256, "SHA256withECDSA"), Arguments.of(KeyType.EC_P384, "SHA384withECDSA"),
                Arguments.of(KeyType.EC_P256, "SHA512withECDSA"), Arguments.of(KeyType.ED25519, "Ed25519"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("algorithms")
    void everyAcceptedSignatureAlgorithmVerifies(KeyType rootKey, String algorithm) throws Exception {
        Issued root = rootKey == KeyType.RSA_2048 ? rsaRoot() : ca("CN=Alg Root", null, -1).key(rootKey).build();
        Issued l = leaf(root).signatureAlgorithm(algorithm).build();
        validator(NOW, root).verify(ders(l), Purpose.SERVER_AUTH, "server.test");
        byte[] bad = l.der.clone();
        bad[bad.length - 3] ^= 0x40;
        CertificateRejectedException e = rejected(validator(NOW, root), Collections.singletonList(bad), "server.test");
        assertEquals(Reason.BAD_SIGNATURE, e.reason(), e.getMessage());
    }

    @Test
    void verifiedSignaturesAreRememberedButFailuresAreNot() throws Exception {
        int[] calls = {0};
        SignatureVerifier counting = (scheme, key, signed, signature) -> {
            calls[0]++;
            return VERIFIER.verify(scheme, key, signed, signature);
        };
        PathValidator v = new PathValidator(ders(ROOT), counting, at(NOW));
        v.verify(ders(LEAF, INTERMEDIATE), Purpose.SERVER_AUTH, "server.test");
        assertEquals(2, calls[0], "leaf and intermediate signatures checked");
        v.verify(ders(LEAF, INTERMEDIATE), Purpose.SERVER_AUTH, "server.test");
        assertEquals(2, calls[0], "the same links again: no public-key operation");

        byte[] bad = LEAF.der.clone();
        bad[bad.length - 5] ^= 0x01; // in the signature value
        for (int attempt = 1; attempt <= 2; attempt++) {
            CertificateRejectedException e = rejected(v, Arrays.asList(bad, INTERMEDIATE.der), "server.test");
            assertEquals(Reason.BAD_SIGNATURE, e.reason(), e.getMessage());
            assertEquals(2 + attempt, calls[0], "a failed signature is checked every time");
        }
    }
}
