package org.microssl.embedded.example;

import java.io.IOException;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Date;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.asn1.x509.V3TBSCertificateGenerator;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;

/**
 * A throw-away P-256 PKI for the local demo (the factory's and the backend's side, not the device's): a root CA,
 * a server certificate for localhost and a device certificate, built with BouncyCastle's ASN.1 classes and
 * lightweight ECDSA (no bcpkix, no JCA).
 */
final class DemoPki {

    static final ECNamedDomainParameters P256 =
        new ECNamedDomainParameters(SECObjectIdentifiers.secp256r1, CustomNamedCurves.getByName("secp256r1"));
    private static final AlgorithmIdentifier ECDSA_SHA256 = new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256);

    private final SecureRandom random = new SecureRandom();
    final AsymmetricCipherKeyPair rootKey = newKey();
    final X500Name rootName = new X500Name("CN=Sensor Fleet Demo Root");
    final byte[] rootDer;

    DemoPki() throws IOException {
        ExtensionsGenerator ext = new ExtensionsGenerator();
        ext.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        ext.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        ext.addExtension(Extension.subjectKeyIdentifier, false, new SubjectKeyIdentifier(rootKeyId()));
        rootDer = issue(rootName, (ECPublicKeyParameters) rootKey.getPublic(), ext);
    }

    AsymmetricCipherKeyPair newKey() {
        ECKeyPairGenerator g = new ECKeyPairGenerator();
        g.init(new ECKeyGenerationParameters(P256, random));
        return g.generateKeyPair();
    }

    /** A leaf for {@code dnsName} with the given extended key usage. */
    byte[] leaf(String dnsName, ECPublicKeyParameters key, KeyPurposeId purpose) throws IOException {
        ExtensionsGenerator ext = new ExtensionsGenerator();
        ext.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        ext.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        ext.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
        ext.addExtension(Extension.subjectAlternativeName, false,
            new GeneralNames(new GeneralName(GeneralName.dNSName, dnsName)));
        // RFC 5280 section 4.2.1.1: authorityKeyIdentifier MUST be present in certificates a CA issues.
        ext.addExtension(Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(rootKeyId()));
        return issue(new X500Name("CN=" + dnsName), key, ext);
    }

    /** RFC 5280 section 4.2.1.2 method (1): SHA-1 of the subjectPublicKey bits. */
    private byte[] rootKeyId() throws IOException {
        SubjectPublicKeyInfo spki = SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(rootKey.getPublic());
        byte[] bits = spki.getPublicKeyData().getBytes();
        SHA1Digest sha1 = new SHA1Digest();
        sha1.update(bits, 0, bits.length);
        byte[] id = new byte[20];
        sha1.doFinal(id, 0);
        return id;
    }

    static byte[] pkcs8(AsymmetricCipherKeyPair key) throws IOException {
        return PrivateKeyInfoFactory.createPrivateKeyInfo(key.getPrivate()).getEncoded(ASN1Encoding.DER);
    }

    private byte[] issue(X500Name subject, ECPublicKeyParameters key, ExtensionsGenerator ext) throws IOException {
        long now = System.currentTimeMillis();
        V3TBSCertificateGenerator tbs = new V3TBSCertificateGenerator();
        tbs.setSerialNumber(new ASN1Integer(new BigInteger(64, random).add(BigInteger.ONE)));
        tbs.setIssuer(rootName);
        tbs.setSubject(subject);
        tbs.setStartDate(new Time(new Date(now - 3_600_000L)));
        tbs.setEndDate(new Time(new Date(now + 30L * 86_400_000L)));
        tbs.setSignature(ECDSA_SHA256);
        tbs.setSubjectPublicKeyInfo(SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(key));
        tbs.setExtensions(ext.generate());
        TBSCertificate tbsCert = tbs.generateTBSCertificate();
        byte[] toSign = tbsCert.getEncoded(ASN1Encoding.DER);
        SHA256Digest sha = new SHA256Digest();
        sha.update(toSign, 0, toSign.length);
        byte[] digest = new byte[32];
        sha.doFinal(digest, 0);
        byte[] signature = ecdsaDer((ECPrivateKeyParameters) rootKey.getPrivate(), digest);
        return Certificate.getInstance(new DERSequence(new ASN1Encodable[] {tbsCert, ECDSA_SHA256,
            new DERBitString(signature)})).getEncoded(ASN1Encoding.DER);
    }

    /** Deterministic ECDSA (RFC 6979) over a digest, DER-encoded. */
    static byte[] ecdsaDer(ECPrivateKeyParameters key, byte[] digest) throws IOException {
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        signer.init(true, key);
        BigInteger[] rs = signer.generateSignature(digest);
        return StandardDSAEncoding.INSTANCE.encode(key.getParameters().getN(), rs[0], rs[1]);
    }
}
