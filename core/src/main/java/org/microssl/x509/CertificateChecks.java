package org.microssl.x509;

import java.io.IOException;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;

/**
 * The checks of one certificate on its own, whatever path it is in (RFC 5280 section 4 as the CA/Browser Forum
 * Baseline Requirements profile it): those common to every certificate, the peer's own, and a CA's. Checks that
 * need the whole path (pathLenConstraint, name constraints) are the path builder's. After rustls-webpki's
 * {@code src/cert.rs} and the issuer-independent checks of {@code src/verify_cert.rs}.
 */
final class CertificateChecks {

    static final String EKU_ANY = KeyPurposeId.anyExtendedKeyUsage.getId();
    static final String EKU_SERVER_AUTH = KeyPurposeId.id_kp_serverAuth.getId();
    static final String EKU_CLIENT_AUTH = KeyPurposeId.id_kp_clientAuth.getId();

    /** Critical extensions the validator processes; any other critical extension fails the certificate. */
    private static final Set<ASN1ObjectIdentifier> PROCESSED_CRITICAL = new HashSet<ASN1ObjectIdentifier>(Arrays.asList(
            Extension.basicConstraints, Extension.keyUsage, Extension.extendedKeyUsage, Extension.subjectAlternativeName,
            Extension.nameConstraints,
            // policies: every path is treated as valid for anyPolicy, as Go and rustls-webpki do
            Extension.certificatePolicies, Extension.policyConstraints, Extension.policyMappings,
            Extension.inhibitAnyPolicy));

    /** Names of the extendedKeyUsage purposes people meet, for messages. */
    private static final Map<String, String> EKU_NAMES = new HashMap<String, String>();

    static {
        EKU_NAMES.put(EKU_SERVER_AUTH, "serverAuth");
        EKU_NAMES.put(EKU_CLIENT_AUTH, "clientAuth");
        EKU_NAMES.put(EKU_ANY, "anyExtendedKeyUsage");
        EKU_NAMES.put(KeyPurposeId.id_kp_codeSigning.getId(), "codeSigning");
        EKU_NAMES.put(KeyPurposeId.id_kp_emailProtection.getId(), "emailProtection");
        EKU_NAMES.put(KeyPurposeId.id_kp_timeStamping.getId(), "timeStamping");
        EKU_NAMES.put(KeyPurposeId.id_kp_OCSPSigning.getId(), "OCSPSigning");
    }

    private final long now;
    private final List<String> requiredEku;
    private final int requiredKeyUsage;

    /**
     * @param now seconds since the epoch
     * @param requiredEku the extendedKeyUsage purposes (dotted OIDs) of which the peer's certificate, and any CA
     *     that restricts its purposes, must allow one
     * @param requiredKeyUsage the keyUsage bits the peer's certificate must assert if it has the extension
     */
    CertificateChecks(long now, List<String> requiredEku, int requiredKeyUsage) {
        this.now = now;
        this.requiredEku = requiredEku;
        this.requiredKeyUsage = requiredKeyUsage;
    }

    /** The purposes required when the options name none: serverAuth or clientAuth. */
    static List<String> ekuFor(Purpose purpose) {
        return Collections.singletonList(purpose == Purpose.SERVER_AUTH ? EKU_SERVER_AUTH : EKU_CLIENT_AUTH);
    }

    /** The peer's certificate. {@code pinned}: it is itself a trust anchor. */
    Problem leaf(ParsedCertificate c, boolean pinned) {
        Problem p = common(c, pinned);
        if (p != null) return p;
        if (c.isCa && !pinned) {
            return new Problem(Reason.BAD_KEY_USAGE,
                    "a CA certificate (basicConstraints cA=TRUE) cannot be the peer's certificate (CA/B BR 7.1.2.7.8)");
        }
        if (!c.isCa && c.keyUsage >= 0 && (c.keyUsage & KeyUsage.keyCertSign) != 0) {
            return new Problem(Reason.BAD_KEY_USAGE, "keyUsage keyCertSign without basicConstraints cA (RFC 5280 section 4.2.1.9)");
        }
        if (c.keyUsage >= 0 && (c.keyUsage & requiredKeyUsage) != requiredKeyUsage) {
            return new Problem(Reason.BAD_KEY_USAGE, "keyUsage does not allow " + keyUsageNames(requiredKeyUsage));
        }
        if (c.hasNameConstraints && !c.isCa) {
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
        return c.extendedKeyUsage == null ? null : ekuProblem(c, "extendedKeyUsage ");
    }

    /** A certificate used to issue another: an intermediate or a trust anchor. */
    Problem ca(ParsedCertificate c, boolean isAnchor) {
        Problem p = common(c, isAnchor);
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
        if (c.nameConstraintsProblem != null) return new Problem(Reason.MALFORMED, c.nameConstraintsProblem);
        // a CA's EKU restricts what it may issue for (the Go / Mozilla interpretation)
        if (c.extendedKeyUsage != null && !c.extendedKeyUsage.contains(EKU_ANY)) return ekuProblem(c, "CA extendedKeyUsage ");
        return null;
    }

    /** Checks common to every certificate in a path. */
    private Problem common(ParsedCertificate c, boolean isAnchor) {
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
        for (ASN1ObjectIdentifier oid : c.criticalExtensions) {
            if (!PROCESSED_CRITICAL.contains(oid)) {
                return new Problem(Reason.UNSUPPORTED_CRITICAL_EXTENSION,
                        "critical extension " + oid.getId() + " is not understood (RFC 5280 section 4.2)");
            }
        }
        try {
            if (!isAnchor) Algorithms.signatureScheme(c.signatureAlgorithm);
            Algorithms.checkPublicKey(c.spki);
        } catch (Algorithms.WeakAlgorithmException e) {
            return new Problem(Reason.WEAK_ALGORITHM, Der.why(e));
        } catch (IOException e) {
            return new Problem(Reason.MALFORMED, Der.why(e));
        }
        if (now < c.notBefore) {
            return Problem.dates(Reason.NOT_YET_VALID,
                    "now " + Asn1Time.format(now) + " is before notBefore " + Asn1Time.format(c.notBefore),
                    now, c.notBefore, c.notAfter);
        }
        if (now > c.notAfter) {
            return Problem.dates(Reason.EXPIRED,
                    "now " + Asn1Time.format(now) + " is after notAfter " + Asn1Time.format(c.notAfter),
                    now, c.notBefore, c.notAfter);
        }
        return null;
    }

    /** Whether {@code c}'s extendedKeyUsage allows one of the required purposes; {@code what} starts the message. */
    private Problem ekuProblem(ParsedCertificate c, String what) {
        for (String required : requiredEku) {
            if (c.extendedKeyUsage.contains(required)) return null;
        }
        return new Problem(Reason.BAD_EXTENDED_KEY_USAGE,
                what + ekuNames(c.extendedKeyUsage) + " does not allow " + ekuNames(requiredEku));
    }

    private static String ekuNames(List<String> oids) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < oids.size(); i++) {
            if (i > 0) sb.append(", ");
            String name = EKU_NAMES.get(oids.get(i));
            sb.append(name != null ? name : oids.get(i));
        }
        return sb.append(']').toString();
    }

    private static String keyUsageNames(int bits) {
        String[] names = {"digitalSignature", "nonRepudiation", "keyEncipherment", "dataEncipherment",
            "keyAgreement", "keyCertSign", "cRLSign", "encipherOnly", "decipherOnly"};
        StringBuilder sb = new StringBuilder();
        for (String n : names) {
            if ((bits & PathValidator.Options.keyUsageBit(n)) != 0) sb.append(sb.length() > 0 ? ", " : "").append(n);
        }
        return sb.toString();
    }
}
