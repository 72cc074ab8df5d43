package org.microssl.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A server context's TLS 1.2 session-ID cache (RFC 5246 section 7.3), for clients that resume by session ID rather
 * than by ticket: the same state a ticket seals ({@link ServerResumption}), held in memory under the ID, the least
 * recently used dropped first beyond {@code capacity}. Entries hold master secrets: they are zeroed when dropped.
 * Expired entries are refused (and dropped) when looked up.
 */
public final class SessionStore {
    private final int capacity;
    private final LinkedHashMap<String, byte[]> entries;

    public SessionStore(final int capacity) {
        this.capacity = capacity;
        this.entries = new LinkedHashMap<String, byte[]>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
                if (size() <= SessionStore.this.capacity) return false;
                java.util.Arrays.fill(eldest.getValue(), (byte) 0);
                return true;
            }
        };
    }

    synchronized void put(byte[] sessionId, byte[] state) {
        entries.put(key(sessionId), state.clone());
    }

    /** A copy of the state stored under {@code sessionId}, or null. */
    synchronized byte[] get(byte[] sessionId) {
        byte[] state = entries.get(key(sessionId));
        return state == null ? null : state.clone();
    }

    synchronized void remove(byte[] sessionId) {
        byte[] state = entries.remove(key(sessionId));
        if (state != null) java.util.Arrays.fill(state, (byte) 0);
    }

    public synchronized int size() {
        return entries.size();
    }

    private static String key(byte[] id) {
        return org.bouncycastle.util.encoders.Hex.toHexString(id);
    }

    @Override
    public String toString() {
        return "SessionStore[" + size() + " of " + capacity + "]";
    }
}
