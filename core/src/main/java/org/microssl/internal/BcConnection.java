package org.microssl.internal;

import java.io.IOException;

import org.bouncycastle.tls.TlsClientProtocol;
import org.bouncycastle.tls.TlsProtocol;
import org.bouncycastle.tls.TlsServerProtocol;
import org.bouncycastle.tls.crypto.TlsCrypto;
import org.microssl.x509.PathValidator;

/**
 * One connection's BouncyCastle protocol object in non-blocking mode, with our peer (its callbacks and what they
 * learn) and {@link HandshakeGuard} in front of it: everything of BouncyCastle the connection engine touches.
 */
public final class BcConnection {
    public final TlsProtocol protocol;
    public final PeerState peer;
    private final GuardedProtocol guarded;

    private BcConnection(TlsProtocol protocol, PeerState peer, GuardedProtocol guarded) {
        this.protocol = protocol;
        this.peer = peer;
        this.guarded = guarded;
    }

    /** A server (serverHostname null) or a client; a client's ClientHello is queued, nothing is sent yet. */
    public static BcConnection open(Settings settings, TlsCrypto crypto, PathValidator validator,
            String serverHostname) throws IOException {
        HandshakeGuard guard = new HandshakeGuard(settings);
        if (settings.server) {
            ServerPeer serverPeer = new ServerPeer(crypto, settings, validator, guard.bouncyCastleLimit());
            GuardedServerProtocol p = new GuardedServerProtocol(guard); // no streams: non-blocking mode
            BcConnection c = new BcConnection(p, serverPeer.state, p);
            ((TlsServerProtocol) p).accept(serverPeer);
            return c;
        }
        ClientPeer clientPeer = new ClientPeer(crypto, settings, validator, serverHostname, guard.bouncyCastleLimit());
        GuardedClientProtocol p = new GuardedClientProtocol(guard); // no streams: non-blocking mode
        BcConnection c = new BcConnection(p, clientPeer.state, p);
        ((TlsClientProtocol) p).connect(clientPeer);
        return c;
    }

    /** Fails BouncyCastle's side for a reason it did not see itself: queues the fatal alert and closes it. */
    public void abort(short alert, String message, Throwable cause) throws IOException {
        guarded.abort(alert, message, cause);
    }
}
