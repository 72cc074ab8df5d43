package org.microssl.x509;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.CertificateList;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.TBSCertList;

/**
 * A certificate revocation list (RFC 5280 section 5) given by the application, checked against the path's
 * issuer when a certificate it covers is validated (section 6.3). A CRL that cannot be trusted fails the path:
 * a revocation source the user asked for is never silently ignored.
 */
final class RevocationList {
    final byte[] tbsDer;
    final byte[] signatureValue;
    final AlgorithmIdentifier signatureAlgorithm;
    final boolean signatureAlgorithmsMatch;
    final byte[] issuerDer;
    final String issuerString;
    final long thisUpdate;
    /** Long.MAX_VALUE if absent. */
    final long nextUpdate;
    /** Revoked serial -> revocation date (epoch seconds). */
    final Map<BigInteger, Long> revoked;
    /** Why this CRL is unusable, or null. */
    final String problem;

    private RevocationList(CertificateList crl) throws IOException {
        TBSCertList tbs = crl.getTBSCertList();
        this.tbsDer = tbs.getEncoded(ASN1Encoding.DER);
        this.signatureValue = crl.getSignature().getOctets();
        this.signatureAlgorithm = crl.getSignatureAlgorithm();
        this.signatureAlgorithmsMatch = Arrays.equals(crl.getSignatureAlgorithm().getEncoded(ASN1Encoding.DER),
                tbs.getSignature().getEncoded(ASN1Encoding.DER));
        this.issuerDer = tbs.getIssuer().getEncoded(ASN1Encoding.DER);
        this.issuerString = Names.forMessage(Names.rfc4514(tbs.getIssuer()));
        int version = tbs.getVersionNumber();
        this.thisUpdate = Asn1Time.toEpochSeconds(tbs.getThisUpdate());
        this.nextUpdate = tbs.getNextUpdate() == null ? Long.MAX_VALUE : Asn1Time.toEpochSeconds(tbs.getNextUpdate());
        Map<BigInteger, Long> revoked = new HashMap<BigInteger, Long>();
        TBSCertList.CRLEntry[] entries = tbs.getRevokedCertificates();
        String why = null;
        for (TBSCertList.CRLEntry e : entries) {
            revoked.put(e.getUserCertificate().getValue(), Asn1Time.toEpochSeconds(e.getRevocationDate()));
            Extensions ext = e.getExtensions();
            if (ext != null) {
                for (ASN1ObjectIdentifier oid : ext.getCriticalExtensionOIDs()) {
                    // certificateIssuer (indirect CRLs) and other critical entry extensions are not processed
                    if (why == null) why = "critical CRL entry extension " + oid.getId() + " is not understood";
                }
            }
        }
        Extensions ext = tbs.getExtensions();
        if (version != 2) {
            why = "CRL version " + version + " (RFC 5280 section 5.1.2.1: v2 is required for a CRL number)";
        } else if (ext == null || ext.getExtension(Extension.cRLNumber) == null) {
            why = "CRL has no cRLNumber (RFC 5280 section 5.2.3: MUST be included)";
        } else {
            for (ASN1ObjectIdentifier oid : ext.getExtensionOIDs()) {
                Extension x = ext.getExtension(oid);
                if (Extension.cRLNumber.equals(oid) && x.isCritical()) {
                    why = "cRLNumber is critical (RFC 5280 section 5.2.3: MUST be non-critical)";
                } else if (x.isCritical() && !Extension.authorityKeyIdentifier.equals(oid)) {
                    // delta CRLs and issuingDistributionPoint scopes are not processed: refuse rather than misread
                    why = "critical CRL extension " + oid.getId() + " is not understood";
                }
            }
        }
        this.revoked = Collections.unmodifiableMap(revoked);
        this.problem = why;
    }

    /** @throws IllegalArgumentException naming what is wrong */
    static RevocationList parse(byte[] der) {
        try {
            return new RevocationList(CertificateList.getInstance(Der.parse(der)));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("invalid CRL: " + Der.why(e));
        }
    }

    static List<RevocationList> parseAll(List<byte[]> ders) {
        List<RevocationList> out = new ArrayList<RevocationList>(ders.size());
        for (byte[] d : ders) out.add(parse(d.clone()));
        return out;
    }
}
