package org.microssl.desktop.interop;

import static org.microssl.testing.Peer.cmd;

import java.io.IOException;
import java.util.List;
import java.util.regex.Pattern;

import org.microssl.Ssl;
import org.microssl.testing.Peer;
import org.microssl.testing.TestPki.KeyType;

/** Command lines of the real TLS servers microssl's client is tested against. */
final class PeerServers {
    private PeerServers() {}

    /**
     * {@code openssl s_server -rev}: answers each line reversed; a line "CLOSE" makes it send close_notify.
     *
     * @param version {@link Ssl#TLSv1_3} or {@link Ssl#TLSv1_2}
     * @param requireClientCert -Verify 1 with the client root as the only trusted CA
     * @param sendIntermediate false leaves the intermediate out of the server's chain
     */
    static Peer openssl(InteropPki pki, KeyType type, int version, boolean requireClientCert, boolean sendIntermediate)
            throws IOException {
        return openssl(pki, type, version, requireClientCert, sendIntermediate, null);
    }

    /** @param groups OpenSSL's -groups list (e.g. "P-384" forces a HelloRetryRequest for a client offering X25519) */
    static Peer openssl(InteropPki pki, KeyType type, int version, boolean requireClientCert, boolean sendIntermediate,
            String groups) throws IOException {
        return openssl(pki, type, version, requireClientCert ? KeyType.EC_P256 : null, sendIntermediate, groups);
    }

    /** @param clientRootType null: no client certificate asked; else -Verify 1 with that client chain's root */
    static Peer openssl(InteropPki pki, KeyType type, int version, KeyType clientRootType, boolean sendIntermediate,
            String groups) throws IOException {
        boolean requireClientCert = clientRootType != null;
        return Peer.server("openssl s_server", pki.dir, port -> {
            List<String> c = cmd("openssl", "s_server", "-accept", "127.0.0.1:" + port,
                    "-cert", pki.path(type, "leaf.pem"), "-key", pki.path(type, "leaf.key"),
                    version == Ssl.TLSv1_2 ? "-tls1_2" : "-tls1_3", "-rev");
            if (sendIntermediate) c.addAll(cmd("-cert_chain", pki.path(type, "int.pem")));
            if (groups != null) c.addAll(cmd("-groups", groups));
            if (requireClientCert) {
                c.addAll(cmd("-Verify", "1", "-verify_return_error", "-CAfile",
                        pki.clientFile(clientRootType, "root.pem").toString()));
            }
            return c;
        });
    }

    /** {@code gnutls-serv --echo}, restricted to one version by its priority string. */
    static Peer gnutls(InteropPki pki, KeyType type, int version, boolean requireClientCert) throws IOException {
        return Peer.server("gnutls-serv", pki.dir, port -> {
            List<String> c = cmd("gnutls-serv", "--echo", "-p", String.valueOf(port),
                    "--x509certfile", pki.path(type, "chain.pem"), "--x509keyfile", pki.path(type, "leaf.key"),
                    "--priority", "NORMAL:-VERS-ALL:+VERS-TLS" + (version == Ssl.TLSv1_2 ? "1.2" : "1.3"));
            if (requireClientCert) {
                c.addAll(cmd("--require-client-cert", "--verify-client-cert",
                        "--x509cafile", pki.clientFile("root.pem").toString()));
            } else {
                c.add("--disable-client-cert");
            }
            return c;
        });
    }

    /** The CPython {@code ssl} echo server (test resource py_tls_server.py); it binds and announces its port. */
    static Peer python(InteropPki pki, KeyType type, int version, boolean requireClientCert) throws IOException {
        List<String> c = cmd("python3", Scripts.path("py_tls_server.py"), "--cert", pki.path(type, "chain.pem"),
                "--key", pki.path(type, "leaf.key"), "--tls", version == Ssl.TLSv1_2 ? "1.2" : "1.3");
        if (requireClientCert) {
            c.addAll(cmd("--verify", "required", "--cafile", pki.clientFile("root.pem").toString()));
        }
        return Peer.serverAnnouncingPort("python3 ssl server", pki.dir, c, Pattern.compile("READY (\\d+)"));
    }
}
