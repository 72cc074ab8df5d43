package org.microssl.x509;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.bouncycastle.asn1.x509.KeyUsage;
import org.microssl.spi.Clock;
import org.microssl.spi.SignatureVerifier;

/**
 * Validates a peer's certificate chain against trust anchors (RFC 5280 section 6, profiled as the CA/Browser Forum
 * web PKI and rustls-webpki / Go crypto/x509 do) and checks the host name (RFC 6125). The entry point of the
 * validator; its rooms, after rustls-webpki's:
 * <ul>
 * <li>{@link HostName}: the name asked for (also the TLS client's SNI) against the subjectAltName;
 * <li>{@link CertificateChecks}: the checks of one certificate on its own;
 * <li>{@link PathBuilder}: the search for a path, the checks that need a whole path, and the choice of the most
 *     useful failure, within a {@link Budget};
 * <li>{@link RevocationCheck} with {@link RevocationList}: CRLs;
 * <li>{@link SignatureCache}: signature checks and the signatures that verified recently;
 * <li>{@link ParsedCertificate}, {@link NameConstraintChecker}, {@link Algorithms}, {@link Names}: what they read.
 * </ul>
 *
 * <p>A trust anchor is trusted by its subject and key; its own signature is not checked, but its validity dates,
 * extensions and key are, as x509-limbo expects of a web PKI validator. Cheap checks come first: the peer's own
 * certificate and its host name are checked before any signature is verified.
 *
 * <p>Instances are thread-safe; their only mutable state is a small cache of signatures that verified.
 */
public final class PathValidator {

    /**
     * Default maximum number of intermediates: rustls-webpki's {@code MAX_SUB_CA_COUNT} (6). Real web PKI
     * paths have one or two.
     */
    public static final int DEFAULT_MAX_INTERMEDIATES = 6;

    /** Hard cap on the peer's chain, so a hostile peer cannot make us parse thousands of certificates. */
    static final int MAX_PEER_CERTIFICATES = 128;

    /** Tunables; the defaults are the web PKI profile. Immutable: each setter returns a copy. */
    public static final class Options {
        final int maxIntermediates;
        final List<String> requiredEku;
        final int requiredKeyUsage;
        final boolean diagnoseSignatures;
        final List<RevocationList> crls;

        private Options(int maxIntermediates, List<String> requiredEku, int requiredKeyUsage, boolean diagnoseSignatures,
                List<RevocationList> crls) {
            this.maxIntermediates = maxIntermediates;
            this.requiredEku = requiredEku;
            this.requiredKeyUsage = requiredKeyUsage;
            this.diagnoseSignatures = diagnoseSignatures;
            this.crls = crls;
        }

        /** Web PKI defaults: at most 6 intermediates, EKU from the purpose, digitalSignature if keyUsage is present. */
        public static Options defaults() {
            return new Options(DEFAULT_MAX_INTERMEDIATES, null, KeyUsage.digitalSignature, true,
                    Collections.<RevocationList>emptyList());
        }

        /**
         * Maximum number of intermediates between the peer's certificate and the anchor; self-issued ones
         * (key rollover, RFC 5280 section 6.1.4 (k)) do not count. 0 means the anchor must issue the peer's
         * certificate directly. Whatever the value, a path never has more than 8 intermediates in all.
         */
        public Options maxIntermediates(int n) {
            if (n < 0) throw new IllegalArgumentException("maxIntermediates must not be negative: " + n);
            return new Options(n, requiredEku, requiredKeyUsage, diagnoseSignatures, crls);
        }

        /**
         * The extendedKeyUsage purposes (dotted OIDs) the peer's certificate must allow if it has the extension,
         * instead of the one implied by the {@link Purpose}.
         */
        public Options requiredExtendedKeyUsage(List<String> oids) {
            return new Options(maxIntermediates, oids == null ? null : Collections.unmodifiableList(new ArrayList<String>(oids)),
                    requiredKeyUsage, diagnoseSignatures, crls);
        }

        /**
         * The keyUsage bits (RFC 5280 section 4.2.1.3 names, e.g. "digitalSignature") the peer's certificate must
         * assert if it has the extension. Replaces the default (digitalSignature).
         */
        public Options requiredKeyUsage(List<String> names) {
            int bits = 0;
            for (String n : names) bits |= keyUsageBit(n);
            return new Options(maxIntermediates, requiredEku, bits, diagnoseSignatures, crls);
        }

        /**
         * Whether, when the best failure found is a constraint violation (name constraints, path length), the
         * signatures of that path are checked too, so that a forged link is reported as BAD_SIGNATURE instead.
         * On by default; bulk conformance runs that only need the verdict turn it off (the verdict is the same).
         */
        public Options diagnoseSignatures(boolean on) {
            return new Options(maxIntermediates, requiredEku, requiredKeyUsage, on, crls);
        }

        /**
         * Certificate revocation lists (DER) to check the path against (RFC 5280 section 6.3). A CRL applies to the
         * certificates its issuer name matches; it must be a v2 CRL with a non-critical cRLNumber, signed by that
         * issuer's key (with cRLSign if the issuer has keyUsage), and current (thisUpdate..nextUpdate). A CRL that
         * applies but fails those checks fails the path. Without CRLs, revocation is not checked.
         *
         * @throws IllegalArgumentException naming a CRL that cannot be parsed
         */
        public Options revocationLists(List<byte[]> crlsDer) {
            return new Options(maxIntermediates, requiredEku, requiredKeyUsage, diagnoseSignatures,
                    Collections.unmodifiableList(RevocationList.parseAll(crlsDer)));
        }

        static int keyUsageBit(String name) {
            switch (name) {
                case "digitalSignature": return KeyUsage.digitalSignature;
                case "nonRepudiation": case "contentCommitment": return KeyUsage.nonRepudiation;
                case "keyEncipherment": return KeyUsage.keyEncipherment;
                case "dataEncipherment": return KeyUsage.dataEncipherment;
                case "keyAgreement": return KeyUsage.keyAgreement;
                case "keyCertSign": return KeyUsage.keyCertSign;
                case "cRLSign": return KeyUsage.cRLSign;
                case "encipherOnly": return KeyUsage.encipherOnly;
                case "decipherOnly": return KeyUsage.decipherOnly;
                default: throw new IllegalArgumentException("unknown keyUsage '" + name + "'");
            }
        }
    }

    private final List<ParsedCertificate> anchors;
    /** The compact encodings the anchors came from, for {@link #withOptions}. */
    private final List<byte[]> compactAnchors;
    private final Map<ByteBuffer, List<ParsedCertificate>> anchorsBySubject = new HashMap<ByteBuffer, List<ParsedCertificate>>();
    private final Map<ByteBuffer, ParsedCertificate> anchorsByDer = new HashMap<ByteBuffer, ParsedCertificate>();
    private final SignatureVerifier verifier;
    private final SignatureCache signatures;
    private final Clock clock;
    private final Options options;

    /**
     * @param trustAnchorsDer the trusted certificates, DER
     * @throws IllegalArgumentException naming the anchor that cannot be parsed
     */
    public PathValidator(List<byte[]> trustAnchorsDer, SignatureVerifier verifier, Clock clock) {
        this(trustAnchorsDer, verifier, clock, Options.defaults());
    }

    public PathValidator(List<byte[]> trustAnchorsDer, SignatureVerifier verifier, Clock clock, Options options) {
        this(trustAnchorsDer, Collections.<byte[]>emptyList(), verifier, clock, options);
    }

    /**
     * With compact trust anchors as well ({@link TrustAnchors}, {@code SSLContext.loadTrustAnchors}). A path that
     * ends at a compact anchor is returned without it: there is no certificate to return.
     *
     * @param compactAnchors encodings made by {@link TrustAnchors#encode}
     * @throws IllegalArgumentException naming the anchor or the part of an encoding that cannot be read
     */
    public PathValidator(List<byte[]> trustAnchorsDer, List<byte[]> compactAnchors, SignatureVerifier verifier,
            Clock clock, Options options) {
        if (verifier == null || clock == null || options == null) throw new NullPointerException();
        List<ParsedCertificate> all = new ArrayList<ParsedCertificate>();
        for (int i = 0; i < trustAnchorsDer.size(); i++) {
            byte[] der = trustAnchorsDer.get(i);
            try {
                all.add(ParsedCertificate.parse(der.clone()));
            } catch (IOException e) {
                throw new IllegalArgumentException("invalid cert: trust anchor #" + i + " cannot be parsed: " + Der.why(e));
            }
        }
        for (byte[] encoding : compactAnchors) all.addAll(TrustAnchors.decode(encoding));
        this.compactAnchors = Collections.unmodifiableList(new ArrayList<byte[]>(compactAnchors));
        List<ParsedCertificate> list = new ArrayList<ParsedCertificate>();
        for (ParsedCertificate c : all) {
            if (anchorsByDer.containsKey(ByteBuffer.wrap(c.der))) continue;
            list.add(c);
            anchorsByDer.put(ByteBuffer.wrap(c.der), c);
            List<ParsedCertificate> same = anchorsBySubject.get(ByteBuffer.wrap(c.subjectDer));
            if (same == null) anchorsBySubject.put(ByteBuffer.wrap(c.subjectDer), same = new ArrayList<ParsedCertificate>(1));
            same.add(c);
        }
        this.anchors = Collections.unmodifiableList(list);
        this.verifier = verifier;
        this.signatures = new SignatureCache(verifier);
        this.clock = clock;
        this.options = options;
    }

    /** A copy with other options. */
    public PathValidator withOptions(Options newOptions) {
        List<byte[]> ders = new ArrayList<byte[]>(anchors.size());
        for (ParsedCertificate a : anchors) {
            if (!a.compactAnchor) ders.add(a.der);
        }
        return new PathValidator(ders, compactAnchors, verifier, clock, newOptions);
    }

    /** Number of distinct trust anchors. */
    public int anchorCount() {
        return anchors.size();
    }

    /**
     * @param peerChainDer the peer's certificate first, then any others it sent, in any order
     * @param purpose what the peer is: its certificate must allow that extendedKeyUsage if it lists any
     * @param expectedName the DNS name or IPv4/IPv6 literal the peer must have in its subjectAltName, or null for
     *     no name check
     * @return the validated path: the peer's certificate first, the trust anchor last (a compact anchor, which has
     *     no certificate, is left out: the path then ends with the certificate it issued)
     * @throws CertificateRejectedException with the most useful reason when no valid path exists
     */
    public List<byte[]> verify(List<byte[]> peerChainDer, Purpose purpose, String expectedName)
            throws CertificateRejectedException {
        if (peerChainDer == null || peerChainDer.isEmpty()) {
            throw new CertificateRejectedException(Reason.NO_CERTIFICATE, -1, null, "the peer sent no certificate");
        }
        if (purpose == null) throw new NullPointerException("purpose");
        long nowMillis = clock.currentTimeMillis();
        if (nowMillis == Clock.TIME_UNKNOWN) {
            throw new CertificateRejectedException(Reason.CLOCK_NOT_SET, -1, null,
                    "the clock is not set, so certificate dates cannot be checked; set the real-time clock"
                            + " (or run SNTP) before verifying certificates");
        }
        if (peerChainDer.size() > MAX_PEER_CERTIFICATES) {
            throw new CertificateRejectedException(Reason.BUDGET_EXCEEDED, -1, null,
                    "the peer sent " + peerChainDer.size() + " certificates (at most " + MAX_PEER_CERTIFICATES + " are examined)");
        }
        // RFC 5280 times have one-second resolution: compare at that granularity, flooring "now"
        long now = Math.floorDiv(nowMillis, 1000L);

        ParsedCertificate leaf;
        try {
            leaf = ParsedCertificate.parse(peerChainDer.get(0).clone());
        } catch (IOException e) {
            throw new CertificateRejectedException(Reason.MALFORMED, 0, null, Der.why(e));
        }
        CertificateChecks checks = checks(now, purpose);
        PathBuilder builder = new PathBuilder(now, checks, options, anchorsBySubject, anchorsByDer, signatures);
        for (int i = 1; i < peerChainDer.size(); i++) {
            byte[] der = peerChainDer.get(i);
            if (!Arrays.equals(der, leaf.der)) builder.addIntermediate(der, i);
        }

        boolean pinned = anchorsByDer.containsKey(ByteBuffer.wrap(leaf.der));
        if (!pinned && Arrays.equals(leaf.issuerDer, leaf.subjectDer)
                && !anchorsBySubject.containsKey(ByteBuffer.wrap(leaf.subjectDer))) {
            // what openssl req -x509 makes: no path can exist, whatever else is wrong with it; say how to trust it
            throw new Problem(Reason.UNKNOWN_ISSUER, "self-signed certificate, not trusted: to trust it, put it in "
                    + "cadata or cafile (loadVerifyLocations)").at(0, leaf).toException();
        }
        Problem p = checks.leaf(leaf, pinned);
        if (p != null) throw p.at(0, leaf).toException();
        // the name is checked before any signature: no path can fix a wrong name, and on a device a mismatch
        // then costs no public-key operation
        if (expectedName != null) {
            String mismatch = HostName.mismatch(leaf, expectedName);
            if (mismatch != null) {
                throw new CertificateRejectedException(Reason.HOSTNAME_MISMATCH, 0, leaf.subjectString(), mismatch,
                        leaf.der, null, null, null, expectedName, HostName.presented(leaf));
            }
        }

        List<ParsedCertificate> path = new ArrayList<ParsedCertificate>();
        path.add(leaf);
        boolean found;
        if (pinned) {
            // the peer's own certificate is a trust anchor (a pinned self-signed certificate): nothing to build
            found = true;
        } else {
            try {
                found = builder.build(path);
            } catch (Budget.Exceeded e) {
                throw new CertificateRejectedException(Reason.BUDGET_EXCEEDED, -1, null, Der.why(e));
            }
        }
        if (!found) throw builder.best();
        List<byte[]> out = new ArrayList<byte[]>(path.size());
        for (ParsedCertificate c : path) {
            if (!c.compactAnchor) out.add(c.der.clone()); // a compact anchor has no certificate to return
        }
        return out;
    }

    private CertificateChecks checks(long now, Purpose purpose) {
        List<String> eku = options.requiredEku != null ? options.requiredEku : CertificateChecks.ekuFor(purpose);
        return new CertificateChecks(now, eku, options.requiredKeyUsage);
    }

    /** Why {@code anchor} could not serve as a trust anchor at {@code nowSeconds}, or null; for tests. */
    Problem anchorProblem(ParsedCertificate anchor, long nowSeconds) {
        return checks(nowSeconds, Purpose.SERVER_AUTH).ca(anchor, true);
    }

    /**
     * How {@link #verify} reads {@code expectedName} as a DNS name, for whoever must agree with it (the TLS client's
     * server_name, which RFC 6066 section 3 limits to DNS host names without a trailing dot).
     *
     * @return the DNS name without its trailing dot, or null when {@code expectedName} is an IP address (IPv4, IPv6,
     *     or bracketed IPv6) or is neither an IP address nor a valid DNS name (verify refuses it)
     */
    public static String dnsReferenceName(String expectedName) {
        return HostName.dnsReference(expectedName);
    }
}
