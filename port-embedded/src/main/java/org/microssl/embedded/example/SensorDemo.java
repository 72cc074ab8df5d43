package org.microssl.embedded.example;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Instant;
import java.util.Map;

import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.microssl.SSLContext;
import org.microssl.SSLSocket;
import org.microssl.Ssl;
import org.microssl.internal.DemoPki;
import org.microssl.spi.KeySigner;

/**
 * The sensor example end to end on one machine:
 * {@code java -cp port-embedded/target/microssl-embedded.jar org.microssl.embedded.example.SensorDemo}.
 * It starts a local SNTP server and a local microssl HTTPS collector (TLS 1.3, client certificate required) on
 * loopback, provisions a device (certificate + a software "secure element" holding its key), then runs the device
 * code of {@link SensorNode}: SNTP first, then the reading over mutual TLS. Then the device "sleeps": its session
 * goes to a file (its RTC memory), this JVM hands over to a new one (the wake-up), which reads the session back and
 * posts the next reading with a resumed handshake: no certificate and no secure-element signature.
 */
public final class SensorDemo {

    private SensorDemo() {
    }

    public static void main(String[] args) throws Exception {
        // the factory's and the backend's side, not the device's: a throw-away P-256 PKI
        Instant from = Instant.now().minusSeconds(3600);
        Instant until = from.plusSeconds(30 * 86_400L);
        DemoPki pki = new DemoPki("Sensor Fleet Demo Root", from, until);
        DemoPki.Issued server = pki.issue(KeyPurposeId.id_kp_serverAuth, from, until, "DNS:localhost");
        DemoPki.Issued device = pki.issue(KeyPurposeId.id_kp_clientAuth, from, until, "DNS:sensor-0042");
        if (args.length == 2 && args[0].equals("--collector")) {
            collectorOnly(pki, server, device, java.nio.file.Paths.get(args[1]));
            return;
        }
        KeySigner secureElement = new SoftSecureElement((ECPrivateKeyParameters) device.keyPair.getPrivate());

        try (DatagramSocket ntp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                ServerSocket https = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread ntpThread = daemon("sntp-server", () -> serveTime(ntp));
            SSLContext collector = new SSLContext(Ssl.PROTOCOL_TLS_SERVER);
            collector.loadCertChain(server.der, server.pkcs8());
            collector.loadVerifyLocations(pki.root().der);
            collector.setVerifyMode(Ssl.CERT_REQUIRED);
            Thread httpsThread = daemon("collector", () -> collect(https, collector, 2));
            ntpThread.start();
            httpsThread.start();

            SensorNode node = new SensorNode(SensorNode.defaultTrng(), pki.root().der, device.der, secureElement);
            System.out.println("device: RTC set? " + node.rtc().isSet());
            long now = node.syncClock("127.0.0.1", ntp.getLocalPort());
            int[] dt = node.rtc().datetime();
            System.out.printf("device: SNTP set the RTC to %04d-%02d-%02d %02d:%02d:%02d UTC (%d)%n", dt[0], dt[1],
                dt[2], dt[4], dt[5], dt[6], now);
            String status = node.postReading("localhost", https.getLocalPort(),
                "{\"sensor\":\"sensor-0042\",\"temperature_c\":21.5}");
            System.out.println("device: server answered " + status + " (full handshake, " + node.lastHandshakeMillis()
                + " ms)");
            if (!status.startsWith("HTTP/1.1 201") || node.session() == null) {
                System.exit(1);
            }
            int woken = deepSleep(node, device, pki.root().der, https.getLocalPort());
            httpsThread.join(10_000);
            if (woken != 0) {
                System.exit(1);
            }
        }
    }

    /**
     * {@code SensorDemo --collector FLASH_DIR}: the server side alone, for a device program run apart (the firmware
     * image {@code target/sensor-node.jar}: {@code SensorNode FLASH_DIR localhost PORT}). Provisions the device into
     * FLASH_DIR, prints the port, and answers readings until it is stopped.
     */
    private static void collectorOnly(DemoPki pki, DemoPki.Issued server, DemoPki.Issued device,
            java.nio.file.Path flash) throws Exception {
        java.nio.file.Files.createDirectories(flash);
        java.nio.file.Files.write(flash.resolve("ca.der"), pki.root().der);
        java.nio.file.Files.write(flash.resolve("device.der"), device.der);
        java.nio.file.Files.write(flash.resolve("device.key"), device.pkcs8());
        java.nio.file.Files.deleteIfExists(flash.resolve("rtc-memory.session"));
        SSLContext collector = new SSLContext(Ssl.PROTOCOL_TLS_SERVER);
        collector.loadCertChain(server.der, server.pkcs8());
        collector.loadVerifyLocations(pki.root().der);
        collector.setVerifyMode(Ssl.CERT_REQUIRED);
        try (ServerSocket https = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            System.out.println("collector: listening on 127.0.0.1:" + https.getLocalPort() + ", device provisioned in "
                + flash);
            System.out.flush();
            collect(https, collector, Integer.MAX_VALUE);
        }
    }

    /**
     * Deep sleep, simulated: what the device keeps (its session, in RTC memory) goes to a file, and a new JVM
     * plays the woken device. On hardware the provisioning data is in flash and the RTC keeps counting.
     */
    private static int deepSleep(SensorNode node, DemoPki.Issued device, byte[] caDer, int port) throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("sensor-demo-");
        try {
            java.nio.file.Path session = dir.resolve("rtc-memory.session");
            java.nio.file.Files.write(session, node.session().toBytes()); // secret: RTC memory is the device's own
            java.nio.file.Files.write(dir.resolve("ca.der"), caDer);
            java.nio.file.Files.write(dir.resolve("device.der"), device.der);
            java.nio.file.Files.write(dir.resolve("device.key"), device.pkcs8());
            System.out.println("device: deep sleep; " + node.session() + " kept in RTC memory ("
                + java.nio.file.Files.size(session) + " bytes)");
            String javaBin = java.nio.file.Paths.get(System.getProperty("java.home"), "bin", "java").toString();
            Process p = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
                SensorNode.class.getName(), dir.toString(), "localhost", String.valueOf(port))
                .redirectErrorStream(true).start();
            java.io.BufferedReader out = new java.io.BufferedReader(
                new java.io.InputStreamReader(p.getInputStream(), "UTF-8"));
            boolean resumed = false;
            String line;
            while ((line = out.readLine()) != null) {
                System.out.println(line);
                resumed |= line.startsWith("device: wake-up, resumed=yes,");
            }
            int exit = p.waitFor();
            return exit != 0 ? exit : resumed ? 0 : 1; // the point of the demo: the woken device resumed
        } finally {
            for (String f : new String[] {"rtc-memory.session", "ca.der", "device.der", "device.key"}) {
                java.nio.file.Files.deleteIfExists(dir.resolve(f));
            }
            java.nio.file.Files.deleteIfExists(dir);
        }
    }

    private static Thread daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** A minimal SNTP server (RFC 4330 section 5, server side): mode 4, stratum 1, our system clock. */
    private static void serveTime(DatagramSocket socket) {
        byte[] buf = new byte[48];
        while (!socket.isClosed()) {
            try {
                DatagramPacket request = new DatagramPacket(buf, buf.length);
                socket.receive(request);
                byte[] reply = new byte[48];
                reply[0] = (byte) (4 << 3 | 4);
                reply[1] = 1;
                reply[12] = 'L';
                reply[13] = 'O';
                reply[14] = 'C';
                reply[15] = 'L';
                System.arraycopy(buf, 40, reply, 24, 8);
                long ntp = ntpTime(System.currentTimeMillis());
                for (int i = 0; i < 8; i++) {
                    reply[32 + i] = (byte) (ntp >>> (56 - 8 * i));
                    reply[40 + i] = reply[32 + i];
                }
                socket.send(new DatagramPacket(reply, reply.length, request.getSocketAddress()));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private static long ntpTime(long millis) {
        long seconds = millis / 1000 + 2_208_988_800L;
        long fraction = ((millis % 1000) << 32) / 1000;
        return seconds << 32 | fraction;
    }

    /** The collector: {@code count} HTTPS requests, each answered 201, with the device's certificate subject. */
    private static void collect(ServerSocket listener, SSLContext ctx, int count) {
        for (int i = 0; i < count; i++) {
            collectOne(listener, ctx);
        }
    }

    private static void collectOne(ServerSocket listener, SSLContext ctx) {
        try (Socket s = listener.accept()) {
            SSLSocket tls = ctx.wrapSocket(s, true, true, null);
            int contentLength = 0;
            String line;
            while (!(line = new String(tls.readline(), "US-ASCII").trim()).isEmpty()) {
                if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                    contentLength = Integer.parseInt(line.substring(15).trim());
                }
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (body.size() < contentLength) {
                byte[] part = tls.read(contentLength - body.size());
                if (part.length == 0) {
                    break;
                }
                body.write(part, 0, part.length);
            }
            Map<String, Object> peer = tls.getpeercert();
            System.out.println("collector: " + tls.version() + " " + tls.cipher()[0] + ", client certificate "
                + peer.get("subject") + ", max_fragment_length " + tls.maxFragmentLength() + ", reading "
                + body.toString("UTF-8") + (tls.sessionReused() ? ", resumed session" : ""));
            tls.write("HTTP/1.1 201 Created\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes("US-ASCII"));
            tls.close();
        } catch (IOException e) {
            System.out.println("collector: " + e);
        }
    }
}
