package org.microssl.hostile;

import java.util.List;
import java.util.function.Consumer;

import org.microssl.SSLContext;
import org.microssl.SslException.Failure;
import org.microssl.hostile.Target.Backend;
import org.microssl.hostile.Target.LoopbackServer;
import org.microssl.hostile.Target.Outcome;
import org.microssl.hostile.Target.Version;
import org.microssl.hostile.Wire.Alert;

/**
 * microssl against a {@link HostilePeer} over loopback, on either side: a microssl client against a hostile
 * server, or a microssl server (asking for a client certificate) against a hostile client.
 */
final class Duel implements AutoCloseable {

    /** Which end microssl plays. */
    enum Side {
        CLIENT, SERVER;

        /** The default handshake message limit of this side's contexts (the server's fits any ClientHello). */
        int messageLimit() {
            return this == CLIENT ? 16_384 : 66_048;
        }
    }

    final Side side;
    final Outcome microssl;
    final HostilePeer peer;

    private Duel(Side side, Outcome microssl, HostilePeer peer) {
        this.side = side;
        this.microssl = microssl;
        this.peer = peer;
    }

    /** The hostile peer's configuration for the other end of {@code side}: its identity and version. */
    static HostilePeer.Config peerFor(Side side, Version version) {
        return side == Side.CLIENT ? Target.hostileServer(version) : Target.hostileClient(version);
    }

    /** Runs microssl's handshake (as {@code side}, with a context adjusted by {@code tune}) against {@code peer}. */
    static Duel run(Side side, Version version, Backend backend, HostilePeer.Config peer, Consumer<SSLContext> tune)
            throws Exception {
        if (side == Side.CLIENT) {
            SSLContext ctx = Target.client(backend, version);
            if (tune != null) tune.accept(ctx);
            HostilePeer server = HostilePeer.server(peer);
            return new Duel(side, Target.connect(ctx, server.port()), server);
        }
        SSLContext ctx = Target.serverAskingForCertificates(backend, version);
        if (tune != null) tune.accept(ctx);
        try (LoopbackServer server = new LoopbackServer(ctx)) {
            HostilePeer client = HostilePeer.client(peer, server.port());
            return new Duel(side, server.outcome(), client);
        }
    }

    /**
     * Tells the peer's post-handshake script that microssl's handshake is over ({@link HostilePeer#awaitGo}), so what
     * it sends next is read as post-handshake data, not in the handshake's last read.
     */
    void go() throws java.io.IOException {
        microssl.socket().write(HostilePeer.GO);
    }

    /**
     * microssl refused with {@code failure} and {@code alert}, and that alert, alone, reached the peer. A failed
     * assertion carries what the peer itself ran into.
     */
    void assertRefused(Failure failure, int alert) throws InterruptedException {
        assertRefused(microssl.error, failure, alert);
    }

    /** As {@link #assertRefused(Failure, int)} for an exception microssl threw after its handshake. */
    void assertRefused(Throwable error, Failure failure, int alert) throws InterruptedException {
        try {
            Target.assertRefused(error, failure, alert);
            Target.assertFatalAlert(alertsSeen(), alert);
        } catch (AssertionError e) {
            Throwable peerFailure = peer.failure();
            if (peerFailure != null) e.addSuppressed(new Exception("the hostile peer ended with", peerFailure));
            throw e;
        }
    }

    /** The alerts the hostile peer saw, once it has finished. */
    List<Alert> alertsSeen() throws InterruptedException {
        return peer.alertsAfterEnd();
    }

    @Override
    public void close() throws Exception {
        if (microssl.socket != null) microssl.socket.close();
        Target.closeQuietly(microssl.raw);
        peer.close();
    }
}
