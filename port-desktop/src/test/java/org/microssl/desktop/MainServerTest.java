package org.microssl.desktop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.microssl.testing.Peer.cmd;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.microssl.desktop.interop.InteropPki;
import org.microssl.desktop.interop.PeerServersAccess;
import org.microssl.testing.Peer;
import org.microssl.testing.TestPki.KeyType;

/** {@code microssl.jar server PORT ... --once}, in-process, with CPython and GnuTLS clients. */
class MainServerTest {
    private static final InteropPki PKI = InteropPki.get();
    private static final Pattern LISTENING = Pattern.compile("listening port=(\\d+)");

    /** The CLI server running in a thread; port 0 lets it pick a free port, which it prints. */
    static final class CliServer implements AutoCloseable {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final CompletableFuture<Integer> status;
        final int port;

        CliServer(String... extra) throws Exception {
            List<String> args = new ArrayList<>(List.of("server", "0", "--cert", PKI.path(KeyType.EC_P256, "chain.pem"),
                    "--key", PKI.path(KeyType.EC_P256, "leaf.key"), "--once"));
            Collections.addAll(args, extra);
            PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
            PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
            status = CompletableFuture.supplyAsync(() -> Main.run(args.toArray(new String[0]),
                    new ByteArrayInputStream(new byte[0]), o, e));
            long deadline = System.currentTimeMillis() + 10_000;
            Matcher m;
            while (!(m = LISTENING.matcher(out())).find()) {
                if (status.isDone() || System.currentTimeMillis() > deadline) {
                    throw new AssertionError("CLI server did not start: " + out() + err());
                }
                Thread.sleep(10);
            }
            port = Integer.parseInt(m.group(1));
        }

        String out() {
            return out.toString(StandardCharsets.UTF_8);
        }

        String err() {
            return err.toString(StandardCharsets.UTF_8);
        }

        int awaitExit() throws Exception {
            return status.get(10, TimeUnit.SECONDS);
        }

        @Override
        public void close() {
            status.cancel(true); // --once servers have returned already; this only matters after a failed assertion
        }
    }

    private static Peer pythonClient(int port, boolean withCert) throws Exception {
        List<String> c = cmd("python3", PeerServersAccess.script("py_tls_client.py"), String.valueOf(port),
                "--cafile", PKI.path(KeyType.EC_P256, "root.pem"), "--send", "hello server");
        if (withCert) {
            c.addAll(cmd("--cert", PKI.clientFile("chain.pem").toString(), "--key", PKI.clientFile("leaf.key").toString()));
        }
        return Peer.client("python3 ssl client", PKI.dir, c, null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"jca", "lightweight"})
    void echoesToACpythonClientAndExitsAfterOne(String backend) throws Exception {
        try (CliServer server = new CliServer("--backend", backend);
                Peer client = pythonClient(server.port, false)) {
            assertEquals(0, client.waitFor(10_000), client.output());
            assertTrue(client.output().contains("GOT hello server"), client.output());
            assertEquals(0, server.awaitExit(), server.err());
            String out = server.out();
            assertTrue(Pattern.compile("client=/127\\.0\\.0\\.1:\\d+ protocol=TLSv1\\.3 cipher=TLS_\\w+ sni=localhost\n")
                    .matcher(out).find(), out);
            assertTrue(out.contains("\npeer=none\n"), out);
            assertTrue(out.contains(" echoed=13\n"), out);
        }
    }

    @Test
    void requiredClientCertificateIsShown() throws Exception {
        try (CliServer server = new CliServer("--verify", "required", "--cafile", PKI.clientFile("root.pem").toString(), "--tls", "1.2");
                Peer client = pythonClient(server.port, true)) {
            assertEquals(0, client.waitFor(10_000), client.output());
            assertTrue(client.output().contains("PROTOCOL TLSv1.2"), client.output());
            assertEquals(0, server.awaitExit(), server.err());
            assertTrue(server.out().contains("\npeer=CN=client.test\n"), server.out());
        }
    }

    @Test
    void clientWithoutCertificateIsRefusedAndReported() throws Exception {
        try (CliServer server = new CliServer("--verify", "required", "--cafile", PKI.clientFile("root.pem").toString());
                Peer client = pythonClient(server.port, false)) {
            assertEquals(1, server.awaitExit(), server.out());
            assertTrue(server.err().startsWith("error: NO_CERTIFICATE: "), server.err());
            assertTrue(server.err().contains("(client /127.0.0.1:"), server.err());
            assertEquals(1, client.waitFor(10_000), client.output());
            assertTrue(client.output().contains("ERROR"), client.output());
        }
    }

    @Test
    void gnutlsClientEcho() throws Exception {
        try (CliServer server = new CliServer();
                Peer client = Peer.client("gnutls-cli", PKI.dir, cmd("gnutls-cli", "-p", String.valueOf(server.port),
                        "--x509cafile", PKI.path(KeyType.EC_P256, "root.pem"), "--sni-hostname", "localhost",
                        "--verify-hostname", "localhost", "127.0.0.1"), "hello gnutls\n")) {
            client.awaitOutput(Pattern.compile("(?m)^hello gnutls$"), 10_000);
            client.closeStdin(); // gnutls-cli then sends close_notify, which ends the echo loop
            assertEquals(0, server.awaitExit(), server.err());
            assertTrue(server.out().contains(" echoed=13\n"), server.out());
        }
    }

    @Test
    void verifyWithoutCasIsAConfigurationError() {
        MainClientTest.Run r = MainClientTest.main("server", "0", "--cert", PKI.path(KeyType.EC_P256, "chain.pem"),
                "--key", PKI.path(KeyType.EC_P256, "leaf.key"), "--verify", "optional");
        assertEquals(1, r.status());
        assertTrue(r.err().startsWith("error: CONFIG: --verify optional needs --cafile or --cadata"), r.err());
    }

    @Test
    void serverWithoutKeyIsUsage() {
        MainClientTest.Run r = MainClientTest.main("server", "0");
        assertEquals(1, r.status());
        assertTrue(r.err().startsWith("error: USAGE: server needs --cert and --key"), r.err());
    }
}
