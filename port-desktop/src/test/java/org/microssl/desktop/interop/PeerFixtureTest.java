package org.microssl.desktop.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.microssl.testing.Peer.cmd;

import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.microssl.testing.Peer;
import org.microssl.testing.TestPki.KeyType;

/**
 * The fixtures themselves: OpenSSL accepts the test chains (so a microssl rejection is microssl's doing), and a
 * peer started by {@link Peer} is reachable and is killed afterwards.
 */
class PeerFixtureTest {
    private final InteropPki pki = InteropPki.get();

    @ParameterizedTest
    @EnumSource(value = KeyType.class, names = {"EC_P256", "RSA_2048", "ED25519"})
    void opensslVerifiesTheServerChains(KeyType type) throws Exception {
        try (Peer verify = Peer.client("openssl verify", pki.dir, cmd("openssl", "verify", "-purpose", "sslserver",
                "-CAfile", pki.path(type, "root.pem"), "-untrusted", pki.path(type, "int.pem"),
                "-verify_hostname", "localhost", "-verify_ip", "127.0.0.1", pki.path(type, "leaf.pem")), null)) {
            assertEquals(0, verify.waitFor(10_000), verify.output());
            assertTrue(verify.output().contains(": OK"), verify.output());
        }
    }

    @Test
    void opensslVerifiesTheClientChain() throws Exception {
        try (Peer verify = Peer.client("openssl verify", pki.dir, cmd("openssl", "verify", "-purpose", "sslclient",
                "-CAfile", pki.clientFile("root.pem").toString(), "-untrusted", pki.clientFile("int.pem").toString(),
                pki.clientFile("leaf.pem").toString()), null)) {
            assertEquals(0, verify.waitFor(10_000), verify.output());
        }
    }

    @Test
    void serverIsPolledUntilReadyAndKilledOnClose() throws Exception {
        Peer server = Peer.server("openssl s_server", pki.dir, port -> cmd("openssl", "s_server",
                "-accept", "127.0.0.1:" + port, "-cert", pki.path(KeyType.EC_P256, "leaf.pem"),
                "-cert_chain", pki.path(KeyType.EC_P256, "int.pem"), "-key", pki.path(KeyType.EC_P256, "leaf.key"),
                "-rev"));
        try (server; Peer client = Peer.client("openssl s_client", pki.dir, cmd("openssl", "s_client",
                "-connect", "127.0.0.1:" + server.port(), "-CAfile", pki.path(KeyType.EC_P256, "root.pem"),
                "-verify_return_error", "-quiet"), "fixture\nCLOSE\n")) {
            assertEquals("erutxif", client.awaitOutput(Pattern.compile("(erutxif)"), 10_000));
        }
        assertFalse(server.isAlive());
    }

    @Test
    void pythonServerAnnouncesItsPort() throws Exception {
        Peer server = Peer.serverAnnouncingPort("python3 server", pki.dir, cmd("python3",
                Scripts.path("py_tls_server.py"), "--cert", pki.path(KeyType.EC_P256, "chain.pem"),
                "--key", pki.path(KeyType.EC_P256, "leaf.key")), Pattern.compile("READY (\\d+)"));
        try (server) {
            assertTrue(server.port() > 0);
            try (Peer client = Peer.client("python3 client", pki.dir, cmd("python3", Scripts.path("py_tls_client.py"),
                    String.valueOf(server.port()), "--cafile", pki.path(KeyType.EC_P256, "root.pem"),
                    "--send", "ping"), null)) {
                assertEquals(0, client.waitFor(10_000), client.output());
                assertTrue(client.output().contains("GOT ping"), client.output());
            }
        }
        assertFalse(server.isAlive());
    }
}
