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
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
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
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.crypto.digests.SHA1Digest;

/**
 * A small immutable view of one X.509 v3 certificate (RFC 5280 section 4), parsed once with BouncyCastle's ASN.1
 * classes. Structural errors throw at parse time; problems in individual extensions are remembered in
 * {@link #extensionProblem} (and {@link #nameConstraintsProblem}) and reported only if the certificate is used in
 * a path, because an unrelated extra certificate must not fail a handshake.
 */
final class ParsedCertificate {

    final byte[] der;
    /** The TBSCertificate's own bytes: what was signed. */
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
    final long notBefore;
    final long notAfter;
    final byte[] spkiDer;
    final SubjectPublicKeyInfo spki;

    // extensions; a null/false/-1 value means absent
    /** The first problem found in an extension, or null. */
    final String extensionProblem;
    final boolean hasBasicConstraints;
    final boolean basicConstraintsCritical;
    final boolean isCa;
    final BigInteger pathLen;
    /** BouncyCastle {@link KeyUsage} bits, or -1 if absent. */
    final int keyUsage;
    /** Dotted OIDs, unmodifiable. */
    final List<String> extendedKeyUsage;
    final GeneralName[] subjectAltNames;
    final boolean sanCritical;
    /** Whether a nameConstraints extension is present (and is ASN.1 of the right shape). */
    final boolean hasNameConstraints;
    /** The constraints, checked and ready to apply; null if absent or malformed. */
    final NameConstraintChecker nameConstraints;
    /** Why a present nameConstraints extension cannot be used (RFC 5280 section 4.2.1.10), or null. */
    final String nameConstraintsProblem;
    final byte[] subjectKeyId;
    final boolean hasAuthorityKeyId;
    final byte[] authorityKeyId;
    /** Unmodifiable. */
    final List<ASN1ObjectIdentifier> criticalExtensions;

    /**
     * A trust anchor loaded from compact records ({@link TrustAnchors}): subject, key and the few facts the
     * validator checks of an anchor, no certificate. {@link #der} is then the record itself (a key for the anchor
     * maps, never a certificate) and a validated path ends with the certificate below it.
     */
    final boolean compactAnchor;

    /**
     * RFC 4514 form for messages, built on first use (a valid chain never needs it). Not part of the value: a
     * racy cache of an immutable string, like {@link String#hashCode()}'s.
     */
    private String subjectString;

    /** A compact trust anchor (see {@link #compactAnchor}): self-issued, a CA, every static anchor check passed. */
    ParsedCertificate(byte[] record, byte[] subjectDer, byte[] spkiDer, long notBefore, long notAfter,
            BigInteger pathLen, int keyUsage, NameConstraintChecker nameConstraints, byte[] subjectKeyId)
            throws IOException {
        this.compactAnchor = true;
        this.der = record;
        this.tbsDer = null;
        this.signatureValue = null;
        this.signatureAlgorithm = null;
        this.signatureAlgorithmsMatch = true;
        this.version = 3;
        this.serial = BigInteger.ONE;
        this.serialOctets = 1;
        this.subjectDer = subjectDer;
        this.issuerDer = subjectDer;
        this.subject = X500Name.getInstance(Der.parse(subjectDer));
        this.issuer = subject;
        if (!Names.stringsAreValid(subject)) {
            throw new IOException("a name holds a string that is not valid for its type (e.g. bad UTF-8)");
        }
        this.notBefore = notBefore;
        this.notAfter = notAfter;
        this.spkiDer = spkiDer;
        this.spki = SubjectPublicKeyInfo.getInstance(Der.parse(spkiDer));
        this.extensionProblem = null;
        this.hasBasicConstraints = true;
        this.basicConstraintsCritical = true;
        this.isCa = true;
        this.pathLen = pathLen;
        this.keyUsage = keyUsage;
        this.extendedKeyUsage = null;
        this.subjectAltNames = null;
        this.sanCritical = false;
        this.hasNameConstraints = nameConstraints != null;
        this.nameConstraints = nameConstraints;
        this.nameConstraintsProblem = null;
        this.subjectKeyId = subjectKeyId;
        this.hasAuthorityKeyId = false;
        this.authorityKeyId = null;
        this.criticalExtensions = Collections.emptyList();
    }

    /** The SHA-1 hash of the subjectPublicKey bits (RFC 5280 section 4.2.1.2, method (1)). */
    static byte[] keyIdMethod1(SubjectPublicKeyInfo spki) {
        byte[] key = spki.getPublicKeyData().getBytes();
        SHA1Digest sha1 = new SHA1Digest();
        sha1.update(key, 0, key.length);
        byte[] hash = new byte[sha1.getDigestSize()];
        sha1.doFinal(hash, 0);
        return hash;
    }

    /** The nameConstraints extension's value as a checker (as a certificate's is read). */
    static NameConstraintChecker nameConstraints(byte[] extensionValueDer) throws IOException {
        try {
            return NameConstraintChecker.of(NameConstraints.getInstance(Der.parse(extensionValueDer)));
        } catch (RuntimeException e) {
            throw new IOException("nameConstraints cannot be decoded: " + Der.why(e));
        }
    }

    private ParsedCertificate(byte[] der, Certificate c, TBSCertificate tbs, ASN1Encodable tbsAsParsed)
            throws IOException {
        this.compactAnchor = false;
        this.der = der;
        // der passed Der.parse, so it is canonical: re-encoding the TBSCertificate as parsed gives exactly the bytes
        // that were signed. DL writes the parsed values as they are (DER would copy them first); the class
        // TBSCertificate is not used for this, as its encoding is rebuilt from its fields.
        this.tbsDer = tbsAsParsed.toASN1Primitive().getEncoded(ASN1Encoding.DL);
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

        ExtensionReader x = new ExtensionReader(tbs.getExtensions());
        this.extensionProblem = x.problem;
        this.hasBasicConstraints = x.hasBasicConstraints;
        this.basicConstraintsCritical = x.basicConstraintsCritical;
        this.isCa = x.isCa;
        this.pathLen = x.pathLen;
        this.keyUsage = x.keyUsage;
        this.extendedKeyUsage = x.extendedKeyUsage;
        this.subjectAltNames = x.subjectAltNames;
        this.sanCritical = x.sanCritical;
        this.hasNameConstraints = x.hasNameConstraints;
        this.nameConstraints = x.nameConstraints;
        this.nameConstraintsProblem = x.nameConstraintsProblem;
        this.subjectKeyId = x.subjectKeyId;
        this.hasAuthorityKeyId = x.hasAuthorityKeyId;
        this.authorityKeyId = x.authorityKeyId;
        this.criticalExtensions = Collections.unmodifiableList(x.critical);
    }

    /** @throws IOException naming what is malformed */
    static ParsedCertificate parse(byte[] der) throws IOException {
        ASN1Primitive p = Der.parse(der);
        Certificate c;
        TBSCertificate tbs;
        ASN1Encodable tbsAsParsed;
        try {
            c = Certificate.getInstance(p);
            tbs = c.getTBSCertificate();
            tbsAsParsed = ASN1Sequence.getInstance(p).getObjectAt(0);
        } catch (RuntimeException e) {
            throw new IOException("not an X.509 certificate: " + Der.why(e));
        }
        try {
            return new ParsedCertificate(der, c, tbs, tbsAsParsed);
        } catch (RuntimeException e) {
            throw new IOException("malformed certificate: " + Der.why(e));
        }
    }

    /** Reads the extensions the validator uses, once, into the fields above. */
    private static final class ExtensionReader {
        String problem;
        boolean hasBasicConstraints;
        boolean basicConstraintsCritical;
        boolean isCa;
        BigInteger pathLen;
        int keyUsage = -1;
        List<String> extendedKeyUsage;
        GeneralName[] subjectAltNames;
        boolean sanCritical;
        boolean hasNameConstraints;
        NameConstraintChecker nameConstraints;
        String nameConstraintsProblem;
        byte[] subjectKeyId;
        boolean hasAuthorityKeyId;
        byte[] authorityKeyId;
        final List<ASN1ObjectIdentifier> critical = new ArrayList<ASN1ObjectIdentifier>();

        ExtensionReader(Extensions extensions) {
            if (extensions == null) return;
            ASN1ObjectIdentifier[] oids = extensions.getExtensionOIDs();
            if (oids.length == 0) problem("extensions field is present but empty (RFC 5280 section 4.1: SIZE (1..MAX))");
            for (ASN1ObjectIdentifier oid : oids) {
                Extension ext = extensions.getExtension(oid);
                if (ext.isCritical()) critical.add(oid);
                ASN1Primitive value;
                try {
                    value = Der.parse(ext.getExtnValue().getOctets());
                } catch (IOException e) {
                    problem("extension " + oid.getId() + " is not DER: " + Der.why(e));
                    continue;
                }
                try {
                    read(oid, ext.isCritical(), value);
                } catch (RuntimeException e) {
                    problem("extension " + oid.getId() + " is malformed: " + Der.why(e));
                }
            }
        }

        private void problem(String s) {
            if (problem == null) problem = s;
        }

        private void read(ASN1ObjectIdentifier oid, boolean critical, ASN1Primitive value) {
            if (Extension.basicConstraints.equals(oid)) {
                BasicConstraints bc = BasicConstraints.getInstance(value);
                hasBasicConstraints = true;
                basicConstraintsCritical = critical;
                isCa = bc.isCA();
                pathLen = bc.getPathLenConstraint();
                if (pathLen != null && !isCa) problem("basicConstraints has pathLenConstraint without cA (RFC 5280 section 4.2.1.9)");
            } else if (Extension.keyUsage.equals(oid)) {
                byte[] bits = KeyUsage.getInstance(value).getBytes();
                int v = 0;
                for (int i = 0; i < bits.length && i < 2; i++) v |= (bits[i] & 0xff) << (8 * i);
                if (v == 0) problem("keyUsage has no bit set (RFC 5280 section 4.2.1.3)");
                keyUsage = v;
            } else if (Extension.extendedKeyUsage.equals(oid)) {
                ASN1Sequence seq = ASN1Sequence.getInstance(value);
                if (seq.size() == 0) problem("extendedKeyUsage is empty (RFC 5280 section 4.2.1.12: SIZE (1..MAX))");
                List<String> purposes = new ArrayList<String>();
                for (ASN1Encodable e : seq) purposes.add(KeyPurposeId.getInstance(e).getId());
                extendedKeyUsage = Collections.unmodifiableList(purposes);
            } else if (Extension.subjectAlternativeName.equals(oid)) {
                subjectAltNames = GeneralNames.getInstance(value).getNames();
                if (subjectAltNames.length == 0) problem("subjectAltName is empty (RFC 5280 section 4.2.1.6)");
                sanCritical = critical;
            } else if (Extension.nameConstraints.equals(oid)) {
                NameConstraints nc = NameConstraints.getInstance(value);
                hasNameConstraints = true;
                try {
                    nameConstraints = NameConstraintChecker.of(nc);
                } catch (IOException e) {
                    nameConstraintsProblem = Der.why(e);
                }
            } else if (Extension.subjectKeyIdentifier.equals(oid)) {
                subjectKeyId = SubjectKeyIdentifier.getInstance(value).getKeyIdentifier();
                if (critical) problem("subjectKeyIdentifier is critical (RFC 5280 section 4.2.1.2: MUST be non-critical)");
            } else if (Extension.authorityKeyIdentifier.equals(oid)) {
                AuthorityKeyIdentifier aki = AuthorityKeyIdentifier.getInstance(value);
                hasAuthorityKeyId = true;
                authorityKeyId = aki.getKeyIdentifierOctets();
                if (critical) problem("authorityKeyIdentifier is critical (RFC 5280 section 4.2.1.1: MUST be non-critical)");
            } else if (Extension.authorityInfoAccess.equals(oid)) {
                if (ASN1Sequence.getInstance(value).size() == 0) {
                    problem("authorityInfoAccess is empty (RFC 5280 section 4.2.2.1: SIZE (1..MAX))");
                }
                AuthorityInformationAccess.getInstance(value);
                if (critical) problem("authorityInfoAccess is critical (RFC 5280 section 4.2.2.1: MUST be non-critical)");
            } else if (Extension.policyConstraints.equals(oid)) {
                if (!critical) problem("policyConstraints is not critical (RFC 5280 section 4.2.1.11: MUST be critical)");
            }
        }
    }

    boolean isSelfIssued() {
        return Arrays.equals(issuerDer, subjectDer);
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
        return Arrays.equals(keyIdMethod1(spki), keyId);
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
