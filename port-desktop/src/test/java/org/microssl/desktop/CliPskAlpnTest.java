package org.microssl.desktop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.microssl.desktop.MainClientTest.Run;
import org.microssl.desktop.interop.InteropPki;
import org.microssl.testing.Peer;
import org.microssl.testing.TestPki.KeyType;

/**
 * The CLI's --alpn, --psk-identity and --psk (issue 11): the client against {@code openssl s_server -nocert -psk}
 * and {@code -alpn}, the server (with no certificate) against {@code openssl s_client -psk -alpn}.
 */
class CliPskAlpnTest {
    private static final InteropPki PKI = InteropPki.get();
    static final String KEY = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

    @TempDir
    static Path dir;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"jca, 1.3, TLSv1.3 cipher=TLS_AES_128_GCM_SHA256",
        "lightweight, 1.2, TLSv1.2 cipher=TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256"})
    void clientWithPskAgainstOpensslWithoutCertificate(String backend, String tls, String negotiated)
            throws Exception {
        try (Peer server = Peer.opensslServer(dir, "-nocert", "-psk", KEY, "-psk_identity", "sensor-7", "-rev")) {
            Run r = MainClientTest.main("client", "127.0.0.1", String.valueOf(server.port()), "--backend", backend,
                    "--tls", tls, "--psk-identity", "sensor-7", "--psk", KEY, "--send", "hello psk\\nCLOSE\\n");
            assertEquals(0, r.status(), r.err());
            assertEquals(List.of("protocol=" + negotiated, "peer=none", "ksp olleh"), r.outLines());
        }
    }

    @Test
    void clientWithTheWrongKeyFailsAndNeverPrintsIt() throws Exception {
        try (Peer server = Peer.opensslServer(dir, "-nocert", "-psk", KEY, "-psk_identity", "sensor-7")) {
            String wrong = KEY.replace('0', '9');
            Run r = MainClientTest.main("client", "127.0.0.1", String.valueOf(server.port()), "--psk-identity",
                    "sensor-7", "--psk", wrong);
            assertEquals(1, r.status());
            assertEquals("error: ALERT_RECEIVED: peer sent alert illegal_parameter(47) during the handshake\n", r.err());
            assertFalse(r.out().contains(wrong) || r.err().contains(wrong));
        }
    }

    @Test
    void clientAlpnAgainstOpenssl() throws Exception {
        try (Peer server = Peer.opensslServer(dir, "-cert", PKI.path(KeyType.EC_P256, "leaf.pem"), "-key",
                PKI.path(KeyType.EC_P256, "leaf.key"), "-cert_chain", PKI.path(KeyType.EC_P256, "int.pem"), "-rev",
                "-alpn", "h2,mqtt")) {
            Run r = MainClientTest.main("client", "localhost", String.valueOf(server.port()), "--cafile",
                    PKI.path(KeyType.EC_P256, "root.pem"), "--alpn", "mqtt,http/1.1", "--send", "CLOSE\\n");
            assertEquals(0, r.status(), r.err());
            assertEquals("alpn=mqtt", r.outLines().get(2), r.out());
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"-tls1_3", "-tls1_2"})
    void pskOnlyServerWithAlpnAgainstOpensslClient(String version) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CompletableFuture<Integer> status = CompletableFuture.supplyAsync(() -> Main.run(new String[] {"server", "0",
            "--psk-identity", "sensor-7", "--psk", KEY, "--alpn", "mqtt", "--once"}, new ByteArrayInputStream(new byte[0]),
            new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));
        try {
            int port = awaitPort(out, status);
            try (Peer client = Peer.client("openssl s_client", dir, Peer.cmd("openssl", "s_client", "-connect",
                    "127.0.0.1:" + port, "-psk", KEY, "-psk_identity", "sensor-7", "-alpn", "mqtt", version), "")) {
                client.closeStdin();
                client.waitFor(20_000);
                assertTrue(client.output().contains("ALPN protocol: mqtt"), client.output());
            }
            assertEquals(0, status.get(20, TimeUnit.SECONDS), err.toString(StandardCharsets.UTF_8));
            String o = out.toString(StandardCharsets.UTF_8);
            assertTrue(o.contains(" alpn=mqtt\npeer=none\n"), o);
        } finally {
            status.cancel(true);
        }
    }

    private static int awaitPort(ByteArrayOutputStream out, CompletableFuture<Integer> status) throws Exception {
        Pattern listening = Pattern.compile("listening port=(\\d+)");
        long deadline = System.currentTimeMillis() + 10_000;
        Matcher m;
        while (!(m = listening.matcher(out.toString(StandardCharsets.UTF_8))).find()) {
            if (status.isDone() || System.currentTimeMillis() > deadline) {
                throw new AssertionError("CLI server did not start: " + out + " " + status);
            }
            Thread.sleep(10);
        }
        return Integer.parseInt(m.group(1));
    }

    @Test
    void usageErrorsNeverQuoteTheKey() throws Exception {
        Run r = MainClientTest.main("client", "h", "1", "--psk", KEY);
        assertEquals("error: USAGE: --psk needs --psk-identity", r.err().lines().findFirst().orElse(""));
        r = MainClientTest.main("client", "127.0.0.1", "1", "--psk-identity", "x", "--psk", "00112g");
        assertEquals("error: CONFIG: --psk: the key has a character that is not a hex digit at position 6\n", r.err());
        Files.write(dir.resolve("key.hex"), "abc\n".getBytes(StandardCharsets.US_ASCII));
        r = MainClientTest.main("client", "127.0.0.1", "1", "--psk-identity", "x", "--psk", "file:" + dir.resolve("key.hex"));
        assertEquals("error: CONFIG: --psk file:" + dir.resolve("key.hex") + ": the key must be an even number of hex "
                + "digits, at least 2 (3 given)\n", r.err());
        r = MainClientTest.main("client", "h", "1", "--alpn", "mqtt,");
        assertEquals("error: USAGE: --alpn has an empty name: mqtt,", r.err().lines().findFirst().orElse(""));
    }
}
