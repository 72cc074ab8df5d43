package org.microssl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.microssl.testing.Peer;
import org.microssl.testing.TestPki;
import org.microssl.testing.TlsPair;

/**
 * The key formats people have: encrypted PKCS#8 and PKCS#12, as OpenSSL 3 and the JDK's keytool write them
 * (files made by those tools here, not by us), loaded with a password and used in a handshake with
 * {@code openssl s_client}; a wrong or missing password says so and never echoes it; swapped arguments say they
 * look swapped; a PKCS#12 file where a key goes says what to call.
 */
class EncryptedKeyTest {
    static final String PASSWORD = "correct horse battery";
    static final TestPki.Chain EC = TestPki.chain(TestPki.KeyType.EC_P256);
    static final TestPki.Chain RSA = TestPki.chain(TestPki.KeyType.RSA_2048);

    @TempDir
    static Path dir;

    @BeforeAll
    static void writeKeys() throws Exception {
        EC.writeTo(dir, "ec-");
        RSA.writeTo(dir, "rsa-");
        Files.write(dir.resolve("pw.txt"), PASSWORD.getBytes(StandardCharsets.UTF_8));
        Files.write(dir.resolve("pw-utf8.txt"), "pässwörd ✓".getBytes(StandardCharsets.UTF_8));
        Files.write(dir.resolve("ec-intermediate.pem"), EC.intermediate.pem().getBytes(StandardCharsets.US_ASCII));
        Files.write(dir.resolve("ec-rest.pem"), (EC.intermediate.pem() + EC.root.pem())
                .getBytes(StandardCharsets.US_ASCII));
    }

    private static String openssl(String... args) throws Exception {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "openssl";
        System.arraycopy(args, 0, cmd, 1, args.length);
        return Peer.runTool(dir, cmd);
    }

    private static byte[] file(String name) throws Exception {
        return Files.readAllBytes(dir.resolve(name));
    }

    /** openssl pkcs8 -topk8 with the given cipher options, from the EC or RSA leaf key. */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "ec  | -v2 aes-256-cbc -v2prf hmacWithSHA256 | PEM",
            "ec  | -v2 aes-128-cbc -v2prf hmacWithSHA1   | DER",
            "ec  | -v2 aes-192-cbc -v2prf hmacWithSHA512 | PEM",
            "ec  | -scrypt                               | PEM",
            "rsa | -v2 aes-256-cbc                       | DER",
    })
    void encryptedPkcs8FromOpensslLoadsAndHandshakes(String type, String options, String form) throws Exception {
        String out = type + "-enc-" + Math.abs(options.hashCode()) + "." + form.toLowerCase();
        String[] base = {"pkcs8", "-topk8", "-in", type + "-leaf.key", "-out", out, "-outform", form, "-passout",
            "file:pw.txt"};
        String[] opts = options.trim().split(" +");
        String[] all = new String[base.length + opts.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(opts, 0, all, base.length, opts.length);
        openssl(all);
        String text = new String(file(out), StandardCharsets.ISO_8859_1);
        if (form.equals("PEM")) assertTrue(text.contains("ENCRYPTED PRIVATE KEY"), text);

        SSLContext ctx = new SSLContext(Ssl.PROTOCOL_TLS_SERVER);
        ctx.loadCertChain(dir.resolve(type + "-chain.pem").toString(), dir.resolve(out).toString(),
                PASSWORD.toCharArray());
        handshakeWithOpensslClient(ctx, type + "-root.pem");

        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class, () -> ctx.loadCertChain(
                dir.resolve(type + "-chain.pem").toString(), dir.resolve(out).toString(), "Tr0ub4dor&3".toCharArray()));
        assertEquals("invalid key: wrong password for the encrypted key", wrong.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> ctx.loadCertChain(
                dir.resolve(type + "-chain.pem").toString(), dir.resolve(out).toString()));
        assertTrue(none.getMessage().startsWith("invalid key: the key is encrypted (ENCRYPTED PRIVATE KEY): give its "
                + "password"), none.getMessage());
    }

    /** OpenSSL 3's own encrypted output (genpkey -aes256 writes PKCS#8 PBES2) with a non-ASCII password (UTF-8). */
    @Test
    void genpkeyAes256WithANonAsciiPassword() throws Exception {
        openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-aes256", "-pass",
                "file:pw-utf8.txt", "-out", "genpkey.pem");
        openssl("pkey", "-in", "genpkey.pem", "-passin", "file:pw-utf8.txt", "-out", "genpkey-plain.pem");
        org.bouncycastle.crypto.params.AsymmetricKeyParameter decrypted = org.microssl.internal.Keys.parsePrivateKey(
                file("genpkey.pem"), "pässwörd ✓".toCharArray());
        org.bouncycastle.crypto.params.AsymmetricKeyParameter plain = org.microssl.internal.Keys.parsePrivateKey(
                file("genpkey-plain.pem"));
        assertEquals(((org.bouncycastle.crypto.params.ECPrivateKeyParameters) plain).getD(),
                ((org.bouncycastle.crypto.params.ECPrivateKeyParameters) decrypted).getD());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> org.microssl.internal.Keys.parsePrivateKey(file("genpkey.pem"), "passwörd".toCharArray()));
        assertEquals("invalid key: wrong password for the encrypted key", e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"default", "legacy", "nomac"})
    void pkcs12FromOpensslLoadsKeyAndChainInOrder(String kind) throws Exception {
        String out = "openssl-" + kind + ".p12";
        String extra = kind.equals("default") ? null : "-" + kind;
        if (extra == null) {
            openssl("pkcs12", "-export", "-in", "ec-leaf.pem", "-inkey", "ec-leaf.key", "-certfile", "ec-rest.pem",
                    "-out", out, "-passout", "file:pw.txt");
        } else {
            openssl("pkcs12", "-export", extra, "-in", "ec-leaf.pem", "-inkey", "ec-leaf.key", "-certfile",
                    "ec-rest.pem", "-out", out, "-passout", "file:pw.txt");
        }
        SSLContext ctx = new SSLContext(Ssl.PROTOCOL_TLS_SERVER);
        ctx.loadPkcs12(dir.resolve(out).toString(), PASSWORD.toCharArray());
        List<byte[]> served = handshakeWithOpensslClient(ctx, "ec-root.pem");
        // leaf first, then its intermediate; the self-signed root is not sent
        assertEquals(2, served.size());
        assertArrayEquals(EC.leaf.der, served.get(0));
        assertArrayEquals(EC.intermediate.der, served.get(1));

        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                () -> ctx.loadPkcs12(dir.resolve(out).toString(), "hunter2".toCharArray()));
        assertEquals("invalid key: wrong password for the PKCS#12 file" + (kind.equals("nomac") ? ""
                : " (its integrity check failed)"), wrong.getMessage());
        assertFalse(wrong.getMessage().contains("hunter2"));
    }

    /**
     * Without a MAC, about one wrong password in 256 decrypts the key bag to valid CBC padding and garbage: that too
     * is "wrong password", never "malformed". 600 tries meet such a password with probability about 0.9.
     */
    @Test
    void pkcs12WithoutMacSaysWrongPasswordForEveryWrongPassword() throws Exception {
        openssl("pkcs12", "-export", "-nomac", "-in", "ec-leaf.pem", "-inkey", "ec-leaf.key", "-certfile",
                "ec-rest.pem", "-out", "nomac-many.p12", "-passout", "file:pw.txt");
        byte[] p12 = file("nomac-many.p12");
        SSLContext ctx = new SSLContext(Ssl.PROTOCOL_TLS_SERVER);
        for (int i = 0; i < 600; i++) {
            String password = "wrong-" + i;
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ctx.loadPkcs12(p12, password.toCharArray()));
            assertEquals("invalid key: wrong password for the PKCS#12 file", e.getMessage(), password);
        }
    }

    /** What the JDK's keytool / KeyStore("PKCS12") writes (PBES2 AES-256 and an HMAC-SHA256 MAC on JDK 17). */
    @Test
    void pkcs12FromTheJdk() throws Exception {
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        Certificate[] chain = {
            cf.generateCertificate(new java.io.ByteArrayInputStream(RSA.leaf.der)),
            cf.generateCertificate(new java.io.ByteArrayInputStream(RSA.intermediate.der))};
        PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(RSA.leaf.keyPkcs8()));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", key, PASSWORD.toCharArray(), chain);
        ByteArrayOutputStream p12 = new ByteArrayOutputStream();
        ks.store(p12, PASSWORD.toCharArray());

        SSLContext ctx = new SSLContext(Ssl.PROTOCOL_TLS_SERVER);
        ctx.loadPkcs12(p12.toByteArray(), PASSWORD.toCharArray());
        List<byte[]> served = handshakeWithOpensslClient(ctx, "rsa-root.pem");
        assertArrayEquals(RSA.leaf.der, served.get(0));
        assertThrows(IllegalArgumentException.class, () -> ctx.loadPkcs12(p12.toByteArray(), new char[0]));
    }

    @Test
    void pkcs12WithAnEmptyPassword() throws Exception {
        openssl("pkcs12", "-export", "-in", "ec-leaf.pem", "-inkey", "ec-leaf.key", "-certfile", "ec-rest.pem",
                "-out", "empty.p12", "-passout", "pass:");
        SSLContext ctx = new SSLContext(Ssl.PROTOCOL_TLS_SERVER);
        ctx.loadPkcs12(dir.resolve("empty.p12").toString(), null);
        ctx.loadPkcs12(dir.resolve("empty.p12").toString(), new char[0]);
        handshakeWithOpensslClient(ctx, "ec-root.pem");
    }

    /** Today's misleading "PKCS#8 key cannot be parsed" for a PKCS#12 file becomes what to do. */
    @Test
    void pkcs12GivenAsTheKeySaysToUseLoadPkcs12() throws Exception {
        openssl("pkcs12", "-export", "-in", "ec-leaf.pem", "-inkey", "ec-leaf.key", "-out", "as-key.p12",
                "-passout", "file:pw.txt");
        SSLContext ctx = new SSLContext(Ssl.PROTOCOL_TLS_SERVER);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ctx.loadCertChain(
                dir.resolve("ec-leaf.pem").toString(), dir.resolve("as-key.p12").toString(), PASSWORD.toCharArray()));
        assertTrue(e.getMessage().startsWith("invalid key: this is a PKCS#12 file (key and certificates together): "
                + "load it with loadPkcs12(file, password)"), e.getMessage());
    }

    @Test
    void swappedArgumentsSayTheyLookSwapped() throws Exception {
        SSLContext ctx = new SSLContext(Ssl.PROTOCOL_TLS_SERVER);
        String cert = dir.resolve("ec-chain.pem").toString();
        String key = dir.resolve("ec-leaf.key").toString();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ctx.loadCertChain(key, cert));
        assertEquals("invalid cert: cert is a private key, not a certificate: the certificate and key arguments look "
                + "swapped (loadCertChain(certfile, keyfile))", e.getMessage());
        // DER both ways
        e = assertThrows(IllegalArgumentException.class, () -> ctx.loadCertChain(EC.leaf.keyPkcs8(), EC.leaf.der));
        assertTrue(e.getMessage().contains("look swapped"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ctx.loadCertChain(EC.leaf.der, EC.leaf.der));
        assertEquals("invalid key: this is a certificate, not a private key: the certificate and key arguments look "
                + "swapped (loadCertChain(certfile, keyfile))", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ctx.loadCertChain(EC.leaf.pem().getBytes(StandardCharsets.US_ASCII),
                        EC.leaf.pem().getBytes(StandardCharsets.US_ASCII)));
        assertTrue(e.getMessage().contains("look swapped"), e.getMessage());
    }

    @Test
    void aMissingFileIsAnIoErrorNamingThePath() {
        SSLContext ctx = new SSLContext(Ssl.PROTOCOL_TLS_SERVER);
        String missing = dir.resolve("no-such.p12").toString();
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> ctx.loadPkcs12(missing, null));
        assertEquals("cannot read the PKCS#12 file " + missing + ": no such file", e.getMessage());
        e = assertThrows(UncheckedIOException.class, () -> ctx.loadCertChain(missing, null));
        assertEquals("cannot read the certificate file " + missing + ": no such file", e.getMessage());
    }

    @Test
    void legacyEncryptedPemSaysHowToConvert() throws Exception {
        openssl("ec", "-in", "ec-leaf.key", "-aes256", "-passout", "file:pw.txt", "-out", "traditional.pem");
        assertTrue(new String(file("traditional.pem"), StandardCharsets.US_ASCII).contains("DEK-Info"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> org.microssl.internal.Keys.parsePrivateKey(file("traditional.pem"), PASSWORD.toCharArray()));
        assertTrue(e.getMessage().contains("openssl pkcs8 -topk8"), e.getMessage());
    }

    /** A file's KDF cost is bounded before any work: a scrypt asking for 1 GiB is refused at once. */
    @Test
    void hostileKdfParametersAreRefusedBeforeWork() throws Exception {
        // OpenSSL refuses to write N = 2^20, r = 8 (its own 32 MiB cap): take its scrypt file and raise N
        openssl("pkcs8", "-topk8", "-in", "ec-leaf.key", "-out", "scrypt.der", "-outform", "DER", "-passout",
                "file:pw.txt", "-scrypt");
        org.bouncycastle.asn1.pkcs.EncryptedPrivateKeyInfo info =
                org.bouncycastle.asn1.pkcs.EncryptedPrivateKeyInfo.getInstance(file("scrypt.der"));
        org.bouncycastle.asn1.pkcs.PBES2Parameters pbes2 = org.bouncycastle.asn1.pkcs.PBES2Parameters.getInstance(
                info.getEncryptionAlgorithm().getParameters());
        org.bouncycastle.asn1.ASN1Sequence scrypt = org.bouncycastle.asn1.ASN1Sequence.getInstance(
                pbes2.getKeyDerivationFunc().getParameters());
        org.bouncycastle.asn1.ASN1EncodableVector hostile = new org.bouncycastle.asn1.ASN1EncodableVector();
        hostile.add(scrypt.getObjectAt(0));
        hostile.add(new org.bouncycastle.asn1.ASN1Integer(1 << 20));
        for (int i = 2; i < scrypt.size(); i++) hostile.add(scrypt.getObjectAt(i));
        byte[] big = new org.bouncycastle.asn1.pkcs.EncryptedPrivateKeyInfo(
                new org.bouncycastle.asn1.x509.AlgorithmIdentifier(info.getEncryptionAlgorithm().getAlgorithm(),
                        new org.bouncycastle.asn1.pkcs.PBES2Parameters(new org.bouncycastle.asn1.pkcs.KeyDerivationFunc(
                                pbes2.getKeyDerivationFunc().getAlgorithm(), new org.bouncycastle.asn1.DERSequence(hostile)),
                                pbes2.getEncryptionScheme())), info.getEncryptedData()).getEncoded();
        assertEquals(16384, org.bouncycastle.asn1.ASN1Integer.getInstance(scrypt.getObjectAt(1)).intValueExact(),
                "OpenSSL's default N (16 MiB with r 8) is accepted");
        org.microssl.internal.Keys.parsePrivateKey(file("scrypt.der"), PASSWORD.toCharArray());
        long start = System.nanoTime();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> org.microssl.internal.Keys.parsePrivateKey(big, PASSWORD.toCharArray()));
        assertEquals("invalid key: the key: scrypt would need 1024 MiB (N 1048576, r 8); the limit is 32 MiB",
                e.getMessage());
        assertTrue(System.nanoTime() - start < 5_000_000_000L, "refused before deriving anything");
    }

    /**
     * Serves one connection with {@code ctx} and has {@code openssl s_client} verify it against {@code root}.
     *
     * @return the chain openssl saw, DER, leaf first (from its -showcerts output)
     */
    static List<byte[]> handshakeWithOpensslClient(SSLContext ctx, String root) throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<byte[]> served = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket s = ctx.wrapSocket(listener.accept(), true, true, null)) {
                    return s.read(); // to the client's close_notify
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            String out = Peer.runTool(dir, "openssl", "s_client", "-connect", "127.0.0.1:" + listener.getLocalPort(),
                    "-CAfile", root, "-verify_return_error", "-verify_hostname", "localhost", "-showcerts");
            served.get(30, TimeUnit.SECONDS);
            assertTrue(out.contains("Verify return code: 0 (ok)"), out);
            List<byte[]> chain = new java.util.ArrayList<>();
            for (org.microssl.x509.Pem.Block b : org.microssl.x509.Pem.decode(out.getBytes(StandardCharsets.ISO_8859_1))) {
                chain.add(b.der);
            }
            return chain;
        }
    }

    /** The same identity works with microssl's own client too (the in-memory pair). */
    @Test
    void decryptedIdentityHandshakesWithMicrosslToo() throws Exception {
        openssl("pkcs8", "-topk8", "-in", "ec-leaf.key", "-out", "pair.pem", "-passout", "file:pw.txt", "-v2",
                "aes-256-cbc");
        SSLContext server = new SSLContext(Ssl.PROTOCOL_TLS_SERVER);
        server.loadCertChain(file("ec-chain.pem"), file("pair.pem"), PASSWORD.toCharArray());
        SSLContext client = new SSLContext(Ssl.PROTOCOL_TLS_CLIENT);
        client.loadVerifyLocations(null, EC.root.der);
        TlsPair p = TlsPair.connect(client, "localhost", server);
        List<byte[]> path = p.client.getPeerCertChain(); // as validated: leaf, intermediate, trust anchor
        assertEquals(3, path.size());
        assertArrayEquals(EC.root.der, path.get(2));
        p.client.close();
    }
}
