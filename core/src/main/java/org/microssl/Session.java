package org.microssl;

import org.microssl.internal.ResumableSession;

/**
 * A TLS session a client can resume (CPython's {@code SSLSession}), from {@link SSLSocket#session()}: a resumed
 * handshake needs no certificate, no signature and, in TLS 1.2, no key exchange: the cheap wake-up of a battery
 * device.
 *
 * <p>{@link #toBytes()} and {@link #fromBytes(byte[])} keep it across deep sleep and a new JVM (flash, RTC memory,
 * a file). <b>The bytes are secret</b>: they hold the session's master secret (TLS 1.2) or resumption key (TLS
 * 1.3), with which the connections made from it can be decrypted. Store them as you would a private key. Their
 * form is versioned; a microssl that cannot read an older form says so and the device does a full handshake.
 *
 * <p>A session is offered only to the host it was made with, by a context that trusts the anchor that validated
 * that host (or, for a session made without verification, a CERT_NONE context), while both the session's
 * lifetime and the server's certificates are valid by the context's clock. A clock that is not set offers nothing:
 * the full handshake that follows fails closed as it does without a session. A TLS 1.3 session is offered once
 * (RFC 8446 appendix C.4): take the new one from the resumed connection. Anything not offered, or not accepted by
 * the server, means a full handshake, never a failure.
 *
 * <p>{@link #toString()} names the host, kind, cipher suite and expiry, never the secret.
 */
public final class Session {
    final ResumableSession state;

    Session(ResumableSession state) {
        this.state = state;
    }

    /**
     * Reads a session from {@link #toBytes()}.
     *
     * @throws IllegalArgumentException "invalid session: ..." for bytes that are not a session (corrupted flash,
     *     another format version); the message never includes the bytes
     */
    public static Session fromBytes(byte[] bytes) {
        return new Session(ResumableSession.decode(bytes));
    }

    /** The serialised session. <b>Secret</b>: see the class comment. */
    public byte[] toBytes() {
        return state.encode();
    }

    /** The host the session belongs to. */
    public String host() {
        return state.host;
    }

    /** "TLSv1.2" or "TLSv1.3". */
    public String version() {
        return state.isTls13() ? "TLSv1.3" : "TLSv1.2";
    }

    /** When it stops being offered, in milliseconds since 1970 (by the clock of the context that made it). */
    public long expiresMillis() {
        return state.expiresMillis();
    }

    @Override
    public String toString() {
        return state.toString();
    }
}
