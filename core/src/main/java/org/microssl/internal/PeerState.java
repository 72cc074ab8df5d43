package org.microssl.internal;

import java.util.List;

import org.bouncycastle.tls.SecurityParameters;

/** What the Engine asks of its BouncyCastle peer (our TlsClient or TlsServer). */
interface PeerState {

    boolean handshakeComplete();

    /** The peer's chain as sent (leaf first), empty if it sent none. */
    List<byte[]> peerChain();

    /** Whether {@link #peerChain()} was validated (false under CERT_NONE, or when the peer sent none). */
    boolean peerValidated();

    /** Parameters of the established connection, or null before the handshake completed. */
    SecurityParameters connectionParameters();

    /** Last fatal alert we raised, or -1. */
    int alertRaised();

    /** The SNI name: the one we sent (client) or the one the client sent (server), or null. */
    String serverName();
}
