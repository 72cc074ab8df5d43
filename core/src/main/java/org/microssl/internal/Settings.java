package org.microssl.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.microssl.spi.Clock;
import org.microssl.spi.CryptoBackend;
import org.microssl.spi.EntropySource;

/**
 * What one connection was configured with: immutable, built once per wrapSocket from the SSLContext's
 * {@link Builder}, so a connection's settings cannot change under it when the context is configured again.
 *
 * <p>To add a setting: a {@code public final} field here, the same field (with its default) in {@link Builder},
 * and one line in the constructor copying it (the compiler refuses a final field the constructor forgets).
 * Arrays and lists are copied there; what they hold (DER bytes) is never written.
 */
public final class Settings {
    public static final int CERT_NONE = 0;
    public static final int CERT_OPTIONAL = 1;
    public static final int CERT_REQUIRED = 2;
    public static final int TLS12 = 0x0303;
    public static final int TLS13 = 0x0304;

    // Limits on what a peer may make us hold, checked before anything is allocated (RFC 8446 section 6 names the
    // alerts). Sized for a device: a client holds at most one 16 KiB handshake message; a server must take a
    // ClientHello whose extensions block is full (2^16 - 1 bytes, plus its fixed fields and cipher suites).
    public static final int DEFAULT_MAX_HANDSHAKE_MESSAGE_CLIENT = 16 * 1024;
    public static final int DEFAULT_MAX_HANDSHAKE_MESSAGE_SERVER = 64 * 1024 + 512;
    public static final int DEFAULT_MAX_CHAIN_BYTES = 16 * 1024;
    /** Leaf, six intermediates (the validator's depth limit) and a root, with room for a cross-signed spare. */
    public static final int DEFAULT_MAX_CHAIN_CERTIFICATES = 10;
    public static final long DEFAULT_HANDSHAKE_TIMEOUT_MILLIS = 10000;

    public final boolean server;
    public final int verifyMode;
    public final int minVersion;
    public final int maxVersion;
    /** Never written after construction. */
    public final int[] cipherSuites;
    public final List<byte[]> trustAnchors;
    /** Compact trust anchor encodings (org.microssl.x509.TrustAnchors), each checked when it was loaded. */
    public final List<byte[]> compactAnchors;
    public final Identity identity;
    public final Clock clock;
    public final EntropySource entropy;
    public final CryptoBackend backend;
    /** Certificate revocation lists (DER) the validator checks paths against; empty: revocation is not checked. */
    public final List<byte[]> crls;
    /** Told of every alert sent or received (level, description); null: nobody listens (and nothing is spent). */
    public final AlertObserver alertObserver;
    /**
     * Receives NSS key log lines (SSLKEYLOGFILE format) for each handshake: secrets, for decrypting captures
     * during development only. Null (the default): no secret leaves the connection.
     */
    public final KeyLogLines.Sink keyLog;
    /** CPython's suppress_ragged_eofs: a transport EOF without close_notify after the handshake reads as EOF. */
    public final boolean suppressRaggedEofs;
    /** 512..4096, or 0 for none (RFC 6066 section 4). */
    public final int maxFragmentLength;
    /** The largest handshake message (its body) accepted from the peer; 0 means the role's default. */
    public final int maxHandshakeMessage;
    /** The most certificate bytes (sum of the DER encodings) and certificates accepted in one Certificate message. */
    public final int maxChainBytes;
    public final int maxChainCertificates;
    /** The whole handshake's deadline, from the first handshake step. */
    public final long handshakeTimeoutMillis;
    /** ALPN names (RFC 7301) in preference order, checked by {@link Alpn#check}; null: no ALPN. Never mutated. */
    public final String[] alpnProtocols;
    /** External pre-shared keys (TLS 1.3 external PSK, TLS 1.2 ECDHE_PSK); null: none. Immutable. */
    public final PskConfig psk;
    /** DTLS 1.2 (issue 15): a PROTOCOL_DTLS_CLIENT or PROTOCOL_DTLS_SERVER context. */
    public final boolean datagram;
    /** Client: the session to offer for resumption (issue 11), or null for a full handshake. */
    public final ResumableSession offeredSession;
    /** Server: seals and opens session tickets (the context's, shared); null: none are issued or accepted. */
    public final TicketSealer ticketSealer;
    /** Server: the TLS 1.2 session-ID cache (the context's, shared); null: none. */
    public final SessionStore sessionStore;
    /** Server: how long a ticket or cached session may be used (RFC 8446 section 4.6.1 caps it at 7 days). */
    public final long ticketLifetimeSeconds;
    public static final long DEFAULT_TICKET_LIFETIME_SECONDS = 24 * 3600;

    private Settings(Builder b, AlertObserver alertObserver) {
        server = b.server;
        verifyMode = b.verifyMode;
        minVersion = b.minVersion;
        maxVersion = b.maxVersion;
        cipherSuites = b.cipherSuites.clone();
        trustAnchors = Collections.unmodifiableList(new ArrayList<byte[]>(b.trustAnchors));
        compactAnchors = Collections.unmodifiableList(new ArrayList<byte[]>(b.compactAnchors));
        identity = b.identity;
        clock = b.clock;
        entropy = b.entropy;
        backend = b.backend;
        crls = Collections.unmodifiableList(new ArrayList<byte[]>(b.crls));
        this.alertObserver = alertObserver;
        keyLog = b.keyLog;
        suppressRaggedEofs = b.suppressRaggedEofs;
        maxFragmentLength = b.maxFragmentLength;
        maxHandshakeMessage = b.maxHandshakeMessage;
        maxChainBytes = b.maxChainBytes;
        maxChainCertificates = b.maxChainCertificates;
        handshakeTimeoutMillis = b.handshakeTimeoutMillis;
        alpnProtocols = b.alpnProtocols;
        psk = b.psk;
        datagram = b.datagram;
        offeredSession = b.offeredSession;
        ticketSealer = b.ticketSealer;
        sessionStore = b.sessionStore;
        ticketLifetimeSeconds = b.ticketLifetimeSeconds;
    }

    /** {@link #maxHandshakeMessage}, or the role's default. */
    public int handshakeMessageLimit() {
        return handshakeMessageLimit(maxHandshakeMessage, server);
    }

    static int handshakeMessageLimit(int configured, boolean server) {
        if (configured != 0) return configured;
        return server ? DEFAULT_MAX_HANDSHAKE_MESSAGE_SERVER : DEFAULT_MAX_HANDSHAKE_MESSAGE_CLIENT;
    }

    /**
     * @return why no handshake could succeed with these settings (no cipher suite for the version range, or for
     *     a server's key), or null if one can
     */
    public String configurationProblem() {
        if (minVersion > maxVersion) return "the minimum version is above the maximum version";
        if (PeerSupport.versions(this).length == 0) {
            return "no enabled cipher suite belongs to a version between the minimum and maximum versions";
        }
        if (server && identity == null && psk != null && PeerSupport.suites(this, null).length == 0) {
            return "no enabled cipher suite can be used with a pre-shared key";
        }
        if (server && identity != null) {
            if (PeerSupport.suites(this, identity.keyType()).length == 0) {
                return "no enabled cipher suite can be used with the server's " + identity.keyType() + " key";
            }
        }
        return null;
    }

    /** An SSLContext's configuration, mutable (under the context's lock); {@link #build} makes a connection's. */
    public static final class Builder {
        public boolean server;
        public int verifyMode;
        public int minVersion = TLS12;
        public int maxVersion = TLS13;
        public int[] cipherSuites = CipherSuites.defaults();
        public List<byte[]> trustAnchors = new ArrayList<byte[]>();
        public List<byte[]> compactAnchors = new ArrayList<byte[]>();
        public Identity identity;
        public Clock clock;
        public EntropySource entropy;
        public CryptoBackend backend;
        public List<byte[]> crls = new ArrayList<byte[]>();
        public KeyLogLines.Sink keyLog;
        public boolean suppressRaggedEofs;
        public int maxFragmentLength;
        public int maxHandshakeMessage;
        public int maxChainBytes = DEFAULT_MAX_CHAIN_BYTES;
        public int maxChainCertificates = DEFAULT_MAX_CHAIN_CERTIFICATES;
        public long handshakeTimeoutMillis = DEFAULT_HANDSHAKE_TIMEOUT_MILLIS;
        public String[] alpnProtocols;
        public PskConfig psk;
        public boolean datagram;
        public ResumableSession offeredSession;
        /** Set by the context on the copy it builds a server connection from (its sealer and cache are shared). */
        public TicketSealer ticketSealer;
        public SessionStore sessionStore;
        public long ticketLifetimeSeconds = DEFAULT_TICKET_LIFETIME_SECONDS;

        /** One connection's settings, told of its alerts by {@code alertObserver} (may be null). */
        public Settings build(AlertObserver alertObserver) {
            return new Settings(this, alertObserver);
        }

        /**
         * As {@link #build(AlertObserver)}, with what only this connection gets: the session it offers (a client's
         * {@code wrapSocket(..., session)}; null keeps the context's) and the server's ticket sealer and session cache.
         */
        public Settings build(AlertObserver alertObserver, ResumableSession session, TicketSealer sealer,
                SessionStore store) {
            ResumableSession contextSession = offeredSession;
            TicketSealer contextSealer = ticketSealer;
            SessionStore contextStore = sessionStore;
            if (session != null) offeredSession = session;
            ticketSealer = sealer;
            sessionStore = store;
            try {
                return new Settings(this, alertObserver);
            } finally {
                offeredSession = contextSession;
                ticketSealer = contextSealer;
                sessionStore = contextStore;
            }
        }

        public int handshakeMessageLimit() {
            return Settings.handshakeMessageLimit(maxHandshakeMessage, server);
        }

        /** {@link Settings#configurationProblem()} of what is configured now. */
        public String configurationProblem() {
            return build(null).configurationProblem();
        }
    }
}
