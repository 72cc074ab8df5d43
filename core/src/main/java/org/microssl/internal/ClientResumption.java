package org.microssl.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Vector;

import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.tls.BasicTlsPSKExternal;
import org.bouncycastle.tls.ExtensionType;
import org.bouncycastle.tls.NewSessionTicket;
import org.bouncycastle.tls.PskKeyExchangeMode;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SecurityParameters;
import org.bouncycastle.tls.SessionParameters;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsPSK;
import org.bouncycastle.tls.TlsSession;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsSecret;
import org.bouncycastle.util.Arrays;
import org.microssl.spi.Clock;
import org.microssl.x509.Asn1Time;
import org.microssl.x509.CertificateRejectedException;
import org.microssl.x509.PathValidator;
import org.microssl.x509.Purpose;

/**
 * A client connection's side of session resumption: offers the context's session if it may be offered to this
 * host now ({@link ResumableSession#refusal}), keeps what the server sends (a TLS 1.2 session ID or ticket, a
 * microssl TLS 1.3 ticket), and makes the session this connection can be resumed from. See
 * {@link ServerResumption} for why TLS 1.3 resumption works between microssl peers only.
 */
public final class ClientResumption {
    private final Settings settings;
    private final String serverName;
    /** The session offered in this ClientHello, or null. */
    private final ResumableSession offered;
    private final String notOffered;
    /** TLS 1.2: a fresh session ID sent with a ticket (RFC 5077 section 3.4), or the session's own ID. */
    private byte[] offeredId;
    private volatile boolean selectedPsk;
    /** What the server sent: TLS 1.2 ticket and its lifetime hint; TLS 1.3 ticket as a complete session. */
    private volatile NewSessionTicket tls12Ticket;
    private volatile ResumableSession tls13Session;
    private volatile ResumableSession made;

    private final PathValidator validator;
    private volatile TlsContext context;

    ClientResumption(Settings settings, String serverName, PathValidator validator) {
        this.settings = settings;
        this.validator = validator;
        this.serverName = serverName == null ? null : serverName.toLowerCase(Locale.ROOT);
        ResumableSession s = settings.offeredSession;
        String why = null;
        if (s != null) {
            why = s.refusal(settings, this.serverName);
            if (why == null && s.isTls13() && !s.offeredOnce.compareAndSet(false, true)) {
                why = "the TLS 1.3 ticket was already offered once (RFC 8446 appendix C.4: a ticket is used once)";
            }
        }
        this.offered = why == null ? s : null;
        this.notOffered = why;
    }

    /** TLS 1.3: the base of the PSKs of this connection's tickets (ServerResumption); secret. */
    private volatile byte[] resumptionBase;

    /** From notifyHandshakeComplete, while BouncyCastle still holds the exporter secret. */
    void handshakeComplete(TlsContext context) {
        if (TlsUtils.isTLSv13(context)) {
            resumptionBase = TicketPsk.resumptionBase(context);
        }
    }

    void init(TlsContext context) {
        this.context = context;
    }

    /** Why the context's session was not offered, or null (none set, or offered). */
    public String notOffered() {
        return notOffered;
    }

    /** Why an offered session was not resumed (the server chose a full handshake), or null. */
    String offeredButRefused(SecurityParameters p) {
        if (offered == null || p == null || resumed(p)) return null;
        return "the server did not resume the offered session (a full handshake instead)";
    }

    /** {@code TlsClient.getSessionToResume}: a TLS 1.2 session, with a fresh ID when it is resumed by ticket. */
    TlsSession sessionToResume(TlsContext context) {
        if (offered == null || offered.isTls13()) return null;
        SessionParameters params = new SessionParameters.Builder()
                .setCipherSuite(offered.cipherSuite)
                .setExtendedMasterSecret(offered.extendedMasterSecret)
                .setMasterSecret(context.getCrypto().createSecret(offered.secret.clone()))
                .setNegotiatedVersion(ProtocolVersion.TLSv12)
                .build();
        if (offered.kind == ResumableSession.TLS12_TICKET) {
            offeredId = context.getNonceGenerator().generateNonce(32);
        } else {
            offeredId = offered.sessionId;
        }
        return TlsUtils.importSession(offeredId, params);
    }

    /**
     * Adds session_ticket (the ticket, or empty to ask for one: RFC 5077 section 3.2) when TLS 1.2 is offered,
     * and psk_key_exchange_modes (psk_dhe_ke) when TLS 1.3 is, so a microssl server knows a ticket is wanted.
     */
    @SuppressWarnings("unchecked")
    void addExtensions(Hashtable<Integer, byte[]> extensions) throws IOException {
        if (settings.minVersion <= Settings.TLS12) {
            byte[] ticket = offered != null && offered.kind == ResumableSession.TLS12_TICKET ? offered.ticket
                    : TlsUtils.EMPTY_BYTES;
            extensions.put(Integer.valueOf(ExtensionType.session_ticket), ticket);
        }
        if (settings.maxVersion >= Settings.TLS13) {
            TlsExtensionsUtils.addPSKKeyExchangeModesExtension(extensions, new short[] {PskKeyExchangeMode.psk_dhe_ke});
        }
    }

    /** {@code TlsClient.getExternalPSKs}: the microssl TLS 1.3 ticket, if one is offered. */
    Vector<Object> externalPsks(TlsContext context) {
        if (offered == null || !offered.isTls13()) return null;
        Vector<Object> v = new Vector<Object>(1);
        TlsSecret key = context.getCrypto().createSecret(offered.secret.clone());
        v.addElement(new BasicTlsPSKExternal(offered.ticket, key, TicketPsk.prf13(offered.cipherSuite)));
        return v;
    }

    void selectedPsk(TlsPSK psk) {
        if (offered != null && psk != null && Arrays.areEqual(psk.getIdentity(), offered.ticket)) selectedPsk = true;
    }

    /** Whether this handshake resumed the offered session. */
    public boolean resumed(SecurityParameters p) {
        if (p == null || offered == null) return false;
        return offered.isTls13() ? selectedPsk : p.isResumedSession();
    }

    void newTls12Ticket(NewSessionTicket ticket) {
        if (ticket.getTicket() != null && ticket.getTicket().length > 0) tls12Ticket = ticket;
    }

    /**
     * A TLS 1.3 NewSessionTicket (RFC 8446 section 4.6.1), already parsed and checked by BouncyCastle. Only a
     * microssl ticket is kept: no other server can use it as microssl offers it (see {@link ServerResumption}).
     */
    void newTls13Ticket(ByteArrayInputStream body, PeerState state) throws IOException {
        TlsContext context = this.context;
        long lifetime = TlsUtils.readUint32(body);
        TlsUtils.readUint32(body); // ticket_age_add: our tickets are offered as external PSKs, age 0
        byte[] nonce = TlsUtils.readOpaque8(body);
        byte[] ticket = TlsUtils.readOpaque16(body, 1);
        if (!TicketPsk.looksLikeOurs(ticket) || lifetime == 0) return;
        SecurityParameters p = context.getSecurityParametersConnection();
        byte[] base = resumptionBase;
        if (p == null || base == null) return;
        int suite = p.getCipherSuite();
        byte[] psk = TicketPsk.ticketPsk(context.getCrypto(), base, suite, nonce);
        tls13Session = make(ResumableSession.TLS13_MICROSSL, lifetime, suite, false, psk, null, ticket, state);
    }

    /**
     * The session to keep after this connection, or null if the server gave nothing resumable. In TLS 1.3 the
     * ticket arrives after the handshake, with the server's first records: ask after reading.
     */
    public ResumableSession session(PeerState state) {
        TlsContext context = this.context;
        SecurityParameters p = state.connectionParameters();
        if (p == null) return null;
        if (TlsUtils.isTLSv13(p.getNegotiatedVersion())) return tls13Session;
        ResumableSession m = made;
        if (m != null) return m;
        NewSessionTicket ticket = tls12Ticket;
        if (resumed(p)) {
            m = ticket == null ? offered : offered.withTicket(ticket.getTicket(), now(), lifetime(ticket));
        } else {
            TlsSession bcSession = context.getSession();
            if (bcSession == null) return null;
            SessionParameters params = bcSession.exportSessionParameters();
            if (params == null) return null;
            byte[] master = params.getMasterSecret().extract();
            byte[] id = bcSession.getSessionID();
            if (ticket != null) {
                m = make(ResumableSession.TLS12_TICKET, lifetime(ticket), p.getCipherSuite(),
                        p.isExtendedMasterSecret(), master, null, ticket.getTicket(), state);
            } else if (id != null && id.length > 0) {
                m = make(ResumableSession.TLS12_SESSION_ID, ResumableSession.DEFAULT_SESSION_ID_LIFETIME_SECONDS,
                        p.getCipherSuite(), p.isExtendedMasterSecret(), master, id, null, state);
            }
        }
        made = m;
        return m;
    }

    private static long lifetime(NewSessionTicket t) {
        long hint = t.getTicketLifetimeHint();
        return hint <= 0 ? ResumableSession.DEFAULT_SESSION_ID_LIFETIME_SECONDS : hint;
    }

    private long now() {
        Clock c = settings.clock;
        return c == null ? Clock.TIME_UNKNOWN : c.currentTimeMillis();
    }

    private ResumableSession make(int kind, long lifetime, int suite, boolean ems, byte[] secret, byte[] id,
            byte[] ticket, PeerState state) {
        long now = now();
        if (now == Clock.TIME_UNKNOWN) return null; // no lifetime can be checked: nothing to keep
        if (offered != null && resumed(state.connectionParameters())) {
            // A resumed handshake carries no certificate: the new session keeps the first one's binding.
            return new ResumableSession(kind, serverName, now, lifetime, offered.anchorSha256, offered.notBeforeMillis,
                    offered.notAfterMillis, suite, ems, secret, id, ticket, offered.peerChain);
        }
        List<byte[]> chain = state.peerChain();
        byte[] anchor = null;
        long notBefore = Long.MIN_VALUE;
        long notAfter = Long.MAX_VALUE;
        if (state.peerValidated() && validator != null) {
            List<byte[]> path;
            try {
                path = validator.verify(chain, Purpose.SERVER_AUTH, serverName); // cached signatures: no new work
            } catch (CertificateRejectedException e) {
                return null; // the clock moved past a date since the handshake: nothing worth keeping
            }
            try {
                for (byte[] der : path) {
                    // our strict reader, as the validator read them: BouncyCastle's Time.getDate() would load
                    // SimpleDateFormat and the JDK's locale data (about 3 MB of Metaspace on a device)
                    Certificate c = Certificate.getInstance(der);
                    notBefore = Math.max(notBefore, Asn1Time.toEpochSeconds(c.getStartDate()) * 1000);
                    notAfter = Math.min(notAfter, Asn1Time.toEpochSeconds(c.getEndDate()) * 1000);
                }
            } catch (IOException e) {
                return null; // unreachable: the validator has read these dates
            }
            anchor = ResumableSession.sha256(path.get(path.size() - 1));
        } else if (settings.verifyMode != Settings.CERT_NONE) {
            return null;
        }
        if (serverName == null) return null; // bound to a host, or not kept
        return new ResumableSession(kind, serverName, now, lifetime, anchor, notBefore, notAfter, suite, ems, secret,
                id, ticket, chain);
    }
}
