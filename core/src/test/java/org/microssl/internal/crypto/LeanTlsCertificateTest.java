package org.microssl.internal.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.CertificateType;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.DigitallySigned;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.SignatureScheme;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsObjectIdentifiers;
import org.bouncycastle.tls.crypto.Tls13Verifier;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCertificateRole;
import org.bouncycastle.tls.crypto.TlsNonceGenerator;
import org.bouncycastle.tls.crypto.TlsStreamVerifier;
import org.bouncycastle.tls.crypto.TlsVerifier;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCertificate;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.bouncycastle.util.encoders.Hex;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.microssl.testing.TestPki;
import org.openjdk.jol.info.GraphLayout;

/**
 * {@link LeanTlsCertificate} against BouncyCastle's {@link BcTlsCertificate}: for the same DER every
 * {@code TlsCertificate} method answers the same (value, or exception class, alert and message), malformed
 * encodings fail the same way, and {@link PeerKeyCache} shares decoded keys without ever growing past its
 * capacity or keeping a key that failed to decode.
 */
class LeanTlsCertificateTest {

    private static final BcTlsCrypto BC = new BcTlsCrypto(new SecureRandom());
    private static final byte[] DATA = "the transcript hash a CertificateVerify signs".getBytes();

    private static final Map<String, TestPki.Issued> CERTS = new LinkedHashMap<>();

    @BeforeAll
    static void certificates() {
        TestPki.Chain p256 = TestPki.chain(TestPki.KeyType.EC_P256);
        KeyPair rsa = TestPki.generate(TestPki.KeyType.RSA_2048);
        KeyPair ec = TestPki.generate(TestPki.KeyType.EC_P256);
        CERTS.put("P-256 leaf", p256.leaf);
        CERTS.put("P-256 intermediate CA", p256.intermediate);
        CERTS.put("P-256 root CA", p256.root);
        CERTS.put("P-384 leaf", TestPki.cert().key(TestPki.KeyType.EC_P384).build());
        CERTS.put("RSA leaf", TestPki.cert().keyPair(rsa, TestPki.KeyType.RSA_2048).build());
        CERTS.put("RSA keyEncipherment only", TestPki.cert().keyPair(rsa, TestPki.KeyType.RSA_2048)
                .keyUsage(KeyUsage.keyEncipherment).build());
        CERTS.put("RSA CA, RSASSA-PSS signed", TestPki.cert().keyPair(rsa, TestPki.KeyType.RSA_2048).ca(-1)
                .signatureAlgorithm("SHA256withRSAandMGF1").build());
        CERTS.put("Ed25519 leaf", TestPki.cert().key(TestPki.KeyType.ED25519).build());
        CERTS.put("P-256 no keyUsage, v3 without key ids", TestPki.cert().keyPair(ec, TestPki.KeyType.EC_P256)
                .noKeyUsage().noKeyIdentifiers().build());
        CERTS.put("P-256 keyAgreement only", TestPki.cert().keyPair(ec, TestPki.KeyType.EC_P256)
                .keyUsage(KeyUsage.keyAgreement).build());
        CERTS.put("P-256 digitalSignature|keyCertSign", TestPki.cert().keyPair(ec, TestPki.KeyType.EC_P256)
                .keyUsage(KeyUsage.digitalSignature | KeyUsage.keyCertSign).build());
        CERTS.put("P-256 with TLS feature (must-staple)", TestPki.cert().keyPair(ec, TestPki.KeyType.EC_P256)
                .extension(TlsObjectIdentifiers.id_pe_tlsfeature, false, new DERSequence(new ASN1Integer(5)))
                .build());
        CERTS.put("P-256 keyUsage not a BIT STRING", TestPki.cert().keyPair(ec, TestPki.KeyType.EC_P256)
                .noKeyUsage().extension(Extension.keyUsage, true, new DERUTF8String("sign")).build());
        CERTS.put("P-256 keyUsage an empty BIT STRING", TestPki.cert().keyPair(ec, TestPki.KeyType.EC_P256)
                .noKeyUsage().extension(Extension.keyUsage, true, new DERBitString(new byte[0])).build());
    }

    static Stream<String> names() {
        return CERTS.keySet().stream();
    }

    // --- every TlsCertificate method, lean vs BouncyCastle

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void answersEveryMethodLikeBouncyCastle(String name) throws IOException {
        byte[] der = CERTS.get(name).der;
        TlsCertificate lean = new FastBcTlsCrypto(new SecureRandom()).createCertificate(der.clone());
        TlsCertificate bc = BC.createCertificate(der.clone());
        assertInstanceOf(LeanTlsCertificate.class, lean);
        Map<String, String> expected = answers(bc);
        Map<String, String> actual = answers(lean);
        for (String call : expected.keySet()) {
            assertEquals(expected.get(call), actual.get(call), name + ": " + call);
        }
        // asked twice (the key now from the cache): still the same answers
        assertEquals(expected, answers(lean), name + ", second time");
    }

    private static Map<String, String> answers(TlsCertificate c) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("getEncoded", outcome(c::getEncoded));
        out.put("getSubjectPublicKeyInfo", outcome(() -> ((org.bouncycastle.tls.crypto.impl.bc.BcTlsRawKeyCertificate) c)
                .getSubjectPublicKeyInfo()));
        out.put("getSerialNumber", outcome(c::getSerialNumber));
        out.put("getSigAlgOID", outcome(c::getSigAlgOID));
        out.put("getSigAlgParams", outcome(c::getSigAlgParams));
        out.put("getLegacySignatureAlgorithm", outcome(c::getLegacySignatureAlgorithm));
        ASN1ObjectIdentifier[] oids = {Extension.keyUsage, Extension.basicConstraints, Extension.subjectAlternativeName,
            Extension.extendedKeyUsage, Extension.subjectKeyIdentifier, Extension.authorityKeyIdentifier,
            TlsObjectIdentifiers.id_pe_tlsfeature, Extension.nameConstraints, Extension.certificatePolicies,
            new ASN1ObjectIdentifier("1.3.6.1.4.1.99999.1")};
        for (ASN1ObjectIdentifier oid : oids) out.put("getExtension " + oid, outcome(() -> c.getExtension(oid)));
        for (Number n : constants(SignatureAlgorithm.class, short.class)) {
            short alg = n.shortValue();
            out.put("supportsSignatureAlgorithm " + alg, outcome(() -> c.supportsSignatureAlgorithm(alg)));
            out.put("supportsSignatureAlgorithmCA " + alg, outcome(() -> c.supportsSignatureAlgorithmCA(alg)));
            out.put("createVerifier(short) " + alg, outcome(() -> c.createVerifier(alg)));
        }
        for (Number n : constants(SignatureScheme.class, int.class)) {
            int scheme = n.intValue();
            out.put("createVerifier(int) " + scheme, outcome(() -> c.createVerifier(scheme)));
        }
        for (Number n : constants(TlsCertificateRole.class, int.class)) {
            int role = n.intValue();
            out.put("checkUsageInRole " + role, outcome(() -> c.checkUsageInRole(role) == c ? "this" : "other"));
            out.put("createEncryptor " + role, outcome(() -> c.createEncryptor(role)));
        }
        org.bouncycastle.tls.crypto.impl.bc.BcTlsRawKeyCertificate raw =
                (org.bouncycastle.tls.crypto.impl.bc.BcTlsRawKeyCertificate) c;
        out.put("getPubKeyDH", outcome(raw::getPubKeyDH));
        out.put("getPubKeyDSS", outcome(raw::getPubKeyDSS));
        out.put("getPubKeyEC", outcome(raw::getPubKeyEC));
        out.put("getPubKeyEd25519", outcome(raw::getPubKeyEd25519));
        out.put("getPubKeyEd448", outcome(raw::getPubKeyEd448));
        out.put("getPubKeyRSA", outcome(raw::getPubKeyRSA));
        for (int bit : new int[] {KeyUsage.digitalSignature, KeyUsage.keyAgreement, KeyUsage.keyEncipherment,
            KeyUsage.keyCertSign, KeyUsage.cRLSign}) {
            out.put("validateKeyUsage " + bit, outcome(() -> {
                raw.validateKeyUsage(bit);
                return "valid";
            }));
        }
        return out;
    }

    /** A value's description, or the exception's class, alert and message. */
    private static String outcome(Callable<?> call) {
        try {
            return "= " + describe(call.call());
        } catch (TlsFatalAlert e) {
            return "alert " + AlertDescription.getText(e.getAlertDescription()) + ": " + e.getMessage();
        } catch (Exception e) {
            return "threw " + e.getClass().getName() + ": " + e.getMessage();
        }
    }

    private static String describe(Object v) throws IOException {
        if (v == null) return "null";
        if (v instanceof byte[]) return Hex.toHexString((byte[]) v);
        if (v instanceof ASN1Encodable) return Hex.toHexString(((ASN1Encodable) v).toASN1Primitive().getEncoded());
        if (v instanceof AsymmetricKeyParameter) {
            return "key " + Hex.toHexString(SubjectPublicKeyInfoFactory
                    .createSubjectPublicKeyInfo((AsymmetricKeyParameter) v).getEncoded());
        }
        if (v instanceof String || v instanceof Boolean || v instanceof Number) return v.toString();
        return v.getClass().getName(); // verifiers, encryptors: which one BouncyCastle chose
    }

    private static List<Number> constants(Class<?> holder, Class<?> type) {
        List<Number> out = new ArrayList<>();
        for (Field f : holder.getFields()) {
            if (f.getType() == type && Modifier.isStatic(f.getModifiers())) {
                try {
                    out.add((Number) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
        }
        assertFalse(out.isEmpty(), holder.getName());
        return out;
    }

    // --- verifiers really verify

    static Stream<Arguments> signatures() {
        return Stream.of(
                Arguments.of("P-256 leaf", SignatureScheme.ecdsa_secp256r1_sha256, "SHA256withECDSA"),
                Arguments.of("P-384 leaf", SignatureScheme.ecdsa_secp384r1_sha384, "SHA384withECDSA"),
                Arguments.of("RSA leaf", SignatureScheme.rsa_pkcs1_sha256, "SHA256withRSA"),
                Arguments.of("RSA leaf", SignatureScheme.rsa_pss_rsae_sha256, "SHA256withRSAandMGF1"),
                Arguments.of("Ed25519 leaf", SignatureScheme.ed25519, "Ed25519"),
                Arguments.of("P-256 no keyUsage, v3 without key ids", SignatureScheme.ecdsa_secp256r1_sha256,
                        "SHA256withECDSA"));
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("signatures")
    void verifiersAcceptARealSignatureAndRejectACorruptOne(String name, int scheme, String jcaAlgorithm)
            throws Exception {
        TestPki.Issued cert = CERTS.get(name);
        Signature signer = Signature.getInstance(jcaAlgorithm, TestPki.BC);
        signer.initSign(cert.keyPair.getPrivate());
        signer.update(DATA);
        byte[] good = signer.sign();
        byte[] bad = good.clone();
        bad[bad.length - 1] ^= 0x01;
        FastBcTlsCrypto crypto = new FastBcTlsCrypto(new SecureRandom());
        for (int round = 0; round < 6; round++) { // past BouncyCastle's point "promotion" (after four uses)
            for (TlsCertificate c : new TlsCertificate[] {crypto.createCertificate(cert.der),
                BC.createCertificate(cert.der)}) {
                String which = c.getClass().getSimpleName() + " round " + round;
                assertTrue(verify13(c.createVerifier(scheme), good), which);
                assertFalse(verify13(c.createVerifier(scheme), bad), which);
                short legacy = SignatureScheme.getSignatureAlgorithm(scheme);
                SignatureAndHashAlgorithm alg = SignatureScheme.getSignatureAndHashAlgorithm(scheme);
                assertTrue(verifyLegacy(c.createVerifier(legacy), alg, good), which + " (TLS 1.2)");
                assertFalse(verifyLegacy(c.createVerifier(legacy), alg, bad), which + " (TLS 1.2)");
            }
        }
        assertEquals(1, crypto.peerKeyCache().size());
    }

    private static boolean verify13(Tls13Verifier v, byte[] signature) throws IOException {
        v.getOutputStream().write(DATA);
        return v.verifySignature(signature);
    }

    /** As BouncyCastle's TLS 1.2 CertificateVerify check: streamed when the verifier streams, else over the hash. */
    private static boolean verifyLegacy(TlsVerifier v, SignatureAndHashAlgorithm alg, byte[] signature)
            throws Exception {
        DigitallySigned ds = new DigitallySigned(alg, signature);
        TlsStreamVerifier stream = v.getStreamVerifier(ds);
        if (stream != null) {
            stream.getOutputStream().write(DATA);
            return stream.isVerified();
        }
        String hash = alg.getHash() == HashAlgorithm.sha384 ? "SHA-384" : "SHA-256";
        return v.verifyRawSignature(ds, MessageDigest.getInstance(hash).digest(DATA));
    }

    // --- malformed encodings

    static Stream<Arguments> malformed() {
        byte[] der = TestPki.cert().build().der;
        byte[] truncated = Arrays.copyOf(der, der.length - 1);
        byte[] trailing = Arrays.copyOf(der, der.length + 1);
        byte[] wrongTag = der.clone();
        wrongTag[0] = 0x31; // SET instead of SEQUENCE
        byte[] notACertificate = new byte[] {0x30, 0x03, 0x02, 0x01, 0x05}; // SEQUENCE { INTEGER 5 }
        byte[] innerLengthWrong = der.clone();
        innerLengthWrong[5]++; // the tbsCertificate's length now runs past its end
        return Stream.of(Arguments.of("truncated", truncated), Arguments.of("trailing garbage", trailing),
                Arguments.of("wrong outer tag", wrongTag), Arguments.of("not a certificate", notACertificate),
                Arguments.of("inner length wrong", innerLengthWrong), Arguments.of("empty", new byte[0]));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedEncodingsFailAsInBouncyCastle(String name, byte[] der) {
        FastBcTlsCrypto crypto = new FastBcTlsCrypto(new SecureRandom());
        String expected = outcome(() -> BC.createCertificate(der.clone()));
        String actual = outcome(() -> crypto.createCertificate(der.clone()));
        assertTrue(expected.startsWith("alert ") || expected.startsWith("threw "), name + " fails in BC: " + expected);
        assertEquals(expected, actual, name);
        assertEquals(0, crypto.peerKeyCache().size());
    }

    @Test
    void rawPublicKeysStayBouncyCastles() throws IOException {
        byte[] spki = TestPki.generate(TestPki.KeyType.EC_P256).getPublic().getEncoded();
        TlsCertificate c = new FastBcTlsCrypto(new SecureRandom()).createCertificate(CertificateType.RawPublicKey, spki);
        assertEquals(org.bouncycastle.tls.crypto.impl.bc.BcTlsRawKeyCertificate.class, c.getClass());
    }

    // --- the key cache

    @Test
    void sameKeyGivesTheSameDecodedObject() throws IOException {
        FastBcTlsCrypto crypto = new FastBcTlsCrypto(new SecureRandom());
        KeyPair pair = TestPki.generate(TestPki.KeyType.EC_P256);
        byte[] first = TestPki.cert().keyPair(pair, TestPki.KeyType.EC_P256).subject("CN=first").build().der;
        byte[] reissued = TestPki.cert().keyPair(pair, TestPki.KeyType.EC_P256).subject("CN=again").build().der;
        ECPublicKeyParameters key = lean(crypto, first).getPubKeyEC();
        assertSame(key, lean(crypto, first).getPubKeyEC(), "the same certificate again");
        assertSame(key, lean(crypto, reissued).getPubKeyEC(), "another certificate for the same key");
        assertNotSame(key, lean(crypto, CERTS.get("P-256 leaf").der).getPubKeyEC(), "another key");
        assertEquals(2, crypto.peerKeyCache().size());
        assertNotSame(key, lean(new FastBcTlsCrypto(new SecureRandom()), first).getPubKeyEC(),
                "each crypto has its own cache");
    }

    @Test
    void holdsAtMostCapacityKeysLeastRecentlyUsedOut() throws IOException {
        FastBcTlsCrypto crypto = new FastBcTlsCrypto(new SecureRandom());
        int capacity = PeerKeyCache.CAPACITY;
        int n = capacity + 2;
        List<byte[]> certs = new ArrayList<>();
        List<AsymmetricKeyParameter> keys = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            TestPki.KeyType type = i % 2 == 0 ? TestPki.KeyType.EC_P256 : TestPki.KeyType.ED25519;
            certs.add(TestPki.cert().key(type).build().der);
            keys.add(publicKey(crypto, certs.get(i), i));
            assertEquals(Math.min(i + 1, capacity), crypto.peerKeyCache().size());
        }
        int oldest = n - capacity; // the least recently used of those still cached
        assertSame(keys.get(oldest), publicKey(crypto, certs.get(oldest), oldest)); // now the most recent
        assertNotSame(keys.get(0), publicKey(crypto, certs.get(0), 0), "evicted long ago: decoded afresh");
        assertEquals(capacity, crypto.peerKeyCache().size());
        assertSame(keys.get(oldest), publicKey(crypto, certs.get(oldest), oldest), "touched, so it stayed");
        assertNotSame(keys.get(oldest + 1), publicKey(crypto, certs.get(oldest + 1), oldest + 1),
                "the least recently used went out for key 0");
    }

    private static AsymmetricKeyParameter publicKey(FastBcTlsCrypto crypto, byte[] der, int i) throws IOException {
        LeanTlsCertificate c = lean(crypto, der);
        return i % 2 == 0 ? c.getPubKeyEC() : c.getPubKeyEd25519();
    }

    @Test
    void rsaKeysAreSharedToo() throws IOException {
        FastBcTlsCrypto crypto = new FastBcTlsCrypto(new SecureRandom());
        byte[] der = CERTS.get("RSA leaf").der;
        assertSame(lean(crypto, der).getPubKeyRSA(), lean(crypto, der).getPubKeyRSA());
    }

    @Test
    void concurrentConnectionsShareOneKey() throws Exception {
        FastBcTlsCrypto crypto = new FastBcTlsCrypto(new SecureRandom());
        byte[] der = CERTS.get("P-384 leaf").der;
        List<Thread> threads = new ArrayList<>();
        AsymmetricKeyParameter[] seen = new AsymmetricKeyParameter[8];
        for (int t = 0; t < seen.length; t++) {
            final int i = t;
            threads.add(new Thread(() -> {
                try {
                    seen[i] = lean(crypto, der).getPubKeyEC();
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) t.join();
        for (AsymmetricKeyParameter k : seen) assertSame(seen[0], k);
        assertEquals(1, crypto.peerKeyCache().size());
    }

    static Stream<Arguments> undecodableKeys() {
        byte[] der = TestPki.cert().key(TestPki.KeyType.EC_P256).build().der;
        // prime256v1's OID contents, found only in the SubjectPublicKeyInfo's parameters, which are followed by
        // BIT STRING { 0x00, 0x04 || X || Y }: 03 42 00 04, then 32 + 32 bytes
        int curve = indexOf(der, Hex.decode("2a8648ce3d030107"), 0);
        assertEquals(0x03, der[curve + 8]);
        assertEquals(0x04, der[curve + 11]);
        byte[] unknownCurve = der.clone();
        unknownCurve[curve + 7] = 0x7f;                                         // 1.2.840.10045.3.1.127
        byte[] offCurve = der.clone();
        offCurve[curve + 11 + 64] ^= 0x01; // the point's last y byte: no longer on the curve
        return Stream.of(Arguments.of("unknown curve", unknownCurve), Arguments.of("point off the curve", offCurve));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("undecodableKeys")
    void aKeyThatFailsToDecodeFailsAsInBouncyCastleAndIsNotCached(String name, byte[] der) throws IOException {
        FastBcTlsCrypto crypto = new FastBcTlsCrypto(new SecureRandom());
        LeanTlsCertificate lean = lean(crypto, der);
        String expected = outcome(() -> new BcTlsCertificate(BC, der).getPubKeyEC());
        assertTrue(expected.startsWith("alert unsupported_certificate"), expected);
        assertEquals(expected, outcome(lean::getPubKeyEC));
        assertEquals(expected, outcome(() -> lean.createVerifier(SignatureScheme.ecdsa_secp256r1_sha256)));
        assertEquals(0, crypto.peerKeyCache().size());
    }

    /** Real handshakes with one client crypto: a reconnection finds the server's key in the cache. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("versions")
    void reconnectingToTheSameServerReusesItsKey(ProtocolVersion version, int suite) throws IOException {
        List<TlsCertificate> created = new ArrayList<>();
        FastBcTlsCrypto client = new FastBcTlsCrypto(new SecureRandom()) {
            @Override
            public TlsCertificate createCertificate(short type, byte[] encoding) throws IOException {
                TlsCertificate c = super.createCertificate(type, encoding);
                created.add(c);
                return c;
            }
        };
        RawBcPair.Identity server = RawBcPair.Identity.of(TestPki.chain(TestPki.KeyType.EC_P256));
        for (int i = 0; i < 3; i++) {
            RawBcPair.Config c = new RawBcPair.Config();
            c.version = version;
            c.cipherSuite = suite;
            c.clientCrypto = client;
            c.serverCrypto = new FastBcTlsCrypto(new SecureRandom());
            c.server = server;
            created.clear();
            new RawBcPair(c).handshake();
            assertEquals(2, created.size(), "leaf and intermediate");
            assertInstanceOf(LeanTlsCertificate.class, created.get(0));
            assertArrayEquals(server.chainDer.get(0), created.get(0).getEncoded());
            assertEquals(1, client.peerKeyCache().size(), "the server's key, decoded once");
        }
    }

    static Stream<Arguments> versions() {
        return Stream.of(Arguments.of(ProtocolVersion.TLSv13, CipherSuite.TLS_AES_128_GCM_SHA256),
                Arguments.of(ProtocolVersion.TLSv12, CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256));
    }

    // --- memory

    @Test
    void retainsMuchLessThanBouncyCastlesCertificate() throws IOException {
        // what a second certificate also reaches (the crypto, X500Name styles, pooled OIDs) is not this one's
        byte[] other = CERTS.get("P-256 intermediate CA").der;
        for (String name : new String[] {"P-256 leaf", "RSA leaf", "Ed25519 leaf", "P-256 root CA"}) {
            byte[] der = CERTS.get(name).der;
            FastBcTlsCrypto crypto = new FastBcTlsCrypto(new SecureRandom());
            LeanTlsCertificate lean = lean(crypto, der.clone());
            TlsCertificate bc = BC.createCertificate(der.clone());
            // neither has decoded its key: a decoded key lives in the crypto's PeerKeyCache, measured on its own
            long leanSize = GraphLayout.parseInstance(lean)
                    .subtract(GraphLayout.parseInstance(crypto, lean(crypto, other))).totalSize();
            long bcSize = GraphLayout.parseInstance(bc)
                    .subtract(GraphLayout.parseInstance(BC, BC.createCertificate(other))).totalSize();
            System.out.printf("%s (%d bytes DER): LeanTlsCertificate %d bytes, BcTlsCertificate %d bytes%n",
                    name, der.length, leanSize, bcSize);
            // the lean one holds the DER itself (which the peer chain shares); BC's tree is several times that
            assertTrue(leanSize * 2 < bcSize, name + ": lean " + leanSize + " vs BC " + bcSize);
        }
    }

    /** What PeerKeyCache's documentation says an entry costs: a P-256 / P-384 key after promotion. */
    @Test
    void aPromotedKeyEntryStaysWithinTheDocumentedCost() throws Exception {
        for (TestPki.KeyType type : new TestPki.KeyType[] {TestPki.KeyType.EC_P256, TestPki.KeyType.EC_P384}) {
            TestPki.Issued cert = TestPki.cert().key(type).build();
            FastBcTlsCrypto crypto = new FastBcTlsCrypto(new SecureRandom());
            int scheme = type == TestPki.KeyType.EC_P256 ? SignatureScheme.ecdsa_secp256r1_sha256
                    : SignatureScheme.ecdsa_secp384r1_sha384;
            ECPublicKeyParameters key = lean(crypto, cert.der).getPubKeyEC();
            long decoded = cacheSize(crypto, key);
            long[] after = new long[6];
            for (int i = 0; i < after.length; i++) {
                Signature s = Signature.getInstance(type.defaultSignature, TestPki.BC);
                s.initSign(cert.keyPair.getPrivate());
                s.update(DATA);
                assertTrue(verify13(lean(crypto, cert.der).createVerifier(scheme), s.sign()));
                after[i] = cacheSize(crypto, key);
            }
            System.out.printf("%s key cache with one entry: %d bytes decoded, after each verification %s%n", type,
                    decoded, Arrays.toString(after));
            assertTrue(after[0] > decoded, "the WNAF table lives on the cached key");
            assertTrue(after[5] > after[0], "and after promotion the comb too");
            assertTrue(after[5] < 16 * 1024, type + ": " + after[5]);
        }
    }

    /** The cache's graph, without the curve and generator (and their tables) every key of the curve shares. */
    private static long cacheSize(FastBcTlsCrypto crypto, ECPublicKeyParameters key) {
        ECPoint g = key.getParameters().getG();
        return GraphLayout.parseInstance(crypto.peerKeyCache()).subtract(GraphLayout.parseInstance(
                key.getParameters().getCurve(), g, key.getParameters().getN(), key.getParameters().getH()))
                .totalSize();
    }

    private static LeanTlsCertificate lean(FastBcTlsCrypto crypto, byte[] der) throws IOException {
        return (LeanTlsCertificate) crypto.createCertificate(der);
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        for (int i = from; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(Arrays.copyOfRange(haystack, i, i + needle.length), needle)) return i;
        }
        throw new AssertionError("not found: " + Hex.toHexString(needle));
    }

    @Test
    void oneNonceGeneratorDrawingFreshValues() {
        FastBcTlsCrypto crypto = new FastBcTlsCrypto(new SecureRandom());
        TlsNonceGenerator nonces = crypto.createNonceGenerator(new byte[16]);
        assertSame(nonces, crypto.createNonceGenerator(new byte[] {1}), "no generator per connection");
        byte[] n1 = nonces.generateNonce(32);
        byte[] n2 = nonces.generateNonce(32);
        assertEquals(32, n1.length);
        assertFalse(Arrays.equals(n1, n2));
        assertEquals(0, nonces.generateNonce(0).length);
    }
}
