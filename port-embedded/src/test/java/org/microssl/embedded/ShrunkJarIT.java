package org.microssl.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.spi.ToolProvider;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.microssl.testing.Peer;
import org.microssl.testing.TestPki;

/**
 * The shrunk artifact {@code target/microssl-embedded.jar} alone (no other class path), against
 * {@code openssl s_server}: on HotSpot, on the Zero interpreter with a tiny heap and bounded Metaspace, and on a
 * jlink image that holds only java.base. Runs after {@code package} (failsafe).
 */
class ShrunkJarIT {

    static final Path JAR = Paths.get("target", "microssl-embedded.jar").toAbsolutePath();
    static final String JAVA = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    /** Guards the Metaspace figure in the README (measured minimum plus a margin), so a regression fails here. */
    static final String METASPACE_LIMIT = "-XX:MaxMetaspaceSize=12m";

    @TempDir
    static Path dir;
    static TestPki.Chain pki;

    @BeforeAll
    static void setUp() throws IOException {
        assertTrue(Files.isRegularFile(JAR), "run after package: no " + JAR);
        pki = TestPki.chain(TestPki.KeyType.EC_P256).writeTo(dir, "");
    }

    static Peer server() throws Exception {
        return server("-tls1_3");
    }

    static Peer server(String version) throws Exception {
        return Peer.opensslServer(dir, "-cert", dir.resolve("leaf.pem").toString(), "-cert_chain",
            dir.resolve("int.pem").toString(), "-key", dir.resolve("leaf.key").toString(), version, "-rev");
    }

    static final class Run {
        int exit;
        String out;
        String err;
    }

    static Run run(List<String> command, int timeoutSeconds) throws Exception {
        return run(dir, command, timeoutSeconds);
    }

    /** Runs {@code command} to its end (within the timeout), its output collected in files under {@code work}. */
    static Run run(Path work, List<String> command, int timeoutSeconds) throws Exception {
        Path out = Files.createTempFile(work, "out", ".txt");
        Path err = Files.createTempFile(work, "err", ".txt");
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            assertTrue(p.waitFor(timeoutSeconds, TimeUnit.SECONDS), "timed out: " + command);
        } finally {
            p.destroyForcibly();
        }
        Run r = new Run();
        r.exit = p.exitValue();
        r.out = new String(Files.readAllBytes(out), StandardCharsets.UTF_8);
        r.err = new String(Files.readAllBytes(err), StandardCharsets.UTF_8);
        return r;
    }

    static List<String> client(String java, List<String> jvmOptions, int port, String... extra) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(jvmOptions);
        cmd.addAll(Arrays.asList("-jar", JAR.toString(), "client", "localhost", String.valueOf(port), "--cadata",
            dir.resolve("root.der").toString(), "--send", "hello from the device\\nCLOSE\\n"));
        cmd.addAll(Arrays.asList(extra));
        return cmd;
    }

    static void assertEcho(Run r) {
        assertEquals(0, r.exit, "stdout: " + r.out + "\nstderr: " + r.err);
        String[] lines = r.out.split("\n");
        assertTrue(lines[0].startsWith("protocol=TLSv1.3 cipher=TLS_"), r.out);
        assertEquals("peer=CN=localhost", lines[1]);
        assertEquals("ecived eht morf olleh", lines[2]);
    }

    @Test
    void shrunkJarNeedsOnlyJavaBase() {
        assertEquals(Collections.emptyList(), JavaBaseOnlyCheck.violations(JAR));
    }

    @Test
    void handshakeWithTheJarAloneOnHotSpot() throws Exception {
        try (Peer s = server()) {
            assertEcho(run(client(JAVA, Collections.emptyList(), s.port()), 60));
        }
    }

    @Test
    void wrongHostnameIsAnErrorLineAndExitOne() throws Exception {
        try (Peer s = server()) {
            Run r = run(client(JAVA, Collections.emptyList(), s.port(), "--servername", "wrong.example"), 60);
            assertEquals(1, r.exit);
            assertEquals("", r.out);
            assertTrue(r.err.startsWith("error: HOSTNAME_MISMATCH: depth 0 (CN=localhost): "), r.err);
        }
    }

    /** Skips the calling test where this JDK has no Zero VM. */
    static void assumeZero(Path work) throws Exception {
        Run version = run(work, Arrays.asList(JAVA, "-zero", "-version"), 30);
        Assumptions.assumeTrue(version.exit == 0 && version.err.contains("Zero VM"),
            "Zero VM not installed (Debian openjdk-17-jre-zero; .ci/run installs it): " + version.err.trim());
    }

    @Test
    void handshakeAndEchoOnTheZeroInterpreterWithATinyHeap() throws Exception {
        assumeZero(dir);
        try (Peer s = server()) {
            assertEcho(run(client(JAVA, Arrays.asList("-zero", "-Xmx4m", METASPACE_LIMIT), s.port()), 120));
        }
    }

    /** The README's one-command example: SNTP, then a reading over mutual TLS 1.3, all from the jar. */
    @Test
    void sensorExampleRunsFromTheJar() throws Exception {
        Run r = run(Arrays.asList(JAVA, "-cp", JAR.toString(), "org.microssl.embedded.example.SensorDemo"), 60);
        assertEquals(0, r.exit, r.out + r.err);
        assertTrue(r.out.contains("device: SNTP set the RTC to "), r.out);
        assertTrue(r.out.contains("collector: TLSv1.3 "), r.out);
        assertTrue(r.out.contains("client certificate [[[commonName, sensor-0042]]], max_fragment_length 512"), r.out);
        assertTrue(r.out.contains("device: server answered HTTP/1.1 201 Created"), r.out);
        // issue 11: the session kept across deep sleep, resumed by a new JVM
        assertTrue(r.out.contains("device: wake-up, resumed=yes, handshake "), r.out);
        assertTrue(r.out.contains(", resumed session"), r.out);
    }

    /** The second device example from the shrunk jar: its reading over DTLS 1.2 PSK to openssl s_server. */
    @Test
    void dtlsPskExampleRunsFromTheJar() throws Exception {
        Peer.assumeInstalled("openssl");
        int port;
        try (java.net.DatagramSocket s = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String key = "000102030405060708090a0b0c0d0e0f";
        try (Peer server = Peer.client("openssl s_server", dir, Peer.cmd("openssl", "s_server", "-dtls1_2",
                "-accept", "127.0.0.1:" + port, "-nocert", "-psk", key, "-psk_identity", "sensor-0042", "-cipher",
                "PSK-AES128-CCM8"), null)) {
            server.awaitOutput("ACCEPT", 10_000);
            Run r = run(Arrays.asList(JAVA, "-cp", JAR.toString(), "org.microssl.embedded.example.CoapSensorNode",
                "127.0.0.1", String.valueOf(port), "sensor-0042", key, "temp_c=21.5"), 60);
            assertEquals(0, r.exit, r.out + r.err);
            assertTrue(r.out.contains("device: reading sent over DTLS 1.2 PSK (TLS_PSK_WITH_AES_128_CCM_8)"), r.out);
            server.awaitOutput("temp_c=21.5", 10_000);
        }
    }

    @Test
    void handshakeAndEchoOnAJlinkImageWithOnlyJavaBase() throws Exception {
        Path image = Paths.get("target", "jre-base").toAbsolutePath();
        Path java = image.resolve("bin").resolve("java");
        if (!Files.isExecutable(java)) {
            ToolProvider jlink = ToolProvider.findFirst("jlink")
                .orElseThrow(() -> new IllegalStateException("jlink is not in this JDK"));
            int rc = jlink.run(System.out, System.err, "--add-modules", "java.base", "--strip-debug",
                "--no-header-files", "--no-man-pages", "--output", image.toString());
            assertEquals(0, rc, "jlink failed");
        }
        Run modules = run(Arrays.asList(java.toString(), "--list-modules"), 30);
        assertEquals("java.base", modules.out.trim().replaceAll("@.*", ""), "the image holds java.base only");
        try (Peer s = server()) {
            assertEcho(run(client(java.toString(), Collections.emptyList(), s.port()), 60));
        }
        assertTrue(new File(image.toFile(), "lib").isDirectory());
    }

    /**
     * Issue 14's target: with --stdio (the TLS stream on stdin/stdout, here the shell's /dev/tcp; no java.net in the
     * process) a verified handshake and one reading fit in 6,656 KiB of Metaspace and a 2 MB heap on Zero. Met with
     * the jar appended to the boot class path, the device deployment (README): the VM reads it with its own zip
     * code, not java.util.jar's classes, and does not re-verify it (5,696 KiB measured, 2026-12-03).
     */
    static final int STDIO_METASPACE_TARGET_KIB = 6656;
    /**
     * From the application class path ({@code java -jar}) the floor measure-device.sh measures (6,848 KiB,
     * 2026-12-03) plus 128 KiB, so that a regression fails here: 192 KiB over the target (README: what stands in the
     * way).
     */
    static final int STDIO_METASPACE_CLASS_PATH_KIB = 6976;

    @Test
    void stdioHandshakeOnZeroWithinTheTargetMetaspaceFromTheBootClassPath() throws Exception {
        assertStdioHandshakeOnZero(STDIO_METASPACE_TARGET_KIB, "-Xbootclasspath/a:" + JAR, Main.class.getName());
    }

    @Test
    void stdioHandshakeOnZeroWithinItsMeasuredMetaspaceFromTheClassPath() throws Exception {
        assertStdioHandshakeOnZero(STDIO_METASPACE_CLASS_PATH_KIB, "-jar", JAR.toString());
    }

    /**
     * A device's day (issue 14) in the device deployment: the first wake-up saves its session, the next one resumes
     * it, each within the target Metaspace. TLS 1.2, because BouncyCastle 1.83 cannot resume a TLS 1.3 session with
     * OpenSSL (issue 11). Neither run loads the JDK's provider framework or its date formatting (SimpleDateFormat
     * and the locale data behind it), which cost the first wake-up 3 MB of Metaspace before.
     */
    @Test
    void resumedWakeUpOnZeroWithinTheTargetMetaspaceFromTheBootClassPath() throws Exception {
        assumeZero(dir);
        Path session = dir.resolve("wake-up.session");
        Files.deleteIfExists(session);
        try (Peer s = server("-tls1_2")) {
            for (String resumed : new String[] {"resumed=no", "resumed=yes"}) {
                Path log = dir.resolve("wake-up-" + resumed + ".log");
                String[] lines = stdioOnZero(s.port(), STDIO_METASPACE_TARGET_KIB,
                    Arrays.asList("-Xlog:class+load=info:file=" + log, "-Xbootclasspath/a:" + JAR,
                        Main.class.getName()),
                    "--session-in", session.toString(), "--session-out", session.toString());
                assertTrue(lines[0].startsWith("protocol=TLSv1.2 cipher=TLS_ECDHE_ECDSA_"), String.join("\n", lines));
                assertEquals(resumed, lines[1]);
                assertEquals("peer=CN=localhost", lines[2]);
                assertEquals("ecived eht morf olleh", lines[3]);
                List<String> heavy = new ArrayList<>();
                for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                    for (String c : new String[] {" java.text.SimpleDateFormat ", " sun.security.jca.Providers ",
                        " java.lang.invoke.LambdaMetafactory "}) {
                        if (line.contains(c)) heavy.add(c.trim());
                    }
                }
                assertEquals(Collections.emptyList(), heavy, resumed);
            }
        }
    }

    private void assertStdioHandshakeOnZero(int metaspaceKib, String... launch) throws Exception {
        assumeZero(dir);
        try (Peer s = server()) {
            String[] lines = stdioOnZero(s.port(), metaspaceKib, Arrays.asList(launch));
            assertTrue(lines[0].startsWith("protocol=TLSv1.3 cipher=TLS_"), String.join("\n", lines));
            assertEquals("peer=CN=localhost", lines[1]);
            assertEquals("ecived eht morf olleh", lines[2]);
        }
    }

    /** One --stdio client run on Zero with a 2 MB heap; its report lines (stderr: stdout is the TLS stream). */
    private static String[] stdioOnZero(int port, int metaspaceKib, List<String> launch, String... extra)
            throws Exception {
        List<String> cmd = new ArrayList<>(Arrays.asList("bash", "-c",
            "exec 3<>/dev/tcp/127.0.0.1/" + port + "; exec \"$@\" <&3 >&3", "_", JAVA, "-zero", "-Xmx2m",
            "-XX:MaxMetaspaceSize=" + metaspaceKib + "k"));
        cmd.addAll(launch);
        cmd.addAll(Arrays.asList("client", "--stdio", "localhost", "--cadata", dir.resolve("root.der").toString(),
            "--send", "hello from the device\\nCLOSE\\n"));
        cmd.addAll(Arrays.asList(extra));
        Run r = run(cmd, 120);
        assertEquals(0, r.exit, "stdout: " + r.out + "\nstderr: " + r.err);
        assertEquals("", r.out, "stdout is the TLS stream: nothing else may be written to it");
        return r.err.split("\n");
    }

    /** The ta command of the jar writes compact anchors that the jar's client then verifies with. */
    @Test
    void compactAnchorsFromTheJarVerifyTheHandshake() throws Exception {
        Path anchors = dir.resolve("anchors.bin");
        Process ta = new ProcessBuilder(JAVA, "-jar", JAR.toString(), "ta", dir.resolve("root.pem").toString())
            .redirectOutput(anchors.toFile()).redirectError(dir.resolve("ta.err").toFile()).start();
        assertTrue(ta.waitFor(60, TimeUnit.SECONDS));
        String err = new String(Files.readAllBytes(dir.resolve("ta.err")), StandardCharsets.UTF_8);
        assertEquals(0, ta.exitValue(), err);
        assertTrue(err.contains("-> 1 anchors, 0 kept whole"), err);
        try (Peer s = server()) {
            List<String> cmd = new ArrayList<>(Arrays.asList(JAVA, "-jar", JAR.toString(), "client", "localhost",
                String.valueOf(s.port()), "--anchors", anchors.toString(), "--send", "hello from the device\\nCLOSE\\n"));
            assertEcho(run(cmd, 60));
        }
    }

    /** The original names of the classes in a shrunk jar, read from the ProGuard mapping kept next to it. */
    static List<String> originalClassNames(Path map) throws IOException {
        assertTrue(Files.isRegularFile(map), "no " + map + " next to the jar");
        List<String> names = new ArrayList<>();
        for (String line : Files.readAllLines(map, StandardCharsets.UTF_8)) {
            if (!line.startsWith(" ") && line.indexOf(' ') > 0) names.add(line.substring(0, line.indexOf(' ')));
        }
        return names;
    }

    /**
     * The device profile (issue 14): what it leaves out is not in the jar. Read from ProGuard's mapping, kept next to
     * the jar: a BouncyCastle entry point that reaches the full set again (PrivateKeyFactory, BcTlsCrypto) brings
     * these back with hundreds of KB.
     */
    @Test
    void deviceJarLeavesOutTheFullSet() throws Exception {
        List<String> kept = new ArrayList<>();
        for (String name : originalClassNames(Paths.get("target", "microssl-embedded.jar.map"))) {
            // (four LMS key parameter classes stay, reached from BouncyCastle's generic code: no signer, no tables)
            boolean pq = name.startsWith("org.bouncycastle.pqc.") && !name.startsWith("org.bouncycastle.pqc.crypto.lms.");
            if (pq || name.equals("org.bouncycastle.crypto.ec.CustomNamedCurves")
                || name.equals("org.bouncycastle.asn1.x9.ECNamedCurveTable")
                || name.equals("org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto")
                || name.equals("org.bouncycastle.crypto.util.PublicKeyFactory")
                || name.equals("org.bouncycastle.crypto.util.PrivateKeyFactory")
                || name.startsWith("org.bouncycastle.math.ec.custom.sec.SecT")) {
                kept.add(name);
            }
        }
        assertEquals(Collections.emptyList(), kept);
    }

    /**
     * A client engine when no server is used (issue 14): a client run loads none of the server side (BouncyCastle's
     * server protocol, ours, ticket sealing), not even for the bytecode verifier. Read from the JVM's class-loading
     * log, the shrunk names decoded with the mapping next to the jar.
     */
    @Test
    void aClientLoadsNoServerClass() throws Exception {
        Map<String, String> original = new HashMap<>();
        Path map = Paths.get("target", "microssl-embedded.jar.map");
        for (String line : Files.readAllLines(map, StandardCharsets.UTF_8)) {
            int arrow = line.indexOf(" -> ");
            if (!line.startsWith(" ") && arrow > 0) original.put(line.substring(arrow + 4, line.length() - 1),
                line.substring(0, arrow));
        }
        Path log = dir.resolve("class-load.txt");
        try (Peer s = server()) {
            assertEcho(run(client(JAVA, Collections.singletonList("-Xlog:class+load=info:file=" + log), s.port()), 60));
        }
        List<String> server = new ArrayList<>();
        int loaded = 0;
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            String[] f = line.split(" ");
            if (f.length < 2 || !line.contains("source: file:")) continue;
            loaded++;
            String name = original.getOrDefault(f[1], f[1]);
            if (name.endsWith("ServerProtocol") || name.endsWith(".TlsServer") || name.contains("ServerResumption")
                || name.contains("TicketSealer") || name.contains("ServerPeer") || name.contains("$ServerSide")) {
                server.add(name);
            }
        }
        assertTrue(loaded > 100, "the log lists the jar's classes: " + loaded);
        assertEquals(Collections.emptyList(), server);
    }
}
