package org.microssl.internal.crypto;

/**
 * The record cipher one connection is using, so that its engine can ask it to let go of memory when a half of
 * the connection goes idle ({@link #trimEncrypt}, {@link #trimDecrypt}). BouncyCastle creates ciphers through the
 * context-wide {@code TlsCrypto} and keeps them out of reach, so a cipher made while its connection's engine is
 * inside BouncyCastle ({@link #enter}) registers itself here. Guarded by the connection's BouncyCastle monitor.
 */
public final class ConnectionCiphers {
    private static final ThreadLocal<ConnectionCiphers> CURRENT = new ThreadLocal<ConnectionCiphers>();

    /** The latest cipher made for this connection: TLS 1.3's application one, or TLS 1.2's one, once established. */
    private AeadRecordCipher cipher;

    /** Marks the calling thread as inside BouncyCastle for this connection, until {@link #exit}. */
    public void enter() {
        CURRENT.set(this);
    }

    public void exit() {
        CURRENT.remove();
    }

    static void created(AeadRecordCipher c) {
        ConnectionCiphers owner = CURRENT.get();
        if (owner != null) owner.cipher = c;
    }

    /** Nothing waits to be sent: the sealing side drops its record buffer and GHASH tables until it is next used. */
    public void trimEncrypt() {
        AeadRecordCipher c = cipher;
        if (c != null) c.trimEncrypt();
    }

    /** Nothing waits to be read: the opening side drops its GHASH tables until it is next used. */
    public void trimDecrypt() {
        AeadRecordCipher c = cipher;
        if (c != null) c.trimDecrypt();
    }
}
