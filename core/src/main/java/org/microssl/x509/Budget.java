package org.microssl.x509;

/**
 * What one verification may spend, after rustls-webpki's {@code Budget} ({@code src/verify_cert.rs}): a crafted
 * chain (many cross-signed CAs with the same name, huge name-constraint lists) can make path building
 * exponential, so each kind of work is counted and the verification stops with BUDGET_EXCEEDED when one runs out.
 */
final class Budget {

    /**
     * Signature checks per verification: rustls-webpki's {@code Budget.signatures} (100), taken from Go's fix for
     * CVE-2018-16875 (quadratic path building on crafted chains).
     */
    static final int MAX_SIGNATURE_CHECKS = 100;

    /** Path-building steps per verification: rustls-webpki's {@code Budget.build_chain_calls}, from mozilla::pkix. */
    static final int MAX_BUILD_STEPS = 200_000;

    /**
     * Name-constraint comparisons per verification: rustls-webpki's {@code Budget.name_constraint_comparisons},
     * from Go crypto/x509's {@code maxConstraintComparisons} (250,000).
     */
    static final int MAX_NAME_CONSTRAINT_COMPARISONS = 250_000;

    /** A budget ran out; the verification stops. */
    static final class Exceeded extends Exception {
        private static final long serialVersionUID = 1L;

        Exceeded(String message) {
            super(message);
        }
    }

    private int signaturesLeft = MAX_SIGNATURE_CHECKS;
    private int buildStepsLeft = MAX_BUILD_STEPS;
    private int comparisonsLeft = MAX_NAME_CONSTRAINT_COMPARISONS;

    void spendSignature() throws Exceeded {
        if (--signaturesLeft < 0) {
            throw new Exceeded("path building gave up after " + MAX_SIGNATURE_CHECKS + " signature checks");
        }
    }

    void spendBuildStep() throws Exceeded {
        if (--buildStepsLeft < 0) throw new Exceeded("path building gave up after " + MAX_BUILD_STEPS + " steps");
    }

    void spendNameComparison() throws Exceeded {
        if (--comparisonsLeft < 0) {
            throw new Exceeded("name constraint checking gave up after " + MAX_NAME_CONSTRAINT_COMPARISONS + " comparisons");
        }
    }
}
