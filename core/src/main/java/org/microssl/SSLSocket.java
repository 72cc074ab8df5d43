package org.microssl;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.microssl.internal.CipherSuites;
import org.microssl.internal.PeerCertificates;

/**
 * A TLS connection: MicroPython's wrapped socket ({@code SSLSocket}), made by {@link SSLContext#wrapSocket} or
 * {@link Ssl#wrapSocket}.
 *
 * <p>On a blocking transport (a {@link java.net.Socket}) every call completes. On a non-blocking
 * {@link org.microssl.spi.Transport} (one whose read/write return 0 when not ready) {@code read}, {@code readinto},
 * {@code readline} and {@code write} return {@code null} (MicroPython's {@code None}) when they cannot progress;
 * {@link #wantsRead()} / {@link #wantsWrite()} then say which way to poll. With
 * {@code doHandshakeOnConnect=false} the handshake advances inside those calls.
 *
 * <p>Errors are {@link SslException}s, a rejected peer certificate included
 * ({@link SslException.Failure#CERTIFICATE_REJECTED}). The first one sticks: every later call rethrows it. One reader thread and one writer thread
 * may use a connection at the same time.
 */
public final class SSLSocket implements Closeable {
    private static final byte[] EMPTY = new byte[0];

    private final Engine engine;
    private final ByteArrayOutputStream partialLine = new ByteArrayOutputStream();
    private InputStream in;
    private OutputStream out;

    SSLSocket(Engine engine) {
        this.engine = engine;
    }

    /**
     * Completes the handshake (MicroPython does it in {@code wrap_socket} unless {@code do_handshake=False}).
     *
     * @return true when complete; false only on a non-blocking transport that would block
     */
    public boolean doHandshake() throws IOException {
        return engine.handshake();
    }

    /**
     * Reads up to {@code n} bytes.
     *
     * @return the bytes (at least one), an empty array at the end of the stream (the peer's close_notify), or
     *     null if a non-blocking transport would block
     */
    public byte[] read(int n) throws IOException {
        if (n < 0) throw new IllegalArgumentException("n < 0");
        byte[] buf = new byte[n];
        int got = engine.read(buf, 0, n);
        if (got == Engine.WOULD_BLOCK) return null;
        if (got == Engine.EOF || got == 0) return EMPTY;
        if (got == n) return buf;
        byte[] out = new byte[got];
        System.arraycopy(buf, 0, out, 0, got);
        return out;
    }

    /** Reads into {@code buf}. @return bytes read, 0 at the end of the stream, null if it would block */
    public Integer readinto(byte[] buf) throws IOException {
        return readinto(buf, buf.length);
    }

    /** Reads up to {@code nbytes} into the start of {@code buf}. @return as {@link #readinto(byte[])} */
    public Integer readinto(byte[] buf, int nbytes) throws IOException {
        if (nbytes < 0 || nbytes > buf.length) throw new IllegalArgumentException("nbytes out of range");
        int got = engine.read(buf, 0, nbytes);
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
            int got = engine.read(one, 0, 1);
            if (got == Engine.WOULD_BLOCK) return null;
            if (got == Engine.EOF) break;
            partialLine.write(one[0]);
            if (one[0] == '\n') break;
        }
        byte[] line = partialLine.toByteArray();
        partialLine.reset();
        return line;
    }

    /** Writes {@code buf}. @return bytes written (all, on a blocking transport), or null if it would block */
    public Integer write(byte[] buf) throws IOException {
        return write(buf, 0, buf.length);
    }

    public Integer write(byte[] buf, int off, int len) throws IOException {
        if (off < 0 || len < 0 || off + len > buf.length) throw new IndexOutOfBoundsException();
        int n = engine.write(buf, off, len);
        return n == Engine.WOULD_BLOCK ? null : n;
    }

    /** Sends close_notify and closes the transport. Idempotent. */
    @Override
    public void close() throws IOException {
        engine.close();
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

    /** The SNI name: the one sent (client) or received (server); null if none. */
    public String serverHostname() {
        return engine.serverName();
    }

    /** The negotiated max_fragment_length (RFC 6066) in bytes, or 0 if none. */
    public int maxFragmentLength() {
        return engine.maxFragmentLength();
    }

    /** Size of each of the connection's two transfer buffers, in bytes: for tests, not API. */
    int transferBufferSize() {
        return engine.transferBufferSize();
    }

    /**
     * A blocking stream over {@link #read}: read() returns -1 at the end of the stream. On a non-blocking
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
                        int n = engine.read(b, off, len);
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
                        int n = engine.write(b, off, len);
                        if (n == Engine.WOULD_BLOCK) {
                            pause();
                            continue;
                        }
                        off += n;
                        len -= n;
                    }
                    // Push out what a partial transport write left behind.
                    while (engine.wantsWrite()) {
                        if (engine.write(b, off, 0) == Engine.WOULD_BLOCK) pause();
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

    private static void pause() throws InterruptedIOException {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the transport");
        }
    }
}
