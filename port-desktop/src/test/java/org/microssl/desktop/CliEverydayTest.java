package org.microssl.desktop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.microssl.Ssl;
import org.microssl.desktop.MainClientTest.Run;
import org.microssl.desktop.interop.InteropPki;
import org.microssl.desktop.interop.PeerServersAccess;
import org.microssl.testing.Peer;
import org.microssl.testing.TestPki.KeyType;
import org.microssl.x509.Pem;

/**
 * The client as an openssl s_client replacement, against openssl s_server: --showcerts, stdin forwarded when
 * --send is absent, a client identity from a PKCS#12 file or an encrypted key with --password, and --help for
 * each command.
 */
class CliEverydayTest {
    private static final InteropPki PKI = InteropPki.get();

    @TempDir
    static Path dir;

    @BeforeAll
    static void clientIdentityFiles() throws Exception {
        Files.write(dir.resolve("pw.txt"), "s3cret pass\n".getBytes(StandardCharsets.UTF_8));
        Peer.runTool(dir, "openssl", "pkcs12", "-export", "-in", PKI.clientFile("leaf.pem").toString(), "-inkey",
                PKI.clientFile("leaf.key").toString(), "-certfile", PKI.clientFile("int.pem").toString(), "-out",
                "client.p12", "-passout", "file:pw.txt");
        Peer.runTool(dir, "openssl", "pkcs8", "-topk8", "-in", PKI.clientFile("leaf.key").toString(), "-out",
                "client-enc.key", "-passout", "file:pw.txt", "-v2", "aes-256-cbc");
    }

    private static String[] args(int port, String... extra) {
        List<String> l = new ArrayList<>(List.of("client", "localhost", String.valueOf(port),
                "--cafile", PKI.path(KeyType.EC_P256, "root.pem")));
        l.addAll(List.of(extra));
        return l.toArray(new String[0]);
    }

    @Test
    void showcertsPrintsThePathAsValidatedInPem() throws Exception {
        try (Peer server = PeerServersAccess.openssl(PKI, KeyType.EC_P256, Ssl.TLSv1_3, false)) {
            Run r = MainClientTest.main(args(server.port(), "--showcerts", "--send", "x\\nCLOSE\\n"));
            assertEquals(0, r.status(), r.err());
            assertTrue(r.out().contains("\n0 s:CN=localhost\n  i:CN=microssl Test Intermediate EC_P256\n-----BEGIN "
                    + "CERTIFICATE-----\n"), r.out());
            List<Pem.Block> blocks = Pem.decode(r.out().getBytes(StandardCharsets.US_ASCII));
            assertEquals(3, blocks.size(), "leaf, intermediate, trust anchor");
            assertArrayEquals(Files.readAllBytes(PKI.file(KeyType.EC_P256, "root.der")), blocks.get(2).der);
        }
    }

    @Test
    void withoutSendStdinGoesToTheServer() throws Exception {
        try (Peer server = PeerServersAccess.openssl(PKI, KeyType.EC_P256, Ssl.TLSv1_3, false)) {
            Run r = MainClientTest.mainWithStdin("typed on stdin\nCLOSE\n", args(server.port()));
            assertEquals(0, r.status(), r.err());
            assertTrue(r.out().endsWith("peer=CN=localhost\nnidts no depyt\n"), r.out());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"p12", "encrypted-key"})
    void clientIdentityWithAPassword(String form) throws Exception {
        try (Peer server = PeerServersAccess.openssl(PKI, KeyType.EC_P256, Ssl.TLSv1_2, true)) {
            String[] identity = form.equals("p12")
                    ? new String[] {"--p12", dir.resolve("client.p12").toString(), "--password", "file:"
                            + dir.resolve("pw.txt")}
                    : new String[] {"--cert", PKI.clientFile("chain.pem").toString(), "--key",
                        dir.resolve("client-enc.key").toString(), "--password", "pass:s3cret pass"};
            List<String> a = new ArrayList<>(List.of(args(server.port(), "--send", "mutual\\nCLOSE\\n")));
            a.addAll(List.of(identity));
            Run r = MainClientTest.main(a.toArray(new String[0]));
            assertEquals(0, r.status(), r.err());
            assertTrue(r.out().endsWith("lautum\n"), r.out());
            server.awaitOutput("client.test", 10_000); // openssl prints the client's subject; it may lag our exit
        }
    }

    @Test
    void aWrongPasswordSaysSoAndIsNeverEchoed() {
        Run r = MainClientTest.main(args(1, "--p12", dir.resolve("client.p12").toString(), "--password", "hunter2"));
        assertEquals(1, r.status());
        assertEquals("error: INVALID_KEY: wrong password for the PKCS#12 file (its integrity check failed)\n", r.err());
        assertFalse((r.out() + r.err()).contains("hunter2"));
        Run both = MainClientTest.main(args(1, "--p12", "x.p12", "--cert", "c", "--key", "k"));
        assertTrue(both.err().startsWith("error: USAGE: --p12 holds the key and certificates: give it instead of "
                + "--cert/--key\n"), both.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"client", "server", "x509", "check"})
    void helpForEachCommand(String command) {
        Run r = MainClientTest.main(command, "--help");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith("usage: java -jar microssl.jar " + command + " "), r.out());
        assertTrue(r.out().split("\n").length >= 4, "says more than the synopsis: " + r.out());
        assertEquals("", r.err());
    }
}
