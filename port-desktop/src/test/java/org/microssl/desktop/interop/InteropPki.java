package org.microssl.desktop.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Stream;

import org.microssl.testing.TestPki;
import org.microssl.testing.TestPki.Chain;
import org.microssl.testing.TestPki.KeyType;

/**
 * The certificates every interop test shares, made once per test JVM (RSA key generation is the slow part) and
 * written where peer processes can read them. Server chains: root -> intermediate -> leaf for localhost and
 * 127.0.0.1, one per key type. Client chain: a separate root, so trusting the server's root does not trust clients.
 */
public final class InteropPki {
    public static final KeyType[] SERVER_KEY_TYPES = {KeyType.EC_P256, KeyType.RSA_2048, KeyType.ED25519};

    private static InteropPki instance;

    public final Path dir;
    private final Map<KeyType, Chain> servers = new EnumMap<>(KeyType.class);
    public final Chain client;

    private InteropPki(Path dir) throws IOException {
        this.dir = dir;
        // writeTo's leaf.key is keyPkcs8Pem(): PKCS#8 v1 for every key type, which OpenSSL 3.0 and CPython's ssl
        // load (BouncyCastle's own Ed25519 v2 encoding they refuse as "unsupported")
        for (KeyType t : SERVER_KEY_TYPES) servers.put(t, TestPki.chain(t).writeTo(dir, prefix(t)));
        client = TestPki.chain(KeyType.EC_P256, "client.test", TestPki.Purpose.CLIENT).writeTo(dir, "client-");
        // client chains of the other key types: microssl signs CertificateVerify with RSA-PSS and Ed25519 too
        for (KeyType t : new KeyType[] {KeyType.RSA_2048, KeyType.ED25519}) {
            TestPki.chain(t, "client.test", TestPki.Purpose.CLIENT).writeTo(dir, "client-" + prefix(t));
        }
        // a client certificate from a CA nobody trusts, under names of its own
        TestPki.Issued strangerRoot = TestPki.cert().subject("CN=Stranger Root").ca(-1).build();
        TestPki.Issued stranger = TestPki.cert().subject("CN=stranger.test").issuer(strangerRoot)
                .san("DNS:stranger.test").eku(org.bouncycastle.asn1.x509.KeyPurposeId.id_kp_clientAuth).build();
        Files.write(dir.resolve("stranger-leaf.pem"), stranger.pem().getBytes(StandardCharsets.US_ASCII));
        Files.write(dir.resolve("stranger-leaf.key"), stranger.keyPkcs8Pem().getBytes(StandardCharsets.US_ASCII));
        // a root nobody's certificates chain to, under a name of its own: the "unknown CA" case
        Files.write(dir.resolve("other-root.pem"), TestPki.cert().subject("CN=Some Other Root").ca(-1).build().pem()
                .getBytes(StandardCharsets.US_ASCII));
    }

    public static synchronized InteropPki get() {
        if (instance == null) {
            try {
                Path dir = Files.createTempDirectory("microssl-interop-");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
                instance = new InteropPki(dir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    public Chain server(KeyType type) {
        return servers.get(type);
    }

    /** File name prefix of a server chain's files, e.g. {@code ec_p256-leaf.pem}. */
    public static String prefix(KeyType type) {
        return type.name().toLowerCase(java.util.Locale.ROOT) + "-";
    }

    public Path file(KeyType type, String name) {
        return dir.resolve(prefix(type) + name);
    }

    public Path clientFile(String name) {
        return dir.resolve("client-" + name);
    }

    /** A client chain's file for {@code type}; EC_P256 is the default client chain of {@link #clientFile(String)}. */
    public Path clientFile(KeyType type, String name) {
        return type == KeyType.EC_P256 ? clientFile(name) : dir.resolve("client-" + prefix(type) + name);
    }

    public String path(KeyType type, String name) {
        return file(type, name).toString();
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort at JVM exit
        }
    }
}
