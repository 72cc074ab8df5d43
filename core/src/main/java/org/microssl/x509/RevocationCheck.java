package org.microssl.x509;

import java.util.Arrays;
import java.util.List;

import org.bouncycastle.asn1.x509.KeyUsage;

/**
 * Revocation (RFC 5280 section 6.3) against the CRLs the application supplied ({@link RevocationList}): each
 * certificate below the anchor is looked up in the CRLs of its issuer, and a CRL that applies must itself be
 * usable (signed by that issuer, current). After rustls-webpki's {@code src/crl/}.
 */
final class RevocationCheck {
    private RevocationCheck() {}

    /**
     * @param path leaf first, anchor last; its signatures already verified
     * @return the first certificate of {@code path} that is revoked or whose issuer's CRL cannot be used, or null
     */
    static Problem firstProblem(List<ParsedCertificate> path, List<RevocationList> crls, long now,
            SignatureCache signatures, Budget budget) throws Budget.Exceeded {
        for (int i = 0; i + 1 < path.size(); i++) {
            ParsedCertificate cert = path.get(i);
            ParsedCertificate issuer = path.get(i + 1);
            for (RevocationList crl : crls) {
                if (!Arrays.equals(crl.issuerDer, cert.issuerDer)) continue;
                Problem p = crlProblem(crl, issuer, now, signatures, budget);
                if (p != null) {
                    return new Problem(p.reason, "its CRL cannot be used: " + p.detail).at(i + 1, issuer);
                }
                Long when = crl.revoked.get(cert.serial);
                if (when != null) {
                    return new Problem(Reason.REVOKED, "serial " + cert.serial.toString(16) + " was revoked on "
                            + Asn1Time.format(when) + " (CRL of " + crl.issuerString + ")").at(i, cert);
                }
            }
        }
        return null;
    }

    /** Why {@code crl} cannot be used to check certificates {@code issuer} issued, or null. */
    private static Problem crlProblem(RevocationList crl, ParsedCertificate issuer, long now, SignatureCache signatures,
            Budget budget) throws Budget.Exceeded {
        if (crl.problem != null) return new Problem(Reason.MALFORMED, crl.problem);
        if (!crl.signatureAlgorithmsMatch) {
            return new Problem(Reason.MALFORMED, "CRL signatureAlgorithm differs from its TBSCertList signature field");
        }
        if (issuer.keyUsage >= 0 && (issuer.keyUsage & KeyUsage.cRLSign) == 0) {
            return new Problem(Reason.BAD_KEY_USAGE, "the issuer's keyUsage does not allow cRLSign (RFC 5280 section 6.3.3 (f))");
        }
        Problem p = signatures.check(crl.signatureAlgorithm, crl.tbsDer, crl.signatureValue, issuer, budget);
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
}
