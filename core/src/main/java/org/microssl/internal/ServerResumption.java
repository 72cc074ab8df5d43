package org.microssl.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Hashtable;
import java.util.Locale;
import java.util.Vector;

import org.bouncycastle.tls.BasicTlsPSKExternal;
import org.bouncycastle.tls.ExtensionType;
import org.bouncycastle.tls.HandshakeType;
import org.bouncycastle.tls.NewSessionTicket;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.PskIdentity;
import org.bouncycastle.tls.PskKeyExchangeMode;
import org.bouncycastle.tls.SecurityParameters;
import org.bouncycastle.tls.SessionParameters;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsPSKExternal;
import org.bouncycastle.tls.TlsSession;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCrypto;
import org.bouncycastle.tls.crypto.TlsSecret;
import org.bouncycastle.util.Arrays;
import org.microssl.spi.Clock;
import org.microssl.x509.Asn1Time;

/**
 * A server connection's side of session resumption: stateless tickets sealed by the context's
 * {@link TicketSealer}.
 *
 * <p><b>TLS 1.2</b>: RFC 5077. A client that sends the session_ticket extension gets a NewSessionTicket after a
 * full handshake; a ticket that opens, is within its lifetime, names the same server name, a version and cipher
 * suite the client offers and we enable, and comes with a session ID (RFC 5077 section 3.4: echoed to mark the
 * resumption) resumes. Anything else is a full handshake.
 *
 * <p><b>TLS 1.3</b>: BouncyCastle 1.83 cannot do RFC 8446 ticket resumption: its server sends no NewSessionTicket,
 * {@code SecurityParameters} holds no resumption_master_secret, and both ends compute every PSK binder with the
 * "ext binder" label ({@code OfferedPsks.encodeBinders} and {@code TlsUtils.selectPreSharedKey} fix
 * {@code isExternalPSK = true}) and an obfuscated_ticket_age of 0. So microssl-to-microssl resumption is an
 * external PSK: after the handshake the server sends a NewSessionTicket whose ticket is the sealed state and
 * whose PSK both ends derive from the exporter secret (RFC 8446 section 7.5), as RFC 8446 section 4.6.1 derives a
 * resumption PSK from resumption_master_secret: {@code base = TLS-Exporter("EXPORTER-microssl-resumption", "",
 * Hash.length)} when the handshake completes (BouncyCastle clears the exporter secret right after), and per ticket
 * {@code PSK = HKDF-Expand-Label(base, "resumption", ticket_nonce, Hash.length)}; the client offers the
 * ticket as an external PSK identity (age 0) with psk_dhe_ke, so every resumption has a fresh ECDHE (forward
 * secrecy) and no certificate or signature. Other clients' res-binder PSKs are ignored (full handshake).
 */
final class ServerResumption {
    private static final int STATE_FORMAT = 1;

    private final Settings settings;
    private final TicketSealer sealer;
    private String serverName;
    /** TLS 1.2: the ticket the client offered (empty: it asks for one), or null if it sent no session_ticket. */
    private byte[] offeredTicket;
    /** TLS 1.3: the client can use a ticket (it offered psk_dhe_ke). */
    private boolean clientTakesTls13Tickets;
    private volatile boolean resumed13;
    private volatile String refusal;

    private final PeerState state;
    /** The client's chain from the resumed ticket (validated when it was issued), or null. */
    private volatile java.util.List<byte[]> resumedClientChain;

    ServerResumption(Settings settings, PeerState state) {
        this.settings = settings;
        this.state = state;
        this.sealer = settings.ticketSealer;
        this.store = settings.sessionStore;
    }

    private final SessionStore store;

    /**
     * A server that verifies client certificates seals the client's validated chain into the ticket, so a
     * resumed connection knows who it is ({@code getpeercert}); a resumption is refused when a certificate of it
     * has expired since.
     */
    java.util.List<byte[]> resumedClientChain() {
        return resumedClientChain;
    }

    private long now() {
        Clock clock = settings.clock;
        return clock == null ? Clock.TIME_UNKNOWN : clock.currentTimeMillis();
    }

    boolean enabled() {
        return sealer != null && now() != Clock.TIME_UNKNOWN;
    }

    /** From the raw ClientHello, before BouncyCastle selects a TLS 1.3 PSK (it parses server_name later). */
    void helloServerName(String name) {
        this.serverName = name == null ? "" : name.toLowerCase(Locale.ROOT);
    }

    /** From processClientExtensions, after the SNI name is known. */
    void clientExtensions(Hashtable<?, ?> extensions, String sniName) throws IOException {
        this.serverName = sniName == null ? "" : sniName.toLowerCase(Locale.ROOT);
        offeredTicket = TlsUtils.getExtensionData(extensions, Integer.valueOf(ExtensionType.session_ticket));
        short[] modes = TlsExtensionsUtils.getPSKKeyExchangeModesExtension(extensions);
        clientTakesTls13Tickets = modes != null && Arrays.contains(modes, PskKeyExchangeMode.psk_dhe_ke);
    }

    /** Why the last offered session was not resumed, or null. */
    String refusal() {
        return refusal;
    }

    boolean resumedTls13() {
        return resumed13;
    }

    // ------------------------------------------------------------------------------------------ TLS 1.2

    /** {@code TlsServer.getSessionToResume}: the session sealed in the client's ticket, or null. */
    TlsSession sessionToResume(TlsContext context, byte[] sessionId, int[] offeredSuites) {
        if (now() == Clock.TIME_UNKNOWN) return null;
        State s;
        if (offeredTicket != null && offeredTicket.length > 0 && sealer != null) {
            if (sessionId == null || sessionId.length == 0) {
                refusal = "the ticket came without a session ID to echo (RFC 5077 section 3.4)";
                return null;
            }
            s = open(offeredTicket);
        } else if (store != null && sessionId != null && sessionId.length > 0) {
            byte[] cached = store.get(sessionId);
            if (cached == null) {
                refusal = "the session ID is not in this server's cache (evicted, expired, or another server's)";
                return null;
            }
            s = check(cached, now(), "cached session");
            if (s == null) store.remove(sessionId);
        } else {
            return null;
        }
        if (s == null) return null;
        if (s.version != Settings.TLS12) {
            refusal = "the ticket is for another TLS version";
            return null;
        }
        if (!Arrays.contains(offeredSuites, s.cipherSuite) || !Arrays.contains(settings.cipherSuites, s.cipherSuite)) {
            refusal = "the ticket's cipher suite is not offered or not enabled";
            return null;
        }
        SessionParameters params = new SessionParameters.Builder()
                .setCipherSuite(s.cipherSuite)
                .setExtendedMasterSecret(s.ems)
                .setMasterSecret(context.getCrypto().createSecret(s.secret))
                .setNegotiatedVersion(ProtocolVersion.TLSv12)
                .build();
        Arrays.fill(s.secret, (byte) 0);
        resumedClientChain = s.clientChain;
        return TlsUtils.importSession(sessionId, params);
    }

    /**
     * {@code TlsServer.getNewSessionID}: an ID for the cache when this full TLS 1.2 handshake gets no ticket (the
     * client did not ask for one), else none (RFC 5077 section 3.4 lets the ticket stand alone).
     */
    byte[] newSessionId(TlsContext context) {
        if (store == null || issuesTls12Ticket() || now() == Clock.TIME_UNKNOWN) return null;
        return context.getNonceGenerator().generateNonce(32);
    }

    /** From notifyHandshakeComplete: a full TLS 1.2 handshake with a session ID goes into the cache. */
    void handshakeComplete(TlsContext context) {
        SecurityParameters p = context.getSecurityParametersConnection();
        if (store == null || p == null || TlsUtils.isTLSv13(context) || p.isResumedSession()) return;
        TlsSession session = context.getSession();
        byte[] id = session == null ? null : session.getSessionID();
        if (id == null || id.length == 0 || now() == Clock.TIME_UNKNOWN) return;
        SessionParameters params = session.exportSessionParameters();
        if (params == null) return;
        byte[] master = params.getMasterSecret().extract();
        store.put(id, encode(Settings.TLS12, p.getCipherSuite(), p.isExtendedMasterSecret(), now(),
                settings.ticketLifetimeSeconds, master));
        Arrays.fill(master, (byte) 0);
    }

    /** Whether the ServerHello of a full TLS 1.2 handshake promises a NewSessionTicket. */
    boolean issuesTls12Ticket() {
        return offeredTicket != null && enabled();
    }

    /** Whether the context issues or accepts anything resumable (tickets or the session-ID cache). */
    boolean anyResumption() {
        return sealer != null || store != null;
    }

    /** {@code TlsServer.getNewSessionTicket}, called before BouncyCastle has built the session's parameters. */
    NewSessionTicket newTls12Ticket(TlsContext context) {
        SecurityParameters p = context.getSecurityParametersHandshake();
        TlsSecret copy = context.getCrypto().adoptSecret(p.getMasterSecret());
        byte[] master = copy.extract();
        long lifetime = settings.ticketLifetimeSeconds;
        byte[] ticket = sealer.seal(encode(Settings.TLS12, p.getCipherSuite(), p.isExtendedMasterSecret(), now(),
                lifetime, master), now());
        Arrays.fill(master, (byte) 0);
        return new NewSessionTicket(lifetime, ticket);
    }

    // ------------------------------------------------------------------------------------------ TLS 1.3

    /** {@code TlsServer.getExternalPSK}: the first identity that is one of our tickets and opens, or null. */
    TlsPSKExternal externalPsk(TlsCrypto crypto, Vector<?> identities, int[] offeredSuites) {
        if (!enabled() || identities == null) return null;
        for (Object o : identities) {
            PskIdentity id = (PskIdentity) o;
            byte[] ticket = id.getIdentity();
            // Our clients send age 0 (BouncyCastle's binders); a standard client's res-binder ticket would fail
            // the binder check fatally, so it is never selected.
            if (id.getObfuscatedTicketAge() != 0 || !TicketPsk.looksLikeOurs(ticket)) continue;
            State s = open(ticket);
            if (s == null) continue;
            if (s.version != Settings.TLS13) {
                refusal = "the ticket is for another TLS version";
                continue;
            }
            if (!hasSuiteFor(TicketPsk.prf13(s.cipherSuite), offeredSuites)) {
                refusal = "no offered and enabled TLS 1.3 cipher suite has the ticket's hash";
                continue;
            }
            resumed13 = true;
            resumedClientChain = s.clientChain;
            TlsSecret key = crypto.createSecret(s.secret);
            Arrays.fill(s.secret, (byte) 0);
            return new BasicTlsPSKExternal(ticket, key, TicketPsk.prf13(s.cipherSuite));
        }
        return null;
    }

    /**
     * The NewSessionTicket message (header included) to send once a TLS 1.3 handshake is complete, or null when
     * none is to be sent. A resumed connection gets a new ticket too: each is for one use (RFC 8446 appendix C.4).
     */
    byte[] tls13TicketMessage(TlsContext context, java.security.SecureRandom random) throws IOException {
        if (!clientTakesTls13Tickets || !enabled() || !TlsUtils.isTLSv13(context)) return null;
        SecurityParameters p = context.getSecurityParametersConnection();
        int suite = p.getCipherSuite();
        byte[] nonce = new byte[8];
        random.nextBytes(nonce);
        byte[] psk = TicketPsk.ticketPsk(context.getCrypto(), TicketPsk.resumptionBase(context), suite, nonce);
        long lifetime = settings.ticketLifetimeSeconds;
        byte[] ticket = sealer.seal(encode(Settings.TLS13, suite, false, now(), lifetime, psk), now());
        Arrays.fill(psk, (byte) 0);
        byte[] ageAdd = new byte[4];
        random.nextBytes(ageAdd);
        // RFC 8446 section 4.6.1
        ByteArrayOutputStream body = new ByteArrayOutputStream(ticket.length + 32);
        TlsUtils.writeUint32(lifetime, body);
        body.write(ageAdd);
        TlsUtils.writeOpaque8(nonce, body);
        TlsUtils.writeOpaque16(ticket, body);
        TlsUtils.writeUint16(0, body); // no extensions (no early data)
        byte[] b = body.toByteArray();
        ByteArrayOutputStream msg = new ByteArrayOutputStream(b.length + 4);
        TlsUtils.writeUint8(HandshakeType.new_session_ticket, msg);
        TlsUtils.writeUint24(b.length, msg);
        msg.write(b);
        return msg.toByteArray();
    }

    /** The client's first offered TLS 1.3 suite that we enable and whose hash is the ticket PSK's. */
    static int suiteFor(int prf, int[] offered, int[] ours) throws IOException {
        for (int suite : offered) {
            if (!CipherSuites.isTls13(suite) || TicketPsk.prf13(suite) != prf) continue;
            if (Arrays.contains(ours, suite)) return suite;
        }
        // getExternalPSK checked that the ticket's suite is offered: unreachable unless the lists changed
        throw new org.bouncycastle.tls.TlsFatalAlert(org.bouncycastle.tls.AlertDescription.handshake_failure,
                "no offered TLS 1.3 cipher suite has the resumed session's hash");
    }

    private boolean hasSuiteFor(int prf, int[] offered) {
        if (offered == null) return false;
        for (int suite : offered) {
            if (CipherSuites.isTls13(suite) && TicketPsk.prf13(suite) == prf
                    && Arrays.contains(settings.cipherSuites, suite)) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------------------------------ sealed state

    /** The client's chain if this server verified it (CERT_NONE: none is kept). */
    private java.util.List<byte[]> clientChainToSeal() {
        if (settings.verifyMode == Settings.CERT_NONE) return java.util.Collections.emptyList();
        if (resumedClientChain != null) return resumedClientChain; // a resumed TLS 1.3 connection's next ticket
        return state.peerValidated() ? state.peerChain() : java.util.Collections.<byte[]>emptyList();
    }

    private static final class State {
        int version;
        int cipherSuite;
        boolean ems;
        long issuedMillis;
        long lifetimeSeconds;
        String serverName;
        byte[] secret;
        java.util.List<byte[]> clientChain = new java.util.ArrayList<byte[]>();
    }

    private byte[] encode(int version, int suite, boolean ems, long issuedMillis, long lifetime, byte[] secret) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(96);
        out.write(STATE_FORMAT);
        out.write(version >>> 8);
        out.write(version);
        out.write(suite >>> 8);
        out.write(suite);
        out.write(ems ? 1 : 0);
        for (int shift = 56; shift >= 0; shift -= 8) out.write((int) (issuedMillis >>> shift));
        for (int shift = 24; shift >= 0; shift -= 8) out.write((int) (lifetime >>> shift));
        byte[] name = serverName.getBytes(StandardCharsets.US_ASCII);
        out.write(name.length);
        out.write(name, 0, name.length);
        out.write(secret.length);
        out.write(secret, 0, secret.length);
        java.util.List<byte[]> chain = clientChainToSeal();
        out.write(chain.size());
        for (byte[] c : chain) {
            out.write(c.length >>> 16);
            out.write(c.length >>> 8);
            out.write(c.length);
            out.write(c, 0, c.length);
        }
        return out.toByteArray();
    }

    /** Opens and checks a ticket; null (with {@link #refusal} set) if it cannot be used. */
    private State open(byte[] ticket) {
        long now = now();
        TicketSealer.Opened opened = sealer.open(ticket, now);
        if (opened.state == null) {
            refusal = opened.refusal;
            return null;
        }
        return check(opened.state, now, "ticket");
    }

    /** Decodes a sealed or cached state and checks that it may be resumed now; null (with the refusal) if not. */
    private State check(byte[] stateBytes, long now, String what) {
        State s = new State();
        try {
            // Made by us, so well formed; checked anyway (a decoding bug must not become a wrong session).
            ResumableSession.Reader r = new ResumableSession.Reader(stateBytes);
            if (r.u8() != STATE_FORMAT) throw new IllegalArgumentException("format");
            s.version = r.u16();
            s.cipherSuite = r.u16();
            s.ems = r.u8() == 1;
            s.issuedMillis = r.int64();
            s.lifetimeSeconds = ((long) r.u16() << 16) | r.u16();
            s.serverName = new String(r.bytes(r.u8()), StandardCharsets.US_ASCII);
            s.secret = r.bytes(r.u8());
            int count = r.u8();
            for (int i = 0; i < count; i++) s.clientChain.add(r.bytes(r.u24()));
            if (r.remaining() != 0) throw new IllegalArgumentException("trailing bytes");
        } catch (IllegalArgumentException e) {
            refusal = "the " + what + "'s sealed state is malformed";
            return null;
        } finally {
            Arrays.fill(stateBytes, (byte) 0);
        }
        if (now < s.issuedMillis - 60_000 || now >= s.issuedMillis + s.lifetimeSeconds * 1000) {
            refusal = "the " + what + "'s lifetime (" + s.lifetimeSeconds + " s) has passed";
            return null;
        }
        if (!s.serverName.equals(serverName)) {
            refusal = "the " + what + " was issued for the server name \"" + s.serverName + "\", not \"" + serverName
                    + "\"";
            return null;
        }
        if (settings.verifyMode == Settings.CERT_REQUIRED && s.clientChain.isEmpty()) {
            refusal = "the " + what + " carries no client certificate and this server requires one";
            return null;
        }
        for (byte[] der : s.clientChain) {
            org.bouncycastle.asn1.x509.Certificate c = org.bouncycastle.asn1.x509.Certificate.getInstance(der);
            boolean valid;
            try { // the validator's strict reader (BouncyCastle's getDate() would load SimpleDateFormat)
                valid = now >= Asn1Time.toEpochSeconds(c.getStartDate()) * 1000
                        && now < Asn1Time.toEpochSeconds(c.getEndDate()) * 1000;
            } catch (IOException e) {
                valid = false; // unreachable: the chain was validated before it was sealed
            }
            if (!valid) {
                refusal = "a certificate of the client's chain in the ticket is not valid now";
                return null;
            }
        }
        return s;
    }
}
