package org.microssl.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.util.Arrays;
import org.microssl.spi.Clock;

/**
 * What a client keeps to resume a session, and its serialised form (the public {@code Session}'s bytes). Holds a
 * secret (the TLS 1.2 master secret or the TLS 1.3 resumption PSK): never printed, never put in a message.
 *
 * <p>Hand-written encoding, parsed strictly: the bytes come from flash or a file the device does not fully trust,
 * so every length is checked against what is left before anything is allocated.
 */
public final class ResumableSession {
    /** TLS 1.2, resumed by the session ID the server gave (RFC 5246 section 7.3). */
    public static final int TLS12_SESSION_ID = 1;
    /** TLS 1.2, resumed by an RFC 5077 ticket (a fresh session ID is sent with it, section 3.4). */
    public static final int TLS12_TICKET = 2;
    /** TLS 1.3 between microssl peers: a sealed external PSK (see {@link ServerResumption}). */
    public static final int TLS13_MICROSSL = 3;

    private static final byte[] MAGIC = {'M', 'S', 'S', 'N'};
    /** The serialised form's version: a device that updates microssl may hold sessions from the last one. */
    static final int FORMAT_VERSION = 1;
    /** No session is kept longer than this, whatever the server says (RFC 8446 section 4.6.1: 7 days). */
    public static final long MAX_LIFETIME_SECONDS = 7L * 24 * 3600;
    /** A TLS 1.2 session ID the server gave no lifetime for (OpenSSL's default timeout is 2 hours). */
    static final long DEFAULT_SESSION_ID_LIFETIME_SECONDS = 2 * 3600;
    private static final int MAX_CHAIN_BYTES = 64 * 1024;

    public final int kind;
    /** The host the session belongs to (the name sent in SNI and checked in the certificate). */
    public final String host;
    public final long createdMillis;
    public final long lifetimeSeconds;
    /** SHA-256 of the trust anchor that validated the server, or null when the server was not validated. */
    final byte[] anchorSha256;
    /** The validated path's validity window: the latest notBefore and the earliest notAfter. */
    final long notBeforeMillis;
    final long notAfterMillis;
    public final int cipherSuite;
    final boolean extendedMasterSecret;
    /** Secret: the master secret (TLS 1.2) or the PSK (TLS 1.3). */
    final byte[] secret;
    final byte[] sessionId;
    final byte[] ticket;
    /** The server's chain as it sent it in the full handshake (a resumed handshake carries none). */
    final List<byte[]> peerChain;
    /** A TLS 1.3 ticket is offered once (RFC 8446 appendix C.4); this object remembers that it was. */
    final java.util.concurrent.atomic.AtomicBoolean offeredOnce = new java.util.concurrent.atomic.AtomicBoolean();

    ResumableSession(int kind, String host, long createdMillis, long lifetimeSeconds, byte[] anchorSha256,
            long notBeforeMillis, long notAfterMillis, int cipherSuite, boolean extendedMasterSecret, byte[] secret,
            byte[] sessionId, byte[] ticket, List<byte[]> peerChain) {
        this.kind = kind;
        this.host = host;
        this.createdMillis = createdMillis;
        this.lifetimeSeconds = Math.min(lifetimeSeconds, MAX_LIFETIME_SECONDS);
        this.anchorSha256 = anchorSha256;
        this.notBeforeMillis = notBeforeMillis;
        this.notAfterMillis = notAfterMillis;
        this.cipherSuite = cipherSuite;
        this.extendedMasterSecret = extendedMasterSecret;
        this.secret = secret;
        this.sessionId = sessionId == null ? new byte[0] : sessionId;
        this.ticket = ticket == null ? new byte[0] : ticket;
        this.peerChain = Collections.unmodifiableList(new ArrayList<byte[]>(peerChain));
    }

    /** The same session with a new ticket (a TLS 1.2 server may renew it on resumption). */
    ResumableSession withTicket(byte[] newTicket, long nowMillis, long newLifetimeSeconds) {
        return new ResumableSession(TLS12_TICKET, host, nowMillis, newLifetimeSeconds, anchorSha256, notBeforeMillis,
                notAfterMillis, cipherSuite, extendedMasterSecret, secret, sessionId, newTicket, peerChain);
    }

    public boolean isTls13() {
        return kind == TLS13_MICROSSL;
    }

    public boolean validated() {
        return anchorSha256 != null;
    }

    /** When the session stops being offered (millis since 1970). */
    public long expiresMillis() {
        return createdMillis + lifetimeSeconds * 1000;
    }

    public List<byte[]> peerChain() {
        return peerChain;
    }

    /**
     * Why this session must not be offered by a context with these settings to {@code serverName} now, or null if
     * it may: resuming never skips what a full handshake would check (issue 11: host, trust anchors, clock, the
     * chain's validity, the ticket's lifetime).
     */
    String refusal(Settings settings, String serverName) {
        if (serverName == null || !host.equals(serverName.toLowerCase(Locale.ROOT))) {
            return "the session belongs to " + host + ", not " + serverName;
        }
        Clock clock = settings.clock;
        long now = clock == null ? Clock.TIME_UNKNOWN : clock.currentTimeMillis();
        if (now == Clock.TIME_UNKNOWN) return "the clock is not set: a session is resumed only against a known time";
        if (now < createdMillis - 60_000) return "the session was made in the future (the clock went back)";
        if (now >= expiresMillis()) return "the session's lifetime (" + lifetimeSeconds + " s) has passed";
        if (anchorSha256 != null) {
            if (now < notBeforeMillis || now >= notAfterMillis) {
                return "the server's certificate chain is not valid now";
            }
            if (settings.verifyMode == Settings.CERT_NONE) {
                return "the session was validated, this context does not verify (CERT_NONE)";
            }
            if (!anchorsContain(settings.trustAnchors, anchorSha256)) {
                return "the trust anchor that validated the session's server is not loaded in this context";
            }
        } else if (settings.verifyMode != Settings.CERT_NONE) {
            return "the session's server was never validated";
        }
        int version = isTls13() ? Settings.TLS13 : Settings.TLS12;
        if (version < settings.minVersion || version > settings.maxVersion) {
            return "the session's version is outside this context's range";
        }
        boolean enabled = false;
        for (int s : settings.cipherSuites) enabled |= s == cipherSuite;
        if (!enabled) return "the session's cipher suite is not enabled in this context";
        return null;
    }

    static boolean anchorsContain(List<byte[]> anchors, byte[] sha256) {
        for (byte[] der : anchors) {
            if (Arrays.constantTimeAreEqual(sha256(der), sha256)) return true;
        }
        return false;
    }

    /** BouncyCastle's SHA-256: the JCA's would load the provider framework and a SecureRandom on a device. */
    static byte[] sha256(byte[] data) {
        SHA256Digest d = new SHA256Digest();
        d.update(data, 0, data.length);
        byte[] out = new byte[d.getDigestSize()];
        d.doFinal(out, 0);
        return out;
    }

    // ------------------------------------------------------------------------------------------ serialised form

    /** The serialised form. It contains the session's secret: store it as you would a key. */
    public byte[] encode() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + ticket.length + chainBytes());
        out.write(MAGIC, 0, MAGIC.length);
        out.write(FORMAT_VERSION);
        out.write(kind);
        opaque8(out, host.getBytes(StandardCharsets.US_ASCII));
        int64(out, createdMillis);
        int64(out, lifetimeSeconds);
        opaque8(out, anchorSha256 == null ? new byte[0] : anchorSha256);
        int64(out, notBeforeMillis);
        int64(out, notAfterMillis);
        out.write(cipherSuite >>> 8);
        out.write(cipherSuite);
        out.write(extendedMasterSecret ? 1 : 0);
        opaque8(out, secret);
        opaque8(out, sessionId);
        opaque16(out, ticket);
        out.write(peerChain.size());
        for (byte[] c : peerChain) {
            out.write(c.length >>> 16);
            out.write(c.length >>> 8);
            out.write(c.length);
            out.write(c, 0, c.length);
        }
        return out.toByteArray();
    }

    private int chainBytes() {
        int n = 0;
        for (byte[] c : peerChain) n += 3 + c.length;
        return n;
    }

    /** @throws IllegalArgumentException "invalid session: ..." for bytes that are not a session of this format */
    public static ResumableSession decode(byte[] bytes) {
        if (bytes == null) throw new IllegalArgumentException("invalid session: null");
        Reader r = new Reader(bytes);
        byte[] magic = r.bytes(4);
        if (!Arrays.constantTimeAreEqual(magic, MAGIC)) throw new IllegalArgumentException("invalid session: not a microssl session");
        int format = r.u8();
        if (format != FORMAT_VERSION) {
            throw new IllegalArgumentException("invalid session: format version " + format + ", this microssl reads "
                    + FORMAT_VERSION + " (do a full handshake and keep the new session)");
        }
        int kind = r.u8();
        if (kind < TLS12_SESSION_ID || kind > TLS13_MICROSSL) throw new IllegalArgumentException("invalid session: kind " + kind);
        String host = new String(r.bytes(r.u8()), StandardCharsets.US_ASCII);
        long created = r.int64();
        long lifetime = r.int64();
        if (lifetime < 0 || lifetime > MAX_LIFETIME_SECONDS) throw new IllegalArgumentException("invalid session: lifetime");
        byte[] anchor = r.bytes(r.u8());
        if (anchor.length != 0 && anchor.length != 32) throw new IllegalArgumentException("invalid session: anchor hash");
        long notBefore = r.int64();
        long notAfter = r.int64();
        int suite = r.u16();
        int ems = r.u8();
        if (ems > 1) throw new IllegalArgumentException("invalid session: flag");
        byte[] secret = r.bytes(r.u8());
        if (secret.length < 32) throw new IllegalArgumentException("invalid session: secret too short");
        byte[] id = r.bytes(r.u8());
        if (id.length > 32) throw new IllegalArgumentException("invalid session: session ID longer than 32 bytes");
        byte[] ticket = r.bytes(r.u16());
        if (kind != TLS12_SESSION_ID && ticket.length == 0) throw new IllegalArgumentException("invalid session: no ticket");
        if (kind == TLS12_SESSION_ID && id.length == 0) throw new IllegalArgumentException("invalid session: no session ID");
        int count = r.u8();
        List<byte[]> chain = new ArrayList<byte[]>(Math.min(count, 10));
        int total = 0;
        for (int i = 0; i < count; i++) {
            int len = r.u24();
            total += len;
            if (total > MAX_CHAIN_BYTES) throw new IllegalArgumentException("invalid session: chain over 64 KiB");
            chain.add(r.bytes(len));
        }
        if (r.remaining() != 0) throw new IllegalArgumentException("invalid session: " + r.remaining() + " bytes after its end");
        return new ResumableSession(kind, host, created, lifetime, anchor.length == 0 ? null : anchor, notBefore,
                notAfter, suite, ems == 1, secret, id, ticket, chain);
    }

    private static void opaque8(ByteArrayOutputStream out, byte[] b) {
        out.write(b.length);
        out.write(b, 0, b.length);
    }

    private static void opaque16(ByteArrayOutputStream out, byte[] b) {
        out.write(b.length >>> 8);
        out.write(b.length);
        out.write(b, 0, b.length);
    }

    private static void int64(ByteArrayOutputStream out, long v) {
        for (int shift = 56; shift >= 0; shift -= 8) out.write((int) (v >>> shift));
    }

    /** Reads big-endian fields, checking each length against what is left. */
    static final class Reader {
        private final byte[] b;
        private int pos;

        Reader(byte[] b) {
            this.b = b;
        }

        int remaining() {
            return b.length - pos;
        }

        byte[] bytes(int n) {
            if (n < 0 || n > remaining()) throw new IllegalArgumentException("invalid session: truncated");
            byte[] out = new byte[n];
            System.arraycopy(b, pos, out, 0, n);
            pos += n;
            return out;
        }

        int u8() {
            if (remaining() < 1) throw new IllegalArgumentException("invalid session: truncated");
            return b[pos++] & 0xff;
        }

        int u16() {
            return (u8() << 8) | u8();
        }

        int u24() {
            return (u8() << 16) | u16();
        }

        long int64() {
            long v = 0;
            for (int i = 0; i < 8; i++) v = (v << 8) | u8();
            return v;
        }
    }

    /** No secret: the host, kind, suite and expiry. */
    @Override
    public String toString() {
        String k = kind == TLS12_SESSION_ID ? "TLS 1.2 session ID" : kind == TLS12_TICKET ? "TLS 1.2 ticket"
                : "TLS 1.3 microssl ticket";
        return "Session[" + k + " for " + host + ", " + CipherSuites.name(cipherSuite) + ", expires "
                + java.time.Instant.ofEpochMilli(expiresMillis()) + "]";
    }
}
