package org.microssl.x509;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.microssl.spi.Clock;
import org.microssl.spi.SignatureScheme;
import org.microssl.spi.SignatureVerifier;

/**
 * Validates a peer's certificate chain against trust anchors (RFC 5280 section 6, profiled as the
 * CA/Browser Forum web PKI and rustls-webpki / Go crypto/x509 do) and checks the host name (RFC 6125).
 *
 * <p>Paths are built from the peer's certificate upwards through the other certificates it sent, in any order,
 * ignoring duplicates and extras, trying alternatives (cross-signed and re-issued CAs) depth first within fixed
 * budgets. A trust anchor is trusted by its subject and key; its own signature is not checked, but its validity
 * dates, extensions and key are, as x509-limbo expects of a web PKI validator. When every path fails, the most
 * useful failure is reported: one found on a path that reached an anchor beats one found on a certificate that
 * was a plausible issuer, which beats a bad signature, which beats a trust anchor that only shares the issuer's
 * name, which beats "no issuer found". Cheap checks come first:
 * the peer's own certificate and its host name are checked before any signature is verified, and signatures are
 * verified eagerly only where there is a choice of issuer, otherwise once a path has passed its other checks.
 *
 * <p>Instances are thread-safe; their only mutable state is a small cache of signatures that verified.
 */
public final class PathValidator {

    /**
     * Default maximum number of intermediates: rustls-webpki's {@code MAX_SUB_CA_COUNT} (6). Real web PKI
     * paths have one or two.
     */
    public static final int DEFAULT_MAX_INTERMEDIATES = 6;

    /**
     * Signature checks per verification: rustls-webpki's {@code Budget.signatures} (100), taken from Go's fix
     * for CVE-2018-16875 (quadratic path building on crafted chains).
     */
    static final int MAX_SIGNATURE_CHECKS = 100;

    /** Path-building steps per verification: rustls-webpki's {@code Budget.build_chain_calls}, from mozilla::pkix. */
    static final int MAX_BUILD_STEPS = 200_000;

    /**
     * Name-constraint comparisons per verification: rustls-webpki's {@code Budget.name_constraint_comparisons},
     * from Go crypto/x509's {@code maxConstraintComparisons} (250,000).
     */
    static final int MAX_NAME_CONSTRAINT_COMPARISONS = 250_000;

    /**
     * Hard cap on intermediates in a path, self-issued ones included: the default limit plus two key
     * rollovers; it bounds the depth of the search whatever the options say.
     */
    static final int MAX_PATH_INTERMEDIATES = DEFAULT_MAX_INTERMEDIATES + 2;

    /** Hard cap on the peer's chain, so a hostile peer cannot make us parse thousands of certificates. */
    static final int MAX_PEER_CERTIFICATES = 128;

    static final String EKU_SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    static final String EKU_CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

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
    private final Map<ByteBuffer, List<ParsedCertificate>> anchorsBySubject = new HashMap<ByteBuffer, List<ParsedCertificate>>();
    private final Map<ByteBuffer, ParsedCertificate> anchorsByDer = new HashMap<ByteBuffer, ParsedCertificate>();
    private final SignatureVerifier verifier;
    private final Clock clock;

    /**
     * Signatures that verified recently, compared byte for byte: a device reconnecting to its server, and every
     * server under the same CA, present the same intermediate-to-root link (and often the same leaf), and a
     * public-key operation is most of a validation's time and allocation. Verification is a pure function of
     * these bytes, so a hit gives the verdict a fresh check would; only successes are kept, so a hit never
     * hides a failure. A few entries (32 bytes each) cover a device's servers.
     */
    private final Map<SignedLink, Boolean> verifiedLinks = new LinkedHashMap<SignedLink, Boolean>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<SignedLink, Boolean> eldest) {
            return size() > VERIFIED_LINKS;
        }
    };

    static final int VERIFIED_LINKS = 8;
    private final Options options;

    /**
     * @param trustAnchorsDer the trusted certificates, DER
     * @throws IllegalArgumentException naming the anchor that cannot be parsed
     */
    public PathValidator(List<byte[]> trustAnchorsDer, SignatureVerifier verifier, Clock clock) {
        this(trustAnchorsDer, verifier, clock, Options.defaults());
    }

    public PathValidator(List<byte[]> trustAnchorsDer, SignatureVerifier verifier, Clock clock, Options options) {
        if (verifier == null || clock == null || options == null) throw new NullPointerException();
        List<ParsedCertificate> list = new ArrayList<ParsedCertificate>();
        for (int i = 0; i < trustAnchorsDer.size(); i++) {
            byte[] der = trustAnchorsDer.get(i);
            ParsedCertificate c;
            try {
                c = ParsedCertificate.parse(der.clone());
            } catch (IOException e) {
                throw new IllegalArgumentException("invalid cert: trust anchor #" + i + " cannot be parsed: " + e.getMessage());
            }
            if (anchorsByDer.containsKey(ByteBuffer.wrap(c.der))) continue;
            list.add(c);
            anchorsByDer.put(ByteBuffer.wrap(c.der), c);
            List<ParsedCertificate> same = anchorsBySubject.get(ByteBuffer.wrap(c.subjectDer));
            if (same == null) anchorsBySubject.put(ByteBuffer.wrap(c.subjectDer), same = new ArrayList<ParsedCertificate>(1));
            same.add(c);
        }
        this.anchors = Collections.unmodifiableList(list);
        this.verifier = verifier;
        this.clock = clock;
        this.options = options;
    }

    /** A copy with other options. */
    public PathValidator withOptions(Options newOptions) {
        List<byte[]> ders = new ArrayList<byte[]>(anchors.size());
        for (ParsedCertificate a : anchors) ders.add(a.der);
        return new PathValidator(ders, verifier, clock, newOptions);
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
     * @return the validated path: the peer's certificate first, the trust anchor last
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
            throw new CertificateRejectedException(Reason.MALFORMED, 0, null, e.getMessage());
        }
        Search search = new Search(now, purpose);
        for (int i = 1; i < peerChainDer.size(); i++) {
            byte[] der = peerChainDer.get(i);
            if (Arrays.equals(der, leaf.der)) continue;
            boolean dup = false;
            for (ParsedCertificate o : search.intermediates) dup |= Arrays.equals(o.der, der);
            if (dup) continue;
            try {
                search.intermediates.add(ParsedCertificate.parse(der.clone()));
            } catch (IOException e) {
                search.record(RANK_EXTRA, Reason.MALFORMED, -1, null,
                        "certificate #" + i + " sent by the peer cannot be parsed: " + e.getMessage());
            }
        }

        boolean pinned = anchorsByDer.containsKey(ByteBuffer.wrap(leaf.der));
        if (!pinned && Arrays.equals(leaf.issuerDer, leaf.subjectDer)
                && !anchorsBySubject.containsKey(ByteBuffer.wrap(leaf.subjectDer))) {
            // what openssl req -x509 makes: no path can exist, whatever else is wrong with it; say how to trust it
            throw new CertificateRejectedException(Reason.UNKNOWN_ISSUER, 0, leaf.subjectString(),
                    "self-signed certificate, not trusted: to trust it, put it in cadata or cafile "
                            + "(loadVerifyLocations)");
        }
        Problem p = search.checkLeaf(leaf, pinned);
        if (p != null) throw p.toException(0, leaf.subjectString());
        // the name is checked before any signature: no path can fix a wrong name, and on a device a mismatch
        // then costs no public-key operation
        if (expectedName != null) {
            String mismatch = checkName(leaf, expectedName);
            if (mismatch != null) throw new CertificateRejectedException(Reason.HOSTNAME_MISMATCH, 0, leaf.subjectString(), mismatch);
        }

        List<ParsedCertificate> path = new ArrayList<ParsedCertificate>();
        path.add(leaf);
        boolean found;
        if (pinned) {
            // the peer's own certificate is a trust anchor (a pinned self-signed certificate): nothing to build
            found = true;
        } else {
            try {
                found = search.build(path);
            } catch (BudgetExceeded e) {
                throw new CertificateRejectedException(Reason.BUDGET_EXCEEDED, -1, null, e.getMessage());
            }
        }
        if (!found) throw search.best();
        List<byte[]> out = new ArrayList<byte[]>(path.size());
        for (ParsedCertificate c : path) out.add(c.der.clone());
        return out;
    }

    /** Why {@code anchor} could not serve as a trust anchor at {@code nowSeconds}, or null; for tests. */
    Problem anchorProblem(ParsedCertificate anchor, long nowSeconds) {
        return new Search(nowSeconds, Purpose.SERVER_AUTH).checkCa(anchor, true);
    }

    // ---------------------------------------------------------------------------------------------------------
    // host name (RFC 6125 section 6; CA/B BR: subjectAltName only, never the subject common name)

    static String checkName(ParsedCertificate leaf, String expectedName) {
        byte[] ip = ipReference(expectedName);
        String dns = ip == null ? dnsReferenceName(expectedName) : null;
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
                    if (dns != null && Names.dnsNameMatches(d, dns)) return null;
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
     * How {@link #verify} reads {@code expectedName} as a DNS name, for whoever must agree with it (the TLS client's
     * server_name, which RFC 6066 section 3 limits to DNS host names without a trailing dot).
     *
     * @return the DNS name without its trailing dot, or null when {@code expectedName} is an IP address (IPv4, IPv6,
     *     or bracketed IPv6) or is neither an IP address nor a valid DNS name (verify refuses it)
     */
    public static String dnsReferenceName(String expectedName) {
        if (expectedName == null || ipReference(expectedName) != null) return null;
        // an absolute name "example.com." is the same host (RFC 1034 section 3.1)
        String name = stripDot(expectedName);
        if (!Names.isValidDnsName(name, false)) return null;
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

    // ---------------------------------------------------------------------------------------------------------
    // failures

    static final Problem SIGNATURE_OK = new Problem(null, "signature verified");

    static final int RANK_NO_ISSUER = 0;
    static final int RANK_EXTRA = 1;
    static final int RANK_OTHER_CA = 2;
    static final int RANK_BAD_SIGNATURE = 3;
    static final int RANK_CANDIDATE = 4;
    static final int RANK_PATH = 5;

    /** A reason and detail, not yet tied to a position in a path. */
    static final class Problem {
        final Reason reason;
        final String detail;

        Problem(Reason reason, String detail) {
            this.reason = reason;
            this.detail = detail;
        }

        CertificateRejectedException toException(int depth, String subject) {
            return new CertificateRejectedException(reason, depth, subject, detail);
        }
    }

    static final class BudgetExceeded extends Exception {
        private static final long serialVersionUID = 1L;

        BudgetExceeded(String message) {
            super(message);
        }
    }

    /** The state of one verification: budgets, the extra certificates, and the best failure so far. */
    private final class Search {
        final long now;
        final Purpose purpose;
        final List<ParsedCertificate> intermediates = new ArrayList<ParsedCertificate>();
        // sized for a usual chain (the default IdentityHashMap is for 21 keys): certificates seen in one search
        final Map<ParsedCertificate, Problem> caChecks = new IdentityHashMap<ParsedCertificate, Problem>(4);
        final NameConstraintChecker.Budget ncBudget = new NameConstraintChecker.Budget(MAX_NAME_CONSTRAINT_COMPARISONS);
        int signaturesLeft = MAX_SIGNATURE_CHECKS;
        int stepsLeft = MAX_BUILD_STEPS;

        CertificateRejectedException bestFailure;
        int bestRank = -1;
        /** The path whose constraint check gave {@link #bestFailure}, if any; its signatures are not yet checked. */
        List<ParsedCertificate> bestPath;

        /** Signature checks done so far: child -> issuer -> problem, {@link #SIGNATURE_OK} if it verified. */
        final Map<ParsedCertificate, Map<ParsedCertificate, Problem>> edges =
                new IdentityHashMap<ParsedCertificate, Map<ParsedCertificate, Problem>>(4);

        Search(long now, Purpose purpose) {
            this.now = now;
            this.purpose = purpose;
        }

        void record(int rank, Reason reason, int depth, String subject, String detail) {
            if (rank > bestRank) {
                bestRank = rank;
                bestFailure = new CertificateRejectedException(reason, depth, subject, detail);
                bestPath = null;
            }
        }

        void recordPath(List<ParsedCertificate> path, Reason reason, int depth, String subject, String detail) {
            if (RANK_PATH > bestRank) {
                record(RANK_PATH, reason, depth, subject, detail);
                bestPath = new ArrayList<ParsedCertificate>(path);
            }
        }

        CertificateRejectedException best() {
            if (bestPath != null && options.diagnoseSignatures) {
                // a constraint failure is only worth reporting on a genuine path: a forged link is the real story
                try {
                    for (int i = 0; i + 1 < bestPath.size(); i++) {
                        Problem p = linkProblem(bestPath.get(i), bestPath.get(i + 1));
                        if (p != null) return p.toException(i, bestPath.get(i).subjectString());
                    }
                } catch (BudgetExceeded e) {
                    // keep the constraint failure
                }
            }
            return bestFailure != null ? bestFailure
                    : new CertificateRejectedException(Reason.UNKNOWN_ISSUER, -1, null, "no path to a trust anchor");
        }

        private Map<ByteBuffer, List<ParsedCertificate>> bySubject;

        /** The peer's extra certificates indexed by subject, built on first use. */
        private Map<ByteBuffer, List<ParsedCertificate>> intermediatesBySubject() {
            if (bySubject == null) {
                bySubject = new HashMap<ByteBuffer, List<ParsedCertificate>>();
                for (ParsedCertificate c : intermediates) {
                    List<ParsedCertificate> l = bySubject.get(ByteBuffer.wrap(c.subjectDer));
                    if (l == null) bySubject.put(ByteBuffer.wrap(c.subjectDer), l = new ArrayList<ParsedCertificate>(1));
                    l.add(c);
                }
            }
            return bySubject;
        }

        List<String> requiredEku() {
            if (options.requiredEku != null) return options.requiredEku;
            return Collections.singletonList(purpose == Purpose.SERVER_AUTH ? EKU_SERVER_AUTH : EKU_CLIENT_AUTH);
        }

        /**
         * Depth-first search for a path from {@code path}'s last certificate to an anchor. Issuers are matched by
         * name and checked cheaply first; signatures are verified eagerly only where there is a choice of
         * issuer (to prune), otherwise once a complete path passes its constraint checks.
         */
        boolean build(List<ParsedCertificate> path) throws BudgetExceeded {
            if (--stepsLeft < 0) throw new BudgetExceeded("path building gave up after " + MAX_BUILD_STEPS + " steps");
            ParsedCertificate child = path.get(path.size() - 1);
            int depth = path.size();

            List<ParsedCertificate> anchorCandidates = anchorsBySubject.get(ByteBuffer.wrap(child.issuerDer));
            if (anchorCandidates == null) anchorCandidates = Collections.emptyList();
            List<ParsedCertificate> candidates = new ArrayList<ParsedCertificate>();
            List<ParsedCertificate> named = intermediatesBySubject().get(ByteBuffer.wrap(child.issuerDer));
            for (ParsedCertificate c : named != null ? named : Collections.<ParsedCertificate>emptyList()) {
                // a copy of an anchor (same subject and key) stays a candidate: if the anchor itself is unusable
                // (say, expired), the copy may be cross-signed by another trusted root
                boolean loop = false;
                for (ParsedCertificate inPath : path) loop |= inPath.sameSubjectAndKey(c);
                if (!loop) candidates.add(c);
            }
            if (anchorCandidates.isEmpty() && candidates.isEmpty()) {
                record(RANK_NO_ISSUER, Reason.UNKNOWN_ISSUER, depth - 1, child.subjectString(),
                        "no trusted or supplied certificate for its issuer " + Names.forMessage(Names.rfc4514(child.issuer))
                                + (depth == 1 ? " (missing intermediate, or unknown CA)" : ""));
                return false;
            }
            boolean eager = anchorCandidates.size() + candidates.size() > 1;

            for (ParsedCertificate anchor : order(anchorCandidates, child)) {
                boolean loop = false;
                for (ParsedCertificate inPath : path) loop |= inPath != path.get(0) && inPath.sameSubjectAndKey(anchor);
                if (loop) continue;
                if (!usableIssuer(anchor, depth, true)) continue;
                if (eager && !signatureOk(child, anchor, depth)) continue;
                path.add(anchor);
                if (checkPath(path) == null && pathSignaturesOk(path) && notRevoked(path)) return true;
                path.remove(path.size() - 1);
            }
            for (ParsedCertificate candidate : order(candidates, child)) {
                int intermediatesSoFar = countNonSelfIssuedIntermediates(path, candidate);
                if (path.size() > MAX_PATH_INTERMEDIATES || intermediatesSoFar > options.maxIntermediates) {
                    record(RANK_CANDIDATE, Reason.PATH_TOO_LONG, depth, candidate.subjectString(),
                            "the path would need more than " + options.maxIntermediates + " intermediate certificates");
                    continue;
                }
                if (!usableIssuer(candidate, depth, false)) continue;
                if (eager && !signatureOk(child, candidate, depth)) continue;
                path.add(candidate);
                if (build(path)) return true;
                path.remove(path.size() - 1);
            }
            return false;
        }

        /** Candidates whose subjectKeyIdentifier matches the child's authorityKeyIdentifier first (as Go does). */
        private List<ParsedCertificate> order(List<ParsedCertificate> candidates, ParsedCertificate child) {
            if (child.authorityKeyId == null || candidates.size() < 2) return candidates;
            List<ParsedCertificate> first = new ArrayList<ParsedCertificate>();
            List<ParsedCertificate> rest = new ArrayList<ParsedCertificate>();
            for (ParsedCertificate c : candidates) {
                (c.subjectKeyId != null && Arrays.equals(c.subjectKeyId, child.authorityKeyId) ? first : rest).add(c);
            }
            first.addAll(rest);
            return first;
        }

        /** The issuer-independent checks of a CA candidate, cached; records why it cannot issue. */
        private boolean usableIssuer(ParsedCertificate issuer, int depth, boolean isAnchor) {
            Problem p = caChecks.get(issuer);
            if (p == null && !caChecks.containsKey(issuer)) {
                p = checkCa(issuer, isAnchor);
                caChecks.put(issuer, p);
            }
            if (p != null) {
                record(RANK_CANDIDATE, p.reason, depth, issuer.subjectString(), p.detail);
                return false;
            }
            return true;
        }

        /** Whether {@code issuer} signed {@code child}; records why not. */
        private boolean signatureOk(ParsedCertificate child, ParsedCertificate issuer, int issuerDepth) throws BudgetExceeded {
            Problem p = linkProblem(child, issuer);
            if (p != null) {
                record(p.reason == Reason.UNKNOWN_ISSUER ? RANK_OTHER_CA : RANK_BAD_SIGNATURE, p.reason, issuerDepth - 1,
                        child.subjectString(), p.detail);
            }
            return p == null;
        }

        /**
         * The signature check of one link, as the peer should hear it. A trust anchor that shares the issuer's name
         * but is not the key the child's authorityKeyIdentifier names (or the child names no key) is another CA:
         * the certificate comes from a CA we do not know, UNKNOWN_ISSUER, as rustls-webpki (UnknownIssuer when no
         * candidate verifies) and Go's crypto/x509 ("signed by unknown authority") report it. A signature that fails
         * under the anchor its authorityKeyIdentifier names, or under an intermediate the peer sent, stays
         * BAD_SIGNATURE: the certificate was altered, or the peer's chain is forged.
         */
        Problem linkProblem(ParsedCertificate child, ParsedCertificate issuer) throws BudgetExceeded {
            Problem p = signatureCheck(child, issuer);
            if (p == null || p.reason != Reason.BAD_SIGNATURE || !isTrustAnchor(issuer)
                    || issuer.hasKeyIdentifier(child.authorityKeyId)) {
                return p;
            }
            return new Problem(Reason.UNKNOWN_ISSUER, "issued by a CA that is not trusted: a trust anchor named "
                    + issuer.subjectString() + " exists, but with a different key (the signature does not verify under it)");
        }

        /** The anchor itself, not a copy of it that the peer sent. */
        private boolean isTrustAnchor(ParsedCertificate c) {
            return anchorsByDer.get(ByteBuffer.wrap(c.der)) == c;
        }

        private boolean pathSignaturesOk(List<ParsedCertificate> path) throws BudgetExceeded {
            for (int i = path.size() - 2; i >= 0; i--) {
                if (!signatureOk(path.get(i), path.get(i + 1), i + 1)) return false;
            }
            return true;
        }

        /** Cached signature check of one link. */
        Problem signatureCheck(ParsedCertificate child, ParsedCertificate issuer) throws BudgetExceeded {
            Map<ParsedCertificate, Problem> byIssuer = edges.get(child);
            if (byIssuer == null) edges.put(child, byIssuer = new IdentityHashMap<ParsedCertificate, Problem>(4));
            Problem p = byIssuer.get(issuer);
            if (p == null) {
                p = checkSignature(child, issuer);
                if (p == null) p = SIGNATURE_OK;
                byIssuer.put(issuer, p);
            }
            return p == SIGNATURE_OK ? null : p;
        }

        private Problem checkSignature(ParsedCertificate child, ParsedCertificate issuer) throws BudgetExceeded {
            return checkSignature(child.signatureAlgorithm, child.tbsDer, child.signatureValue, issuer);
        }

        private Problem checkSignature(org.bouncycastle.asn1.x509.AlgorithmIdentifier algorithm, byte[] signed,
                byte[] signature, ParsedCertificate issuer) throws BudgetExceeded {
            SignatureScheme scheme;
            Algorithms.KeyType keyType;
            try {
                scheme = Algorithms.signatureScheme(algorithm);
                keyType = Algorithms.checkPublicKey(issuer.spki);
            } catch (Algorithms.WeakAlgorithmException e) {
                return new Problem(Reason.WEAK_ALGORITHM, e.getMessage());
            } catch (IOException e) {
                return new Problem(Reason.MALFORMED, e.getMessage());
            }
            if (!Algorithms.compatible(scheme, keyType)) {
                return new Problem(Reason.BAD_SIGNATURE, "signed with " + scheme + " but the issuer's key is " + keyType);
            }
            if (--signaturesLeft < 0) {
                throw new BudgetExceeded("path building gave up after " + MAX_SIGNATURE_CHECKS + " signature checks");
            }
            SignedLink link = new SignedLink(scheme, issuer.spkiDer, signed, signature);
            synchronized (verifiedLinks) {
                if (verifiedLinks.get(link) != null) return null;
            }
            boolean ok;
            try {
                ok = verifier.verify(scheme, issuer.spkiDer, signed, signature);
            } catch (IllegalArgumentException e) {
                return new Problem(Reason.BAD_SIGNATURE, "the issuer's key cannot verify " + scheme + ": " + e.getMessage());
            }
            if (ok) {
                synchronized (verifiedLinks) {
                    verifiedLinks.put(link, Boolean.TRUE);
                }
            }
            return ok ? null : new Problem(Reason.BAD_SIGNATURE,
                    scheme + " signature does not verify with the key of " + issuer.subjectString());
        }

        /** RFC 5280 section 6.3: each certificate below the anchor against the CRLs of its issuer. */
        private boolean notRevoked(List<ParsedCertificate> path) throws BudgetExceeded {
            if (options.crls.isEmpty()) return true;
            for (int i = 0; i + 1 < path.size(); i++) {
                ParsedCertificate cert = path.get(i);
                ParsedCertificate issuer = path.get(i + 1);
                for (RevocationList crl : options.crls) {
                    if (!Arrays.equals(crl.issuerDer, cert.issuerDer)) continue;
                    Problem p = checkCrl(crl, issuer);
                    if (p != null) {
                        recordPath(path, p.reason, i + 1, issuer.subjectString(), "its CRL cannot be used: " + p.detail);
                        return false;
                    }
                    Long when = crl.revoked.get(cert.serial);
                    if (when != null) {
                        recordPath(path, Reason.REVOKED, i, cert.subjectString(), "serial " + cert.serial.toString(16)
                                + " was revoked on " + Asn1Time.format(when) + " (CRL of " + crl.issuerString + ")");
                        return false;
                    }
                }
            }
            return true;
        }

        private Problem checkCrl(RevocationList crl, ParsedCertificate issuer) throws BudgetExceeded {
            if (crl.problem != null) return new Problem(Reason.MALFORMED, crl.problem);
            if (!crl.signatureAlgorithmsMatch) {
                return new Problem(Reason.MALFORMED, "CRL signatureAlgorithm differs from its TBSCertList signature field");
            }
            if (issuer.keyUsage >= 0 && (issuer.keyUsage & KeyUsage.cRLSign) == 0) {
                return new Problem(Reason.BAD_KEY_USAGE, "the issuer's keyUsage does not allow cRLSign (RFC 5280 section 6.3.3 (f))");
            }
            Problem p = checkSignature(crl.signatureAlgorithm, crl.tbsDer, crl.signatureValue, issuer);
            if (p != null) return p;
            if (now < crl.thisUpdate) {
                return new Problem(Reason.NOT_YET_VALID, "now " + Asn1Time.format(now) + " is before the CRL's thisUpdate "
                        + Asn1Time.format(crl.thisUpdate));
            }
            if (now > crl.nextUpdate) {
                return new Problem(Reason.EXPIRED, "now " + Asn1Time.format(now) + " is after the CRL's nextUpdate "
                        + Asn1Time.format(crl.nextUpdate) + "; load a fresh CRL");
            }
            return null;
        }

        // -----------------------------------------------------------------------------------------------------
        // checks of one certificate

        /** Checks common to every certificate in a path. */
        private Problem checkCommon(ParsedCertificate c, boolean isAnchor) {
            if (c.extensionProblem != null) return new Problem(Reason.MALFORMED, c.extensionProblem);
            if (c.version != 3) {
                return new Problem(Reason.MALFORMED, "X.509 version " + c.version + " (only v3 is accepted, CA/B BR 7.1.1)");
            }
            if (!c.signatureAlgorithmsMatch) {
                return new Problem(Reason.MALFORMED,
                        "signatureAlgorithm differs from the TBSCertificate's signature field (RFC 5280 section 4.1.1.2)");
            }
            if (c.issuer.getRDNs().length == 0) {
                return new Problem(Reason.MALFORMED, "empty issuer name (RFC 5280 section 4.1.2.4)");
            }
            if (!isAnchor) {
                // RFC 5280 section 4.1.2.2: a positive integer of at most 20 octets
                if (c.serial.signum() <= 0) {
                    return new Problem(Reason.MALFORMED, "serial number is not positive (RFC 5280 section 4.1.2.2)");
                }
                if (c.serialOctets > 20) {
                    return new Problem(Reason.MALFORMED, "serial number of " + c.serialOctets + " octets (RFC 5280: at most 20)");
                }
            }
            for (String oid : c.criticalExtensions) {
                if (!isProcessedCritical(oid)) {
                    return new Problem(Reason.UNSUPPORTED_CRITICAL_EXTENSION,
                            "critical extension " + oid + " is not understood (RFC 5280 section 4.2)");
                }
            }
            try {
                if (!isAnchor) Algorithms.signatureScheme(c.signatureAlgorithm);
                Algorithms.checkPublicKey(c.spki);
            } catch (Algorithms.WeakAlgorithmException e) {
                return new Problem(Reason.WEAK_ALGORITHM, e.getMessage());
            } catch (IOException e) {
                return new Problem(Reason.MALFORMED, e.getMessage());
            }
            if (now < c.notBefore) {
                return new Problem(Reason.NOT_YET_VALID,
                        "now " + Asn1Time.format(now) + " is before notBefore " + Asn1Time.format(c.notBefore));
            }
            if (now > c.notAfter) {
                return new Problem(Reason.EXPIRED,
                        "now " + Asn1Time.format(now) + " is after notAfter " + Asn1Time.format(c.notAfter));
            }
            return null;
        }

        private boolean isProcessedCritical(String oid) {
            switch (oid) {
                case ParsedCertificate.EXT_BC:
                case ParsedCertificate.EXT_KU:
                case ParsedCertificate.EXT_EKU:
                case ParsedCertificate.EXT_SAN:
                case ParsedCertificate.EXT_NC:
                // policies: every path is treated as valid for anyPolicy, as Go and rustls-webpki do
                case ParsedCertificate.EXT_POLICIES:
                case ParsedCertificate.EXT_POLICY_CONSTRAINTS:
                case ParsedCertificate.EXT_POLICY_MAPPINGS:
                case ParsedCertificate.EXT_INHIBIT_ANY_POLICY:
                    return true;
                default:
                    return false;
            }
        }

        /** The peer's certificate. {@code pinned}: it is itself a trust anchor. */
        Problem checkLeaf(ParsedCertificate c, boolean pinned) {
            Problem p = checkCommon(c, pinned);
            if (p != null) return p;
            if (c.isCa && !pinned) {
                return new Problem(Reason.BAD_KEY_USAGE,
                        "a CA certificate (basicConstraints cA=TRUE) cannot be the peer's certificate (CA/B BR 7.1.2.7.8)");
            }
            if (!c.isCa && c.keyUsage >= 0 && (c.keyUsage & KeyUsage.keyCertSign) != 0) {
                return new Problem(Reason.BAD_KEY_USAGE, "keyUsage keyCertSign without basicConstraints cA (RFC 5280 section 4.2.1.9)");
            }
            if (c.keyUsage >= 0 && (c.keyUsage & options.requiredKeyUsage) != options.requiredKeyUsage) {
                return new Problem(Reason.BAD_KEY_USAGE, "keyUsage does not allow " + keyUsageNames(options.requiredKeyUsage));
            }
            if (c.nameConstraints != null && !c.isCa) {
                return new Problem(Reason.MALFORMED, "nameConstraints in an end-entity certificate (RFC 5280 section 4.2.1.10)");
            }
            if (!c.hasAuthorityKeyId && !c.isSelfIssued()) {
                return new Problem(Reason.MALFORMED, "no authorityKeyIdentifier (RFC 5280 section 4.2.1.1: MUST be present)");
            }
            if (c.subject.getRDNs().length == 0) {
                if (c.subjectAltNames == null || !c.sanCritical) {
                    return new Problem(Reason.MALFORMED,
                            "empty subject without a critical subjectAltName (RFC 5280 section 4.2.1.6)");
                }
            } else if (c.sanCritical) {
                return new Problem(Reason.MALFORMED, "critical subjectAltName with a non-empty subject (CA/B BR 7.1.2.7.12)");
            }
            if (c.extendedKeyUsage != null) {
                boolean ok = false;
                for (String required : requiredEku()) ok |= c.extendedKeyUsage.contains(required);
                if (!ok) {
                    return new Problem(Reason.BAD_EXTENDED_KEY_USAGE, "extendedKeyUsage " + ekuNames(c.extendedKeyUsage)
                            + " does not allow " + ekuNames(requiredEku()));
                }
            }
            return null;
        }

        /** A certificate used to issue another: an intermediate or a trust anchor. */
        Problem checkCa(ParsedCertificate c, boolean isAnchor) {
            Problem p = checkCommon(c, isAnchor);
            if (p != null) return p;
            if (!c.hasBasicConstraints || !c.isCa) {
                return new Problem(Reason.NOT_A_CA, (c.hasBasicConstraints ? "basicConstraints cA is FALSE" : "no basicConstraints")
                        + ", so it may not issue certificates (RFC 5280 section 4.2.1.9)");
            }
            // RFC 5280 profile rules on how a CA certificate is encoded bind intermediates. For trust anchors, which
            // are trusted by subject and key (section 6.1.1 (d)), they are waived: roots still in every trust
            // store break them (Go Daddy / Starfield Class 2 and ePKI: non-critical basicConstraints; TWCA Global:
            // no subjectKeyIdentifier; QuoVadis Root CA 2/3, Certigna: issuer and serial in their AKI).
            if (!isAnchor && !c.basicConstraintsCritical) {
                return new Problem(Reason.MALFORMED, "basicConstraints of a CA is not critical (RFC 5280 section 4.2.1.9)");
            }
            if (c.keyUsage >= 0 && (c.keyUsage & KeyUsage.keyCertSign) == 0) {
                return new Problem(Reason.BAD_KEY_USAGE, "keyUsage does not allow keyCertSign (RFC 5280 section 4.2.1.3)");
            }
            if (c.subject.getRDNs().length == 0) {
                return new Problem(Reason.MALFORMED, "a CA with an empty subject (RFC 5280 section 4.1.2.6)");
            }
            if (!isAnchor && c.subjectKeyId == null) {
                return new Problem(Reason.MALFORMED, "a CA without subjectKeyIdentifier (RFC 5280 section 4.2.1.2: MUST be present)");
            }
            if (!isAnchor && !c.hasAuthorityKeyId && !c.isSelfIssued()) {
                return new Problem(Reason.MALFORMED,
                        "no authorityKeyIdentifier and not self-signed (RFC 5280 section 4.2.1.1: MUST be present)");
            }
            if (isAnchor && c.hasAuthorityKeyId) {
                // an AKI that contradicts the root itself is a broken certificate, not a legacy encoding
                if (c.authorityKeyId == null) {
                    return new Problem(Reason.MALFORMED, "root authorityKeyIdentifier without keyIdentifier (CA/B BR 7.1.2.1.3)");
                }
                if (c.isSelfIssued() && c.subjectKeyId != null && !Arrays.equals(c.authorityKeyId, c.subjectKeyId)) {
                    return new Problem(Reason.MALFORMED,
                            "root authorityKeyIdentifier differs from its subjectKeyIdentifier (CA/B BR 7.1.2.1.3)");
                }
            }
            if (c.nameConstraints != null) {
                try {
                    NameConstraintChecker.of(c.nameConstraints);
                } catch (IOException e) {
                    return new Problem(Reason.MALFORMED, e.getMessage());
                }
            }
            if (c.extendedKeyUsage != null && !c.extendedKeyUsage.contains(ParsedCertificate.EKU_ANY)) {
                // a CA's EKU restricts what it may issue for (the Go / Mozilla interpretation)
                boolean ok = false;
                for (String required : requiredEku()) ok |= c.extendedKeyUsage.contains(required);
                if (!ok) {
                    return new Problem(Reason.BAD_EXTENDED_KEY_USAGE, "CA extendedKeyUsage " + ekuNames(c.extendedKeyUsage)
                            + " does not allow " + ekuNames(requiredEku()));
                }
            }
            return null;
        }

        /** Checks that need the whole path (leaf first, anchor last): pathLenConstraint and name constraints. */
        private Problem checkPath(List<ParsedCertificate> path) throws BudgetExceeded {
            int n = path.size() - 1;
            for (int k = n; k >= 1; k--) {
                ParsedCertificate ca = path.get(k);
                if (ca.pathLen != null) {
                    // RFC 5280 section 4.2.1.9: non-self-issued intermediates that may follow this CA
                    int following = 0;
                    for (int j = 1; j < k; j++) if (!path.get(j).isSelfIssued()) following++;
                    if (ca.pathLen.compareTo(java.math.BigInteger.valueOf(following)) < 0) {
                        recordPath(path, Reason.PATH_TOO_LONG, k, ca.subjectString(),
                                "pathLenConstraint " + ca.pathLen + " but " + following + " intermediate certificate"
                                        + (following == 1 ? " follows" : "s follow"));
                        return new Problem(Reason.PATH_TOO_LONG, "");
                    }
                }
                if (ca.nameConstraints != null) {
                    NameConstraintChecker nc;
                    try {
                        nc = NameConstraintChecker.of(ca.nameConstraints);
                    } catch (IOException e) {
                        return new Problem(Reason.MALFORMED, e.getMessage()); // already rejected in checkCa
                    }
                    for (int j = k - 1; j >= 0; j--) {
                        ParsedCertificate sub = path.get(j);
                        // RFC 5280 section 6.1.3 (b): not applied to self-issued intermediates
                        if (j > 0 && sub.isSelfIssued()) continue;
                        String violation;
                        try {
                            violation = nc.check(sub, ncBudget);
                        } catch (NameConstraintChecker.BudgetExceededException e) {
                            throw new BudgetExceeded("name constraint checking gave up after "
                                    + MAX_NAME_CONSTRAINT_COMPARISONS + " comparisons");
                        }
                        if (violation != null) {
                            recordPath(path, Reason.NAME_CONSTRAINT_VIOLATION, j, sub.subjectString(),
                                    violation + " (constrained by " + ca.subjectString() + ")");
                            return new Problem(Reason.NAME_CONSTRAINT_VIOLATION, violation);
                        }
                    }
                }
            }
            return null;
        }
    }

    /**
     * One signature check's inputs, kept as their SHA-256 digest (each field length-prefixed, so no two inputs
     * share an encoding): a cache entry costs 32 bytes, not the certificates it came from, which matters on a
     * device. A hit needs a SHA-256 collision to be wrong.
     */
    private static final class SignedLink {
        final byte[] digest;
        final int hash;

        SignedLink(SignatureScheme scheme, byte[] issuerKey, byte[] signed, byte[] signature) {
            SHA256Digest sha = new SHA256Digest();
            update(sha, scheme.name().getBytes(StandardCharsets.US_ASCII));
            update(sha, issuerKey);
            update(sha, signed);
            update(sha, signature);
            digest = new byte[32];
            sha.doFinal(digest, 0);
            hash = Arrays.hashCode(digest);
        }

        private static void update(SHA256Digest sha, byte[] field) {
            int n = field.length;
            sha.update((byte) (n >>> 24));
            sha.update((byte) (n >>> 16));
            sha.update((byte) (n >>> 8));
            sha.update((byte) n);
            sha.update(field, 0, n);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SignedLink && Arrays.equals(digest, ((SignedLink) o).digest);
        }
    }

    private static int countNonSelfIssuedIntermediates(List<ParsedCertificate> path, ParsedCertificate next) {
        int count = next.isSelfIssued() ? 0 : 1;
        for (int j = 1; j < path.size(); j++) if (!path.get(j).isSelfIssued()) count++;
        return count;
    }

    private static String ekuNames(List<String> oids) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < oids.size(); i++) {
            if (i > 0) sb.append(", ");
            String o = oids.get(i);
            switch (o) {
                case EKU_SERVER_AUTH: sb.append("serverAuth"); break;
                case EKU_CLIENT_AUTH: sb.append("clientAuth"); break;
                case ParsedCertificate.EKU_ANY: sb.append("anyExtendedKeyUsage"); break;
                case "1.3.6.1.5.5.7.3.3": sb.append("codeSigning"); break;
                case "1.3.6.1.5.5.7.3.4": sb.append("emailProtection"); break;
                case "1.3.6.1.5.5.7.3.8": sb.append("timeStamping"); break;
                case "1.3.6.1.5.5.7.3.9": sb.append("OCSPSigning"); break;
                default: sb.append(o);
            }
        }
        return sb.append(']').toString();
    }

    private static String keyUsageNames(int bits) {
        String[] names = {"digitalSignature", "nonRepudiation", "keyEncipherment", "dataEncipherment",
                "keyAgreement", "keyCertSign", "cRLSign", "encipherOnly", "decipherOnly"};
        StringBuilder sb = new StringBuilder();
        for (String n : names) {
            if ((bits & Options.keyUsageBit(n)) != 0) sb.append(sb.length() > 0 ? ", " : "").append(n);
        }
        return sb.toString();
    }
}
