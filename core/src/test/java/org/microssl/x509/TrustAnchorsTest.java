package org.microssl.x509;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.microssl.Backends;
import org.microssl.spi.Clock;
import org.microssl.testing.TestPki;
import org.microssl.testing.TestPki.KeyType;

/**
 * Compact trust anchors ({@link TrustAnchors}): a chain verifies (or fails) the same under them as under the
 * certificates they came from; what cannot be compact is kept whole; the parser refuses every truncation, a wrong
 * magic, version, kind or flag, and trailing bytes.
 */
class TrustAnchorsTest {

    private static final Clock NOW = () -> System.currentTimeMillis();

    private static PathValidator validator(List<byte[]> ders, List<byte[]> compact, Clock clock) {
        return new PathValidator(ders, compact, Backends.lightweight().signatureVerifier(), clock,
                PathValidator.Options.defaults());
    }

    @ParameterizedTest
    @EnumSource(value = KeyType.class, names = {"EC_P256", "EC_P384", "RSA_2048", "ED25519"})
    void aChainVerifiesUnderTheCompactFormOfItsRoot(KeyType type) throws Exception {
        TestPki.Chain chain = TestPki.chain(type);
        List<String> notes = new ArrayList<>();
        byte[] compact = TrustAnchors.encode(Collections.singletonList(chain.root.der), notes);
        assertEquals(Collections.emptyList(), notes);
        assertTrue(compact.length < chain.root.der.length, compact.length + " vs " + chain.root.der.length);
        assertEquals(1, TrustAnchors.check(compact));
        List<byte[]> path = validator(Collections.emptyList(), Collections.singletonList(compact), NOW)
                .verify(chain.chainDer(), Purpose.SERVER_AUTH, "localhost");
        // the compact anchor has no certificate: the path ends with the intermediate
        assertEquals(2, path.size());
        assertArrayEquals(chain.intermediate.der, path.get(1));
    }

    @Test
    void datesAndKeysOfTheAnchorStillCount() throws Exception {
        TestPki.Chain chain = TestPki.chain(KeyType.EC_P256);
        byte[] compact = TrustAnchors.encode(Collections.singletonList(chain.root.der), null);
        Clock later = () -> Instant.now().plus(3650, ChronoUnit.DAYS).toEpochMilli();
        CertificateRejectedException viaCompact = assertThrows(CertificateRejectedException.class, () ->
                validator(Collections.emptyList(), Collections.singletonList(compact), later)
                        .verify(chain.chainDer(), Purpose.SERVER_AUTH, "localhost"));
        CertificateRejectedException viaDer = assertThrows(CertificateRejectedException.class, () ->
                validator(Collections.singletonList(chain.root.der), Collections.emptyList(), later)
                        .verify(chain.chainDer(), Purpose.SERVER_AUTH, "localhost"));
        assertEquals(viaDer.reason(), viaCompact.reason());
        // another root of the same name but another key: not trusted
        TestPki.Chain other = TestPki.chain(KeyType.EC_P256);
        byte[] otherCompact = TrustAnchors.encode(Collections.singletonList(other.root.der), null);
        CertificateRejectedException wrongKey = assertThrows(CertificateRejectedException.class, () ->
                validator(Collections.emptyList(), Collections.singletonList(otherCompact), NOW)
                        .verify(chain.chainDer(), Purpose.SERVER_AUTH, "localhost"));
        assertEquals(Reason.UNKNOWN_ISSUER, wrongKey.reason(), wrongKey.getMessage());
    }

    @Test
    void whatCannotBeCompactIsKeptWholeAndSaysWhy() throws Exception {
        TestPki.Chain chain = TestPki.chain(KeyType.EC_P256);
        TestPki.Issued notCa = TestPki.cert().subject("CN=pinned leaf").key(KeyType.EC_P256)
                .keyUsage(KeyUsage.digitalSignature).build();
        List<String> notes = new ArrayList<>();
        byte[] compact = TrustAnchors.encode(Arrays.asList(chain.root.der, chain.intermediate.der, notCa.der), notes);
        assertEquals(3, TrustAnchors.check(compact));
        assertEquals(2, notes.size(), notes.toString());
        assertTrue(notes.get(0).contains("not self-issued"), notes.get(0));
        assertTrue(notes.get(1).contains("refuses it as an anchor"), notes.get(1));
    }

    @Test
    void theParserRefusesEveryTruncationAndTrailingBytes() throws Exception {
        TestPki.Chain chain = TestPki.chain(KeyType.RSA_2048);
        byte[] good = TrustAnchors.encode(Arrays.asList(chain.root.der, chain.intermediate.der), null);
        for (int n = 0; n < good.length; n++) {
            byte[] cut = Arrays.copyOf(good, n);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrustAnchors.check(cut),
                    "truncated to " + n);
            assertTrue(e.getMessage().startsWith("invalid anchors: "), e.getMessage());
        }
        byte[] longer = Arrays.copyOf(good, good.length + 1);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TrustAnchors.check(longer)).getMessage()
                .contains("after the last record"));
        byte[] version = good.clone();
        version[4] = 2;
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TrustAnchors.check(version)).getMessage()
                .contains("version 2"));
        byte[] magic = good.clone();
        magic[0] = 'X';
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TrustAnchors.check(magic)).getMessage()
                .contains("magic"));
        byte[] kind = good.clone();
        kind[7] = 9;
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TrustAnchors.check(kind)).getMessage()
                .contains("unknown record kind 9"));
    }

    /** Debian's bundle: every root compact, and each verifies what it verified as a certificate (its own AKI). */
    @Test
    void debiansRootsAreAllCompact() throws Exception {
        Path bundle = Paths.get("/etc/ssl/certs/ca-certificates.crt");
        Assumptions.assumeTrue(Files.isReadable(bundle), "no " + bundle + " (Debian's ca-certificates)");
        List<byte[]> roots = new ArrayList<>();
        int der = 0;
        for (Pem.Block b : Pem.decode(Files.readAllBytes(bundle))) {
            roots.add(b.der);
            der += b.der.length;
        }
        List<String> notes = new ArrayList<>();
        byte[] compact = TrustAnchors.encode(roots, notes);
        assertEquals(Collections.emptyList(), notes);
        assertEquals(roots.size(), TrustAnchors.check(compact));
        assertTrue(compact.length * 2 < der, compact.length + " bytes vs " + der + " of DER");
        assertEquals(roots.size(), validator(Collections.emptyList(), Collections.singletonList(compact), NOW)
                .anchorCount());
    }
}
