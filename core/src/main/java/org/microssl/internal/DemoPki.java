package org.microssl.internal;

import java.io.IOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.asn1.x509.V3TBSCertificateGenerator;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.microssl.internal.crypto.DeviceCurves;
import org.microssl.internal.crypto.Profile;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.DSADigestSigner;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;

/**
 * Certificates made on the spot, for {@code microssl.jar demo}, the device example and the tests; never for
 * production (the keys live in the heap, nothing is ever revoked). A {@link Builder} assembles any X.509 v3
 * certificate (RFC 5280 section 4.1) with BouncyCastle's ASN.1 classes, and a {@link Signer} signs it; the
 * instance is a throw-away ECDSA P-256 authority on top of them, with BouncyCastle's lightweight ECDSA (DER
 * signatures by its {@code StandardDSAEncoding}). Main code because the CLI demo and the sensor example ship it;
 * bcpkix stays out of core, the desktop jar and the device jar.
 */
public final class DemoPki {

    /** Signs a TBSCertificate for {@link Builder#sign}: names its algorithm and returns the signature. */
    public interface Signer {
        AlgorithmIdentifier algorithm();

        byte[] sign(byte[] tbsCertificate) throws IOException;
    }

    /** A certificate and the key pair it certifies. */
    public static final class Issued {
        public final byte[] der;
        public final AsymmetricCipherKeyPair keyPair;
        public final X500Name subject;

        Issued(byte[] der, AsymmetricCipherKeyPair keyPair, X500Name subject) {
            this.der = der;
            this.keyPair = keyPair;
            this.subject = subject;
        }

        /** The private key as PKCS#8 DER (what {@code loadCertChain} takes). */
        public byte[] pkcs8() throws IOException {
            return PrivateKeyInfoFactory.createPrivateKeyInfo(keyPair.getPrivate()).getEncoded(ASN1Encoding.DER);
        }
    }

    // the device jar (Profile.device()) has no curve tables
    private static final ECNamedDomainParameters P256 = Profile.device() ? DeviceCurves.p256()
        : new ECNamedDomainParameters(SECObjectIdentifiers.secp256r1, CustomNamedCurves.getByName("secp256r1"));

    private static final SecureRandom RANDOM = new SecureRandom();
    private final Issued root;

    /** A new self-signed P-256 root named {@code CN=rootCommonName}. */
    public DemoPki(String rootCommonName, Instant notBefore, Instant notAfter) throws IOException {
        AsymmetricCipherKeyPair key = newP256Key();
        X500Name name = new X500Name("CN=" + rootCommonName);
        SubjectPublicKeyInfo spki = SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(key.getPublic());
        byte[] der = new Builder().subject(name).publicKey(spki).validity(notBefore, notAfter).ca(-1)
            .sign(ecdsaSha256((ECPrivateKeyParameters) key.getPrivate()));
        root = new Issued(der, key, name);
    }

    public Issued root() {
        return root;
    }

    /**
     * A new P-256 key and an end-entity certificate for it, signed by the root: CN is the first name's value,
     * the names are the subjectAltName ("DNS:localhost", "IP:127.0.0.1"), {@code purpose} the extendedKeyUsage.
     */
    public Issued issue(KeyPurposeId purpose, Instant notBefore, Instant notAfter, String... subjectAltNames)
            throws IOException {
        AsymmetricCipherKeyPair key = newP256Key();
        X500Name subject = new X500Name("CN=" + subjectAltNames[0].substring(subjectAltNames[0].indexOf(':') + 1));
        Builder b = new Builder().subject(subject)
            .publicKey(SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(key.getPublic()))
            .issuer(root.subject, SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(root.keyPair.getPublic()))
            .validity(notBefore, notAfter).eku(purpose);
        for (String name : subjectAltNames) {
            b.san(name);
        }
        return new Issued(b.sign(ecdsaSha256((ECPrivateKeyParameters) root.keyPair.getPrivate())), key, subject);
    }

    private static AsymmetricCipherKeyPair newP256Key() {
        ECKeyPairGenerator g = new ECKeyPairGenerator();
        g.init(new ECKeyGenerationParameters(P256, RANDOM));
        return g.generateKeyPair();
    }

    /** ECDSA with SHA-256 (deterministic k, RFC 6979), the signature DER-encoded by BouncyCastle. */
    static Signer ecdsaSha256(final ECPrivateKeyParameters key) {
        return new Signer() {
            @Override
            public AlgorithmIdentifier algorithm() {
                return new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256);
            }

            @Override
            public byte[] sign(byte[] tbsCertificate) throws IOException {
                ECDSASigner ecdsa = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
                DSADigestSigner signer = new DSADigestSigner(ecdsa, new SHA256Digest());
                signer.init(true, key);
                signer.update(tbsCertificate, 0, tbsCertificate.length);
                return signer.generateSignature();
            }
        };
    }

    /**
     * One X.509 v3 certificate. Unset, it is self-signed, valid from a day ago for a year, an end entity
     * (basicConstraints cA false, keyUsage digitalSignature), with subject and authority key identifiers.
     */
    public static final class Builder {
        private X500Name subject = new X500Name("CN=test");
        private SubjectPublicKeyInfo publicKey;
        private X500Name issuer;
        private SubjectPublicKeyInfo issuerKey;
        private BigInteger serial;
        private Instant notBefore = Instant.now().minusSeconds(86_400);
        private Instant notAfter = Instant.now().plusSeconds(365 * 86_400L);
        private boolean ca;
        private int pathLen = -1;
        private Integer keyUsage;
        private final List<KeyPurposeId> eku = new ArrayList<KeyPurposeId>();
        private final List<GeneralName> sans = new ArrayList<GeneralName>();
        private final List<Extension> extensions = new ArrayList<Extension>();
        private boolean keyIds = true;

        public Builder subject(X500Name name) {
            this.subject = name;
            return this;
        }

        /** The key the certificate certifies. */
        public Builder publicKey(SubjectPublicKeyInfo key) {
            this.publicKey = key;
            return this;
        }

        /** Signed by {@code name}'s key {@code key}; without it the certificate is self-signed. */
        public Builder issuer(X500Name name, SubjectPublicKeyInfo key) {
            this.issuer = name;
            this.issuerKey = key;
            return this;
        }

        /** RFC 5280 section 4.1.2.2: positive, at most 20 octets. Unset: 64 random bits. */
        public Builder serial(BigInteger serial) {
            this.serial = serial;
            return this;
        }

        /** notAfter is inclusive (RFC 5280 section 4.1.2.5). */
        public Builder validity(Instant notBefore, Instant notAfter) {
            this.notBefore = notBefore;
            this.notAfter = notAfter;
            return this;
        }

        /** A CA (basicConstraints cA, keyUsage keyCertSign and cRLSign); {@code pathLen} -1: no pathLenConstraint. */
        public Builder ca(int pathLen) {
            this.ca = true;
            this.pathLen = pathLen;
            return this;
        }

        /** keyUsage bits from {@link KeyUsage}, instead of the default for a CA or an end entity. */
        public Builder keyUsage(int bits) {
            this.keyUsage = bits;
            return this;
        }

        /** No keyUsage extension at all. */
        public Builder noKeyUsage() {
            this.keyUsage = -1;
            return this;
        }

        public Builder eku(KeyPurposeId... purposes) {
            for (KeyPurposeId p : purposes) {
                eku.add(p);
            }
            return this;
        }

        /** A subjectAltName entry: "DNS:name", "IP:1.2.3.4" or "IP:::1", "EMAIL:a@b". */
        public Builder san(String typed) {
            int colon = typed.indexOf(':');
            String kind = typed.substring(0, Math.max(colon, 0));
            String value = typed.substring(colon + 1);
            if ("DNS".equals(kind)) {
                sans.add(new GeneralName(GeneralName.dNSName, value));
            } else if ("IP".equals(kind)) {
                sans.add(new GeneralName(GeneralName.iPAddress, value));
            } else if ("EMAIL".equals(kind)) {
                sans.add(new GeneralName(GeneralName.rfc822Name, value));
            } else {
                throw new IllegalArgumentException("not DNS:, IP: or EMAIL: " + typed);
            }
            return this;
        }

        /** Any other extension, e.g. nameConstraints or an unknown critical one. */
        public Builder extension(ASN1ObjectIdentifier oid, boolean critical, ASN1Encodable value) {
            try {
                extensions.add(Extension.create(oid, critical, value));
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot encode extension " + oid, e);
            }
            return this;
        }

        /** Leave out the subject and authority key identifiers. */
        public Builder noKeyIdentifiers() {
            this.keyIds = false;
            return this;
        }

        /** The certificate, DER: the TBSCertificate signed by {@code signer} (the issuer's key). */
        public byte[] sign(Signer signer) throws IOException {
            if (publicKey == null) {
                throw new IllegalStateException("no public key to certify");
            }
            V3TBSCertificateGenerator tbs = new V3TBSCertificateGenerator();
            BigInteger number = serial != null ? serial : new BigInteger(64, RANDOM).add(BigInteger.ONE);
            tbs.setSerialNumber(new ASN1Integer(number));
            tbs.setSignature(signer.algorithm());
            tbs.setIssuer(issuer != null ? issuer : subject);
            tbs.setSubject(subject);
            tbs.setStartDate(new Time(new Date(notBefore.toEpochMilli())));
            tbs.setEndDate(new Time(new Date(notAfter.toEpochMilli())));
            tbs.setSubjectPublicKeyInfo(publicKey);
            tbs.setExtensions(extensions());
            TBSCertificate tbsCertificate = tbs.generateTBSCertificate();
            byte[] signature = signer.sign(tbsCertificate.getEncoded(ASN1Encoding.DER));
            return Certificate.getInstance(new DERSequence(new ASN1Encodable[] {tbsCertificate, signer.algorithm(),
                new DERBitString(signature)})).getEncoded(ASN1Encoding.DER);
        }

        private Extensions extensions() throws IOException {
            ExtensionsGenerator ext = new ExtensionsGenerator();
            ext.addExtension(Extension.basicConstraints, true,
                ca && pathLen >= 0 ? new BasicConstraints(pathLen) : new BasicConstraints(ca));
            int usage = keyUsage != null ? keyUsage
                : ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature;
            if (usage >= 0) {
                ext.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
            }
            if (!eku.isEmpty()) {
                ext.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(eku.toArray(new KeyPurposeId[0])));
            }
            if (!sans.isEmpty()) {
                ext.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(sans.toArray(new GeneralName[0])));
            }
            if (keyIds) {
                ext.addExtension(Extension.subjectKeyIdentifier, false, new SubjectKeyIdentifier(keyId(publicKey)));
                ext.addExtension(Extension.authorityKeyIdentifier, false,
                    new AuthorityKeyIdentifier(keyId(issuerKey != null ? issuerKey : publicKey)));
            }
            for (Extension e : extensions) {
                ext.addExtension(e);
            }
            return ext.generate();
        }
    }

    /** RFC 5280 section 4.2.1.2, method (1): SHA-1 of the subjectPublicKey bits (an identifier, not a signature). */
    static byte[] keyId(SubjectPublicKeyInfo key) {
        byte[] bits = key.getPublicKeyData().getBytes();
        SHA1Digest sha1 = new SHA1Digest();
        sha1.update(bits, 0, bits.length);
        byte[] id = new byte[sha1.getDigestSize()];
        sha1.doFinal(id, 0);
        return id;
    }
}
