package org.microssl.testing;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.microssl.internal.DemoPki;

/**
 * Test certificates, built fresh: {@code TestPki.chain(KeyType.EC_P256)} gives root -> intermediate -> leaf for
 * {@code localhost}/{@code 127.0.0.1}; {@link #cert()} builds any single certificate, with the same
 * {@link DemoPki.Builder} the demos use, from JCA keys of every type the tests need (bcpkix, test scope).
 */
public final class TestPki {

    public enum KeyType {
        EC_P256("SHA256withECDSA"), EC_P384("SHA384withECDSA"), RSA_2048("SHA256withRSA"),
        RSA_1024("SHA256withRSA"), ED25519("Ed25519");

        /** The signature algorithm (JCA name) a certificate signed by a key of this type uses by default. */
        public final String defaultSignature;

        KeyType(String defaultSignature) { this.defaultSignature = defaultSignature; }
    }

    public static final BouncyCastleProvider BC = new BouncyCastleProvider();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    private TestPki() {}

    public static KeyPair generate(KeyType type) {
        try {
            KeyPairGenerator g;
            switch (type) {
                case EC_P256: g = KeyPairGenerator.getInstance("EC", BC); g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM); break;
                case EC_P384: g = KeyPairGenerator.getInstance("EC", BC); g.initialize(new ECGenParameterSpec("secp384r1"), RANDOM); break;
                case RSA_2048: g = KeyPairGenerator.getInstance("RSA", BC); g.initialize(2048, RANDOM); break;
                case RSA_1024: g = KeyPairGenerator.getInstance("RSA", BC); g.initialize(1024, RANDOM); break;
                case ED25519: g = KeyPairGenerator.getInstance("Ed25519", BC); break;
                default: throw new AssertionError(type);
            }
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A certificate with the key that it certifies. */
    public static final class Issued {
        public final byte[] der;
        public final KeyPair keyPair;
        public final KeyType keyType;
        public final X500Name subject;

        Issued(byte[] der, KeyPair keyPair, KeyType keyType, X500Name subject) {
            this.der = der;
            this.keyPair = keyPair;
            this.keyType = keyType;
            this.subject = subject;
        }

        public String pem() { return TestPki.pem("CERTIFICATE", der); }

        /**
         * The private key as PKCS#8 DER, always a v1 PrivateKeyInfo (RFC 5208: version 0, no attributes, no public
         * key). BouncyCastle encodes Ed25519 keys as RFC 5958 v2 OneAsymmetricKey with the public key, which
         * OpenSSL 3.0 refuses to load; v1 is what every peer reads.
         */
        public byte[] keyPkcs8() {
            try {
                PrivateKeyInfo info = PrivateKeyInfo.getInstance(keyPair.getPrivate().getEncoded());
                return new PrivateKeyInfo(info.getPrivateKeyAlgorithm(), info.parsePrivateKey()).getEncoded("DER");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        public String keyPkcs8Pem() { return TestPki.pem("PRIVATE KEY", keyPkcs8()); }

        /** The private key in its algorithm's own format: SEC1 for EC, PKCS#1 for RSA (Ed25519 has none). */
        public byte[] keyTraditional() {
            try {
                return PrivateKeyInfo.getInstance(keyPkcs8()).parsePrivateKey().toASN1Primitive().getEncoded("DER");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        public String keyTraditionalPem() {
            String label = keyType == KeyType.EC_P256 || keyType == KeyType.EC_P384 ? "EC PRIVATE KEY" : "RSA PRIVATE KEY";
            return TestPki.pem(label, keyTraditional());
        }

        public X509CertificateHolder holder() {
            try {
                return new X509CertificateHolder(der);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** root -> intermediate -> leaf, and the files a peer process needs. */
    public static final class Chain {
        public final Issued root;
        public final Issued intermediate;
        public final Issued leaf;

        public Chain(Issued root, Issued intermediate, Issued leaf) {
            this.root = root;
            this.intermediate = intermediate;
            this.leaf = leaf;
        }

        /** What a server sends: leaf then intermediate, PEM (the root is not sent). */
        public String chainPem() { return leaf.pem() + intermediate.pem(); }

        /** Leaf and intermediate, DER, leaf first. */
        public List<byte[]> chainDer() {
            List<byte[]> l = new ArrayList<>();
            l.add(leaf.der);
            l.add(intermediate.der);
            return l;
        }

        /**
         * Writes root.pem, root.der, int.pem, leaf.pem, chain.pem (leaf + intermediate), leaf.key (PKCS#8 PEM)
         * into {@code dir}, prefixing each name with {@code prefix}.
         */
        public Chain writeTo(Path dir, String prefix) throws IOException {
            Files.createDirectories(dir);
            write(dir.resolve(prefix + "root.pem"), root.pem());
            Files.write(dir.resolve(prefix + "root.der"), root.der);
            write(dir.resolve(prefix + "int.pem"), intermediate.pem());
            write(dir.resolve(prefix + "leaf.pem"), leaf.pem());
            write(dir.resolve(prefix + "chain.pem"), chainPem());
            write(dir.resolve(prefix + "leaf.key"), leaf.keyPkcs8Pem());
            return this;
        }

        private static void write(Path p, String s) throws IOException {
            Files.write(p, s.getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** A server chain for localhost and 127.0.0.1, valid from a day ago for a year, every key of {@code type}. */
    public static Chain chain(KeyType type) {
        return chain(type, "localhost", Purpose.SERVER);
    }

    public enum Purpose { SERVER, CLIENT }

    /** A chain whose leaf names {@code dnsName} (and 127.0.0.1 for a server), for a server or a client. */
    public static Chain chain(KeyType type, String dnsName, Purpose purpose) {
        Issued root = cert().subject("CN=microssl Test Root " + type).key(type).ca(-1).build();
        Issued intermediate = cert().subject("CN=microssl Test Intermediate " + type).key(type).ca(0).issuer(root).build();
        Builder leaf = cert().subject("CN=" + dnsName).key(type).issuer(intermediate).san("DNS:" + dnsName);
        if (purpose == Purpose.SERVER) {
            leaf.san("IP:127.0.0.1").eku(KeyPurposeId.id_kp_serverAuth);
        } else {
            leaf.eku(KeyPurposeId.id_kp_clientAuth);
        }
        return new Chain(root, intermediate, leaf.build());
    }

    public static Builder cert() { return new Builder(); }

    /**
     * Builds one certificate with {@link DemoPki.Builder} (its defaults: self-signed, valid now-1d .. now+365d, an
     * end entity with key identifiers), signed through the JCA with BouncyCastle's provider, so any key type and
     * signature algorithm a test names can be used.
     */
    public static final class Builder {
        private final DemoPki.Builder template = new DemoPki.Builder();
        private String subject = "CN=test";
        private KeyType keyType = KeyType.EC_P256;
        private KeyPair keyPair;
        private Issued issuer;
        private String signatureAlgorithm;

        public Builder subject(String rfc4514) { this.subject = rfc4514; return this; }

        public Builder key(KeyType type) { this.keyType = type; return this; }

        /** Use this key pair (e.g. to cross-sign the same key); {@code type} must describe it. */
        public Builder keyPair(KeyPair pair, KeyType type) { this.keyPair = pair; this.keyType = type; return this; }

        /** Signed by {@code issuer}; without it the certificate is self-signed. */
        public Builder issuer(Issued issuer) { this.issuer = issuer; return this; }

        public Builder validity(Instant notBefore, Instant notAfter) {
            template.validity(notBefore, notAfter);
            return this;
        }

        /** A CA (basicConstraints cA, keyCertSign); {@code pathLen} -1 means no pathLenConstraint. */
        public Builder ca(int pathLen) { template.ca(pathLen); return this; }

        /** JCA signature algorithm name, e.g. "SHA1withRSA", "SHA256withRSAandMGF1"; default from the issuer's key. */
        public Builder signatureAlgorithm(String name) { this.signatureAlgorithm = name; return this; }

        /** keyUsage bits from {@link KeyUsage}; default: keyCertSign|cRLSign for a CA, digitalSignature otherwise. */
        public Builder keyUsage(int bits) { template.keyUsage(bits); return this; }

        /** No keyUsage extension at all. */
        public Builder noKeyUsage() { template.noKeyUsage(); return this; }

        public Builder eku(KeyPurposeId... ids) { template.eku(ids); return this; }

        /** "DNS:name", "IP:1.2.3.4" / "IP:::1", or "EMAIL:a@b". */
        public Builder san(String typed) { template.san(typed); return this; }

        /** Any other extension, e.g. nameConstraints or an unknown critical one. */
        public Builder extension(ASN1ObjectIdentifier oid, boolean critical, ASN1Encodable value) {
            template.extension(oid, critical, value);
            return this;
        }

        /** Leave out subject and authority key identifiers. */
        public Builder noKeyIdentifiers() { template.noKeyIdentifiers(); return this; }

        public Issued build() {
            try {
                KeyPair pair = keyPair != null ? keyPair : generate(keyType);
                X500Name subjectName = new X500Name(subject);
                template.subject(subjectName).publicKey(SubjectPublicKeyInfo.getInstance(pair.getPublic().getEncoded()))
                        .serial(BigInteger.valueOf(SERIAL.incrementAndGet()));
                KeyPair signer = pair;
                KeyType signerType = keyType;
                if (issuer != null) {
                    signer = issuer.keyPair;
                    signerType = issuer.keyType;
                    template.issuer(issuer.subject, SubjectPublicKeyInfo.getInstance(signer.getPublic().getEncoded()));
                }
                String alg = signatureAlgorithm != null ? signatureAlgorithm : signerType.defaultSignature;
                byte[] der = template.sign(jcaSigner(alg, signer.getPrivate()));
                return new Issued(der, pair, keyType, subjectName);
            } catch (Exception e) {
                throw new IllegalStateException("cannot build test certificate " + subject, e);
            }
        }
    }

    /** Signs with the JCA algorithm {@code name} through BouncyCastle's provider (bcpkix names its identifier). */
    static DemoPki.Signer jcaSigner(String name, PrivateKey key) throws OperatorCreationException {
        ContentSigner signer = new JcaContentSignerBuilder(name).setProvider(BC).build(key);
        return new DemoPki.Signer() {
            @Override
            public AlgorithmIdentifier algorithm() {
                return signer.getAlgorithmIdentifier();
            }

            @Override
            public byte[] sign(byte[] tbsCertificate) throws IOException {
                signer.getOutputStream().write(tbsCertificate);
                return signer.getSignature();
            }
        };
    }

    public static String pem(String label, byte[] der) {
        String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + b64 + "\n-----END " + label + "-----\n";
    }

    /** An IPv4/IPv6 literal's bytes, for iPAddress SAN and name-constraint tests. */
    public static byte[] ip(String literal) {
        try {
            return InetAddress.getByName(literal).getAddress();
        } catch (IOException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }
}
