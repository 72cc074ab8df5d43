package org.microssl.internal;

import java.util.Arrays;

/**
 * A context's external pre-shared keys (RFC 8446 section 4.2.11, RFC 4279): a fixed identity and key, or the
 * user's callbacks. Shared by the TLS peers ({@link PskSupport}) and any other transport (DTLS) that wants the
 * same keys. Immutable once built; it holds secrets, so no key ever appears in a message or {@code toString()}.
 */
public final class PskConfig {
    /** OpenSSL's limits (PSK_MAX_IDENTITY_LEN, PSK_MAX_PSK_LEN): what we accept here works against it too. */
    public static final int MAX_IDENTITY_BYTES = 256;
    public static final int MAX_KEY_BYTES = 512;

    /** A client's choice, given the server's identity hint. */
    public interface ClientKeys {
        /**
         * @param hint the server's identity hint (TLS 1.2 ServerKeyExchange), or null (none sent; TLS 1.3 has none)
         * @return the identity and key to use, or null for none
         */
        Key forHint(byte[] hint);
    }

    /** A server's lookup. */
    public interface ServerKeys {
        /** @return the key for the client's {@code identity} (bytes from the wire), or null if it is unknown */
        byte[] keyFor(byte[] identity);
    }

    /** An identity and its key. */
    public static final class Key {
        private final byte[] identity;
        private final byte[] key;

        /** @throws IllegalArgumentException for an identity or key that is empty or longer than OpenSSL allows */
        public Key(byte[] identity, byte[] key) {
            this.identity = checkIdentity(identity).clone();
            this.key = checkKey(key).clone();
        }

        public byte[] identity() {
            return identity.clone();
        }

        /** A copy of the secret key. */
        public byte[] key() {
            return key.clone();
        }

        @Override
        public String toString() {
            return "PSK identity " + Printable.text(identity, 64) + " (key: " + key.length + " secret bytes)";
        }
    }

    private final ClientKeys client;
    private final ServerKeys server;
    private final byte[] hint;

    private PskConfig(ClientKeys client, ServerKeys server, byte[] hint) {
        this.client = client;
        this.server = server;
        this.hint = hint;
    }

    /** One identity and key: a client offers it; a server accepts that identity only. */
    public static PskConfig fixed(final Key key) {
        return new PskConfig(new ClientKeys() {
            @Override
            public Key forHint(byte[] ignored) {
                return key;
            }
        }, new ServerKeys() {
            @Override
            public byte[] keyFor(byte[] identity) {
                return Arrays.equals(identity, key.identity) ? key.key() : null;
            }
        }, null);
    }

    public static PskConfig client(ClientKeys keys) {
        if (keys == null) throw new IllegalArgumentException("PSK client callback is null");
        return new PskConfig(keys, null, null);
    }

    /** @param hint the identity hint sent in TLS 1.2 (RFC 4279 section 2), or null for none */
    public static PskConfig server(ServerKeys keys, byte[] hint) {
        if (keys == null) throw new IllegalArgumentException("PSK server callback is null");
        if (hint != null && hint.length > 0xffff) throw new IllegalArgumentException("PSK identity hint too long");
        return new PskConfig(null, keys, hint == null || hint.length == 0 ? null : hint.clone());
    }

    /** @return the client's identity and key for {@code hint}, or null if it has none (or is a server's config) */
    public Key clientKey(byte[] hint) {
        return client == null ? null : client.forHint(hint);
    }

    /** @return the key for a client's identity, or null if it is unknown (or this is a client's config) */
    public byte[] serverKey(byte[] identity) {
        if (server == null) return null;
        byte[] key = server.keyFor(identity.clone());
        return key == null || key.length == 0 ? null : checkKey(key);
    }

    /** The TLS 1.2 identity hint, or null. */
    public byte[] hint() {
        return hint == null ? null : hint.clone();
    }

    /** @throws IllegalArgumentException for an empty identity or one longer than {@link #MAX_IDENTITY_BYTES} */
    public static byte[] checkIdentity(byte[] identity) {
        if (identity == null || identity.length == 0) throw new IllegalArgumentException("PSK identity is empty");
        if (identity.length > MAX_IDENTITY_BYTES) {
            throw new IllegalArgumentException("PSK identity is " + identity.length + " bytes, more than "
                    + MAX_IDENTITY_BYTES);
        }
        return identity;
    }

    /** @throws IllegalArgumentException for an empty key or one longer than {@link #MAX_KEY_BYTES} */
    public static byte[] checkKey(byte[] key) {
        if (key == null || key.length == 0) throw new IllegalArgumentException("PSK key is empty");
        if (key.length > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("PSK key is " + key.length + " bytes, more than " + MAX_KEY_BYTES);
        }
        return key;
    }

    @Override
    public String toString() {
        String role = client != null && server != null ? "fixed identity" : client != null ? "client callback"
                : "server callback";
        return "PskConfig[" + role + (hint != null ? ", hint" : "") + "]";
    }
}
