package org.microssl.desktop.interop;

import static org.microssl.testing.Peer.cmd;

import java.io.IOException;
import java.util.regex.Pattern;

import org.microssl.testing.Peer;
import org.microssl.testing.TestPki.KeyType;

/** The peer servers, for tests outside this package (the CLI tests). */
public final class PeerServersAccess {
    private PeerServersAccess() {}

    public static Peer openssl(InteropPki pki, KeyType type, int version, boolean requireClientCert) throws IOException {
        return PeerServers.openssl(pki, type, version, requireClientCert, true);
    }

    /** The CPython server that echoes one line and then drops the connection without close_notify. */
    public static Peer pythonTruncating(InteropPki pki) throws IOException {
        return Peer.serverAnnouncingPort("python3 ssl server", pki.dir, cmd("python3", Scripts.path("py_tls_server.py"),
                "--cert", pki.path(KeyType.EC_P256, "chain.pem"), "--key", pki.path(KeyType.EC_P256, "leaf.key"),
                "--truncate"), Pattern.compile("READY (\\d+)"));
    }

    public static String script(String name) {
        return Scripts.path(name);
    }
}
