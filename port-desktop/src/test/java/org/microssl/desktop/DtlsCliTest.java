package org.microssl.desktop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.microssl.testing.Peer;
import org.microssl.testing.TestPki;

/** {@code client HOST PORT --dtls} and {@code server PORT --dtls}, against each other and against openssl. */
class DtlsCliTest {
    private static final String PSK = "30313233343536373839616263646566";

    @TempDir
    Path dir;

    private static final class Run {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;

        Run exec(String stdin, String... args) {
            status = Main.run(args, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                    new PrintStream(out, true), new PrintStream(err, true));
            return this;
        }

        String out() {
            return new String(out.toByteArray(), StandardCharsets.UTF_8);
        }

        String err() {
            return new String(err.toByteArray(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void pskClientAgainstPskServer() throws Exception {
        int port = freeUdpPort();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Run server = new Run();
            Future<?> served = pool.submit(() -> server.exec("", "server", String.valueOf(port), "--dtls", "--once",
                    "--psk", PSK, "--psk-identity", "sensor-17", "--mtu", "600"));
            awaitListening(server);
            Run client = new Run().exec("", "client", "127.0.0.1", String.valueOf(port), "--dtls", "--psk", PSK,
                    "--psk-identity", "sensor-17", "--send", "temp=21.5\\n", "--timeout", "2");
            assertEquals(0, client.status, client.err());
            assertTrue(client.out().contains("protocol=DTLSv1.2 cipher=TLS_PSK_WITH_AES_128_CCM_8"), client.out());
            assertTrue(client.out().endsWith("temp=21.5\n"), client.out());
            served.get(20, TimeUnit.SECONDS);
            assertEquals(0, server.status, server.err());
            assertTrue(server.out().contains("cipher=TLS_PSK_WITH_AES_128_CCM_8"), server.out());
            assertTrue(server.out().contains("echoed=10"), server.out());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void certificateClientAgainstOpensslServer() throws Exception {
        Peer.assumeInstalled("openssl");
        TestPki.chain(TestPki.KeyType.EC_P256).writeTo(dir, "");
        int port = freeUdpPort();
        try (Peer server = Peer.client("openssl s_server", dir, Peer.cmd("openssl", "s_server", "-dtls1_2",
                "-accept", "127.0.0.1:" + port, "-cert", "leaf.pem", "-cert_chain", "int.pem", "-key", "leaf.key"),
                null)) {
            server.awaitOutput("ACCEPT", 10000);
            Run client = new Run().exec("", "client", "127.0.0.1", String.valueOf(port), "--dtls", "--cafile",
                    dir.resolve("root.pem").toString(), "--servername", "localhost", "--send", "hello\\n",
                    "--timeout", "4");
            assertEquals(0, client.status, client.err());
            assertTrue(client.out().contains("protocol=DTLSv1.2 cipher=TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"),
                    client.out());
            assertTrue(client.out().contains("peer=CN=localhost"), client.out());
            server.awaitOutput("hello", 10000);
        }
    }

    @Test
    void badOptionsAreUsageErrors() {
        Run r = new Run().exec("", "client", "127.0.0.1", "5684", "--mtu", "512");
        assertEquals(1, r.status, r.err());
        assertTrue(r.err().contains("--mtu goes with --dtls"), r.err());
        r = new Run().exec("", "client", "127.0.0.1", "5684", "--dtls", "--mtu", "100");
        assertTrue(r.err().contains("--mtu must be between 256 and 65507"), r.err());
        r = new Run().exec("", "client", "127.0.0.1", "5684", "--dtls", "--tls", "1.2");
        assertTrue(r.err().contains("--tls does not go with --dtls"), r.err());
    }

    private static void awaitListening(Run server) throws InterruptedException {
        for (int i = 0; i < 200 && !server.out().contains("listening"); i++) Thread.sleep(25);
        assertTrue(server.out().contains("listening"), server.out() + server.err());
    }

    private static int freeUdpPort() throws Exception {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
