package org.microssl.desktop;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
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

/**
 * A throwaway certificate authority for {@code microssl.jar demo}: ECDSA P-256 keys from the JCA, certificates
 * assembled with bcprov's ASN.1 classes (RFC 5280 section 4.1) and signed with {@link Signature}. It keeps the
 * desktop jar free of bcpkix, which would add about 1 MB for a few dozen lines of work.
 */
public final class DemoCa {

    /** A certificate and its key pair. */
    public static final class Issued {
        public final byte[] der;
        public final KeyPair keyPair;
        public final X500Name subject;

        Issued(byte[] der, KeyPair keyPair, X500Name subject) {
            this.der = der;
            this.keyPair = keyPair;
            this.subject = subject;
        }

        /** The private key as PKCS#8 DER (what {@code loadCertChain} takes). */
        public byte[] pkcs8() {
            return keyPair.getPrivate().getEncoded();
        }
    }

    private static final AlgorithmIdentifier ECDSA_SHA256 = new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256);
    private final SecureRandom random = new SecureRandom();
    private final Issued root;

    /** A new self-signed root, valid from an hour ago for {@code days} days. */
    public DemoCa(String rootCommonName, int days) throws GeneralSecurityException, IOException {
        KeyPair kp = newKeyPair();
        Instant now = Instant.now();
        X500Name name = new X500Name("CN=" + rootCommonName);
        this.root = new Issued(sign(name, name, kp.getPublic(), kp, now.minusSeconds(3600),
                now.plusSeconds(days * 86400L), true, null, null), kp, name);
    }

    public Issued root() {
        return root;
    }

    /**
     * A server certificate for {@code dnsName} (and 127.0.0.1), signed by the root.
     *
     * @param notBefore validity start
     * @param notAfter validity end (inclusive, RFC 5280 section 4.1.2.5)
     */
    public Issued issueServer(String dnsName, Instant notBefore, Instant notAfter)
            throws GeneralSecurityException, IOException {
        KeyPair kp = newKeyPair();
        X500Name subject = new X500Name("CN=" + dnsName);
        List<GeneralName> sans = new ArrayList<GeneralName>();
        sans.add(new GeneralName(GeneralName.dNSName, dnsName));
        sans.add(new GeneralName(GeneralName.iPAddress, new DEROctetString(InetAddress.getByName("127.0.0.1").getAddress())));
        byte[] der = sign(subject, root.subject, kp.getPublic(), root.keyPair, notBefore, notAfter, false, sans,
                KeyPurposeId.id_kp_serverAuth);
        return new Issued(der, kp, subject);
    }

    private KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), random);
        return g.generateKeyPair();
    }

    private byte[] sign(X500Name subject, X500Name issuer, PublicKey subjectKey, KeyPair issuerKey, Instant notBefore,
            Instant notAfter, boolean ca, List<GeneralName> sans, KeyPurposeId eku)
            throws GeneralSecurityException, IOException {
        V3TBSCertificateGenerator tbs = new V3TBSCertificateGenerator();
        // RFC 5280 section 4.1.2.2: positive, at most 20 octets
        tbs.setSerialNumber(new ASN1Integer(new BigInteger(64, random).add(BigInteger.ONE)));
        tbs.setSignature(ECDSA_SHA256);
        tbs.setIssuer(issuer);
        tbs.setSubject(subject);
        tbs.setStartDate(new Time(Date.from(notBefore)));
        tbs.setEndDate(new Time(Date.from(notAfter)));
        SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(subjectKey.getEncoded());
        tbs.setSubjectPublicKeyInfo(spki);

        ExtensionsGenerator ext = new ExtensionsGenerator();
        ext.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        ext.addExtension(Extension.keyUsage, true,
                new KeyUsage(ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature));
        if (eku != null) ext.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(eku));
        if (sans != null) {
            ext.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(sans.toArray(new GeneralName[0])));
        }
        ext.addExtension(Extension.subjectKeyIdentifier, false, new SubjectKeyIdentifier(keyId(spki)));
        ext.addExtension(Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(
                keyId(SubjectPublicKeyInfo.getInstance(issuerKey.getPublic().getEncoded()))));
        tbs.setExtensions(ext.generate());
        TBSCertificate tbsCert = tbs.generateTBSCertificate();

        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(issuerKey.getPrivate(), random);
        signer.update(tbsCert.getEncoded(ASN1Encoding.DER));
        ASN1EncodableVector cert = new ASN1EncodableVector();
        cert.add(tbsCert);
        cert.add(ECDSA_SHA256);
        cert.add(new DERBitString(signer.sign()));
        return new DERSequence(cert).getEncoded(ASN1Encoding.DER);
    }

    /** RFC 5280 section 4.2.1.2, method (1): SHA-1 of the subjectPublicKey bits (an identifier, not a signature). */
    private static byte[] keyId(SubjectPublicKeyInfo spki) throws GeneralSecurityException {
        return MessageDigest.getInstance("SHA-1").digest(spki.getPublicKeyData().getBytes());
    }
}
