package org.microssl.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.microssl.SSLContext;
import org.microssl.SSLSocket;
import org.microssl.Ssl;
import org.microssl.spi.Transport;
import org.microssl.testing.MemoryTransport;
import org.microssl.testing.TestPki;
import org.microssl.testing.TestPki.KeyType;

/**
 * Makes the seed corpus of every fuzz target from real handshakes between microssl peers, and writes it into the
 * source tree ({@code src/test/resources/org/microssl/fuzz/}). Not part of {@code mvn verify}; run it when the
 * engine's first flight changes (SeedCorpusTest then says so):
 *
 * <pre>core/fuzz.sh record            (add "pki" to make new keys and certificates too)</pre>
 */
@EnabledIfSystemProperty(named = "fuzz.record", matches = "true|pki")
class FlightRecorder {
    static final byte[] PING = "ping\n".getBytes(StandardCharsets.US_ASCII);
    static final byte[] PONG = "pong\n".getBytes(StandardCharsets.US_ASCII);

    /** The Certificate message: a 3-byte body whose certificate_list length says 2^24-1. */
    static final byte[] CERTIFICATE_LIST_2P24 = Records.bytes(0x0b, 0x00, 0x00, 0x03, 0xff, 0xff, 0xff);

    private final Path root = Paths.get("src/test/resources/org/microssl/fuzz");

    @Test
    void record() throws Exception {
        if ("pki".equals(System.getProperty("fuzz.record"))) {
            // one set of keys: into the source tree, and copied to the class path, which FuzzPeers reads
            Path pki = root.resolve("pki");
            FuzzPeers.writePki(pki);
            Path loaded = classpathRoot().resolve("org/microssl/fuzz/pki");
            Files.createDirectories(loaded);
            try (java.util.stream.Stream<Path> files = Files.list(pki)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.copy(f, loaded.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        recordClientTarget();
        recordServerTarget();
        writeValidatorSeeds();
        writeKeyLoadingSeeds();
    }

    // ------------------------------------------------------------------------------------------ handshakes

    /** Server flights for the client target: every server identity, both versions, with and without CertificateRequest. */
    private void recordClientTarget() throws Exception {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        for (int id = 0; id < FuzzPeers.SERVER_KEYS.length; id++) {
            KeyType key = FuzzPeers.SERVER_KEYS[id];
            for (int version : new int[] {Ssl.TLSv1_2, Ssl.TLSv1_3}) {
                for (boolean clientAuth : new boolean[] {false, true}) {
                    SSLContext server = new SSLContext(Ssl.PROTOCOL_TLS_SERVER);
                    server.loadCertChain(FuzzPeers.resource("server-" + FuzzPeers.name(key) + "-chain.pem"),
                            FuzzPeers.resource("server-" + FuzzPeers.name(key) + "-key.der"));
                    server.setMaximumVersion(version);
                    if (clientAuth) {
                        server.loadVerifyLocations(FuzzPeers.resource("client-ec-p256-root.der"));
                        server.setVerifyMode(Ssl.CERT_REQUIRED);
                        server.setClock(FuzzPeers.CLOCK);
                    }
                    byte[][] flights = converse(FuzzPeers.client(), server);
                    String name = versionName(version) + "-" + FuzzPeers.name(key) + (clientAuth ? "-client-auth" : "");
                    seeds.put(name, Records.concat(new byte[] {(byte) id}, flights[1]));
                }
            }
        }
        // the same flights over odd transports: one byte per read, seven bytes per read
        seeds.put("tls13-ec-p256-bytewise", withConfig(seeds.get("tls13-ec-p256"), 0x04));
        seeds.put("tls12-rsa-2048-7-byte-reads", withConfig(seeds.get("tls12-rsa-2048"), 0x08 | 1));
        // issue 9: ServerHello, then a Certificate message whose list length says 2^24-1 (BouncyCastle allocated 16 MB)
        byte[] tls12 = seeds.get("tls12-ec-p256");
        byte[] serverHello = Records.leadingHandshakeMessages(tail(tls12)).get(0);
        int v = Records.firstRecordVersion(tail(tls12));
        seeds.put("issue9-tls12-certificate-list-2p24", Records.concat(new byte[] {0},
                Records.record(Records.HANDSHAKE, v, serverHello),
                Records.record(Records.HANDSHAKE, v, CERTIFICATE_LIST_2P24)));
        write("ClientFlightFuzzTestInputs/clientFedServerFlight", seeds);
    }

    /** Client flights for the server target: every server identity, both versions, no/ECDSA/RSA client certificate. */
    private void recordServerTarget() throws Exception {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        for (int id = 0; id < FuzzPeers.SERVER_KEYS.length; id++) {
            KeyType key = FuzzPeers.SERVER_KEYS[id];
            for (int version : new int[] {Ssl.TLSv1_2, Ssl.TLSv1_3}) {
                for (KeyType clientKey : new KeyType[] {null, KeyType.EC_P256, KeyType.RSA_2048}) {
                    SSLContext client = new SSLContext(Ssl.PROTOCOL_TLS_CLIENT);
                    client.setEntropySource(FuzzPeers.seeded(4));
                    client.setClock(FuzzPeers.CLOCK);
                    client.setMaximumVersion(version);
                    client.loadVerifyLocations(FuzzPeers.resource("server-" + FuzzPeers.name(key) + "-root.der"));
                    if (clientKey != null) {
                        client.loadCertChain(FuzzPeers.resource("client-" + FuzzPeers.name(clientKey) + "-chain.pem"),
                                FuzzPeers.resource("client-" + FuzzPeers.name(clientKey) + "-key.der"));
                    }
                    byte[][] flights = converse(client, FuzzPeers.server(key));
                    String name = versionName(version) + "-" + FuzzPeers.name(key)
                            + (clientKey == null ? "" : "-client-" + FuzzPeers.name(clientKey));
                    seeds.put(name, Records.concat(new byte[] {(byte) id}, flights[0]));
                }
            }
        }
        seeds.put("tls13-ec-p256-client-ec-p256-bytewise", withConfig(seeds.get("tls13-ec-p256-client-ec-p256"), 0x04));
        seeds.put("tls12-rsa-2048-300-byte-reads", withConfig(seeds.get("tls12-rsa-2048"), 0x0c | 1));
        // issue 9, the server side: ClientHello, then (after our CertificateRequest) the 2^24-1 Certificate message
        byte[] tls12 = tail(seeds.get("tls12-ec-p256-client-ec-p256"));
        byte[] clientHello = Records.leadingHandshakeMessages(tls12).get(0);
        int v = Records.firstRecordVersion(tls12);
        seeds.put("issue9-tls12-certificate-list-2p24", Records.concat(new byte[] {0},
                Records.record(Records.HANDSHAKE, v, clientHello),
                Records.record(Records.HANDSHAKE, 0x0303, CERTIFICATE_LIST_2P24)));
        write("ServerFlightFuzzTestInputs/serverFedClientFlight", seeds);
    }

    /**
     * Runs a real handshake in memory and returns what each side wrote: {client, server}. The client sends
     * "ping\n", the server answers "pong\n", the client closes (close_notify) and the server answers it.
     */
    static byte[][] converse(SSLContext client, SSLContext server) throws Exception {
        MemoryTransport[] t = MemoryTransport.blockingPair();
        Tap clientEnd = new Tap(t[0]);
        Tap serverEnd = new Tap(t[1]);
        CompletableFuture<Void> serverSide = CompletableFuture.runAsync(() -> {
            try {
                SSLSocket s = server.wrapSocket(serverEnd, true, true, null);
                assertArrayEquals(PING, s.readline());
                s.write(PONG);
                while (s.read(100).length > 0) {
                    // until the client's close_notify
                }
                s.close();
            } catch (IOException e) {
                throw new IllegalStateException("server: " + e, e);
            }
        });
        SSLSocket c = client.wrapSocket(clientEnd, false, true, FuzzPeers.HOSTNAME);
        c.write(PING);
        assertArrayEquals(PONG, c.readline());
        c.close();
        serverSide.get(30, TimeUnit.SECONDS);
        return new byte[][] {clientEnd.captured.toByteArray(), serverEnd.captured.toByteArray()};
    }

    /** Passes everything through and keeps a copy of what is written; close only ends our direction. */
    static final class Tap implements Transport {
        final MemoryTransport inner;
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();

        Tap(MemoryTransport inner) {
            this.inner = inner;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            return inner.read(buf, off, len);
        }

        @Override
        public int write(byte[] buf, int off, int len) throws IOException {
            int n = inner.write(buf, off, len);
            captured.write(buf, off, n);
            return n;
        }

        @Override
        public void close() {
            inner.shutdownOutput(); // the peer sees EOF but can still answer our close_notify
        }
    }

    // ------------------------------------------------------------------------------------------ certificates, keys

    /** Chains for the validator: [config][u16 length][DER]...; config bit 0: client purpose, bit 1: no name check. */
    private void writeValidatorSeeds() throws IOException {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        for (KeyType k : FuzzPeers.SERVER_KEYS) {
            String p = "server-" + FuzzPeers.name(k);
            byte[] leaf = FuzzPeers.resource(p + "-leaf.der");
            byte[] in = FuzzPeers.resource(p + "-int.der");
            byte[] root = FuzzPeers.resource(p + "-root.der");
            seeds.put(p + "-leaf-int", PathValidatorFuzzTest.encode(0, leaf, in));
            seeds.put(p + "-leaf-int-root", PathValidatorFuzzTest.encode(0, leaf, in, root));
            seeds.put(p + "-int-leaf-no-name", PathValidatorFuzzTest.encode(2, leaf, root, in));
        }
        for (KeyType k : FuzzPeers.CLIENT_KEYS) {
            String p = "client-" + FuzzPeers.name(k);
            seeds.put(p + "-leaf-int", PathValidatorFuzzTest.encode(3, FuzzPeers.resource(p + "-leaf.der"),
                    FuzzPeers.resource(p + "-int.der")));
        }
        seeds.put("server-ec-p256-leaf-only", PathValidatorFuzzTest.encode(0, FuzzPeers.resource("server-ec-p256-leaf.der")));
        write("PathValidatorFuzzTestInputs/verify", seeds);
    }

    /** Certificates and keys as users pass them: PEM and DER; PKCS#8, SEC1 and PKCS#1. */
    private void writeKeyLoadingSeeds() throws IOException {
        Map<String, byte[]> chain = new LinkedHashMap<>();
        Map<String, byte[]> cadata = new LinkedHashMap<>();
        ByteArrayOutputStream allRootsDer = new ByteArrayOutputStream();
        StringBuilder allRootsPem = new StringBuilder();
        for (KeyType k : FuzzPeers.SERVER_KEYS) {
            String p = "server-" + FuzzPeers.name(k);
            byte[] chainPem = FuzzPeers.resource(p + "-chain.pem");
            byte[] leafDer = FuzzPeers.resource(p + "-leaf.der");
            byte[] pkcs8 = FuzzPeers.resource(p + "-key.der");
            String n = FuzzPeers.name(k);
            chain.put(n + "-chain-pem-pkcs8-der", KeyLoadingFuzzTest.encode(chainPem, pkcs8));
            chain.put(n + "-leaf-der-pkcs8-pem", KeyLoadingFuzzTest.encode(leafDer, ascii(TestPki.pem("PRIVATE KEY", pkcs8))));
            chain.put(n + "-combined-pem", KeyLoadingFuzzTest.encode(
                    Records.concat(chainPem, ascii(TestPki.pem("PRIVATE KEY", pkcs8))), new byte[0]));
            if (k != KeyType.ED25519) {
                byte[] traditional = FuzzPeers.resource(p + "-key-traditional.der");
                String label = k == KeyType.RSA_2048 ? "RSA PRIVATE KEY" : "EC PRIVATE KEY";
                String format = k == KeyType.RSA_2048 ? "pkcs1" : "sec1";
                chain.put(n + "-chain-pem-" + format + "-pem", KeyLoadingFuzzTest.encode(chainPem,
                        ascii(TestPki.pem(label, traditional))));
                chain.put(n + "-leaf-der-" + format + "-der", KeyLoadingFuzzTest.encode(leafDer, traditional));
            }
            byte[] root = FuzzPeers.resource(p + "-root.der");
            cadata.put(n + "-root-der", root);
            cadata.put(n + "-root-pem", ascii(TestPki.pem("CERTIFICATE", root)));
            allRootsDer.write(root);
            allRootsPem.append(TestPki.pem("CERTIFICATE", root));
        }
        cadata.put("all-roots-der", allRootsDer.toByteArray());
        cadata.put("all-roots-pem", ascii(allRootsPem.toString()));
        cadata.put("chain-pem", FuzzPeers.resource("server-rsa-2048-chain.pem"));
        write("KeyLoadingFuzzTestInputs/loadCertChain", chain);
        write("KeyLoadingFuzzTestInputs/loadVerifyLocations", cadata);
    }

    // ------------------------------------------------------------------------------------------ util

    private void write(String dir, Map<String, byte[]> seeds) throws IOException {
        Path d = root.resolve(dir);
        Files.createDirectories(d);
        List<Path> old = new ArrayList<>();
        try (java.util.stream.Stream<Path> s = Files.list(d)) {
            s.forEach(old::add);
        }
        for (Path p : old) {
            // recorded seeds are replaced; findings (finding-*, and crash-*/timeout-* as Jazzer saves them) stay
            String name = p.getFileName().toString();
            if (!name.startsWith("finding-") && !name.startsWith("crash-") && !name.startsWith("timeout-")) Files.delete(p);
        }
        for (Map.Entry<String, byte[]> e : seeds.entrySet()) Files.write(d.resolve(e.getKey()), e.getValue());
    }

    private static byte[] withConfig(byte[] seed, int config) {
        byte[] copy = seed.clone();
        copy[0] = (byte) config;
        return copy;
    }

    /** A seed without its config byte. */
    private static byte[] tail(byte[] seed) {
        return java.util.Arrays.copyOfRange(seed, 1, seed.length);
    }

    private static String versionName(int version) {
        return version == Ssl.TLSv1_3 ? "tls13" : "tls12";
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static Path classpathRoot() throws URISyntaxException {
        return Paths.get(FlightRecorder.class.getResource("/").toURI());
    }
}
