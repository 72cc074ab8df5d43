package org.microssl;

import java.io.IOException;
import java.net.Socket;

import org.microssl.spi.Transport;

/**
 * MicroPython's {@code ssl} module: its constants and its module-level {@code wrap_socket}.
 *
 * <table>
 *   <caption>MicroPython to Java</caption>
 *   <tr><td>{@code ssl.wrap_socket(sock, ...)}</td><td>{@link #wrapSocket}</td></tr>
 *   <tr><td>{@code ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)}</td><td>{@code new SSLContext(Ssl.PROTOCOL_TLS_CLIENT)}</td></tr>
 *   <tr><td>{@code ssl.CERT_NONE / CERT_OPTIONAL / CERT_REQUIRED}</td><td>{@link #CERT_NONE} ...</td></tr>
 *   <tr><td>{@code ssl.SSLError} / {@code ValueError}</td><td>{@link SslException} / {@link IllegalArgumentException}</td></tr>
 * </table>
 */
public final class Ssl {
    public static final int PROTOCOL_TLS_CLIENT = 16; // CPython's values
    public static final int PROTOCOL_TLS_SERVER = 17;
    /** DTLS 1.2 over a datagram transport (MicroPython's {@code tls.PROTOCOL_DTLS_CLIENT}); CPython has none. */
    public static final int PROTOCOL_DTLS_CLIENT = 18;
    public static final int PROTOCOL_DTLS_SERVER = 19;

    /** No certificate validation: <b>insecure</b>, any peer (an attacker in the middle too) is accepted. */
    public static final int CERT_NONE = 0;
    /**
     * Server: asks for a client certificate, accepts a client without one, and validates one that is sent (a bad
     * one fails the handshake). Client: validates the server's certificate, and its name only when
     * {@code serverHostname} is given. Unlike MicroPython's mbedTLS build, which carries on after a failed
     * verification, a certificate that is sent and fails validation always fails the handshake (fail closed).
     */
    public static final int CERT_OPTIONAL = 1;
    /**
     * The peer must present a certificate that validates; a client also needs {@code serverHostname}, which the
     * certificate must name (checked before any I/O).
     */
    public static final int CERT_REQUIRED = 2;

    /** Protocol versions, as they appear on the wire. */
    public static final int TLSv1_2 = 0x0303;
    public static final int TLSv1_3 = 0x0304;

    /** RFC 6066 max_fragment_length values, for {@link SSLContext#setMaxFragmentLength}. */
    public static final int MFL_512 = 512;
    public static final int MFL_1024 = 1024;
    public static final int MFL_2048 = 2048;
    public static final int MFL_4096 = 4096;

    private Ssl() {}

    /**
     * MicroPython's {@code ssl.wrap_socket}.
     *
     * <p><b>INSECURE DEFAULT.</b> Like MicroPython, {@code certReqs} defaults to {@link #CERT_NONE} in the short
     * overloads, for compatibility only: the server's certificate is then <b>not validated</b> and an attacker in
     * the middle is accepted. Pass {@link #CERT_REQUIRED}, {@code cadata} and {@code serverHostname}, or use an
     * {@link SSLContext} (a client context verifies by default).
     *
     * <p>A literal port compiles: {@code Ssl.wrapSocket(sock, false, null, null, Ssl.CERT_REQUIRED, cadata, "host",
     * true)}. Key and certificate are data, as in MicroPython; for files, use
     * {@link SSLContext#loadCertChain(String, String)}.
     *
     * @param key our private key (PEM or DER) or null
     * @param cert our certificate chain (PEM or DER) or null; required with a key
     * @param cadata trusted CA certificates (PEM or concatenated DER) or null
     * @param serverHostname client: SNI and the name the certificate must carry; required with CERT_REQUIRED
     * @param doHandshake false: the handshake happens inside the first read/write (non-blocking use)
     */
    public static SSLSocket wrapSocket(Transport sock, boolean serverSide, byte[] key, byte[] cert, int certReqs,
            byte[] cadata, String serverHostname, boolean doHandshake) throws IOException {
        return context(serverSide, key, cert, certReqs, cadata)
                .wrapSocket(sock, serverSide, doHandshake, serverHostname);
    }

    /** As {@link #wrapSocket(Transport, boolean, byte[], byte[], int, byte[], String, boolean)}, over a Socket. */
    public static SSLSocket wrapSocket(Socket sock, boolean serverSide, byte[] key, byte[] cert, int certReqs,
            byte[] cadata, String serverHostname, boolean doHandshake) throws IOException {
        return context(serverSide, key, cert, certReqs, cadata)
                .wrapSocket(sock, serverSide, doHandshake, serverHostname);
    }

    /** <b>Insecure</b> (CERT_NONE, see the full form): a client connection that validates nothing. */
    public static SSLSocket wrapSocket(Socket sock) throws IOException {
        return wrapSocket(sock, false, null, null, CERT_NONE, null, null, true);
    }

    /** <b>Insecure</b> (CERT_NONE, see the full form): sends SNI but validates nothing. */
    public static SSLSocket wrapSocket(Socket sock, String serverHostname) throws IOException {
        return wrapSocket(sock, false, null, null, CERT_NONE, null, serverHostname, true);
    }

    /** <b>Insecure</b> (CERT_NONE, see the full form): a client connection that validates nothing. */
    public static SSLSocket wrapSocket(Transport sock) throws IOException {
        return wrapSocket(sock, false, null, null, CERT_NONE, null, null, true);
    }

    /** <b>Insecure</b> (CERT_NONE, see the full form): sends SNI but validates nothing. */
    public static SSLSocket wrapSocket(Transport sock, String serverHostname) throws IOException {
        return wrapSocket(sock, false, null, null, CERT_NONE, null, serverHostname, true);
    }

    private static SSLContext context(boolean serverSide, byte[] key, byte[] cert, int certReqs, byte[] cadata) {
        SSLContext ctx = new SSLContext(serverSide ? PROTOCOL_TLS_SERVER : PROTOCOL_TLS_CLIENT);
        if (key != null || cert != null) ctx.loadCertChain(cert, key);
        if (cadata != null) ctx.loadVerifyLocations(null, cadata);
        ctx.setVerifyMode(certReqs);
        return ctx;
    }
}
