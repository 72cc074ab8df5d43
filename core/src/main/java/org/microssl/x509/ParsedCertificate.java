package org.microssl.x509;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.crypto.digests.SHA1Digest;

/**
 * A small read-only view of one X.509 v3 certificate (RFC 5280 section 4), parsed with BouncyCastle's ASN.1
 * classes. Structural errors throw at parse time; problems in individual extensions are remembered in
 * {@link #extensionProblem} and reported only if the certificate is used in a path, because an unrelated extra
 * certificate must not fail a handshake.
 */
final class ParsedCertificate {
    static final String EXT_SKI = "2.5.29.14";
    static final String EXT_KU = "2.5.29.15";
    static final String EXT_SAN = "2.5.29.17";
    static final String EXT_BC = "2.5.29.19";
    static final String EXT_NC = "2.5.29.30";
    static final String EXT_POLICIES = "2.5.29.32";
    static final String EXT_POLICY_MAPPINGS = "2.5.29.33";
    static final String EXT_AKI = "2.5.29.35";
    static final String EXT_POLICY_CONSTRAINTS = "2.5.29.36";
    static final String EXT_EKU = "2.5.29.37";
    static final String EXT_INHIBIT_ANY_POLICY = "2.5.29.54";
    static final String EXT_AIA = "1.3.6.1.5.5.7.1.1";
    static final String EXT_SIA = "1.3.6.1.5.5.7.1.11";
    static final String EXT_SCT = "1.3.6.1.4.1.11129.2.4.2";
    static final String EXT_CRL_DP = "2.5.29.31";

    static final String EKU_ANY = "2.5.29.37.0";

    final byte[] der;
    final byte[] tbsDer;
    final byte[] signatureValue;
    final AlgorithmIdentifier signatureAlgorithm;
    /** TBSCertificate.signature equals Certificate.signatureAlgorithm (RFC 5280 section 4.1.1.2). */
    final boolean signatureAlgorithmsMatch;
    /** 1, 2 or 3. */
    final int version;
    final BigInteger serial;
    final int serialOctets;
    final X500Name issuer;
    final X500Name subject;
    final byte[] issuerDer;
    final byte[] subjectDer;
    /** RFC 4514 form for messages, built on first use: a valid chain never needs it. */
    private String subjectString;
    final long notBefore;
    final long notAfter;
    final byte[] spkiDer;
    final org.bouncycastle.asn1.x509.SubjectPublicKeyInfo spki;
    final boolean hasUniqueIds;

    // extensions; a null/false/-1 value means absent
    final Extensions extensions;
    String extensionProblem;
    boolean hasBasicConstraints;
    boolean basicConstraintsCritical;
    boolean isCa;
    BigInteger pathLen;
    /** BouncyCastle {@link KeyUsage} bits, or -1 if absent. */
    int keyUsage = -1;
    List<String> extendedKeyUsage;
    boolean ekuCritical;
    GeneralName[] subjectAltNames;
    boolean sanCritical;
    NameConstraints nameConstraints;
    boolean nameConstraintsCritical;
    byte[] subjectKeyId;
    boolean hasAuthorityKeyId;
    byte[] authorityKeyId;
    boolean policyConstraintsCritical;
    boolean hasPolicyConstraints;
    final List<String> criticalExtensions = new ArrayList<String>();

    private ParsedCertificate(byte[] der, Certificate c, TBSCertificate tbs) throws IOException {
        this.der = der;
        // der passed Der.parse, so it is canonical: the TBSCertificate's own bytes are what was signed, and equal
        // what re-encoding it would give (without the re-encoding's copies)
        this.tbsDer = Der.firstElement(der);
        this.signatureValue = c.getSignature().getOctets();
        if (c.getSignature().getPadBits() != 0) throw new IOException("signature BIT STRING has unused bits");
        this.signatureAlgorithm = c.getSignatureAlgorithm();
        this.signatureAlgorithmsMatch = Arrays.equals(c.getSignatureAlgorithm().getEncoded(ASN1Encoding.DER),
                tbs.getSignature().getEncoded(ASN1Encoding.DER));
        this.version = tbs.getVersionNumber();
        this.serial = tbs.getSerialNumber().getValue();
        this.serialOctets = tbs.getSerialNumber().getEncoded(ASN1Encoding.DER).length - 2;
        this.issuer = tbs.getIssuer();
        this.subject = tbs.getSubject();
        this.issuerDer = issuer.getEncoded(ASN1Encoding.DER);
        this.subjectDer = subject.getEncoded(ASN1Encoding.DER);
        if (!Names.stringsAreValid(issuer) || !Names.stringsAreValid(subject)) {
            throw new IOException("a name holds a string that is not valid for its type (e.g. bad UTF-8)");
        }
        this.notBefore = Asn1Time.toEpochSeconds(tbs.getStartDate());
        this.notAfter = Asn1Time.toEpochSeconds(tbs.getEndDate());
        this.spki = tbs.getSubjectPublicKeyInfo();
        this.spkiDer = spki.getEncoded(ASN1Encoding.DER);
        this.hasUniqueIds = tbs.getIssuerUniqueId() != null || tbs.getSubjectUniqueId() != null;
        this.extensions = tbs.getExtensions();
        if (extensions != null) readExtensions();
    }

    /** @throws IOException naming what is malformed */
    static ParsedCertificate parse(byte[] der) throws IOException {
        ASN1Primitive p = Der.parse(der);
        Certificate c;
        TBSCertificate tbs;
        try {
            c = Certificate.getInstance(p);
            tbs = c.getTBSCertificate();
        } catch (RuntimeException e) {
            throw new IOException("not an X.509 certificate: " + e.getMessage());
        }
        try {
            return new ParsedCertificate(der, c, tbs);
        } catch (RuntimeException e) {
            throw new IOException("malformed certificate: " + e.getMessage());
        }
    }

    private void problem(String s) {
        if (extensionProblem == null) extensionProblem = s;
    }

    private void readExtensions() {
        ASN1ObjectIdentifier[] oids = extensions.getExtensionOIDs();
        if (oids.length == 0) problem("extensions field is present but empty (RFC 5280 section 4.1: SIZE (1..MAX))");
        for (ASN1ObjectIdentifier oid : oids) {
            Extension ext = extensions.getExtension(oid);
            String id = oid.getId();
            if (ext.isCritical()) criticalExtensions.add(id);
            ASN1Primitive value;
            try {
                value = Der.parse(ext.getExtnValue().getOctets());
            } catch (IOException e) {
                problem("extension " + id + " is not DER: " + e.getMessage());
                continue;
            }
            try {
                readExtension(id, ext.isCritical(), value);
            } catch (RuntimeException e) {
                problem("extension " + id + " is malformed: " + e.getMessage());
            }
        }
    }

    private void readExtension(String id, boolean critical, ASN1Primitive value) {
        switch (id) {
            case EXT_BC: {
                BasicConstraints bc = BasicConstraints.getInstance(value);
                hasBasicConstraints = true;
                basicConstraintsCritical = critical;
                isCa = bc.isCA();
                pathLen = bc.getPathLenConstraint();
                if (pathLen != null && !isCa) problem("basicConstraints has pathLenConstraint without cA (RFC 5280 section 4.2.1.9)");
                break;
            }
            case EXT_KU: {
                KeyUsage ku = KeyUsage.getInstance(value);
                byte[] bits = ku.getBytes();
                int v = 0;
                for (int i = 0; i < bits.length && i < 2; i++) v |= (bits[i] & 0xff) << (8 * i);
                if (v == 0) problem("keyUsage has no bit set (RFC 5280 section 4.2.1.3)");
                keyUsage = v;
                break;
            }
            case EXT_EKU: {
                ASN1Sequence seq = ASN1Sequence.getInstance(value);
                if (seq.size() == 0) {
                    problem("extendedKeyUsage is empty (RFC 5280 section 4.2.1.12: SIZE (1..MAX))");
                }
                List<String> purposes = new ArrayList<String>();
                for (ASN1Encodable e : seq) purposes.add(KeyPurposeId.getInstance(e).getId());
                extendedKeyUsage = Collections.unmodifiableList(purposes);
                ekuCritical = critical;
                break;
            }
            case EXT_SAN: {
                GeneralNames names = GeneralNames.getInstance(value);
                subjectAltNames = names.getNames();
                if (subjectAltNames.length == 0) problem("subjectAltName is empty (RFC 5280 section 4.2.1.6)");
                sanCritical = critical;
                break;
            }
            case EXT_NC:
                nameConstraints = NameConstraints.getInstance(value);
                nameConstraintsCritical = critical;
                break;
            case EXT_SKI:
                subjectKeyId = SubjectKeyIdentifier.getInstance(value).getKeyIdentifier();
                if (critical) problem("subjectKeyIdentifier is critical (RFC 5280 section 4.2.1.2: MUST be non-critical)");
                break;
            case EXT_AKI: {
                AuthorityKeyIdentifier aki = AuthorityKeyIdentifier.getInstance(value);
                hasAuthorityKeyId = true;
                authorityKeyId = aki.getKeyIdentifierOctets();
                if (critical) problem("authorityKeyIdentifier is critical (RFC 5280 section 4.2.1.1: MUST be non-critical)");
                break;
            }
            case EXT_AIA: {
                ASN1Sequence seq = ASN1Sequence.getInstance(value);
                if (seq.size() == 0) problem("authorityInfoAccess is empty (RFC 5280 section 4.2.2.1: SIZE (1..MAX))");
                org.bouncycastle.asn1.x509.AuthorityInformationAccess.getInstance(value);
                if (critical) problem("authorityInfoAccess is critical (RFC 5280 section 4.2.2.1: MUST be non-critical)");
                break;
            }
            case EXT_POLICY_CONSTRAINTS:
                hasPolicyConstraints = true;
                policyConstraintsCritical = critical;
                if (!critical) problem("policyConstraints is not critical (RFC 5280 section 4.2.1.11: MUST be critical)");
                break;
            default:
                break;
        }
    }

    boolean isSelfIssued() {
        return Arrays.equals(issuerDer, subjectDer);
    }

    boolean hasKeyUsage(int bit) {
        return keyUsage < 0 || (keyUsage & bit) != 0;
    }

    /** Same subject name and same key: the same logical CA for path building purposes. */
    boolean sameSubjectAndKey(ParsedCertificate o) {
        return Arrays.equals(subjectDer, o.subjectDer) && Arrays.equals(spkiDer, o.spkiDer);
    }

    /**
     * Whether {@code keyId} (a child's authorityKeyIdentifier) names this certificate's key: it equals the
     * subjectKeyIdentifier, or the SHA-1 hash of the subjectPublicKey bits (RFC 5280 section 4.2.1.2, method (1),
     * how CAs usually fill in the authorityKeyIdentifier, and the only way to tell when the subjectKeyIdentifier
     * is absent, as some trust anchors' is).
     */
    boolean hasKeyIdentifier(byte[] keyId) {
        if (keyId == null) return false;
        if (subjectKeyId != null && Arrays.equals(subjectKeyId, keyId)) return true;
        byte[] key = spki.getPublicKeyData().getBytes();
        SHA1Digest sha1 = new SHA1Digest();
        sha1.update(key, 0, key.length);
        byte[] hash = new byte[sha1.getDigestSize()];
        sha1.doFinal(hash, 0);
        return Arrays.equals(hash, keyId);
    }

    /** The subject in RFC 4514 form, made safe for messages. */
    String subjectString() {
        String s = subjectString;
        if (s == null) subjectString = s = Names.forMessage(Names.rfc4514(subject));
        return s;
    }

    @Override
    public String toString() {
        return subjectString();
    }
}
