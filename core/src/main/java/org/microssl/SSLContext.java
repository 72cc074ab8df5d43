package org.microssl;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.security.SecureRandom;
import java.util.List;

import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.tls.crypto.TlsCrypto;
import org.microssl.internal.CipherSuites;
import org.microssl.internal.Drbg;
import org.microssl.internal.Identity;
import org.microssl.internal.Keys;
import org.microssl.internal.Settings;
import org.microssl.internal.SoftwareKeySigner;
import org.microssl.spi.Clock;
import org.microssl.spi.CryptoBackend;
import org.microssl.spi.EntropySource;
import org.microssl.spi.KeySigner;
import org.microssl.spi.Transport;
import org.microssl.x509.PathValidator;

/**
 * MicroPython's {@code ssl.SSLContext} (CPython's, reduced): the configuration connections are made from.
 *
 * <p>A {@link Ssl#PROTOCOL_TLS_CLIENT} context verifies the server by default ({@link Ssl#CERT_REQUIRED}, with
 * hostname checking against {@code serverHostname}); a {@link Ssl#PROTOCOL_TLS_SERVER} context asks for no client
 * certificate by default ({@link Ssl#CERT_NONE}). Setters affect connections wrapped afterwards.
 */
public final class SSLContext {
    private final Settings settings = new Settings();

    // Built on first use and kept: one DRBG, one TlsCrypto and one validator per context.
    private SecureRandom random;
    private TlsCrypto crypto;
    private PathValidator validator;

    /** @param protocol {@link Ssl#PROTOCOL_TLS_CLIENT} or {@link Ssl#PROTOCOL_TLS_SERVER} */
    public SSLContext(int protocol) {
        if (protocol != Ssl.PROTOCOL_TLS_CLIENT && protocol != Ssl.PROTOCOL_TLS_SERVER) {
            throw new IllegalArgumentException("protocol must be PROTOCOL_TLS_CLIENT or PROTOCOL_TLS_SERVER");
        }
        settings.server = protocol == Ssl.PROTOCOL_TLS_SERVER;
        settings.verifyMode = settings.server ? Ssl.CERT_NONE : Ssl.CERT_REQUIRED;
        settings.clock = Clocks.system();
        settings.backend = Backends.lightweight();
    }

    // ------------------------------------------------------------------------------------------ identity

    /**
     * Loads our certificate chain and private key from files (PEM or DER).
     *
     * @param certfile the certificate, leaf first, optionally followed by its intermediates
     * @param keyfile the private key (PKCS#8, SEC1 or PKCS#1); null to read it from {@code certfile}
     */
    public synchronized void loadCertChain(String certfile, String keyfile) {
        if (certfile == null) throw new IllegalArgumentException("invalid cert: a key without a certificate");
        byte[] cert = readFile(certfile, "invalid cert: ");
        byte[] key = keyfile == null ? cert : readFile(keyfile, "invalid key: ");
        loadCertChain(cert, key);
    }

    /**
     * Loads our certificate chain and private key from memory (PEM or DER; MicroPython passes the data itself).
     * Keys: ECDSA P-256/P-384, RSA of 2048 bits or more, Ed25519.
     *
     * @throws IllegalArgumentException "invalid cert: ..." / "invalid key: ..." naming what could not be parsed,
     *     or a key that does not match the certificate
     */
    public synchronized void loadCertChain(byte[] cert, byte[] key) {
        if (cert == null) throw new IllegalArgumentException("invalid cert: a key without a certificate");
        if (key == null) throw new IllegalArgumentException("invalid key: a certificate without its key");
        List<byte[]> chain = Keys.parseCertificates(cert, "cert");
        AsymmetricKeyParameter privateKey = Keys.parsePrivateKey(key);
        Keys.checkKeyMatches(privateKey, Keys.certificatePublicKey(chain.get(0)));
        settings.identity = new Identity(chain, new SoftwareKeySigner(privateKey, new SoftwareKeySigner.RandomSource() {
            @Override
            public SecureRandom random() {
                return SSLContext.this.random();
            }
        }));
    }

    /**
     * Loads our certificate chain with a private key that stays outside the heap (secure element, TPM): microssl
     * asks {@code signer} for each handshake signature and never sees the key.
     */
    public synchronized void loadCertChain(byte[] cert, KeySigner signer) {
        if (cert == null) throw new IllegalArgumentException("invalid cert: a key without a certificate");
        if (signer == null) throw new IllegalArgumentException("invalid key: signer is null");
        settings.identity = new Identity(Keys.parseCertificates(cert, "cert"), signer);
    }

    // ------------------------------------------------------------------------------------------ trust

    /**
     * Adds trust anchors (CA certificates); repeated calls add more.
     *
     * @param cafile a file of PEM or DER certificates, or null
     * @param cadata PEM text or DER certificates concatenated, or null
     * @throws IllegalArgumentException "invalid cert: ..." if any certificate cannot be parsed (nothing is added)
     */
    public synchronized void loadVerifyLocations(String cafile, byte[] cadata) {
        if (cafile == null && cadata == null) throw new IllegalArgumentException("cafile and cadata are both null");
        List<byte[]> fromFile = cafile == null ? null
                : Keys.parseCertificates(readFile(cafile, "invalid cert: "), "cafile");
        List<byte[]> fromData = cadata == null ? null : Keys.parseCertificates(cadata, "cadata");
        if (fromFile != null) settings.trustAnchors.addAll(fromFile);
        if (fromData != null) settings.trustAnchors.addAll(fromData);
        validator = null;
    }

    /** {@code loadVerifyLocations(null, cadata)}. */
    public void loadVerifyLocations(byte[] cadata) {
        loadVerifyLocations(null, cadata);
    }

    // ------------------------------------------------------------------------------------------ options

    /** The cipher suites offered (client) or accepted (server), IANA names, in preference order. */
    public synchronized String[] getCiphers() {
        return CipherSuites.toNames(settings.cipherSuites);
    }

    /**
     * @param names IANA names, e.g. "TLS_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"
     * @throws IllegalArgumentException for an unknown or unsupported name
     */
    public synchronized void setCiphers(String... names) {
        settings.cipherSuites = CipherSuites.fromNames(names);
    }

    public synchronized int getVerifyMode() {
        return settings.verifyMode;
    }

    /**
     * {@link Ssl#CERT_REQUIRED}: the peer must present a certificate that validates (and, for a client, names
     * {@code serverHostname}, which is then mandatory). {@link Ssl#CERT_OPTIONAL}: a server asks for a client
     * certificate and validates it if one is sent; a client validates the server's chain, and checks its name only
     * if {@code serverHostname} is given. Under both, a certificate that fails validation fails the handshake
     * (MicroPython's mbedTLS build carries on after a failed optional verification; microssl fails closed), and
     * the time comes from {@link #setClock}: an unset clock fails with {@code CLOCK_NOT_SET}.
     * {@link Ssl#CERT_NONE}: <b>no validation at all</b> — any peer, including an attacker in the middle, is
     * accepted, and {@link SSLSocket#getpeercert()} is empty.
     */
    public synchronized void setVerifyMode(int mode) {
        if (mode != Ssl.CERT_NONE && mode != Ssl.CERT_OPTIONAL && mode != Ssl.CERT_REQUIRED) {
            throw new IllegalArgumentException("verify mode must be CERT_NONE, CERT_OPTIONAL or CERT_REQUIRED");
        }
        settings.verifyMode = mode;
    }

    /** @param version {@link Ssl#TLSv1_2} or {@link Ssl#TLSv1_3} */
    public synchronized void setMinimumVersion(int version) {
        checkVersion(version);
        settings.minVersion = version;
    }

    public synchronized int getMinimumVersion() {
        return settings.minVersion;
    }

    /** @param version {@link Ssl#TLSv1_2} or {@link Ssl#TLSv1_3} */
    public synchronized void setMaximumVersion(int version) {
        checkVersion(version);
        settings.maxVersion = version;
    }

    public synchronized int getMaximumVersion() {
        return settings.maxVersion;
    }

    /** The clock certificate dates are checked against; default {@link Clocks#system()}. */
    public synchronized void setClock(Clock clock) {
        if (clock == null) throw new IllegalArgumentException("clock is null");
        settings.clock = clock;
        validator = null;
    }

    public synchronized Clock getClock() {
        return settings.clock;
    }

    /**
     * The device's TRNG; it seeds microssl's NIST SP 800-90A HMAC_DRBG. Default: the platform's
     * {@link SecureRandom}. A failing source fails the handshake with {@link SslException.Failure#ENTROPY_FAILURE}.
     */
    public synchronized void setEntropySource(EntropySource source) {
        if (source == null) throw new IllegalArgumentException("entropy source is null");
        settings.entropy = source;
        random = null;
        crypto = null;
    }

    /** The crypto implementation, one of {@link Backends} or a port's own; default {@link Backends#lightweight()}. */
    public synchronized void setCryptoBackend(CryptoBackend backend) {
        if (backend == null) throw new IllegalArgumentException("crypto backend is null");
        settings.backend = backend;
        crypto = null;
        validator = null;
    }

    public synchronized CryptoBackend getCryptoBackend() {
        return settings.backend;
    }

    /**
     * RFC 6066 max_fragment_length: a client offers it, a server honours a client's offer on its own. Smaller
     * records mean smaller buffers on both ends (not every server supports it).
     *
     * @param length 512, 1024, 2048 or 4096; 0 to offer none
     */
    public synchronized void setMaxFragmentLength(int length) {
        if (length != 0 && length != 512 && length != 1024 && length != 2048 && length != 4096) {
            throw new IllegalArgumentException("max fragment length must be 512, 1024, 2048 or 4096 (or 0)");
        }
        settings.maxFragmentLength = length;
    }

    public synchronized int getMaxFragmentLength() {
        return settings.maxFragmentLength;
    }

    /**
     * The whole handshake's deadline, counted from its first step (not per read): a peer that is silent, or
     * dribbles its messages a byte at a time, fails with {@link SslException.Failure#HANDSHAKE_TIMEOUT} when it
     * passes, and is sent user_canceled and close_notify. A {@link Socket} gets socket timeouts for the time left
     * (its own {@code SO_TIMEOUT} is restored after the handshake); a non-blocking transport fails on the first
     * call after the deadline, so its poll loop should wake at least that often. Default 10 seconds.
     *
     * @param millis at least 1
     */
    public synchronized void setHandshakeTimeout(long millis) {
        if (millis <= 0) throw new IllegalArgumentException("handshake timeout must be at least 1 ms");
        settings.handshakeTimeoutMillis = millis;
    }

    public synchronized long getHandshakeTimeout() {
        return settings.handshakeTimeoutMillis;
    }

    /**
     * The largest handshake message accepted from the peer, checked on its 4-byte header before any of it is
     * buffered; a larger one fails with {@link SslException.Failure#LIMIT_EXCEEDED} and a decode_error alert.
     * Defaults: 16,384 bytes for a client; 66,048 for a server (a ClientHello with a full extensions block).
     * A Certificate message is bounded by {@link #setMaxCertificateChain} as well.
     */
    public synchronized void setMaxHandshakeMessageSize(int bytes) {
        if (bytes < 1024 || bytes > (1 << 24) - 1) {
            throw new IllegalArgumentException("max handshake message size must be between 1024 and 2^24 - 1");
        }
        settings.maxHandshakeMessage = bytes;
    }

    public synchronized int getMaxHandshakeMessageSize() {
        return settings.handshakeMessageLimit();
    }

    /**
     * The most certificate data (the DER encodings together) and the most certificates the peer may send in its
     * Certificate message; more fails with {@link SslException.Failure#LIMIT_EXCEEDED} and a bad_certificate
     * alert. Defaults: 16,384 bytes and 10 certificates.
     */
    public synchronized void setMaxCertificateChain(int bytes, int count) {
        if (bytes < 512) throw new IllegalArgumentException("max certificate chain bytes must be at least 512");
        if (count < 1) throw new IllegalArgumentException("max certificate count must be at least 1");
        settings.maxChainBytes = bytes;
        settings.maxChainCertificates = count;
    }

    public synchronized int getMaxCertificateChainBytes() {
        return settings.maxChainBytes;
    }

    public synchronized int getMaxCertificateChainCount() {
        return settings.maxChainCertificates;
    }

    // ------------------------------------------------------------------------------------------ wrapping

    /** {@code wrapSocket(sock, false, true, serverHostname)} for a client context, server side for a server one. */
    public SSLSocket wrapSocket(Socket sock, String serverHostname) throws IOException {
        return wrapSocket(sock, settings.server, true, serverHostname);
    }

    public SSLSocket wrapSocket(Transport transport, String serverHostname) throws IOException {
        return wrapSocket(transport, settings.server, true, serverHostname);
    }

    /** MicroPython's {@code SSLContext.wrap_socket} over a connected {@link Socket}. */
    public SSLSocket wrapSocket(Socket sock, boolean serverSide, boolean doHandshakeOnConnect, String serverHostname)
            throws IOException {
        if (sock == null) throw new IllegalArgumentException("sock is null");
        checkBeforeIo(serverSide, serverHostname);
        return wrapSocket(new StreamTransport(sock), serverSide, doHandshakeOnConnect, serverHostname);
    }

    /**
     * MicroPython's {@code SSLContext.wrap_socket} over any {@link Transport}.
     *
     * @param serverSide must match the context's protocol
     * @param doHandshakeOnConnect true: handshake now (blocking transports); false: in the first read/write
     * @param serverHostname client: the name sent as SNI and checked against the certificate (required with
     *     CERT_REQUIRED); server: ignored
     * @throws IllegalArgumentException before any I/O, for a configuration that cannot work (e.g. a client with
     *     CERT_REQUIRED and no serverHostname, MicroPython's ValueError)
     */
    public SSLSocket wrapSocket(Transport transport, boolean serverSide, boolean doHandshakeOnConnect,
            String serverHostname) throws IOException {
        if (transport == null) throw new IllegalArgumentException("transport is null");
        checkBeforeIo(serverSide, serverHostname);
        Settings snapshot;
        TlsCrypto connectionCrypto;
        PathValidator connectionValidator;
        synchronized (this) {
            snapshot = settings.copy();
            try {
                connectionCrypto = crypto();
            } catch (Drbg.EntropyFailure e) {
                throw new SslException(SslException.Failure.ENTROPY_FAILURE, e.getMessage(), e.getCause());
            }
            connectionValidator = validator();
        }
        Engine engine = new Engine(snapshot, transport, connectionCrypto, connectionValidator,
                serverSide ? null : serverHostname);
        SSLSocket socket = new SSLSocket(engine);
        if (doHandshakeOnConnect) socket.doHandshake();
        return socket;
    }

    private synchronized void checkBeforeIo(boolean serverSide, String serverHostname) {
        if (serverSide != settings.server) {
            throw new IllegalArgumentException(settings.server
                    ? "a PROTOCOL_TLS_SERVER context wraps server-side sockets only"
                    : "a PROTOCOL_TLS_CLIENT context wraps client-side sockets only");
        }
        if (!serverSide && settings.verifyMode == Ssl.CERT_REQUIRED && (serverHostname == null
                || serverHostname.isEmpty())) {
            throw new IllegalArgumentException("CERT_REQUIRED requires serverHostname");
        }
        if (serverSide && settings.identity == null) {
            throw new IllegalArgumentException("a server needs a certificate and key: call loadCertChain first");
        }
        String problem = settings.configurationProblem();
        if (problem != null) throw new IllegalArgumentException(problem);
        if (serverHostname != null) {
            for (int i = 0; i < serverHostname.length(); i++) {
                char c = serverHostname.charAt(i);
                if (c <= 0x20 || c >= 0x7f) {
                    throw new IllegalArgumentException("serverHostname must be ASCII (use the A-label of an IDN)");
                }
            }
        }
    }

    private SecureRandom random() {
        synchronized (this) {
            if (random == null) {
                EntropySource source = settings.entropy != null ? settings.entropy : Drbg.platformEntropy();
                random = Drbg.create(source);
            }
            return random;
        }
    }

    private TlsCrypto crypto() {
        if (crypto == null) crypto = settings.backend.createTlsCrypto(random());
        return crypto;
    }

    private PathValidator validator() {
        if (settings.verifyMode == Ssl.CERT_NONE || settings.trustAnchors.isEmpty()) return null;
        if (validator == null) {
            validator = new PathValidator(settings.trustAnchors, settings.backend.signatureVerifier(),
                    settings.clock);
        }
        return validator;
    }

    private static void checkVersion(int version) {
        if (version != Ssl.TLSv1_2 && version != Ssl.TLSv1_3) {
            throw new IllegalArgumentException("version must be TLSv1_2 (0x0303) or TLSv1_3 (0x0304)");
        }
    }

    private static byte[] readFile(String path, String errorPrefix) {
        File f = new File(path);
        try (InputStream in = new FileInputStream(f)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.max(0, Math.min(f.length(), 1 << 20)));
            byte[] buf = new byte[4096];
            int n;
            while ((n = in.read(buf)) > 0) out.write(buf, 0, n);
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalArgumentException(errorPrefix + "cannot read file " + path + ": " + e.getMessage());
        }
    }
}
