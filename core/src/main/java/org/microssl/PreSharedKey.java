package org.microssl;

import java.nio.charset.StandardCharsets;

import org.microssl.internal.PskConfig;

/**
 * An external pre-shared key: an identity and its secret key, as a client's {@link ClientCallback} returns it.
 * See {@link SSLContext#setPskIdentity}, {@link SSLContext#setPskClientCallback} and
 * {@link SSLContext#setPskServerCallback}. The key never appears in {@link #toString()} or in a message.
 */
public final class PreSharedKey {
    final PskConfig.Key key;

    /**
     * @param identity UTF-8 encoded, 1 to 256 bytes
     * @param key the secret, 1 to 512 bytes (copied)
     * @throws IllegalArgumentException for an empty or too long identity or key
     */
    public PreSharedKey(String identity, byte[] key) {
        this(identity == null ? null : identity.getBytes(StandardCharsets.UTF_8), key);
    }

    /** As {@link #PreSharedKey(String, byte[])}, with an identity that is not text. */
    public PreSharedKey(byte[] identity, byte[] key) {
        this.key = new PskConfig.Key(identity, key);
    }

    /** The identity's bytes (a copy). */
    public byte[] identity() {
        return key.identity();
    }

    @Override
    public String toString() {
        return key.toString();
    }

    /**
     * CPython 3.13's {@code set_psk_client_callback} callback, Java-shaped: given the server's identity hint, the
     * identity and key to use.
     */
    public interface ClientCallback {
        /**
         * @param hint the server's identity hint (TLS 1.2, decoded as UTF-8), or null: none was sent, and TLS 1.3
         *     has none (this is called before the ClientHello then, and again with the hint if TLS 1.2 is chosen)
         * @return the identity and key, or null for none: in TLS 1.3 no PSK is offered (a certificate handshake,
         *     verified as usual), in TLS 1.2 the handshake fails with handshake_failure
         */
        PreSharedKey credentials(String hint);
    }

    /** CPython 3.13's {@code set_psk_server_callback} callback, Java-shaped: the key for a client's identity. */
    public interface ServerCallback {
        /**
         * @param identity the identity the client sent, decoded as UTF-8 (it comes from the network: any text)
         * @return its key (1 to 512 bytes), or null (or empty) for an unknown identity: refused with
         *     unknown_psk_identity, unless this server also has a certificate to use in TLS 1.3
         */
        byte[] key(String identity);
    }
}
