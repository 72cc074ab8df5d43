package org.microssl.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
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

import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.microssl.SSLContext;
import org.microssl.SSLSocket;
import org.microssl.Ssl;
import org.microssl.embedded.ShrunkJarIT.Run;
import org.microssl.testing.TestPki;

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
        for (String line : Files.readAllLines(Paths.get("target", "sensor-node.jar.map"), StandardCharsets.UTF_8)) {
            if (line.startsWith(" ")) continue;
            String name = line.substring(0, Math.max(0, line.indexOf(' ')));
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
     * A cold start (no session in RTC memory: full mutual-TLS 1.3 handshake) and the next wake-up (resumed), each on
     * Zero with a 2 MB heap and bounded Metaspace, the firmware on the boot class path as a device installs it.
     */
    @Test
    void firmwareWakesUpTwiceOnZeroAndResumesTheSecondTime() throws Exception {
        ShrunkJarIT.assumeZero(dir);
        TestPki.Issued serverRoot = TestPki.cert().subject("CN=collector root").key(TestPki.KeyType.EC_P256).ca(-1)
            .build();
        TestPki.Issued collectorCert = TestPki.cert().subject("CN=localhost").key(TestPki.KeyType.EC_P256)
            .issuer(serverRoot).san("DNS:localhost").eku(KeyPurposeId.id_kp_serverAuth).build();
        TestPki.Issued fleetRoot = TestPki.cert().subject("CN=fleet root").key(TestPki.KeyType.EC_P256).ca(-1).build();
        TestPki.Issued device = TestPki.cert().subject("CN=sensor-0042").key(TestPki.KeyType.EC_P256)
            .issuer(fleetRoot).eku(KeyPurposeId.id_kp_clientAuth).build();
        Path flash = Files.createDirectory(dir.resolve("flash"));
        Files.write(flash.resolve("ca.der"), serverRoot.der);
        Files.write(flash.resolve("device.der"), device.der);
        Files.write(flash.resolve("device.key"), device.keyPkcs8());

        SSLContext ctx = new SSLContext(Ssl.PROTOCOL_TLS_SERVER);
        ctx.loadCertChain(collectorCert.der, collectorCert.keyPkcs8());
        ctx.loadVerifyLocations(fleetRoot.der);
        ctx.setVerifyMode(Ssl.CERT_REQUIRED);
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        try (ServerSocket listener = new ServerSocket(0, 2, InetAddress.getLoopbackAddress())) {
            Thread collector = new Thread(() -> {
                for (int i = 0; i < 2; i++) {
                    try (Socket s = listener.accept()) {
                        s.setSoTimeout(60_000);
                        seen.add(collectOne(ctx.wrapSocket(s, true, true, null)));
                    } catch (IOException e) {
                        seen.add("collector: " + e);
                    }
                }
            }, "collector");
            collector.setDaemon(true);
            collector.start();
            for (String resumed : new String[] {"no", "yes"}) {
                Run r = ShrunkJarIT.run(dir, Arrays.asList(ShrunkJarIT.JAVA, "-zero", "-Xmx2m",
                    "-XX:MaxMetaspaceSize=" + METASPACE_KIB + "k", "-Xbootclasspath/a:" + FIRMWARE,
                    "org.microssl.embedded.example.SensorNode", flash.toString(), "localhost",
                    String.valueOf(listener.getLocalPort())), 120);
                assertEquals(0, r.exit, "stdout: " + r.out + "\nstderr: " + r.err);
                assertTrue(r.out.startsWith("device: wake-up, resumed=" + resumed + ", handshake "), r.out);
                assertTrue(r.out.trim().endsWith(" ms, server answered HTTP/1.1 201 Created"), r.out);
                String collected = seen.poll(30, TimeUnit.SECONDS);
                assertEquals("CN=sensor-0042 TLSv1.3 resumed=" + resumed
                    + " {\"sensor\":\"sensor-0042\",\"temperature_c\":21.7}", collected);
                assertTrue(Files.isRegularFile(flash.resolve("rtc-memory.session")), "the session is kept");
            }
        }
    }

    /** One HTTP POST: who sent it, how, and its body; answered 201. */
    private static String collectOne(SSLSocket tls) throws IOException {
        int contentLength = 0;
        String line;
        while (!(line = new String(tls.readline(), StandardCharsets.US_ASCII).trim()).isEmpty()) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                contentLength = Integer.parseInt(line.substring(15).trim());
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (body.size() < contentLength) {
            byte[] part = tls.read(contentLength - body.size());
            if (part.length == 0) break;
            body.write(part, 0, part.length);
        }
        String subject = tls.getpeercert().get("subject").toString();
        String what = (subject.contains("sensor-0042") ? "CN=sensor-0042" : subject) + " " + tls.version()
            + " resumed=" + (tls.sessionReused() ? "yes" : "no") + " " + body.toString("UTF-8");
        tls.write("HTTP/1.1 201 Created\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII));
        tls.close();
        return what;
    }
}
