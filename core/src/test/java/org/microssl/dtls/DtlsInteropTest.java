package org.microssl.dtls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.microssl.DtlsSocket;
import org.microssl.SSLContext;
import org.microssl.Ssl;
import org.microssl.testing.Peer;
import org.microssl.testing.TestPki;

/**
 * DTLS 1.2 against OpenSSL ({@code s_server -dtls1_2}, {@code s_client -dtls1_2}) and GnuTLS ({@code gnutls-serv
 * --udp}, {@code gnutls-cli --udp}), both directions, certificates and pre-shared keys. Skipped where a tool is not
 * installed ({@code .ci/run} installs openssl and gnutls-bin).
 */
class DtlsInteropTest {
    private static final String PSK_HEX = "30313233343536373839616263646566"; // DtlsPair.PSK
    private static final long WAIT = 20_000;

    @TempDir
    Path dir;

    /** microssl's client against a peer's server. */
    @ParameterizedTest(name = "{0} server, {1}")
    @CsvSource({
        "openssl, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, EC_P256",
        "openssl, TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, RSA_2048",
        "openssl, TLS_PSK_WITH_AES_128_CCM_8, ",
        "openssl, TLS_PSK_WITH_AES_128_GCM_SHA256, ",
        "gnutls, TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, EC_P256",
        "gnutls, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, RSA_2048",
        "gnutls, TLS_PSK_WITH_AES_128_CCM_8, ",
        "gnutls, TLS_PSK_WITH_AES_128_GCM_SHA256, ",
    })
    void microsslClient(String tool, String suite, TestPki.KeyType keyType) throws Exception {
        boolean psk = keyType == null;
        TestPki.Chain chain = psk ? null : TestPki.chain(keyType).writeTo(dir, "");
        SSLContext ctx = psk ? DtlsPair.pskClient() : DtlsPair.certClient(chain);
        ctx.setCiphers(suite);
        int port = freeUdpPort();
        try (Peer server = tool.equals("openssl") ? opensslServer(port, suite, psk) : gnutlsServer(port, suite, psk);
                DtlsSocket s = DtlsPair.connect(ctx, port, 1232, psk ? null : "localhost")) {
            assertEquals(suite, s.cipher()[0]);
            if (!psk) assertTrue(s.getpeercert().get("subject").toString().contains("localhost"));
            s.setTimeout((int) WAIT);
            byte[] hello = "hello from microssl\n".getBytes(StandardCharsets.US_ASCII);
            s.write(hello);
            if (tool.equals("gnutls")) {
                assertArrayEquals(hello, s.recv(), "gnutls-serv --echo sends each datagram back");
            } else {
                server.awaitOutput("hello from microssl", WAIT);
                server.send("hello from openssl\n");
                assertEquals("hello from openssl\n", new String(s.recv(), StandardCharsets.US_ASCII));
            }
        }
    }

    /** A peer's client against microssl's DtlsServer (cookie exchange first). */
    @ParameterizedTest(name = "{0} client, {1}")
    @CsvSource({
        "openssl, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, EC_P256",
        "openssl, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, RSA_2048",
        "openssl, TLS_PSK_WITH_AES_128_CCM_8, ",
        "openssl, TLS_PSK_WITH_AES_128_GCM_SHA256, ",
        "gnutls, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, EC_P256",
        "gnutls, TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, RSA_2048",
        "gnutls, TLS_PSK_WITH_AES_128_CCM_8, ",
        "gnutls, TLS_PSK_WITH_AES_128_GCM_SHA256, ",
    })
    void microsslServer(String tool, String suite, TestPki.KeyType keyType) throws Exception {
        Peer.assumeInstalled(tool.equals("openssl") ? "openssl" : "gnutls-cli");
        boolean psk = keyType == null;
        TestPki.Chain chain = psk ? null : TestPki.chain(keyType).writeTo(dir, "");
        SSLContext ctx = psk ? DtlsPair.pskServer() : DtlsPair.certServer(chain);
        ctx.setCiphers(suite);
        try (DtlsPair pair = new DtlsPair(ctx, 1232)) {
            Future<DtlsSocket> served = pair.echoOne();
            List<String> command = tool.equals("openssl") ? opensslClient(pair.port(), suite, psk)
                    : gnutlsClient(pair.port(), suite, psk);
            try (Peer client = Peer.client(tool + " client", dir, command, null)) {
                client.send("ping from " + tool + "\n");
                // the echo comes back after the handshake; the tool prints it
                String out = client.awaitOutput(Pattern.compile("(?s).*ping from " + tool + ".*ping from " + tool
                        + ".*|(?s).*(?:Handshake was completed|Cipher is).*ping from " + tool + ".*"), WAIT);
                assertTrue(out.contains("ping from " + tool), out);
                client.closeStdin();
                client.waitFor(WAIT);
            }
            DtlsSocket server = served.get(WAIT, TimeUnit.MILLISECONDS);
            assertEquals(suite, server.cipher()[0]);
        }
    }

    private Peer opensslServer(int port, String suite, boolean psk) throws IOException {
        Peer.assumeInstalled("openssl");
        List<String> c = Peer.cmd("openssl", "s_server", "-dtls1_2", "-accept", "127.0.0.1:" + port,
                "-cipher", opensslCipher(suite));
        if (psk) {
            c.addAll(Arrays.asList("-nocert", "-psk", PSK_HEX, "-psk_identity", DtlsPair.IDENTITY));
        } else {
            c.addAll(Arrays.asList("-cert", "leaf.pem", "-cert_chain", "int.pem", "-key", "leaf.key"));
        }
        Peer p = Peer.client("openssl s_server", dir, c, null);
        p.awaitOutput("ACCEPT", WAIT);
        return p;
    }

    private List<String> opensslClient(int port, String suite, boolean psk) {
        List<String> c = Peer.cmd("openssl", "s_client", "-dtls1_2", "-connect", "127.0.0.1:" + port,
                "-cipher", opensslCipher(suite));
        if (psk) {
            c.addAll(Arrays.asList("-psk", PSK_HEX, "-psk_identity", DtlsPair.IDENTITY));
        } else {
            c.addAll(Arrays.asList("-CAfile", "root.pem", "-verify_return_error", "-verify_hostname", "localhost"));
        }
        return c;
    }

    private Peer gnutlsServer(int port, String suite, boolean psk) throws IOException {
        Peer.assumeInstalled("gnutls-serv");
        List<String> c = Peer.cmd("gnutls-serv", "--udp", "--echo", "-p", String.valueOf(port), "--priority",
                gnutlsPriority(suite));
        if (psk) {
            Files.write(dir.resolve("psk.txt"), (DtlsPair.IDENTITY + ":" + PSK_HEX + "\n").getBytes(StandardCharsets.US_ASCII));
            c.addAll(Arrays.asList("--pskpasswd", "psk.txt"));
        } else {
            c.addAll(Arrays.asList("--x509certfile", "chain.pem", "--x509keyfile", "leaf.key"));
        }
        Peer p = Peer.client("gnutls-serv", dir, c, null);
        p.awaitOutput("listening", WAIT);
        return p;
    }

    private List<String> gnutlsClient(int port, String suite, boolean psk) {
        List<String> c = Peer.cmd("gnutls-cli", "--udp", "-p", String.valueOf(port), "--priority",
                gnutlsPriority(suite));
        if (psk) {
            c.addAll(Arrays.asList("--pskusername", DtlsPair.IDENTITY, "--pskkey", PSK_HEX, "127.0.0.1"));
        } else {
            c.addAll(Arrays.asList("--x509cafile", "root.pem", "--sni-hostname", "localhost",
                    "--verify-hostname", "localhost", "127.0.0.1"));
        }
        return c;
    }

    static String opensslCipher(String suite) {
        switch (suite) {
            case "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256": return "ECDHE-ECDSA-AES128-GCM-SHA256";
            case "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256": return "ECDHE-ECDSA-CHACHA20-POLY1305";
            case "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256": return "ECDHE-RSA-AES128-GCM-SHA256";
            case "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256": return "ECDHE-RSA-CHACHA20-POLY1305";
            case "TLS_PSK_WITH_AES_128_CCM_8": return "PSK-AES128-CCM8";
            case "TLS_PSK_WITH_AES_128_GCM_SHA256": return "PSK-AES128-GCM-SHA256";
            default: throw new IllegalArgumentException(suite);
        }
    }

    static String gnutlsPriority(String suite) {
        String kx = suite.startsWith("TLS_PSK") ? "+PSK" : suite.contains("ECDSA") ? "+ECDHE-ECDSA" : "+ECDHE-RSA";
        String cipher = suite.contains("CCM_8") ? "+AES-128-CCM-8" : suite.contains("CHACHA") ? "+CHACHA20-POLY1305"
                : "+AES-128-GCM";
        return "NORMAL:-VERS-ALL:+VERS-DTLS1.2:-KX-ALL:" + kx + ":-CIPHER-ALL:" + cipher + ":+AEAD";
    }

    static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static List<String> list(String... s) {
        return new ArrayList<String>(Arrays.asList(s));
    }
}
