package org.microssl;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

/**
 * CPython's {@code ssl.SSLObject}, made by {@link SSLContext#wrapBio}: TLS over two {@link MemoryBIO}s instead of
 * a socket, for callers that move the bytes themselves (an NIO selector loop, Netty, a modem driver that hands
 * over byte arrays). Feed what the network delivers into the incoming BIO, call {@link #doHandshake()},
 * {@link #read} or {@link #write}, then send what the outgoing BIO holds.
 *
 * <p>It runs on the same engine as {@link SSLSocket} (one state machine): the same validator, the same failures,
 * the same handshake deadline, and the first fatal error sticks. Where CPython raises {@code SSLWantReadError},
 * this returns {@code null} (or false) and {@link #wantsRead()} is true: feed the incoming BIO and call again.
 * The outgoing BIO takes everything, so no call ever waits to write; check {@link MemoryBIO#pending()} of the
 * outgoing BIO after every call (a handshake flight, an alert or a KeyUpdate answer may be there).
 *
 * <p>The {@link ByteBuffer} overloads decrypt into, and encrypt from, a heap buffer's own array, with no copy
 * in between; a direct buffer goes through a temporary array (BouncyCastle works on arrays).
 */
public final class SSLObject {
    private final SSLSocket socket;
    private final Engine engine;
    private final MemoryBIO incoming;
    private final MemoryBIO outgoing;

    SSLObject(SSLSocket socket, MemoryBIO incoming, MemoryBIO outgoing) {
        this.socket = socket;
        this.engine = socket.engine();
        this.incoming = incoming;
        this.outgoing = outgoing;
    }

    /**
     * Advances the handshake with what the incoming BIO holds.
     *
     * @return true when complete; false if it needs more from the peer ({@link #wantsRead()}): send what the
     *     outgoing BIO holds, feed the answer, call again
     */
    public boolean doHandshake() throws IOException {
        return socket.doHandshake();
    }

    /**
     * CPython's {@code read(n)}: up to {@code n} decrypted bytes, driving the handshake first if needed.
     *
     * @return the bytes (at least one if {@code n > 0}), an empty array at the end of the stream (the peer's
     *     close_notify), or null if more input is needed
     */
    public byte[] read(int n) throws IOException {
        return socket.recv(n);
    }

    /** As {@link #read(int)}, into {@code b[off, off+len)}. @return bytes read, 0 at the end of the stream, null if more input is needed */
    public Integer read(byte[] b, int off, int len) throws IOException {
        if (off < 0 || len < 0 || off + len > b.length) throw new IndexOutOfBoundsException();
        if (len == 0) return 0;
        return result(socket.readOnce(b, off, len));
    }

    /**
     * Decrypts into {@code dst} (its position advances): a heap buffer's array is written directly.
     *
     * @return bytes read, 0 at the end of the stream (or if {@code dst} is full), null if more input is needed
     */
    public Integer read(ByteBuffer dst) throws IOException {
        int len = dst.remaining();
        if (len == 0) return 0;
        if (dst.hasArray()) {
            int n = socket.readOnce(dst.array(), dst.arrayOffset() + dst.position(), len);
            if (n > 0) dst.position(dst.position() + n);
            return result(n);
        }
        int ready = engine.available();
        byte[] chunk = new byte[Math.min(len, ready > 0 ? ready : 4096)];
        int n = socket.readOnce(chunk, 0, chunk.length);
        if (n > 0) dst.put(chunk, 0, n);
        return result(n);
    }

    /**
     * Encrypts {@code data} into the outgoing BIO, driving the handshake first if needed.
     *
     * @return bytes taken (all of them once the handshake is complete), or null if the handshake needs input
     */
    public Integer write(byte[] data) throws IOException {
        return write(data, 0, data.length);
    }

    public Integer write(byte[] b, int off, int len) throws IOException {
        if (off < 0 || len < 0 || off + len > b.length) throw new IndexOutOfBoundsException();
        int done = 0;
        while (true) {
            int n = socket.writeOnce(b, off + done, len - done);
            if (n == Engine.WOULD_BLOCK) return done > 0 ? done : null;
            done += n;
            if (done >= len) return done;
        }
    }

    /**
     * Encrypts what {@code src} has remaining (its position advances by what was taken): a heap buffer's array is
     * read directly.
     *
     * @return bytes taken, or null if the handshake needs input
     */
    public Integer write(ByteBuffer src) throws IOException {
        if (src.hasArray()) {
            Integer n = write(src.array(), src.arrayOffset() + src.position(), src.remaining());
            if (n != null) src.position(src.position() + n);
            return n;
        }
        int done = 0;
        byte[] chunk = new byte[Math.min(src.remaining(), 1 << 14)];
        while (src.hasRemaining()) {
            int len = Math.min(chunk.length, src.remaining());
            src.get(chunk, 0, len);
            Integer n = write(chunk, 0, len);
            int took = n == null ? 0 : n;
            src.position(src.position() - (len - took)); // give back what was not taken
            if (n == null) return done > 0 ? done : null;
            done += took;
            if (took < len) break;
        }
        return done;
    }

    /**
     * CPython's {@code unwrap()}: queues close_notify in the outgoing BIO (RFC 8446 section 6.1) and ends the TLS
     * session; send the outgoing BIO's bytes afterwards. Unlike CPython it does not wait for the peer's
     * close_notify: the connection is closed for reads and writes after it.
     *
     * @return true if the peer's close_notify had already arrived
     */
    public boolean unwrap() throws IOException {
        boolean peerClosed = engine.peerClosed();
        socket.close();
        return peerClosed;
    }

    /** CPython's {@code pending()}: decrypted bytes that {@link #read} returns without more input. */
    public int pending() {
        return engine.available();
    }

    /** Whether the last call that returned null (or false) needs more bytes in the incoming BIO. */
    public boolean wantsRead() {
        return engine.wantsRead();
    }

    public boolean isHandshakeComplete() {
        return engine.isHandshakeComplete();
    }

    /** CPython's {@code server_side}. */
    public boolean serverSide() {
        return engine.isServer();
    }

    /** CPython's {@code server_hostname}: the SNI name sent (client) or received (server); null if none. */
    public String serverHostname() {
        return socket.serverHostname();
    }

    /** As {@link SSLSocket#getpeercert(boolean)}. */
    public Object getpeercert(boolean binaryForm) {
        return socket.getpeercert(binaryForm);
    }

    /** As {@link SSLSocket#getpeercert()}. */
    public Map<String, Object> getpeercert() {
        return socket.getpeercert();
    }

    /** As {@link SSLSocket#getPeerCertChain()}. */
    public List<byte[]> getPeerCertChain() {
        return socket.getPeerCertChain();
    }

    /** As {@link SSLSocket#cipher()}: {name, version, secret bits}; null before the handshake completed. */
    public String[] cipher() {
        return socket.cipher();
    }

    /** "TLSv1.3" or "TLSv1.2"; null before the handshake completed. */
    public String version() {
        return socket.version();
    }

    /** CPython's {@code selected_alpn_protocol()}: the ALPN protocol agreed (RFC 7301), or null if none. */
    public String selectedAlpnProtocol() {
        return engine.applicationProtocol();
    }

    /**
     * CPython's {@code SSLObject.session}: as {@link SSLSocket#session()}, what a later connection to the same host
     * can resume from ({@link SSLContext#setSession}), or null (a server, no resumable session, or the handshake not
     * complete). In TLS 1.3 the server's ticket arrives with its first records after the handshake.
     */
    public Session session() {
        if (engine.isServer() || !engine.isHandshakeComplete()) return null;
        org.microssl.internal.ResumableSession s = engine.resumableSession();
        return s == null ? null : new Session(s);
    }

    /** CPython's {@code session_reused}: whether this handshake resumed a session. */
    public boolean sessionReused() {
        return engine.isHandshakeComplete() && engine.resumed();
    }

    /** The incoming BIO (the network's bytes go in here). */
    public MemoryBIO incoming() {
        return incoming;
    }

    /** The outgoing BIO (records to send come out here). */
    public MemoryBIO outgoing() {
        return outgoing;
    }

    private static Integer result(int n) {
        if (n == Engine.WOULD_BLOCK) return null;
        return n == Engine.EOF ? 0 : n;
    }
}
