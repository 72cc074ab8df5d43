package org.microssl.x509;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.microssl.spi.SignatureScheme;
import org.microssl.spi.SignatureVerifier;

/**
 * Checks the signature on a certificate or CRL against its issuer's key, through the backend's
 * {@link SignatureVerifier}, and remembers the signatures that verified recently.
 *
 * <p>Why a cache: a device reconnecting to its server, and every server under the same CA, present the same
 * intermediate-to-root link (and often the same leaf), and a public-key operation is most of a validation's time
 * and allocation. Verification is a pure function of the inputs, so a hit gives the verdict a fresh check would;
 * only successes are kept, so a hit never hides a failure. A few entries (32 bytes each) cover a device's servers.
 * Thread-safe: one instance serves every verification of a {@link PathValidator}.
 */
final class SignatureCache {

    static final int VERIFIED_LINKS = 8;

    private final SignatureVerifier verifier;

    private final Map<SignedLink, Boolean> verified = new LinkedHashMap<SignedLink, Boolean>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<SignedLink, Boolean> eldest) {
            return size() > VERIFIED_LINKS;
        }
    };

    SignatureCache(SignatureVerifier verifier) {
        this.verifier = verifier;
    }

    /**
     * Whether {@code signature} over {@code signed} verifies with {@code issuer}'s key, after checking that the
     * algorithm and the key are accepted and fit each other. A check the cache answers still spends the budget, so
     * the budget bounds the work a chain can ask for whatever the cache holds.
     *
     * @return null if it verifies, otherwise why not
     */
    Problem check(AlgorithmIdentifier algorithm, byte[] signed, byte[] signature, ParsedCertificate issuer, Budget budget)
            throws Budget.Exceeded {
        SignatureScheme scheme;
        KeyType keyType;
        try {
            scheme = Algorithms.signatureScheme(algorithm);
            keyType = Algorithms.checkPublicKey(issuer.spki);
        } catch (Algorithms.WeakAlgorithmException e) {
            return new Problem(Reason.WEAK_ALGORITHM, Der.why(e));
        } catch (IOException e) {
            return new Problem(Reason.MALFORMED, Der.why(e));
        }
        if (!Algorithms.compatible(scheme, keyType)) {
            return new Problem(Reason.BAD_SIGNATURE, "signed with " + scheme + " but the issuer's key is " + keyType.algorithm());
        }
        budget.spendSignature();
        SignedLink link = new SignedLink(scheme, issuer.spkiDer, signed, signature);
        synchronized (verified) {
            if (verified.get(link) != null) return null;
        }
        boolean ok;
        try {
            ok = verifier.verify(scheme, issuer.spkiDer, signed, signature);
        } catch (IllegalArgumentException e) {
            return new Problem(Reason.BAD_SIGNATURE, "the issuer's key cannot verify " + scheme + ": " + Der.why(e));
        }
        if (!ok) {
            return new Problem(Reason.BAD_SIGNATURE, scheme + " signature does not verify with the key of " + issuer.subjectString());
        }
        synchronized (verified) {
            verified.put(link, Boolean.TRUE);
        }
        return null;
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
}
