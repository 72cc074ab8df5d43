package org.microssl.x509;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * One verification's search for a path from the peer's certificate to a trust anchor (RFC 5280 section 6), after
 * rustls-webpki's {@code src/verify_cert.rs}: depth first through the certificates the peer sent, in any order,
 * trying alternatives (cross-signed and re-issued CAs) within a {@link Budget}.
 *
 * <p>Issuers are matched by name and checked cheaply first; signatures are verified eagerly only where there is
 * a choice of issuer (to prune), otherwise once a complete path passes its constraint checks. When every path
 * fails, the most useful failure is kept: one found on a path that reached an anchor beats one found on a
 * certificate that was a plausible issuer, which beats a bad signature, which beats a trust anchor that only shares
 * the issuer's name, which beats "no issuer found".
 */
final class PathBuilder {

    /**
     * Hard cap on intermediates in a path, self-issued ones included: the default limit plus two key
     * rollovers; it bounds the depth of the search whatever the options say.
     */
    private static final int MAX_PATH_INTERMEDIATES = PathValidator.DEFAULT_MAX_INTERMEDIATES + 2;

    /** How useful a failure is to the person reading it, least first; the highest found is reported. */
    private enum Rank { NO_ISSUER, EXTRA, OTHER_CA, BAD_SIGNATURE, CANDIDATE, PATH }

    /** A link whose signature verified, in {@link #edges}. */
    private static final Problem SIGNATURE_OK = new Problem(null, "signature verified");

    private final long now;
    private final CertificateChecks checks;
    private final PathValidator.Options options;
    private final Map<ByteBuffer, List<ParsedCertificate>> anchorsBySubject;
    private final Map<ByteBuffer, ParsedCertificate> anchorsByDer;
    private final SignatureCache signatures;
    private final Budget budget = new Budget();

    /** The other certificates the peer sent, parsed, without duplicates. */
    private final List<ParsedCertificate> intermediates = new ArrayList<ParsedCertificate>();
    private Map<ByteBuffer, List<ParsedCertificate>> intermediatesBySubject;
    // sized for a usual chain (the default IdentityHashMap is for 21 keys): certificates seen in one search
    private final Map<ParsedCertificate, Problem> caChecks = new IdentityHashMap<ParsedCertificate, Problem>(4);
    /** Signature checks done so far: child -> issuer -> problem, {@link #SIGNATURE_OK} if it verified. */
    private final Map<ParsedCertificate, Map<ParsedCertificate, Problem>> edges =
            new IdentityHashMap<ParsedCertificate, Map<ParsedCertificate, Problem>>(4);

    private CertificateRejectedException bestFailure;
    /** Null before the first failure. */
    private Rank bestRank;
    /** The path whose constraint check gave {@link #bestFailure}, if any; its signatures are not yet checked. */
    private List<ParsedCertificate> bestPath;

    PathBuilder(long now, CertificateChecks checks, PathValidator.Options options,
            Map<ByteBuffer, List<ParsedCertificate>> anchorsBySubject, Map<ByteBuffer, ParsedCertificate> anchorsByDer,
            SignatureCache signatures) {
        this.now = now;
        this.checks = checks;
        this.options = options;
        this.anchorsBySubject = anchorsBySubject;
        this.anchorsByDer = anchorsByDer;
        this.signatures = signatures;
    }

    /**
     * Adds certificate #{@code index} of those the peer sent, unless it repeats one already added. One that cannot
     * be parsed is left out: it fails the verification only if no path is found without it.
     */
    void addIntermediate(byte[] der, int index) {
        for (ParsedCertificate o : intermediates) {
            if (Arrays.equals(o.der, der)) return;
        }
        try {
            intermediates.add(ParsedCertificate.parse(der.clone()));
        } catch (IOException e) {
            record(Rank.EXTRA, Reason.MALFORMED, -1, null,
                    "certificate #" + index + " sent by the peer cannot be parsed: " + Der.why(e));
        }
    }

    /**
     * Extends {@code path} (the peer's certificate, already checked) to a trust anchor.
     *
     * @return whether a valid path was found; if so, {@code path} holds it, anchor last
     * @throws Budget.Exceeded when the search ran out of budget
     */
    boolean build(List<ParsedCertificate> path) throws Budget.Exceeded {
        budget.spendBuildStep();
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
            record(Rank.NO_ISSUER, Reason.UNKNOWN_ISSUER, depth - 1, child.subjectString(),
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
            if (completes(path)) return true;
            path.remove(path.size() - 1);
        }
        for (ParsedCertificate candidate : order(candidates, child)) {
            int intermediatesSoFar = countNonSelfIssuedIntermediates(path, candidate);
            if (path.size() > MAX_PATH_INTERMEDIATES || intermediatesSoFar > options.maxIntermediates) {
                record(Rank.CANDIDATE, Reason.PATH_TOO_LONG, depth, candidate.subjectString(),
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

    /** Whether a path that reached an anchor is valid: its constraints, its signatures, revocation. */
    private boolean completes(List<ParsedCertificate> path) throws Budget.Exceeded {
        Problem p = constraintProblem(path);
        if (p == null && !pathSignaturesOk(path)) return false;
        if (p == null && !options.crls.isEmpty()) {
            p = RevocationCheck.firstProblem(path, options.crls, now, signatures, budget);
        }
        if (p == null) return true;
        recordPath(path, p);
        return false;
    }

    /** The most useful failure found; call when {@link #build} found no path. */
    CertificateRejectedException best() {
        if (bestPath != null && options.diagnoseSignatures) {
            // a constraint failure is only worth reporting on a genuine path: a forged link is the real story
            try {
                for (int i = 0; i + 1 < bestPath.size(); i++) {
                    Problem p = linkProblem(bestPath.get(i), bestPath.get(i + 1));
                    if (p != null) return p.at(i, bestPath.get(i)).toException();
                }
            } catch (Budget.Exceeded e) {
                // keep the constraint failure
            }
        }
        return bestFailure != null ? bestFailure
                : new CertificateRejectedException(Reason.UNKNOWN_ISSUER, -1, null, "no path to a trust anchor");
    }

    /** Keeps this failure if it is more useful than the best so far. */
    private void record(Rank rank, Reason reason, int depth, String subject, String detail) {
        if (bestRank == null || rank.compareTo(bestRank) > 0) {
            record(rank, new CertificateRejectedException(reason, depth, subject, detail));
        }
    }

    private void record(Rank rank, CertificateRejectedException failure) {
        if (bestRank == null || rank.compareTo(bestRank) > 0) {
            bestRank = rank;
            bestFailure = failure;
            bestPath = null;
        }
    }

    /** A failure of a path that reached an anchor: the most useful kind. */
    private void recordPath(List<ParsedCertificate> path, Problem located) {
        if (bestRank != Rank.PATH) {
            record(Rank.PATH, located.toException());
            bestPath = new ArrayList<ParsedCertificate>(path);
        }
    }

    /** The peer's extra certificates indexed by subject, built on first use. */
    private Map<ByteBuffer, List<ParsedCertificate>> intermediatesBySubject() {
        if (intermediatesBySubject == null) {
            intermediatesBySubject = new HashMap<ByteBuffer, List<ParsedCertificate>>();
            for (ParsedCertificate c : intermediates) {
                List<ParsedCertificate> l = intermediatesBySubject.get(ByteBuffer.wrap(c.subjectDer));
                if (l == null) intermediatesBySubject.put(ByteBuffer.wrap(c.subjectDer), l = new ArrayList<ParsedCertificate>(1));
                l.add(c);
            }
        }
        return intermediatesBySubject;
    }

    /** Candidates whose subjectKeyIdentifier matches the child's authorityKeyIdentifier first (as Go does). */
    private static List<ParsedCertificate> order(List<ParsedCertificate> candidates, ParsedCertificate child) {
        if (child.authorityKeyId == null || candidates.size() < 2) return candidates;
        List<ParsedCertificate> first = new ArrayList<ParsedCertificate>();
        List<ParsedCertificate> rest = new ArrayList<ParsedCertificate>();
        for (ParsedCertificate c : candidates) {
            (c.subjectKeyId != null && Arrays.equals(c.subjectKeyId, child.authorityKeyId) ? first : rest).add(c);
        }
        first.addAll(rest);
        return first;
    }

    private static int countNonSelfIssuedIntermediates(List<ParsedCertificate> path, ParsedCertificate next) {
        int count = next.isSelfIssued() ? 0 : 1;
        for (int j = 1; j < path.size(); j++) if (!path.get(j).isSelfIssued()) count++;
        return count;
    }

    /** The issuer-independent checks of a CA candidate, cached; records why it cannot issue. */
    private boolean usableIssuer(ParsedCertificate issuer, int depth, boolean isAnchor) {
        Problem p = caChecks.get(issuer);
        if (p == null && !caChecks.containsKey(issuer)) {
            p = checks.ca(issuer, isAnchor);
            caChecks.put(issuer, p);
        }
        if (p != null) {
            record(Rank.CANDIDATE, p.reason, depth, issuer.subjectString(), p.detail);
            return false;
        }
        return true;
    }

    /** Checks that need the whole path (leaf first, anchor last): pathLenConstraint and name constraints. */
    private Problem constraintProblem(List<ParsedCertificate> path) throws Budget.Exceeded {
        int n = path.size() - 1;
        for (int k = n; k >= 1; k--) {
            ParsedCertificate ca = path.get(k);
            if (ca.pathLen != null) {
                // RFC 5280 section 4.2.1.9: non-self-issued intermediates that may follow this CA
                int following = 0;
                for (int j = 1; j < k; j++) if (!path.get(j).isSelfIssued()) following++;
                if (ca.pathLen.compareTo(BigInteger.valueOf(following)) < 0) {
                    return new Problem(Reason.PATH_TOO_LONG, "pathLenConstraint " + ca.pathLen + " but " + following
                            + " intermediate certificate" + (following == 1 ? " follows" : "s follow"))
                            .at(k, ca);
                }
            }
            // a CA whose constraints could not be parsed never gets here: checks.ca refused it
            if (ca.nameConstraints != null) {
                for (int j = k - 1; j >= 0; j--) {
                    ParsedCertificate sub = path.get(j);
                    // RFC 5280 section 6.1.3 (b): not applied to self-issued intermediates
                    if (j > 0 && sub.isSelfIssued()) continue;
                    String violation = ca.nameConstraints.check(sub, budget);
                    if (violation != null) {
                        return new Problem(Reason.NAME_CONSTRAINT_VIOLATION,
                                violation + " (constrained by " + ca.subjectString() + ")").at(j, sub);
                    }
                }
            }
        }
        return null;
    }

    /** Whether {@code issuer} signed {@code child}; records why not. */
    private boolean signatureOk(ParsedCertificate child, ParsedCertificate issuer, int issuerDepth) throws Budget.Exceeded {
        Problem p = linkProblem(child, issuer);
        if (p != null) {
            record(p.reason == Reason.UNKNOWN_ISSUER ? Rank.OTHER_CA : Rank.BAD_SIGNATURE, p.reason, issuerDepth - 1,
                    child.subjectString(), p.detail);
        }
        return p == null;
    }

    private boolean pathSignaturesOk(List<ParsedCertificate> path) throws Budget.Exceeded {
        for (int i = path.size() - 2; i >= 0; i--) {
            if (!signatureOk(path.get(i), path.get(i + 1), i + 1)) return false;
        }
        return true;
    }

    /**
     * The signature check of one link, as the peer should hear it. A trust anchor that shares the issuer's name
     * but is not the key the child's authorityKeyIdentifier names (or the child names no key) is another CA:
     * the certificate comes from a CA we do not know, UNKNOWN_ISSUER, as rustls-webpki (UnknownIssuer when no
     * candidate verifies) and Go's crypto/x509 ("signed by unknown authority") report it. A signature that fails
     * under the anchor its authorityKeyIdentifier names, or under an intermediate the peer sent, stays
     * BAD_SIGNATURE: the certificate was altered, or the peer's chain is forged.
     */
    private Problem linkProblem(ParsedCertificate child, ParsedCertificate issuer) throws Budget.Exceeded {
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

    /** The signature check of one link, done once per search. */
    private Problem signatureCheck(ParsedCertificate child, ParsedCertificate issuer) throws Budget.Exceeded {
        Map<ParsedCertificate, Problem> byIssuer = edges.get(child);
        if (byIssuer == null) edges.put(child, byIssuer = new IdentityHashMap<ParsedCertificate, Problem>(4));
        Problem p = byIssuer.get(issuer);
        if (p == null) {
            p = signatures.check(child.signatureAlgorithm, child.tbsDer, child.signatureValue, issuer, budget);
            if (p == null) p = SIGNATURE_OK;
            byIssuer.put(issuer, p);
        }
        return p == SIGNATURE_OK ? null : p;
    }
}
