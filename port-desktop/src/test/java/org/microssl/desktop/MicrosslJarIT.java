package org.microssl.desktop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.microssl.testing.Peer.cmd;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.microssl.Ssl;
import org.microssl.desktop.interop.InteropPki;
import org.microssl.desktop.interop.PeerServersAccess;
import org.microssl.testing.Peer;
import org.microssl.testing.TestPki.KeyType;

/**
 * The shaded {@code target/microssl.jar} as a user runs it, in its own JVM: BouncyCastle's signatures stripped
 * correctly, the main class set, exit statuses as documented. Runs in {@code mvn verify} after {@code package}.
 */
class MicrosslJarIT {
    private static final Path JAR = Paths.get("target", "microssl.jar");
    private static final InteropPki PKI = InteropPki.get();

    private static Peer java(String... args) throws Exception {
        return java(java.util.Map.of(), args);
    }

    private static Peer java(java.util.Map<String, String> env, String... args) throws Exception {
        assertTrue(Files.isRegularFile(JAR), JAR.toAbsolutePath() + " is missing; run mvn package first");
        List<String> c = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toAbsolutePath().toString()));
        Collections.addAll(c, args);
        return Peer.client("java -jar microssl.jar", PKI.dir, c, null, env);
    }

    @Test
    void demo() throws Exception {
        try (Peer p = java("demo")) {
            assertEquals(0, p.waitFor(30_000), p.output());
            assertTrue(p.output().contains("handshake ok: TLSv1.3"), p.output());
            assertTrue(p.output().contains("demo complete"), p.output());
        }
    }

    @Test
    void clientAgainstOpensslThenAFailure() throws Exception {
        try (Peer server = PeerServersAccess.openssl(PKI, KeyType.RSA_2048, Ssl.TLSv1_3, false)) {
            try (Peer p = java("client", "localhost", String.valueOf(server.port()), "--cafile",
                    PKI.path(KeyType.RSA_2048, "root.pem"), "--send", "jar\\nCLOSE\\n")) {
                assertEquals(0, p.waitFor(30_000), p.output());
                assertTrue(p.output().contains("peer=CN=localhost\nraj\n"), p.output());
            }
            try (Peer p = java("client", "localhost", String.valueOf(server.port()), "--cafile",
                    PKI.path(KeyType.RSA_2048, "root.pem"), "--servername", "nope.example")) {
                assertEquals(1, p.waitFor(30_000), p.output());
                assertTrue(p.output().startsWith("error: HOSTNAME_MISMATCH: depth 0 (CN=localhost): "), p.output());
            }
        }
    }

    /** Without --cafile the client trusts the system store, which $SSL_CERT_FILE replaces (as for OpenSSL). */
    @Test
    void sslCertFileReplacesTheSystemTrustStore() throws Exception {
        try (Peer server = PeerServersAccess.openssl(PKI, KeyType.ED25519, Ssl.TLSv1_2, false);
                Peer p = java(java.util.Map.of("SSL_CERT_FILE", PKI.path(KeyType.ED25519, "root.pem")),
                        "client", "localhost", String.valueOf(server.port()), "--send", "env\\nCLOSE\\n")) {
            assertEquals(0, p.waitFor(30_000), p.output());
            assertTrue(p.output().startsWith("protocol=TLSv1.2 cipher=TLS_ECDHE_ECDSA_WITH_"), p.output());
            assertTrue(p.output().endsWith("peer=CN=localhost\nvne\n"), p.output());
        }
    }

    @Test
    void usageErrorExitsOne() throws Exception {
        try (Peer p = java("client")) {
            assertEquals(1, p.waitFor(30_000), p.output());
            assertTrue(p.output().startsWith("error: USAGE: client takes HOST PORT, got nothing"), p.output());
        }
    }

    @Test
    void limboCommandReachesTheHarness() throws Exception {
        Path empty = Files.writeString(PKI.dir.resolve("empty-limbo.json"), "{\"version\":1,\"testcases\":[]}");
        List<String> c = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toAbsolutePath().toString(), "limbo"));
        ProcessBuilder pb = new ProcessBuilder(c).redirectInput(empty.toFile()).redirectErrorStream(true);
        Process proc = pb.start();
        try {
            String out = new String(proc.getInputStream().readAllBytes());
            assertTrue(proc.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(0, proc.exitValue(), out);
            assertTrue(out.contains("\"harness\":\"microssl\""), out);
        } finally {
            proc.destroyForcibly();
        }
    }
}
