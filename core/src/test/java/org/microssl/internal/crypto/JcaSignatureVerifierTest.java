package org.microssl.internal.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Date;
import java.util.EnumMap;
import java.util.Map;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.microssl.Backends;
import org.microssl.spi.SignatureScheme;

/** Signatures made by the JCA and by bcpkix's certificate builder, checked by {@link JcaSignatureVerifier}. */
class JcaSignatureVerifierTest {
    private static final byte[] DATA = "the TBSCertificate bytes".getBytes(StandardCharsets.US_ASCII);
    private static KeyPair rsa, rsaPss, p256, p384, ed25519;
    private final JcaSignatureVerifier verifier = new JcaSignatureVerifier();

    @BeforeAll
    static void keys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(new RSAKeyGenParameterSpec(2048, RSAKeyGenParameterSpec.F4));
        rsa = g.generateKeyPair();
        KeyPairGenerator gp = KeyPairGenerator.getInstance("RSASSA-PSS");
        gp.initialize(2048);
        rsaPss = gp.generateKeyPair();
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        p256 = ec.generateKeyPair();
        ec.initialize(new ECGenParameterSpec("secp384r1"));
        p384 = ec.generateKeyPair();
        ed25519 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }

    private static KeyPair keyFor(SignatureScheme s) {
        switch (s) {
            case ECDSA_SHA256: return p256;
            case ECDSA_SHA384: case ECDSA_SHA512: return p384;
            case ED25519: return ed25519;
            default: return rsa;
        }
    }

    private static byte[] sign(SignatureScheme s, KeyPair kp, byte[] data) throws Exception {
        Map<SignatureScheme, String> names = new EnumMap<>(SignatureScheme.class);
        names.put(SignatureScheme.RSA_PKCS1_SHA256, "SHA256withRSA");
        names.put(SignatureScheme.RSA_PKCS1_SHA384, "SHA384withRSA");
        names.put(SignatureScheme.RSA_PKCS1_SHA512, "SHA512withRSA");
        names.put(SignatureScheme.ECDSA_SHA256, "SHA256withECDSA");
        names.put(SignatureScheme.ECDSA_SHA384, "SHA384withECDSA");
        names.put(SignatureScheme.ECDSA_SHA512, "SHA512withECDSA");
        names.put(SignatureScheme.ED25519, "Ed25519");
        Signature sig;
        switch (s) {
            case RSA_PSS_SHA256: sig = pss("SHA-256", MGF1ParameterSpec.SHA256, 32); break;
            case RSA_PSS_SHA384: sig = pss("SHA-384", MGF1ParameterSpec.SHA384, 48); break;
            case RSA_PSS_SHA512: sig = pss("SHA-512", MGF1ParameterSpec.SHA512, 64); break;
            default: sig = Signature.getInstance(names.get(s));
        }
        sig.initSign(kp.getPrivate());
        sig.update(data);
        return sig.sign();
    }

    private static Signature pss(String hash, MGF1ParameterSpec mgf, int salt) throws Exception {
        Signature sig = Signature.getInstance("RSASSA-PSS");
        sig.setParameter(new PSSParameterSpec(hash, "MGF1", mgf, salt, 1));
        return sig;
    }

    @ParameterizedTest
    @EnumSource(SignatureScheme.class)
    void acceptsGoodSignatureAndRejectsTamperedOnes(SignatureScheme scheme) throws Exception {
        KeyPair kp = keyFor(scheme);
        byte[] spki = kp.getPublic().getEncoded();
        byte[] sig = sign(scheme, kp, DATA);
        assertTrue(verifier.verify(scheme, spki, DATA, sig), "good signature");

        byte[] otherData = DATA.clone();
        otherData[0] ^= 1;
        assertFalse(verifier.verify(scheme, spki, otherData, sig), "different data");

        byte[] badSig = sig.clone();
        badSig[badSig.length - 1] ^= 0x40;
        assertFalse(verifier.verify(scheme, spki, DATA, badSig), "flipped signature bit");
        assertFalse(verifier.verify(scheme, spki, DATA, new byte[0]), "empty signature is invalid, not an error");
    }

    @Test
    void pssSaltMustEqualHashLength() throws Exception {
        Signature sig = pss("SHA-256", MGF1ParameterSpec.SHA256, 20); // RFC 4055's default salt, not the web PKI's
        sig.initSign(rsa.getPrivate());
        sig.update(DATA);
        assertFalse(verifier.verify(SignatureScheme.RSA_PSS_SHA256, rsa.getPublic().getEncoded(), DATA, sig.sign()));
    }

    @Test
    void rsassaPssKeyMakesPssSignaturesOnly() throws Exception {
        byte[] spki = rsaPss.getPublic().getEncoded();
        byte[] sig = sign(SignatureScheme.RSA_PSS_SHA256, rsaPss, DATA);
        assertTrue(verifier.verify(SignatureScheme.RSA_PSS_SHA256, spki, DATA, sig));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> verifier.verify(SignatureScheme.RSA_PKCS1_SHA256, spki, DATA, sig));
        assertTrue(e.getMessage().contains("1.2.840.113549.1.1.10"), e.getMessage());
    }

    @Test
    void keyOfWrongTypeIsAnArgumentError() throws Exception {
        byte[] sig = sign(SignatureScheme.ECDSA_SHA256, p256, DATA);
        assertThrows(IllegalArgumentException.class,
                () -> verifier.verify(SignatureScheme.RSA_PKCS1_SHA256, p256.getPublic().getEncoded(), DATA, sig));
        assertThrows(IllegalArgumentException.class,
                () -> verifier.verify(SignatureScheme.ED25519, p256.getPublic().getEncoded(), DATA, sig));
        assertThrows(IllegalArgumentException.class,
                () -> verifier.verify(SignatureScheme.ECDSA_SHA256, ed25519.getPublic().getEncoded(), DATA, sig));
        assertThrows(IllegalArgumentException.class,
                () -> verifier.verify(SignatureScheme.ECDSA_SHA256, new byte[] {0x30, 0x03, 0x02, 0x01, 0x00}, DATA, sig));
    }

    /** bcpkix's certificate builder is an independent signer: its certificates must verify over their TBS bytes. */
    @ParameterizedTest
    @EnumSource(value = SignatureScheme.class, names = {"RSA_PKCS1_SHA256", "RSA_PSS_SHA256", "RSA_PSS_SHA384",
            "ECDSA_SHA256", "ECDSA_SHA384", "ED25519"})
    void verifiesCertificatesSignedByBcpkix(SignatureScheme scheme) throws Exception {
        Map<SignatureScheme, String> bcNames = Map.of(
                SignatureScheme.RSA_PKCS1_SHA256, "SHA256withRSA",
                SignatureScheme.RSA_PSS_SHA256, "SHA256withRSAandMGF1",
                SignatureScheme.RSA_PSS_SHA384, "SHA384withRSAandMGF1",
                SignatureScheme.ECDSA_SHA256, "SHA256withECDSA",
                SignatureScheme.ECDSA_SHA384, "SHA384withECDSA",
                SignatureScheme.ED25519, "Ed25519");
        KeyPair kp = keyFor(scheme);
        X500Name name = new X500Name("CN=signer");
        X509CertificateHolder cert = new JcaX509v3CertificateBuilder(name, BigInteger.ONE,
                new Date(0), new Date(4102444800000L), name, kp.getPublic())
                .build(new JcaContentSignerBuilder(bcNames.get(scheme)).setProvider(new BouncyCastleProvider())
                        .build(kp.getPrivate()));
        byte[] tbs = cert.toASN1Structure().getTBSCertificate().getEncoded("DER");
        byte[] spki = cert.getSubjectPublicKeyInfo().getEncoded("DER");
        assertTrue(verifier.verify(scheme, spki, tbs, cert.getSignature()));
        tbs[tbs.length - 1] ^= 1;
        assertFalse(verifier.verify(scheme, spki, tbs, cert.getSignature()));
    }

    @Test
    void backendNamesItself() {
        // Backends.jca() finds the JCA backend by name (so that ProGuard leaves it out of the device jar)
        assertTrue(Backends.jca() instanceof JcaBackend);
        assertEquals("jca", Backends.jca().name());
        assertTrue(Backends.jca().signatureVerifier() instanceof JcaSignatureVerifier);
        assertEquals("lightweight", Backends.lightweight().name());
        assertTrue(Backends.lightweight().signatureVerifier() instanceof LightweightSignatureVerifier);
    }
}
