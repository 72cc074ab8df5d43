package org.microssl.bench;

import java.io.ByteArrayInputStream;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.microssl.internal.crypto.RawBcPair;
import org.microssl.testing.TestPki;

/**
 * The certificates every benchmark uses, made once per JVM with the shared test fixture (bcpkix, test scope in
 * core): the shapes of ../shared/openssl-anchor/mkcerts.sh.
 * <ul>
 *   <li>{@code ecChain}: ECDSA P-256 root -> intermediate (pathlen 0) -> leaf for localhost, serverAuth</li>
 *   <li>{@code edLeaf}: an Ed25519 leaf issued by the same ECDSA intermediate</li>
 *   <li>{@code ecSelfSigned}: a self-signed ECDSA P-256 leaf (the "no chain validation" cases)</li>
 *   <li>{@code clientChain}: ECDSA P-256 root -> intermediate -> leaf, clientAuth (mutual TLS)</li>
 *   <li>{@code rsaChain}: RSA-2048 root -> intermediate -> leaf (validation benchmark)</li>
 * </ul>
 */
public final class Fixtures {
    public static final String HOST = "localhost";

    public static final TestPki.Chain ecChain = TestPki.chain(TestPki.KeyType.EC_P256);
    public static final TestPki.Issued edLeaf = TestPki.cert().subject("CN=" + HOST).key(TestPki.KeyType.ED25519)
            .issuer(ecChain.intermediate).san("DNS:" + HOST).eku(KeyPurposeId.id_kp_serverAuth).build();
    public static final TestPki.Issued ecSelfSigned = TestPki.cert().subject("CN=" + HOST)
            .key(TestPki.KeyType.EC_P256).san("DNS:" + HOST).eku(KeyPurposeId.id_kp_serverAuth).build();
    public static final TestPki.Chain clientChain =
            TestPki.chain(TestPki.KeyType.EC_P256, "client.test", TestPki.Purpose.CLIENT);
    public static final TestPki.Chain rsaChain = TestPki.chain(TestPki.KeyType.RSA_2048);

    private Fixtures() {}

    /** The server identity of a handshake scenario: what the server sends, leaf first. */
    public static List<byte[]> serverChain(Scenario s) {
        switch (s.server) {
            case EC_CHAIN: return Arrays.asList(ecChain.leaf.der, ecChain.intermediate.der);
            case ED_CHAIN: return Arrays.asList(edLeaf.der, ecChain.intermediate.der);
            default: return Collections.singletonList(ecSelfSigned.der);
        }
    }

    public static TestPki.Issued serverLeaf(Scenario s) {
        switch (s.server) {
            case EC_CHAIN: return ecChain.leaf;
            case ED_CHAIN: return edLeaf;
            default: return ecSelfSigned;
        }
    }

    /** The anchor a validating client trusts for this scenario. */
    public static byte[] serverAnchor(Scenario s) {
        return s.server == Scenario.ServerCert.SELF_SIGNED ? ecSelfSigned.der : ecChain.root.der;
    }

    public static RawBcPair.Identity serverIdentity(Scenario s) {
        TestPki.Issued leaf = serverLeaf(s);
        return new RawBcPair.Identity(serverChain(s), leaf.keyPkcs8(), leaf.keyType);
    }

    public static RawBcPair.Identity clientIdentity() {
        return RawBcPair.Identity.of(clientChain);
    }

    public static String pem(List<byte[]> ders) {
        StringBuilder b = new StringBuilder();
        for (byte[] d : ders) {
            b.append(TestPki.pem("CERTIFICATE", d));
        }
        return b.toString();
    }

    // ---- JCA views for SunJSSE

    public static X509Certificate x509(byte[] der) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static PrivateKey jcaKey(TestPki.Issued cert) {
        try {
            String alg = cert.keyType == TestPki.KeyType.ED25519 ? "Ed25519"
                    : cert.keyType.name().startsWith("RSA") ? "RSA" : "EC";
            return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(cert.keyPkcs8()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyStore keyStore(TestPki.Issued leaf, List<byte[]> chain) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            X509Certificate[] certs = new X509Certificate[chain.size()];
            for (int i = 0; i < certs.length; i++) {
                certs[i] = x509(chain.get(i));
            }
            ks.setKeyEntry("key", jcaKey(leaf), new char[0], certs);
            return ks;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyStore trustStore(byte[] anchorDer) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setCertificateEntry("anchor", x509(anchorDer));
            return ks;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
