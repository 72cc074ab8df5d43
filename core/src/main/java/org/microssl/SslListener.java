package org.microssl;

/**
 * Diagnostics for every connection of a context ({@link SSLContext#setListener}): handshakes completed, alerts sent
 * and received, and each failure with its reason, depth and peer address. What a server needs to log and alert on
 * every TLS failure:
 *
 * <pre>{@code
 * ctx.setListener(e -> {
 *     log.info(e.toString());
 *     if (e.kind() == SslEvent.Kind.FAILURE) monitoring.count(e.failure().failure().name());
 * });
 * }</pre>
 *
 * <p>Called on the thread that drove the connection to the event, synchronously: keep it short. An exception it
 * throws is dropped, so a broken logger cannot break a connection. No listener (the default) costs nothing.
 */
public interface SslListener {
    void onEvent(SslEvent event);
}
