package org.microssl.bench;

/**
 * One client and one server in this thread over in-memory buffers. Every implementation is driven the way an
 * efficient single-threaded application would drive it, and the wire buffers belong to the harness.
 */
public interface Pair {
    /** Runs the full handshake. */
    void handshake() throws Exception;

    /** Client writes {@code len} bytes; returns how many the server then read. */
    int clientToServer(byte[] data, int len, byte[] sink) throws Exception;

    /** Server writes {@code len} bytes; returns how many the client then read. */
    int serverToClient(byte[] data, int len, byte[] sink) throws Exception;

    /** The objects a real application keeps per connection (for retained-heap measurement). */
    Object[] connectionState();

    /**
     * Each end reads once and finds nothing, as an event loop does before it waits for the peer (a no-op where a
     * read changes nothing a connection holds).
     */
    default void pollBoth(byte[] sink) throws Exception {
    }

    /** Lets go of harness-owned buffers so that only connection state stays reachable. */
    void dropHarnessBuffers();
}
