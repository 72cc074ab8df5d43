package org.microssl.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.microssl.embedded.example.CoapSensorNode;
import org.microssl.embedded.example.SensorNode;
import org.microssl.testing.Peer;

/** The DTLS PSK device example against a local {@code openssl s_server -dtls1_2}. */
class CoapSensorNodeTest {
    private static final String KEY = "000102030405060708090a0b0c0d0e0f";

    @TempDir
    Path dir;

    @Test
    void readingReachesOpensslOverDtlsPsk() throws Exception {
        Peer.assumeInstalled("openssl");
        int port;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        byte[] key = new byte[16];
        for (int i = 0; i < 16; i++) key[i] = (byte) i;
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Peer server = Peer.client("openssl s_server", dir, Peer.cmd("openssl", "s_server", "-dtls1_2",
                "-accept", "127.0.0.1:" + port, "-nocert", "-psk", KEY, "-psk_identity", "sensor-0042", "-cipher",
                "PSK-AES128-CCM8"), null)) {
            server.awaitOutput("ACCEPT", 10_000);
            CoapSensorNode node = new CoapSensorNode("sensor-0042", key, SensorNode.defaultTrng());
            Future<String> reply = pool.submit(() -> node.sendReading("127.0.0.1", port, "temp_c=21.5\n", 20_000));
            server.awaitOutput("temp_c=21.5", 20_000); // decrypted by openssl: the reading arrived
            server.send("ack\n");
            assertEquals("ack\n", reply.get(30, TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
    }

    /** The embedded CLI's {@code client HOST PORT --dtls --psk HEX --psk-identity ID}. */
    @Test
    void cliClientOverDtlsPsk() throws Exception {
        Peer.assumeInstalled("openssl");
        int port;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (Peer server = Peer.client("openssl s_server", dir, Peer.cmd("openssl", "s_server", "-dtls1_2",
                "-accept", "127.0.0.1:" + port, "-nocert", "-psk", KEY, "-psk_identity", "sensor-0042"), null)) {
            server.awaitOutput("ACCEPT", 10_000);
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
            int rc = Main.run(new String[] {"client", "127.0.0.1", String.valueOf(port), "--dtls", "--psk", KEY,
                "--psk-identity", "sensor-0042", "--mtu", "512", "--send", "temp_c=21.5\\n", "--timeout", "2"},
                new java.io.PrintStream(out, true), new java.io.PrintStream(err, true));
            assertEquals(0, rc, err.toString("UTF-8"));
            // OpenSSL 3's default cipher list leaves the CCM_8 suites out: it picks another PSK suite
            org.junit.jupiter.api.Assertions.assertTrue(out.toString("UTF-8").matches(
                    "(?s)protocol=DTLSv1\\.2 cipher=TLS_(ECDHE_)?PSK_WITH_.*"), out.toString("UTF-8"));
            org.junit.jupiter.api.Assertions.assertTrue(out.toString("UTF-8").contains("peer=none\n"));
            server.awaitOutput("temp_c=21.5", 10_000);
        }
    }
}
