package org.microssl.internal;

import java.util.ArrayList;
import java.util.List;

import org.microssl.spi.Clock;
import org.microssl.spi.CryptoBackend;
import org.microssl.spi.EntropySource;

/** What an SSLContext was configured with; each connection takes a copy when it is wrapped. */
public final class Settings implements Cloneable {
    public static final int CERT_NONE = 0;
    public static final int CERT_OPTIONAL = 1;
    public static final int CERT_REQUIRED = 2;
    public static final int TLS12 = 0x0303;
    public static final int TLS13 = 0x0304;

    public boolean server;
    public int verifyMode;
    public int minVersion = TLS12;
    public int maxVersion = TLS13;
    public int[] cipherSuites = CipherSuites.defaults();
    public List<byte[]> trustAnchors = new ArrayList<byte[]>();
    public Identity identity;
    public Clock clock;
    public EntropySource entropy;
    public CryptoBackend backend;
    /** Certificate revocation lists (DER) the validator checks paths against; empty: revocation is not checked. */
    public List<byte[]> crls = new ArrayList<byte[]>();
    /**
     * Told of every alert sent or received (level, description), per connection; null: nobody listens (and
     * nothing is spent on it). Set on a connection's own copy when it is wrapped.
     */
    public AlertObserver alertObserver;
    /**
     * Receives NSS key log lines (SSLKEYLOGFILE format) for each handshake: secrets, for decrypting captures
     * during development only. Null (the default): no secret leaves the connection.
     */
    public KeyLogLines.Sink keyLog;
    /** CPython's suppress_ragged_eofs: a transport EOF without close_notify after the handshake reads as EOF. */
    public boolean suppressRaggedEofs;
    /** 512..4096, or 0 for none (RFC 6066 section 4). */
    public int maxFragmentLength;
    /** ALPN names (RFC 7301) in preference order, checked by {@link Alpn#check}; null: no ALPN. Never mutated. */
    public String[] alpnProtocols;
    /** External pre-shared keys (TLS 1.3 external PSK, TLS 1.2 ECDHE_PSK); null: none. Immutable. */
    public PskConfig psk;

    // Limits on what a peer may make us hold, checked before anything is allocated (RFC 8446 section 6 names the
    // alerts). Sized for a device: a client holds at most one 16 KiB handshake message; a server must take a
    // ClientHello whose extensions block is full (2^16 - 1 bytes, plus its fixed fields and cipher suites).
    public static final int DEFAULT_MAX_HANDSHAKE_MESSAGE_CLIENT = 16 * 1024;
    public static final int DEFAULT_MAX_HANDSHAKE_MESSAGE_SERVER = 64 * 1024 + 512;
    public static final int DEFAULT_MAX_CHAIN_BYTES = 16 * 1024;
    /** Leaf, six intermediates (the validator's depth limit) and a root, with room for a cross-signed spare. */
    public static final int DEFAULT_MAX_CHAIN_CERTIFICATES = 10;
    public static final long DEFAULT_HANDSHAKE_TIMEOUT_MILLIS = 10000;

    /** The largest handshake message (its body) accepted from the peer; 0 means the role's default. */
    public int maxHandshakeMessage;
    /** The most certificate bytes (sum of the DER encodings) and certificates accepted in one Certificate message. */
    public int maxChainBytes = DEFAULT_MAX_CHAIN_BYTES;
    public int maxChainCertificates = DEFAULT_MAX_CHAIN_CERTIFICATES;
    /** The whole handshake's deadline, from the first handshake step. */
    public long handshakeTimeoutMillis = DEFAULT_HANDSHAKE_TIMEOUT_MILLIS;

    /** Client: the session to offer for resumption (issue 11), or null for a full handshake. */
    public ResumableSession offeredSession;
    /** Server: seals and opens session tickets; null: none are issued or accepted. */
    public TicketSealer ticketSealer;
    /** Server: the TLS 1.2 session-ID cache; null: none. */
    public SessionStore sessionStore;
    /** Server: how long a ticket it issues may be used (RFC 8446 section 4.6.1 caps it at 7 days). */
    public long ticketLifetimeSeconds = DEFAULT_TICKET_LIFETIME_SECONDS;
    public static final long DEFAULT_TICKET_LIFETIME_SECONDS = 24 * 3600;
    /** DTLS 1.2 (issue 15): a PROTOCOL_DTLS_CLIENT or PROTOCOL_DTLS_SERVER context. */
    public boolean datagram;
    /** DTLS pre-shared keys: a client's identity and key; a server accepts every identity in dtlsPskKeys. */
    public String dtlsPskIdentity;
    public byte[] dtlsPskKey;
    public java.util.Map<String, byte[]> dtlsPskKeys = new java.util.LinkedHashMap<String, byte[]>();

    /** {@link #maxHandshakeMessage}, or the role's default. */
    public int handshakeMessageLimit() {
        if (maxHandshakeMessage != 0) return maxHandshakeMessage;
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

    public Settings copy() {
        try {
            Settings s = (Settings) super.clone();
            s.cipherSuites = cipherSuites.clone();
            s.trustAnchors = new ArrayList<byte[]>(trustAnchors);
            s.crls = new ArrayList<byte[]>(crls);
            s.dtlsPskKeys = new java.util.LinkedHashMap<String, byte[]>(dtlsPskKeys);
            return s;
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }
}
