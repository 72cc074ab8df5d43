package org.microssl;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.microssl.internal.CipherSuites;
import org.microssl.internal.PeerCertificates;
import org.microssl.x509.CertificateRejectedException;
import org.microssl.x509.PathValidator;
import org.microssl.x509.Purpose;

/**
 * A TLS connection: MicroPython's wrapped socket ({@code SSLSocket}), made by {@link SSLContext#wrapSocket} or
 * {@link Ssl#wrapSocket}.
 *
 * <p><b>Reads, as MicroPython's streams.</b> {@link #read(int)} and {@link #readinto(byte[])} wait until they have
 * all the bytes asked for, the end of the stream, or (on a non-blocking transport) nothing more is ready, as
 * MicroPython's {@code mp_stream_rw} does: {@code hdr = s.read(4)} gets 4 bytes unless the stream ends first.
 * {@link #read()} reads to the end of the stream. For CPython's "up to n, as soon as some arrive" there are
 * {@link #recv(int)} and {@link #recvInto(byte[])}, which return after one read of the transport's data.
 *
 * <p>On a blocking transport (a {@link java.net.Socket}) every call completes. On a non-blocking
 * {@link org.microssl.spi.Transport} (one whose read/write return 0 when not ready) {@code read}, {@code readinto},
 * {@code recv}, {@code readline} and {@code write} return {@code null} (MicroPython's {@code None}) when they cannot
 * progress at all, and what they have when they have some; {@link #wantsRead()} / {@link #wantsWrite()} then say
 * which way to poll. With {@code doHandshakeOnConnect=false} the handshake advances inside those calls.
 *
 * <p><b>Timeouts.</b> Over a {@link java.net.Socket}, the handshake has its own deadline,
 * {@link SSLContext#setHandshakeTimeout} (default 10 s, the whole handshake: a peer that is silent or dribbles fails
 * with {@link SslException.Failure#HANDSHAKE_TIMEOUT}). After it the socket's own {@code setSoTimeout} applies, as in
 * CPython: each wait for the peer's data is bounded by it, and when it passes a read throws
 * {@link java.net.SocketTimeoutException} with the connection intact (read again to keep waiting), or, if some
 * bytes had arrived, returns them (a short read). {@code SO_TIMEOUT} 0 (Java's default) waits for ever. Writes
 * block while the peer does not read; a socket timeout does not bound them (Java's does not either).
 *
 * <p>Errors are {@link SslException}s, a rejected peer certificate included
 * ({@link SslException.Failure#CERTIFICATE_REJECTED}). The first one sticks: every later call rethrows it. A
 * peer that ends the TCP connection without close_notify is {@link SslException.Failure#TRUNCATED}, unless
 * {@link SSLContext#setSuppressRaggedEofs} says to read it as end of stream. One reader thread and one writer
 * thread may use a connection at the same time.
 */
public final class SSLSocket implements Closeable {
    private static final byte[] EMPTY = new byte[0];

    private final Engine engine;
    /** The context's listener feed for this connection; null when none is set (nothing is spent then). */
    private final Diagnostics diagnostics;
    private final boolean suppressRaggedEofs;
    private final PathValidator validator;
    private final String expectedName;
    /** Whether we have a certificate to present (for the hint when a server demands one). */
    private final boolean hasIdentity;
    private final ByteArrayOutputStream partialLine = new ByteArrayOutputStream();
    /** A ragged end was read as end of stream (suppressRaggedEofs): every later read is end of stream. */
    private volatile boolean raggedEof;
    private volatile List<byte[]> validatedPath;
    private InputStream in;
    private OutputStream out;

    SSLSocket(Engine engine, Diagnostics diagnostics, boolean suppressRaggedEofs, PathValidator validator,
            String expectedName, boolean hasIdentity) {
        this.engine = engine;
        this.hasIdentity = hasIdentity;
        this.diagnostics = diagnostics;
        this.suppressRaggedEofs = suppressRaggedEofs;
        this.validator = validator;
        this.expectedName = expectedName;
    }

    /**
     * Completes the handshake (MicroPython does it in {@code wrap_socket} unless {@code do_handshake=False}).
     *
     * @return true when complete; false only on a non-blocking transport that would block
     */
    public boolean doHandshake() throws IOException {
        boolean done;
        try {
            done = engine.handshake();
        } catch (SslException e) {
            throw reported(e);
        }
        if (done && diagnostics != null) diagnostics.handshakeCompleted(this, engine.resumed());
        return done;
    }

    /**
     * MicroPython's {@code read(n)}: waits for {@code n} bytes.
     *
     * @return {@code n} bytes; fewer only at the end of the stream, when the socket's timeout passed or the
     *     connection failed after some arrived (the next call throws), or when a non-blocking transport has nothing
     *     more ready; an empty array at the end of the stream
     *     (the peer's close_notify); null if a non-blocking transport has nothing ready at all
     */
    public byte[] read(int n) throws IOException {
        if (n < 0) throw new IllegalArgumentException("n < 0");
        byte[] buf = new byte[n];
        return trimmed(buf, fill(buf, 0, n));
    }

    /**
     * MicroPython's {@code read()}: everything up to the end of the stream (the peer's close_notify).
     *
     * @return the bytes (empty if the stream had already ended); on a non-blocking transport what is ready now,
     *     or null if nothing is; if the connection fails (or a socket timeout passes) after some bytes, those
     *     bytes, and the next call throws
     */
    public byte[] read() throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] chunk = new byte[4096];
        while (true) {
            int got;
            try {
                got = readOnce(chunk, 0, chunk.length);
            } catch (IOException e) {
                if (all.size() > 0) return all.toByteArray(); // as read(n): the failure comes with the next call
                throw e;
            }
            if (got == Engine.WOULD_BLOCK) return all.size() == 0 ? null : all.toByteArray();
            if (got == Engine.EOF) return all.toByteArray();
            all.write(chunk, 0, got);
        }
    }

    /**
     * MicroPython's {@code readinto(buf)}: fills {@code buf}.
     *
     * @return bytes read: {@code buf.length}, or fewer as {@link #read(int)}; 0 at the end of the stream; null if
     *     a non-blocking transport has nothing ready
     */
    public Integer readinto(byte[] buf) throws IOException {
        return readinto(buf, buf.length);
    }

    /** Reads {@code nbytes} into the start of {@code buf}. @return as {@link #readinto(byte[])} */
    public Integer readinto(byte[] buf, int nbytes) throws IOException {
        if (nbytes < 0 || nbytes > buf.length) throw new IllegalArgumentException("nbytes out of range");
        int got = fill(buf, 0, nbytes);
        if (got == Engine.WOULD_BLOCK) return null;
        return got == Engine.EOF ? 0 : got;
    }

    /**
     * CPython's {@code recv(n)}: up to {@code n} bytes, as soon as some are there (one read of the transport).
     *
     * @return the bytes (at least one if {@code n > 0}), an empty array at the end of the stream, or null if a
     *     non-blocking transport would block
     */
    public byte[] recv(int n) throws IOException {
        if (n < 0) throw new IllegalArgumentException("n < 0");
        byte[] buf = new byte[n];
        return trimmed(buf, n == 0 ? 0 : readOnce(buf, 0, n));
    }

    /** CPython's {@code recv_into(buf)}: as {@link #recv(int)}, into {@code buf}. @return as {@link #readinto(byte[])} */
    public Integer recvInto(byte[] buf) throws IOException {
        return recvInto(buf, buf.length);
    }

    /** As {@link #recvInto(byte[])}, at most {@code nbytes}, into the start of {@code buf}. */
    public Integer recvInto(byte[] buf, int nbytes) throws IOException {
        if (nbytes < 0 || nbytes > buf.length) throw new IllegalArgumentException("nbytes out of range");
        if (nbytes == 0) return 0;
        int got = readOnce(buf, 0, nbytes);
        if (got == Engine.WOULD_BLOCK) return null;
        return got == Engine.EOF ? 0 : got;
    }

    /**
     * Reads up to and including the next {@code '\n'}.
     *
     * @return the line, the rest before the end of the stream (empty at its very end), or null if a non-blocking
     *     transport would block (what was read so far is kept for the next call)
     */
    public byte[] readline() throws IOException {
        byte[] one = new byte[1];
        while (true) {
            int got = readOnce(one, 0, 1);
            if (got == Engine.WOULD_BLOCK) return null;
            if (got == Engine.EOF) break;
            partialLine.write(one[0]);
            if (one[0] == '\n') break;
        }
        byte[] line = partialLine.toByteArray();
        partialLine.reset();
        return line;
    }

    private static byte[] trimmed(byte[] buf, int got) {
        if (got == Engine.WOULD_BLOCK) return null;
        if (got == Engine.EOF || got == 0) return EMPTY;
        if (got == buf.length) return buf;
        byte[] out = new byte[got];
        System.arraycopy(buf, 0, out, 0, got);
        return out;
    }

    /**
     * MicroPython's stream loop ({@code mp_stream_rw}): reads until {@code len} bytes, the end of the stream, or
     * a non-blocking transport with nothing more ready. A socket timeout or a failure after some bytes returns
     * them (MicroPython would drop them); the failure is thrown by the next call.
     *
     * @return bytes read, or {@link Engine#EOF} / {@link Engine#WOULD_BLOCK} if none
     */
    private int fill(byte[] b, int off, int len) throws IOException {
        int done = 0;
        while (done < len) {
            int n;
            try {
                n = readOnce(b, off + done, len - done);
            } catch (IOException e) {
                // Keep what arrived: after a socket timeout the next read waits again; after a failure the next
                // call throws it (it sticks).
                if (done > 0) return done;
                throw e;
            }
            if (n == Engine.WOULD_BLOCK) return done > 0 ? done : Engine.WOULD_BLOCK;
            if (n == Engine.EOF) return done > 0 ? done : Engine.EOF;
            done += n;
        }
        return done;
    }

    /** One read of the engine: bytes, {@link Engine#EOF} or {@link Engine#WOULD_BLOCK}. */
    int readOnce(byte[] b, int off, int len) throws IOException {
        if (raggedEof) return Engine.EOF;
        int n;
        try {
            n = engine.read(b, off, len);
        } catch (SslException e) {
            if (suppressRaggedEofs && isRaggedEof(e)) {
                raggedEof = true;
                return Engine.EOF;
            }
            throw reported(e);
        }
        if (diagnostics != null) {
            if (!diagnostics.handshakeReported() && engine.isHandshakeComplete()) {
                diagnostics.handshakeCompleted(this, engine.resumed());
            }
            if (n == Engine.EOF) diagnostics.closeNotifyReceived();
        }
        return n;
    }

    /**
     * A transport EOF without close_notify between records of an established connection: what
     * suppress_ragged_eofs reads as end of stream. Mid-record or mid-handshake it stays a truncation.
     */
    private boolean isRaggedEof(SslException e) {
        return e.failure() == SslException.Failure.TRUNCATED && engine.isHandshakeComplete()
                && !String.valueOf(e.getMessage()).contains("in the middle of a record");
    }

    /**
     * Reports the connection's failure to the listener (once) and returns it for the caller to throw, with what to
     * do about it where the connection can tell.
     */
    private SslException reported(SslException e) {
        // TLS 1.3 names it (certificate_required); a TLS 1.2 server says handshake_failure after its request
        if (!hasIdentity && !engine.isServer() && e.failure() == SslException.Failure.ALERT_RECEIVED
                && (e.alert() == CERTIFICATE_REQUIRED
                        || e.alert() == HANDSHAKE_FAILURE && engine.certificateRequested())) {
            e.hint("the server requires a client certificate and none is loaded: call loadCertChain or loadPkcs12 "
                    + "first (CLI: --cert and --key, or --p12)");
        }
        if (diagnostics != null) diagnostics.failed(e);
        return e;
    }

    /** RFC 8446 section 4.4.2.4 / 6.2: a TLS 1.3 server that requires a client certificate and got none. */
    private static final int CERTIFICATE_REQUIRED = 116;
    private static final int HANDSHAKE_FAILURE = 40;

    /** Writes {@code buf}. @return bytes written (all, on a blocking transport), or null if it would block */
    public Integer write(byte[] buf) throws IOException {
        return write(buf, 0, buf.length);
    }

    public Integer write(byte[] buf, int off, int len) throws IOException {
        if (off < 0 || len < 0 || off + len > buf.length) throw new IndexOutOfBoundsException();
        int n;
        try {
            n = engine.write(buf, off, len);
        } catch (SslException e) {
            throw reported(e);
        }
        if (diagnostics != null && !diagnostics.handshakeReported() && engine.isHandshakeComplete()) {
            diagnostics.handshakeCompleted(this, engine.resumed());
        }
        return n == Engine.WOULD_BLOCK ? null : n;
    }

    /** Sends close_notify and closes the transport. Idempotent. */
    @Override
    public void close() throws IOException {
        boolean healthy = engine.isHandshakeComplete();
        engine.close();
        if (diagnostics != null && healthy) diagnostics.closeNotifySent();
    }

    /** True if the connection waits to send: poll the transport for writability. */
    public boolean wantsWrite() {
        return engine.wantsWrite();
    }

    /** True if the last call returned null waiting for the peer: poll the transport for readability. */
    public boolean wantsRead() {
        return engine.wantsRead();
    }

    /**
     * CPython's {@code getpeercert}.
     *
     * @param binaryForm true: the peer's certificate as DER ({@code byte[]}); false: its decoded form as a
     *     {@code Map<String, Object>} (see {@link PeerCertificates}), which is empty when the certificate was not
     *     validated (CERT_NONE)
     * @return null if the handshake is not complete or the peer sent no certificate
     */
    public Object getpeercert(boolean binaryForm) {
        if (!engine.isHandshakeComplete()) return null;
        List<byte[]> chain = engine.peerChain();
        if (chain.isEmpty()) return null;
        if (binaryForm) return chain.get(0).clone();
        if (!engine.peerValidated()) return Collections.<String, Object>emptyMap();
        return PeerCertificates.decode(chain.get(0));
    }

    /**
     * The peer's certificate chain as validated: the peer's certificate first, then each issuer up to and including
     * the trust anchor, DER (copies). Under {@link Ssl#CERT_NONE}, or for a peer certificate that was not validated,
     * the chain as the peer sent it.
     *
     * @return null if the handshake is not complete or the peer sent no certificate
     */
    public List<byte[]> getPeerCertChain() {
        if (!engine.isHandshakeComplete()) return null;
        List<byte[]> sent = engine.peerChain();
        if (sent.isEmpty()) return null;
        List<byte[]> chain = sent;
        if (engine.peerValidated() && validator != null) {
            List<byte[]> path = validatedPath;
            if (path == null) {
                // The engine validated this chain but keeps only what was sent: ask the validator for the path
                // again (its signature cache makes this cheap). Not kept by the
                // engine: the path's certificates would stay reachable from every idle connection.
                try {
                    path = validator.verify(sent, engine.isServer() ? Purpose.CLIENT_AUTH : Purpose.SERVER_AUTH,
                            expectedName);
                } catch (CertificateRejectedException e) {
                    path = sent; // the clock moved past a date since the handshake: what was sent, then
                }
                validatedPath = path;
            }
            chain = path;
        }
        List<byte[]> copies = new ArrayList<byte[]>(chain.size());
        for (byte[] der : chain) copies.add(der.clone());
        return copies;
    }

    /** The peer certificate's subject (RFC 4514), or null if it sent none. */
    String peerSubject() {
        List<byte[]> sent = engine.peerChain();
        if (sent.isEmpty()) return null;
        try {
            return org.bouncycastle.asn1.x509.Certificate.getInstance(sent.get(0)).getSubject().toString();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** {@code getpeercert(false)}, typed. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> getpeercert() {
        return (Map<String, Object>) getpeercert(false);
    }

    /**
     * CPython's {@code cipher()}: {name, protocol version, secret bits}, e.g.
     * {@code {"TLS_AES_128_GCM_SHA256", "TLSv1.3", "128"}}; null before the handshake completed.
     */
    public String[] cipher() {
        int suite = engine.cipherSuite();
        if (suite < 0) return null;
        return new String[] {CipherSuites.name(suite), engine.protocolVersion(),
            String.valueOf(CipherSuites.secretBits(suite))};
    }

    /** "TLSv1.3" or "TLSv1.2"; null before the handshake completed. */
    public String version() {
        return engine.protocolVersion();
    }

    // ------------------------------------------------------------------------------------------ sessions (issue 11)

    /**
     * CPython's {@code session}: what a later connection to the same host can resume from
     * ({@link SSLContext#setSession}, {@link SSLContext#wrapSocket(java.net.Socket, String, Session)}), or null if
     * the server gave nothing resumable, the handshake is not complete, or this is a server. Keep it across deep
     * sleep with {@link Session#toBytes()}. In TLS 1.3 the server's ticket arrives after the handshake, with its
     * first records: ask after reading from the server.
     */
    public Session session() {
        if (engine.isServer() || !engine.isHandshakeComplete()) return null;
        org.microssl.internal.ResumableSession s = engine.resumableSession();
        return s == null ? null : new Session(s);
    }

    /** CPython's {@code session_reused}: whether this handshake resumed a session (no certificate, no signature). */
    public boolean sessionReused() {
        return engine.isHandshakeComplete() && engine.resumed();
    }

    /**
     * Why a session was not resumed: a client's session that was not offered (another host, past its lifetime,
     * clock not set, ...) or that the server declined; a server's ticket that it refused (tampered, retired key,
     * expired, another server name). Null when resumed or when no session was involved. Never a secret.
     */
    public String sessionNotReusedReason() {
        return engine.isHandshakeComplete() ? engine.sessionNotReused() : null;
    }

    /** The SNI name: the one sent (client) or received (server); null if none. */
    public String serverHostname() {
        return engine.serverName();
    }

    /**
     * CPython's {@code selected_alpn_protocol()}: the protocol ALPN chose (RFC 7301), e.g. "mqtt"; null if none
     * was negotiated (none offered, the server ignores ALPN) or before the handshake completed.
     */
    public String selectedAlpnProtocol() {
        return engine.applicationProtocol();
    }

    /** The negotiated max_fragment_length (RFC 6066) in bytes, or 0 if none. */
    public int maxFragmentLength() {
        return engine.maxFragmentLength();
    }

    /** The engine under this socket (an {@link SSLObject} shares it). */
    Engine engine() {
        return engine;
    }

    /** Size of each of the connection's two transfer buffers, in bytes: for tests, not API. */
    int transferBufferSize() {
        return engine.transferBufferSize();
    }

    /**
     * A blocking stream over {@link #recv}: {@code read(b, off, len)} returns what is there (at least one byte),
     * as Java streams do; read() returns -1 at the end of the stream. On a non-blocking
     * transport it polls (sleeping 1 ms between attempts); prefer {@link #readinto} there.
     */
    public synchronized InputStream getInputStream() {
        if (in == null) {
            in = new InputStream() {
                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    int n = read(one, 0, 1);
                    return n < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (off < 0 || len < 0 || off + len > b.length) throw new IndexOutOfBoundsException();
                    if (len == 0) return 0;
                    while (true) {
                        int n = readOnce(b, off, len);
                        if (n == Engine.EOF) return -1;
                        if (n != Engine.WOULD_BLOCK) return n;
                        pause();
                    }
                }

                /** Decrypted bytes ready now (what BouncyCastle has already decrypted). */
                @Override
                public int available() {
                    return engine.available();
                }

                @Override
                public void close() throws IOException {
                    SSLSocket.this.close();
                }
            };
        }
        return in;
    }

    /** A blocking stream over {@link #write}. On a non-blocking transport it polls, as the input stream does. */
    public synchronized OutputStream getOutputStream() {
        if (out == null) {
            out = new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    if (off < 0 || len < 0 || off + len > b.length) throw new IndexOutOfBoundsException();
                    while (len > 0) {
                        int n = writeOnce(b, off, len);
                        if (n == Engine.WOULD_BLOCK) {
                            pause();
                            continue;
                        }
                        off += n;
                        len -= n;
                    }
                    // Push out what a partial transport write left behind.
                    while (engine.wantsWrite()) {
                        if (writeOnce(b, off, 0) == Engine.WOULD_BLOCK) pause();
                    }
                }

                @Override
                public void close() throws IOException {
                    SSLSocket.this.close();
                }
            };
        }
        return out;
    }

    int writeOnce(byte[] b, int off, int len) throws IOException {
        try {
            return engine.write(b, off, len);
        } catch (SslException e) {
            throw reported(e);
        }
    }

    private static void pause() throws InterruptedIOException {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the transport");
        }
    }
}
