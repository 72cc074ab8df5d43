package org.microssl.desktop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.HandshakeType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.microssl.hostile.HostilePeer;
import org.microssl.hostile.Target;
import org.microssl.hostile.Wire;
import org.microssl.testing.Peer;

/**
 * The 16 MB flight against {@code microssl.jar} run in a 4 MB heap: a hostile peer answers with a 3-byte
 * Certificate message whose certificate_list claims 2^24-1 bytes ({@code 0b 00 00 03 ff ff ff}; in TLS 1.3 after
 * an empty request context). BouncyCastle alone allocated the claimed 16 MB before reading further and died of
 * OutOfMemoryError without an alert. Here, as a client (against a hostile server) and as a server asking for a
 * client certificate (against a hostile client), in both versions and with both backends, the process must end
 * with a clean failure (exit 1, one line naming decode_error, no OutOfMemoryError) and the peer must have received
 * decode_error.
 *
 * <p>{@code -XX:+UseSerialGC}: G1 cannot give the shaded jar's 6,000-entry central directory one contiguous
 * allocation in a 4 MB heap, so {@code java -Xmx4m -jar microssl.jar} does not even start under it; the serial
 * collector (what a small device's JVM runs) does.
 */
class HostileFlightIT {
    private static final Path JAR = Paths.get("target", "microssl.jar");
    private static final Path DIR = Paths.get("target", "hostile-it");
    private static final int DEADLINE_S = 5;

    @BeforeAll
    static void files() throws Exception {
        assertTrue(Files.isRegularFile(JAR), JAR.toAbsolutePath() + " is missing; run mvn package first");
        Target.CHAIN.writeTo(DIR, "server-");
        Target.CLIENT_CHAIN.writeTo(DIR, "client-");
    }

    static Stream<Arguments> versionsAndBackends() {
        List<Arguments> out = new ArrayList<>();
        for (String version : new String[] {"1.2", "1.3"}) {
            for (String backend : new String[] {"lightweight", "jca"}) out.add(Arguments.of(version, backend));
        }
        return out.stream();
    }

    /** The hostile Certificate message: certificate_list length 2^24-1 in a 3-byte list. */
    private static HostilePeer.Config sixteenMegabytes(HostilePeer.Config peer, String version) {
        byte[] message = version.equals("1.3") ? Wire.hex("0b 000004 00 ffffff") : Wire.hex("0b 000003 ffffff");
        return peer.replace(HandshakeType.certificate, message);
    }

    private static Target.Version version(String v) {
        return v.equals("1.3") ? Target.Version.TLS13 : Target.Version.TLS12;
    }

    private static List<String> java4m(String... args) {
        List<String> c = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-Xmx4m", "-jar", JAR.toAbsolutePath().toString()));
        c.addAll(List.of(args));
        return c;
    }

    @ParameterizedTest(name = "client, TLS {0}, {1}")
    @MethodSource("versionsAndBackends")
    void clientInFourMegabytes(String version, String backend) throws Exception {
        try (HostilePeer server = HostilePeer.server(sixteenMegabytes(Target.hostileServer(version(version)),
                version));
                Peer client = Peer.client("microssl.jar client -Xmx4m", DIR, java4m("client", "127.0.0.1",
                        String.valueOf(server.port()), "--cafile", "server-root.pem", "--servername", "localhost",
                        "--tls", version, "--backend", backend, "--timeout", String.valueOf(DEADLINE_S)), null)) {
            assertEquals(1, client.waitFor(60_000), client.output());
            assertCleanDecodeError(client.output());
            Target.assertFatalAlert(server.alertsAfterEnd(), AlertDescription.decode_error);
        }
    }

    @ParameterizedTest(name = "server, TLS {0}, {1}")
    @MethodSource("versionsAndBackends")
    void serverInFourMegabytes(String version, String backend) throws Exception {
        List<String> command = java4m("server", "0", "--cert", "server-chain.pem", "--key", "server-leaf.key",
                "--cafile", "client-root.pem", "--verify", "required", "--tls", version, "--backend", backend,
                "--handshake-timeout", String.valueOf(DEADLINE_S), "--once");
        try (Peer server = Peer.serverAnnouncingPort("microssl.jar server -Xmx4m", DIR, command,
                Pattern.compile("listening port=(\\d+)"));
                HostilePeer client = HostilePeer.client(sixteenMegabytes(Target.hostileClient(version(version)),
                        version), server.port())) {
            Target.assertFatalAlert(client.alertsAfterEnd(), AlertDescription.decode_error);
            assertEquals(1, server.waitFor(60_000), server.output());
            assertCleanDecodeError(server.output());
        }
    }

    /** One error line naming the alert sent; no OutOfMemoryError anywhere, no INTERNAL. */
    private static void assertCleanDecodeError(String output) {
        assertFalse(output.contains("OutOfMemoryError"), output);
        assertFalse(output.contains("INTERNAL"), output);
        assertTrue(output.contains("error: PROTOCOL_ERROR: ") && output.contains("decode_error"), output);
    }
}
