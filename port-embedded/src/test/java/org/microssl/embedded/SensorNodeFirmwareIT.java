package org.microssl.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.microssl.embedded.ShrunkJarIT.Run;

/**
 * {@code target/sensor-node.jar}: the sensor example's device code shrunk with microssl into one client-only
 * program (proguard-device.pro + proguard-sensor-node.pro), what a device flashes. Runs after {@code package}.
 */
class SensorNodeFirmwareIT {

    static final Path FIRMWARE = Paths.get("target", "sensor-node.jar").toAbsolutePath();
    /** Issue 14's target for what a device holds in flash. */
    static final long FLASH_TARGET_BYTES = 600_000;
    /**
     * A wake-up's Metaspace on Zero from the boot class path: the full handshake's floor measured 2026-12-03 (7,744
     * KiB in 64 KiB steps; resumed: 6,976) plus 128 KiB, so that a regression fails here. Above issue 14's 6,656 KiB,
     * which is for {@code client --stdio}: the example connects with {@code java.net.Socket}, about 1.4 MB of the
     * JDK's classes that a device's own stream does without.
     */
    static final int METASPACE_KIB = 7872;

    @TempDir
    Path dir;

    @Test
    void firmwareFitsTheFlashTargetAndHasNoServerSide() throws IOException {
        long size = Files.size(FIRMWARE);
        assertTrue(size <= FLASH_TARGET_BYTES, "sensor-node.jar is " + size + " bytes");
        List<String> server = new ArrayList<>();
        for (String name : ShrunkJarIT.originalClassNames(Paths.get("target", "sensor-node.jar.map"))) {
            if (name.equals("org.bouncycastle.tls.TlsServerProtocol")
                || name.equals("org.bouncycastle.tls.DTLSServerProtocol")
                || name.equals("org.bouncycastle.tls.AbstractTlsServer")
                || name.equals("org.microssl.internal.ServerPeer")
                || name.equals("org.microssl.internal.GuardedServerProtocol")
                || name.equals("org.microssl.internal.DtlsServerPeer")) {
                server.add(name);
            }
        }
        assertEquals(Collections.emptyList(), server);
    }

    /**
     * A cold start (no session in RTC memory: a full mutual-TLS 1.3 handshake) and the next wake-up (resumed), each
     * on Zero with a 2 MB heap and bounded Metaspace, the image on the boot class path as a device installs it,
     * against the example's collector ({@code SensorDemo --collector}, from the library jar on HotSpot), which also
     * provisions the device.
     */
    @Test
    void firmwareWakesUpTwiceOnZeroAndResumesTheSecondTime() throws Exception {
        ShrunkJarIT.assumeZero(dir);
        Path flash = dir.resolve("flash");
        Process collector = new ProcessBuilder(ShrunkJarIT.JAVA, "-cp", ShrunkJarIT.JAR.toString(),
            "org.microssl.embedded.example.SensorDemo", "--collector", flash.toString()).redirectErrorStream(true)
            .start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(collector.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null;) lines.add(line);
            } catch (IOException ended) {
                // the collector was stopped
            }
        }, "collector output");
        reader.setDaemon(true);
        reader.start();
        try {
            String listening = lines.poll(60, TimeUnit.SECONDS);
            assertNotNull(listening, "the collector did not start");
            assertTrue(listening.startsWith("collector: listening on 127.0.0.1:"), listening);
            String port = listening.substring(listening.lastIndexOf(':') + 1, listening.indexOf(','));
            for (String resumed : new String[] {"no", "yes"}) {
                Run r = ShrunkJarIT.run(dir, Arrays.asList(ShrunkJarIT.JAVA, "-zero", "-Xmx2m",
                    "-XX:MaxMetaspaceSize=" + METASPACE_KIB + "k", "-Xbootclasspath/a:" + FIRMWARE,
                    "org.microssl.embedded.example.SensorNode", flash.toString(), "localhost", port), 120);
                assertEquals(0, r.exit, "stdout: " + r.out + "\nstderr: " + r.err);
                assertTrue(r.out.startsWith("device: wake-up, resumed=" + resumed + ", handshake "), r.out);
                assertTrue(r.out.trim().endsWith(" ms, server answered HTTP/1.1 201 Created"), r.out);
                assertTrue(Files.isRegularFile(flash.resolve("rtc-memory.session")), "the session is kept");
                String collected = lines.poll(30, TimeUnit.SECONDS);
                assertEquals("collector: TLSv1.3 TLS_AES_128_GCM_SHA256, client certificate [[[commonName, "
                    + "sensor-0042]]], max_fragment_length 512, reading {\"sensor\":\"sensor-0042\",\"temperature_c\":"
                    + "21.7}" + (resumed.equals("yes") ? ", resumed session" : ""), collected);
            }
        } finally {
            collector.destroyForcibly();
        }
    }
}
