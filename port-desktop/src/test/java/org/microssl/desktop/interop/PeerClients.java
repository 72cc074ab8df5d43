package org.microssl.desktop.interop;

import static org.microssl.testing.Peer.cmd;

import java.io.IOException;
import java.util.List;

import org.microssl.Ssl;
import org.microssl.testing.Peer;
import org.microssl.testing.TestPki.KeyType;

/** Command lines of the real TLS clients the microssl server is tested against. Each sends one line. */
final class PeerClients {
    /** Which certificate the peer client presents. */
    enum ClientCert {
        NONE,
        /** The client chain (client root -> intermediate -> client.test, clientAuth), ECDSA P-256. */
        TRUSTED,
        /** The same shape with RSA 2048 keys. */
        TRUSTED_RSA,
        /** The same shape with Ed25519 keys. */
        TRUSTED_ED25519,
        /** A clientAuth certificate from a CA the microssl server does not trust. */
        STRANGER,
        /** The EC server leaf (serverAuth only) offered as a client certificate. */
        SERVER_LEAF
    }

    private PeerClients() {}

    /** {@code openssl s_client}: verifies the server for localhost, prints -brief details, waits for our close. */
    static Peer openssl(InteropPki pki, KeyType serverType, int port, int version, ClientCert cert, String line)
            throws IOException {
        return openssl(pki, serverType, port, version, cert, line, new String[0]);
    }

    /** @param extra more s_client options, e.g. "-groups", "P-384" */
    static Peer openssl(InteropPki pki, KeyType serverType, int port, int version, ClientCert cert, String line,
            String... extra) throws IOException {
        List<String> c = cmd("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-servername", "localhost",
                "-CAfile", pki.path(serverType, "root.pem"), "-verify_return_error", "-verify_hostname", "localhost",
                version == Ssl.TLSv1_2 ? "-tls1_2" : "-tls1_3", "-brief", "-ign_eof");
        switch (cert) {
            case TRUSTED: case TRUSTED_RSA: case TRUSTED_ED25519:
                KeyType t = cert == ClientCert.TRUSTED ? KeyType.EC_P256
                        : cert == ClientCert.TRUSTED_RSA ? KeyType.RSA_2048 : KeyType.ED25519;
                c.addAll(cmd("-cert", pki.clientFile(t, "leaf.pem").toString(), "-cert_chain",
                        pki.clientFile(t, "int.pem").toString(), "-key", pki.clientFile(t, "leaf.key").toString()));
                break;
            case STRANGER:
                c.addAll(cmd("-cert", pki.dir.resolve("stranger-leaf.pem").toString(),
                        "-key", pki.dir.resolve("stranger-leaf.key").toString()));
                break;
            case SERVER_LEAF:
                c.addAll(cmd("-cert", pki.path(KeyType.EC_P256, "leaf.pem"), "-cert_chain", pki.path(KeyType.EC_P256, "int.pem"),
                        "-key", pki.path(KeyType.EC_P256, "leaf.key")));
                break;
            default:
                break;
        }
        java.util.Collections.addAll(c, extra);
        return Peer.client("openssl s_client", pki.dir, c, line + "\n");
    }

    /** {@code gnutls-cli} to 127.0.0.1 with SNI and hostname check for localhost; stdin stays open. */
    static Peer gnutls(InteropPki pki, KeyType serverType, int port, int version, ClientCert cert, String line)
            throws IOException {
        List<String> c = cmd("gnutls-cli", "-p", String.valueOf(port), "--x509cafile", pki.path(serverType, "root.pem"),
                "--sni-hostname", "localhost", "--verify-hostname", "localhost",
                "--priority", "NORMAL:-VERS-ALL:+VERS-TLS" + (version == Ssl.TLSv1_2 ? "1.2" : "1.3"));
        if (cert == ClientCert.TRUSTED) {
            c.addAll(cmd("--x509certfile", pki.clientFile("chain.pem").toString(),
                    "--x509keyfile", pki.clientFile("leaf.key").toString()));
        } else if (cert != ClientCert.NONE) {
            throw new IllegalArgumentException("not used with gnutls-cli: " + cert);
        }
        c.add("127.0.0.1");
        return Peer.client("gnutls-cli", pki.dir, c, line + "\n");
    }

    /** The CPython {@code ssl} client (test resource py_tls_client.py). */
    static Peer python(InteropPki pki, KeyType serverType, int port, int version, ClientCert cert, String line)
            throws IOException {
        List<String> c = cmd("python3", Scripts.path("py_tls_client.py"), String.valueOf(port),
                "--cafile", pki.path(serverType, "root.pem"), "--tls", version == Ssl.TLSv1_2 ? "1.2" : "1.3",
                "--send", line);
        if (cert == ClientCert.TRUSTED) {
            c.addAll(cmd("--cert", pki.clientFile("chain.pem").toString(), "--key", pki.clientFile("leaf.key").toString()));
        } else if (cert != ClientCert.NONE) {
            throw new IllegalArgumentException("not used with python: " + cert);
        }
        return Peer.client("python3 ssl client", pki.dir, c, null);
    }
}
