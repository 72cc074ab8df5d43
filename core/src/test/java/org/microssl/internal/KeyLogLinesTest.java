package org.microssl.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.regex.Pattern;

import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.ServerOnlyTlsAuthentication;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsClientProtocol;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.microssl.testing.Peer;
import org.microssl.testing.TestPki;

/**
 * NSS key log lines from a BouncyCastle client's secrets are the lines OpenSSL writes for the same connection: a
 * CPython server with {@code keylog_filename} logs its side, and each of our lines must be one of its lines
 * (same label, client random and secret). This is what lets Wireshark decrypt a capture of a microssl connection.
 */
class KeyLogLinesTest {
    static final TestPki.Chain CHAIN = TestPki.chain(TestPki.KeyType.EC_P256);
    static final String SERVER = String.join("\n",
            "import socket, ssl, sys",
            "ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)",
            "ctx.load_cert_chain(sys.argv[1], sys.argv[2])",
            "ctx.keylog_filename = sys.argv[3]",
            "l = socket.socket(); l.bind(('127.0.0.1', 0)); l.listen(2)",
            "print('READY', l.getsockname()[1], flush=True)",
            "c = ctx.wrap_socket(l.accept()[0], server_side=True)",
            "c.sendall(b'x'); c.unwrap(); c.close()",
            "print('DONE', flush=True)");

    @TempDir
    static Path dir;

    @BeforeAll
    static void write() throws Exception {
        CHAIN.writeTo(dir, "");
        Files.write(dir.resolve("server.py"), SERVER.getBytes(StandardCharsets.UTF_8));
    }

    /** A raw BouncyCastle client that logs its secrets; it checks no certificate (the key log is under test). */
    static final class LoggingClient extends DefaultTlsClient {
        final List<String> lines = new ArrayList<>();
        final ProtocolVersion version;

        LoggingClient(ProtocolVersion version) {
            super(new BcTlsCrypto(new SecureRandom()));
            this.version = version;
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return new ProtocolVersion[] {version};
        }

        @Override
        public TlsAuthentication getAuthentication() {
            return new ServerOnlyTlsAuthentication() {
                @Override
                public void notifyServerCertificate(TlsServerCertificate serverCertificate) {
                    // insecure on purpose: this client exists to compare key log lines with OpenSSL's
                }
            };
        }

        @Override
        public void processServerExtensions(Hashtable serverExtensions) throws java.io.IOException {
            super.processServerExtensions(serverExtensions);
            KeyLogLines.handshakeTrafficSecrets(lines::add, context);
        }

        @Override
        public void notifyHandshakeComplete() throws java.io.IOException {
            super.notifyHandshakeComplete();
            KeyLogLines.handshakeComplete(lines::add, context);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void ourLinesAreOpensslsLines(String version) throws Exception {
        Peer.assumeInstalled("python3");
        Path log = dir.resolve("keylog-" + version + ".txt");
        Files.deleteIfExists(log);
        LoggingClient client = new LoggingClient(version.equals("TLSv1.3") ? ProtocolVersion.TLSv13
                : ProtocolVersion.TLSv12);
        try (Peer server = Peer.serverAnnouncingPort("python3 keylog server", dir, Peer.cmd("python3", "server.py",
                "chain.pem", "leaf.key", log.toString()), Pattern.compile("READY (\\d+)"));
             Socket socket = new Socket("127.0.0.1", server.port())) {
            TlsClientProtocol protocol = new TlsClientProtocol(socket.getInputStream(), socket.getOutputStream());
            protocol.connect(client);
            assertEquals('x', protocol.getInputStream().read(), "the connection works after the secrets were read");
            protocol.close();
            server.awaitOutput("DONE", 10_000);
        }
        List<String> openssl = Files.readAllLines(log, StandardCharsets.US_ASCII);
        List<String> expectedLabels = version.equals("TLSv1.3")
                ? List.of("CLIENT_HANDSHAKE_TRAFFIC_SECRET", "SERVER_HANDSHAKE_TRAFFIC_SECRET",
                        "CLIENT_TRAFFIC_SECRET_0", "SERVER_TRAFFIC_SECRET_0", "EXPORTER_SECRET")
                : List.of("CLIENT_RANDOM");
        assertEquals(expectedLabels, client.lines.stream().map(l -> l.substring(0, l.indexOf(' '))).toList());
        for (String line : client.lines) {
            assertTrue(line.matches("[A-Z_0-9]+ [0-9a-f]{64} [0-9a-f]{64,128}"), line);
            assertTrue(openssl.contains(line), line + " is not among OpenSSL's lines:\n" + String.join("\n", openssl));
        }
    }

    /** The same through a microssl client: ctx.setDangerousKeyLog gets exactly OpenSSL's lines. */
    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void microsslClientLogsOpensslsLines(String version) throws Exception {
        Peer.assumeInstalled("python3");
        Path log = dir.resolve("keylog-ctx-" + version + ".txt");
        Files.deleteIfExists(log);
        java.util.List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<String>();
        org.microssl.SSLContext ctx = new org.microssl.SSLContext(org.microssl.Ssl.PROTOCOL_TLS_CLIENT);
        ctx.loadVerifyLocations(null, CHAIN.root.der);
        int v = version.equals("TLSv1.3") ? org.microssl.Ssl.TLSv1_3 : org.microssl.Ssl.TLSv1_2;
        ctx.setMinimumVersion(v);
        ctx.setMaximumVersion(v);
        ctx.setDangerousKeyLog(lines::add);
        try (Peer server = Peer.serverAnnouncingPort("python3 keylog server", dir, Peer.cmd("python3", "server.py",
                "chain.pem", "leaf.key", log.toString()), Pattern.compile("READY (\\d+)"));
             org.microssl.SSLSocket s = ctx.wrapSocket(new Socket("127.0.0.1", server.port()), false, true,
                     "localhost")) {
            assertEquals(1, s.read(1).length);
            server.awaitOutput("DONE", 10_000);
        }
        List<String> openssl = Files.readAllLines(log, StandardCharsets.US_ASCII);
        assertEquals(version.equals("TLSv1.3") ? 5 : 1, lines.size(), String.valueOf(lines));
        for (String line : lines) {
            assertTrue(openssl.contains(line), line + " is not among OpenSSL's lines:\n" + String.join("\n", openssl));
        }
    }

    @org.junit.jupiter.api.Test
    void nothingWithoutASink() {
        // the engine calls these unconditionally; a null sink must cost nothing and touch no secret
        KeyLogLines.handshakeComplete(null, null);
        KeyLogLines.handshakeTrafficSecrets(null, null);
        assertFalse(KeyLogLines.line("CLIENT_RANDOM", new byte[] {1}, new byte[] {(byte) 0xab}).contains("AB"));
    }
}
