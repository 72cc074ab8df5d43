package org.microssl.internal;

/** Told of each alert a connection sends or receives (see {@link Settings#alertObserver}). */
public interface AlertObserver {
    /**
     * @param sent true for an alert we sent, false for one the peer sent
     * @param level 1 warning, 2 fatal (RFC 5246 section 7.2; TLS 1.3 alerts other than close_notify and
     *     user_canceled are fatal whatever they say)
     * @param description the AlertDescription
     */
    void alert(boolean sent, int level, int description);
}
