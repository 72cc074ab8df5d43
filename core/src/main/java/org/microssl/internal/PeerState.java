package org.microssl.internal;

import java.util.Collections;
import java.util.List;

import org.bouncycastle.tls.AlertLevel;
import org.bouncycastle.tls.SecurityParameters;

/**
 * What the Engine learns from its BouncyCastle peer (our TlsClient or TlsServer): one record that both peers fill
 * in from their callbacks, so the two roles cannot drift apart. Written on the handshake thread, read by any.
 */
public final class PeerState {
    private volatile SecurityParameters connection;
    private volatile List<byte[]> peerChain = Collections.emptyList();
    private volatile boolean peerValidated;
    private volatile boolean certificateRequested;
    private volatile int alertRaised = -1;
    private volatile String serverName;
    private volatile ClientResumption clientResumption;
    private volatile ServerResumption serverResumption;
    /** A TLS 1.3 handshake resumed a microssl ticket (BouncyCastle's isResumedSession is TLS 1.2's). */
    private volatile boolean resumedTls13;

    /** From {@code notifyHandshakeComplete}: BouncyCastle sets the connection's parameters before calling it. */
    void handshakeCompleted(SecurityParameters connectionParameters) {
        this.connection = connectionParameters;
    }

    /** From {@code notifyAlertRaised}: remembers the last fatal alert we sent. */
    void alertRaised(short alertLevel, short alertDescription) {
        if (alertLevel == AlertLevel.fatal) alertRaised = alertDescription;
    }

    /** The chain the peer sent, before it is validated. */
    void peerChain(List<byte[]> chain) {
        this.peerChain = Collections.unmodifiableList(chain);
    }

    void peerValidated(boolean validated) {
        this.peerValidated = validated;
    }

    void serverName(String name) {
        this.serverName = name;
    }

    public boolean handshakeComplete() {
        return connection != null;
    }

    /** The peer's chain as sent (leaf first), empty if it sent none. */
    public List<byte[]> peerChain() {
        return peerChain;
    }

    /** Whether {@link #peerChain()} was validated (false under CERT_NONE, or when the peer sent none). */
    public boolean peerValidated() {
        return peerValidated;
    }

    /** The server sent a CertificateRequest (client side). */
    void certificateRequested() {
        certificateRequested = true;
    }

    public boolean wasCertificateRequested() {
        return certificateRequested;
    }

    /** Whether the handshake resumed a session. */
    public boolean resumed() {
        SecurityParameters p = connection;
        return p != null && (p.isResumedSession() || resumedTls13);
    }

    void resumedTls13() {
        resumedTls13 = true;
    }

    void resumption(ClientResumption client, ServerResumption server) {
        this.clientResumption = client;
        this.serverResumption = server;
    }

    /** The client side's resumption state, or null on a server. */
    public ClientResumption clientResumption() {
        return clientResumption;
    }

    /** Why the offered session (client) or ticket (server) was not resumed, or null. */
    public String sessionNotReused() {
        if (resumed()) return null;
        ClientResumption c = clientResumption;
        if (c != null) return c.notOffered() != null ? c.notOffered() : c.offeredButRefused(connection);
        ServerResumption s = serverResumption;
        return s == null ? null : s.refusal();
    }

    /** Parameters of the established connection, or null before the handshake completed. */
    public SecurityParameters connectionParameters() {
        return connection;
    }

    /** Last fatal alert we raised, or -1. */
    public int alertRaised() {
        return alertRaised;
    }

    /** The SNI name: the one we sent (client) or the one the client sent (server), or null. */
    public String serverName() {
        return serverName;
    }
}
