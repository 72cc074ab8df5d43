package org.microssl.desktop.gateway;

import java.io.IOException;

/**
 * What the gateway does with each connection's decrypted stream. Called on the connection's selector thread, one
 * call at a time per connection: a handler must not block (it would hold every connection of that thread).
 */
public interface Handler {

    /** Echoes every byte back: the gateway's default. */
    Handler ECHO = (connection, data, off, len) -> connection.write(data, off, len);

    /** The handshake completed. */
    default void opened(GatewayConnection connection) throws IOException {
    }

    /** Decrypted bytes arrived; {@code data} is reused after the call returns. */
    void received(GatewayConnection connection, byte[] data, int off, int len) throws IOException;

    /** The connection ended: {@code cause} is null after the client's close_notify, else why it was ended. */
    default void closed(GatewayConnection connection, Exception cause) {
    }
}
