package org.microssl;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.NoSuchFileException;
import java.security.SecureRandom;
import java.util.List;

import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.tls.crypto.TlsCrypto;
import org.microssl.internal.Alpn;
import org.microssl.internal.CipherSuites;
import org.microssl.internal.Drbg;
import org.microssl.internal.Identity;
import org.microssl.internal.KeyLogLines;
import org.microssl.internal.Keys;
import org.microssl.internal.Pkcs12;
import org.microssl.internal.PskConfig;
import org.microssl.internal.Settings;
import org.microssl.internal.SoftwareKeySigner;
import org.microssl.internal.SystemTrust;
import org.microssl.spi.Clock;
import org.microssl.spi.CryptoBackend;
import org.microssl.spi.DatagramTransport;
import org.microssl.spi.EntropySource;
import org.microssl.spi.KeySigner;
import org.microssl.spi.TrustAnchorSource;
import org.microssl.spi.Transport;
import org.microssl.x509.PathValidator;
import org.microssl.x509.TrustAnchors;

/**
 * MicroPython's {@code ssl.SSLContext} (CPython's, reduced): the configuration connections are made from.
 *
 * <p>A {@link Ssl#PROTOCOL_TLS_CLIENT} context verifies the server by default ({@link Ssl#CERT_REQUIRED}, with
 * hostname checking against {@code serverHostname}); a {@link Ssl#PROTOCOL_TLS_SERVER} context asks for no client
 * certificate by default ({@link Ssl#CERT_NONE}). Setters affect connections wrapped afterwards.
 *
 * <p>{@link #createDefault()} is CPython's {@code ssl.create_default_context()}: a client context that trusts the
 * platform's CA certificates.
 *
 * <p><b>Thread safety:</b> a context may be shared by any number of threads. Its methods are synchronized; each
 * {@code wrapSocket} takes a snapshot of the configuration, so a setter called while other threads wrap sockets
 * affects only connections wrapped after it returns, never one already made. The context's random generator,
 * crypto objects and validator (with its small cache of verified signatures) are shared by its connections and
 * are safe for concurrent use.
 *
 * <p><b>Files:</b> methods that take a path throw {@link UncheckedIOException} when the file cannot be read (its
 * message names the path; its cause is the {@link IOException}, e.g. {@link java.nio.file.NoSuchFileException}),
 * and {@link IllegalArgumentException} ("invalid cert: ...", "invalid key: ...") when its content is wrong.
 */
public final class SSLContext {
    private final Settings.Builder settings = new Settings.Builder();
    private String defaultTrustSource; // where loadDefaultCerts found its anchors
    private KeyLog keyLogSet;
    private SslListener listener;
    /** Server: session tickets on (the default) or off, and the key ring that seals them (made on first use). */
    private boolean sessionTickets = true;
    private org.microssl.internal.TicketSealer ticketSealer;
    /** Server: TLS 1.2 session-ID cache size (0: none) and the cache (made on first use). */
    private int sessionCacheSize = 64;
    private org.microssl.internal.SessionStore sessionStore;
    private byte[] pskIdentity; // setPskIdentity, until setPskKey completes it
    private byte[] pskKey; // setPskKey, until setPskIdentity completes it (a secret)

    // Built on first use and kept: one DRBG, one TlsCrypto and one validator per context.
    private SecureRandom random;
    private TlsCrypto crypto;
    private PathValidator validator;

    /** @param protocol {@link Ssl#PROTOCOL_TLS_CLIENT} or {@link Ssl#PROTOCOL_TLS_SERVER} */
    public SSLContext(int protocol) {
        if (protocol != Ssl.PROTOCOL_TLS_CLIENT && protocol != Ssl.PROTOCOL_TLS_SERVER
                && protocol != Ssl.PROTOCOL_DTLS_CLIENT && protocol != Ssl.PROTOCOL_DTLS_SERVER) {
            throw new IllegalArgumentException("protocol must be PROTOCOL_TLS_CLIENT, PROTOCOL_TLS_SERVER,"
                    + " PROTOCOL_DTLS_CLIENT or PROTOCOL_DTLS_SERVER");
        }
        settings.datagram = protocol == Ssl.PROTOCOL_DTLS_CLIENT || protocol == Ssl.PROTOCOL_DTLS_SERVER;
        if (settings.datagram) settings.cipherSuites = org.microssl.internal.DtlsSuites.defaults();
        settings.server = protocol == Ssl.PROTOCOL_TLS_SERVER || protocol == Ssl.PROTOCOL_DTLS_SERVER;
        settings.verifyMode = settings.server ? Ssl.CERT_NONE : Ssl.CERT_REQUIRED;
        settings.clock = Clocks.system();
        settings.backend = Backends.lightweight();
    }

    /**
     * CPython's {@code ssl.create_default_context()}: a client context with {@link Ssl#CERT_REQUIRED}, hostname
     * checking, and the platform's trust anchors ({@link #loadDefaultCerts()}).
     *
     * @throws UncheckedIOException if the platform's trust anchors cannot be found or read (the message says where
     *     it looked)
     */
    public static SSLContext createDefault() {
        SSLContext ctx = new SSLContext(Ssl.PROTOCOL_TLS_CLIENT);
        ctx.loadDefaultCerts();
        return ctx;
    }

    // ------------------------------------------------------------------------------------------ identity

    /**
     * Loads our certificate chain and private key from files (PEM or DER).
     *
     * @param certfile the certificate, leaf first, optionally followed by its intermediates
     * @param keyfile the private key (PKCS#8, SEC1 or PKCS#1); null to read it from {@code certfile}
     */
    public synchronized void loadCertChain(String certfile, String keyfile) {
        loadCertChain(certfile, keyfile, null);
    }

    /**
     * CPython's {@code load_cert_chain(certfile, keyfile, password)}: as {@link #loadCertChain(String, String)},
     * with the password of an encrypted key (PKCS#8 {@code ENCRYPTED PRIVATE KEY}: PBES2 with PBKDF2 or scrypt and
     * AES-CBC, as {@code openssl pkcs8 -topk8} or OpenSSL 3's {@code genpkey -aes256} write it).
     *
     * @param password the key's password, or null for a key that is not encrypted (ignored if it is not)
     * @throws IllegalArgumentException "invalid key: wrong password for the encrypted key" (the password is never
     *     part of a message), "invalid key: the key is encrypted ..." without one, or as {@link #loadCertChain(byte[], byte[])}
     * @throws UncheckedIOException if a file cannot be read (the message names it)
     */
    public synchronized void loadCertChain(String certfile, String keyfile, char[] password) {
        if (certfile == null) throw new IllegalArgumentException("invalid cert: a key without a certificate");
        byte[] cert = readFile(certfile, "certificate");
        byte[] key = keyfile == null ? cert : readFile(keyfile, "key");
        loadCertChain(cert, key, password);
    }

    /**
     * Loads our certificate chain and private key from memory (PEM or DER; MicroPython passes the data itself).
     * Keys: ECDSA P-256/P-384, RSA of 2048 bits or more, Ed25519.
     *
     * @throws IllegalArgumentException "invalid cert: ..." / "invalid key: ..." naming what could not be parsed,
     *     or a key that does not match the certificate
     */
    public synchronized void loadCertChain(byte[] cert, byte[] key) {
        loadCertChain(cert, key, null);
    }

    /**
     * As {@link #loadCertChain(byte[], byte[])}, with the password of an encrypted PKCS#8 key (see
     * {@link #loadCertChain(String, String, char[])}).
     */
    public synchronized void loadCertChain(byte[] cert, byte[] key, char[] password) {
        if (cert == null) throw new IllegalArgumentException("invalid cert: a key without a certificate");
        if (key == null) throw new IllegalArgumentException("invalid key: a certificate without its key");
        List<byte[]> chain = Keys.parseCertificates(cert, "cert");
        useIdentity(chain, Keys.parsePrivateKey(key, password));
    }

    /**
     * Loads our key and certificate chain from a PKCS#12 file ({@code .p12}, {@code .pfx}: what many CAs, cloud
     * consoles, Windows and {@code keytool} hand out). Its integrity MAC is checked with {@code password}; the key
     * and certificates may be encrypted with PBES2 (AES-CBC, PBKDF2) or the older PKCS#12 schemes (3DES, RC2).
     * The certificate matching the key comes first, then its issuers from the file (a self-signed root is not
     * sent).
     *
     * @throws IllegalArgumentException "invalid key: wrong password for the PKCS#12 file" (never echoing the
     *     password), or naming what else is wrong (not PKCS#12, no key, several keys, no certificate for the key)
     * @throws UncheckedIOException if the file cannot be read (the message names it)
     */
    public synchronized void loadPkcs12(String file, char[] password) {
        if (file == null) throw new IllegalArgumentException("invalid key: PKCS#12 file is null");
        loadPkcs12(readFile(file, "PKCS#12"), password);
    }

    /** As {@link #loadPkcs12(String, char[])}, from the file's bytes (DER, or base64 as some consoles give it). */
    public synchronized void loadPkcs12(byte[] data, char[] password) {
        if (data == null || data.length == 0) throw new IllegalArgumentException("invalid key: no PKCS#12 data");
        Pkcs12.Contents contents = Pkcs12.parse(data, password);
        useIdentity(contents.chain, contents.privateKey);
    }

    private void useIdentity(List<byte[]> chain, AsymmetricKeyParameter privateKey) {
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
                : Keys.parseCertificates(readFile(cafile, "cafile"), "cafile");
        List<byte[]> fromData = cadata == null ? null : Keys.parseCertificates(cadata, "cadata");
        if (fromFile != null) settings.trustAnchors.addAll(fromFile);
        if (fromData != null) settings.trustAnchors.addAll(fromData);
        validator = null;
    }

    /**
     * CPython's {@code load_default_certs()}: adds the platform's trust anchors. Those of a
     * {@link TrustAnchorSource} registered with {@link java.util.ServiceLoader} (a device's own), else the
     * operating system's: {@code $SSL_CERT_FILE} if set, else the distribution's PEM bundle
     * ({@code /etc/ssl/certs/ca-certificates.crt} on Debian and Ubuntu, and the paths Go and OpenSSL try on
     * others), else the JDK's {@code cacerts}. A bundle already read is kept (until its file changes), so another
     * context loads it without reading or parsing it again.
     *
     * @throws UncheckedIOException if no anchors can be found or read (the message says where it looked)
     */
    public synchronized void loadDefaultCerts() {
        TrustAnchorSource source = SystemTrust.platform();
        List<byte[]> anchors;
        try {
            anchors = source.trustAnchors();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the default trust anchors: " + e.getMessage(), e);
        }
        if (anchors == null || anchors.isEmpty()) {
            throw new UncheckedIOException(new IOException("the default trust anchors (" + source.describe()
                    + ") are empty"));
        }
        // The system bundle is parsed once, by the validator on the first connection (it names a certificate it
        // cannot parse); a registered source's anchors are checked now, as loadVerifyLocations checks its input.
        if (!(source instanceof SystemTrust)) Keys.checkCertificates(anchors, source.describe());
        settings.trustAnchors.addAll(anchors);
        defaultTrustSource = source.describe();
        validator = null;
    }

    /**
     * Where {@link #loadDefaultCerts()} found the anchors ("/etc/ssl/certs/ca-certificates.crt"), or null if it
     * was not called.
     */
    public synchronized String getDefaultCertsSource() {
        return defaultTrustSource;
    }

    /**
     * Adds certificate revocation lists (CPython: {@code load_verify_locations} with a CRL and
     * {@code VERIFY_CRL_CHECK_CHAIN}): every certificate of a peer's path whose issuer has a CRL here is checked
     * against it, and a revoked one fails the handshake with {@link org.microssl.x509.Reason#REVOKED}
     * (alert certificate_revoked). A CRL must be signed by its issuer and current: an expired one fails the paths
     * it covers ("load a fresh CRL"), it is never silently skipped. Without CRLs revocation is not checked.
     *
     * @param crls PEM ({@code X509 CRL} blocks) or DER CRLs, one or several
     * @throws IllegalArgumentException "invalid crl: ..." naming a CRL that cannot be parsed (nothing is added)
     */
    public synchronized void loadCrl(byte[] crls) {
        if (crls == null || crls.length == 0) throw new IllegalArgumentException("invalid crl: no CRL data");
        List<byte[]> parsed = Keys.parseCrls(crls);
        try {
            PathValidator.Options.defaults().revocationLists(parsed); // parses each, naming a bad one
        } catch (IllegalArgumentException e) {
            String m = String.valueOf(e.getMessage());
            throw new IllegalArgumentException(m.startsWith("invalid crl: ") ? m : "invalid crl: " + m, e);
        }
        settings.crls.addAll(parsed);
        validator = null;
    }

    /**
     * Adds compact trust anchors, as {@code java -jar microssl.jar ta bundle.pem > anchors.bin} writes them
     * ({@link org.microssl.x509.TrustAnchors}: subject, key and the facts the validator checks of an anchor; about
     * 40% of the DER). They verify what the certificates they came from verify. A validated path
     * ({@link SSLSocket#getPeerCertChain()}) then ends below the anchor, which has no certificate. Repeated calls
     * add more.
     *
     * @throws IllegalArgumentException "invalid anchors: ..." naming the first inconsistency (nothing is added)
     */
    public synchronized void loadTrustAnchors(byte[] anchors) {
        if (anchors == null) throw new IllegalArgumentException("invalid anchors: null");
        byte[] copy = anchors.clone();
        TrustAnchors.check(copy);
        settings.compactAnchors.add(copy);
        validator = null;
    }

    /** {@code loadVerifyLocations(null, cadata)}. */
    public void loadVerifyLocations(byte[] cadata) {
        loadVerifyLocations(null, cadata);
    }

    // ------------------------------------------------------------------------------------------ options

    /** The cipher suites offered (client) or accepted (server), IANA names, in preference order. */
    public synchronized String[] getCiphers() {
        if (settings.datagram) return org.microssl.internal.DtlsSuites.toNames(settings.cipherSuites);
        return CipherSuites.toNames(settings.cipherSuites);
    }

    /**
     * @param names IANA names, e.g. "TLS_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"
     * @throws IllegalArgumentException for an unknown or unsupported name
     */
    public synchronized void setCiphers(String... names) {
        if (settings.datagram) {
            settings.cipherSuites = org.microssl.internal.DtlsSuites.fromNames(names);
            return;
        }
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

    /**
     * Diagnostics for every connection wrapped afterwards: handshake completed, alerts sent and received, and each
     * failure with its reason, depth and peer address (see {@link SslListener}). Null (the default) turns them off
     * at no cost.
     */
    public synchronized void setListener(SslListener listener) {
        this.listener = listener;
    }

    public synchronized SslListener getListener() {
        return listener;
    }

    /**
     * <b>DANGEROUS: development only.</b> Hands each connection's secrets to {@code keyLog} as NSS key log lines
     * (the {@code SSLKEYLOGFILE} format), so that Wireshark can decrypt a capture: {@code KeyLog.appendingTo(path)}.
     * Anyone who reads them can decrypt those connections. Off (null) by default; never in production.
     */
    public synchronized void setDangerousKeyLog(final KeyLog keyLog) {
        settings.keyLog = keyLog == null ? null : new KeyLogLines.Sink() {
            @Override
            public void line(String line) {
                keyLog.log(line);
            }
        };
        keyLogSet = keyLog;
    }

    public synchronized KeyLog getDangerousKeyLog() {
        return keyLogSet;
    }

    /**
     * CPython's {@code suppress_ragged_eofs}: whether a peer that closes the TCP connection after the handshake
     * without sending close_notify ends the stream (reads return end of stream, as after a close_notify) instead of
     * failing with {@link SslException.Failure#TRUNCATED}. Default false (strict): without close_notify nothing
     * proves that the peer sent everything, and an attacker who can cut the connection can cut a response short
     * and have it read as complete (RFC 8446 section 6.1). Turn it on only for peers that never send close_notify
     * (MicroPython's mbedTLS port, many embedded servers) and for protocols that frame their own messages (HTTP
     * with Content-Length, MQTT). An end in the middle of a record, or during the handshake, is always TRUNCATED.
     */
    public synchronized void setSuppressRaggedEofs(boolean suppress) {
        settings.suppressRaggedEofs = suppress;
    }

    public synchronized boolean getSuppressRaggedEofs() {
        return settings.suppressRaggedEofs;
    }

    // ------------------------------------------------------------------------------------------ sessions (issue 11)

    /**
     * Client: the session every connection wrapped afterwards offers (CPython passes {@code session=} to
     * {@code wrap_socket}; see also {@link #wrapSocket(Socket, String, Session)}). It is offered only where
     * {@link Session} says it may be; otherwise, or if the server declines it, the handshake is a full one.
     *
     * @param session a session from {@link SSLSocket#session()} or {@link Session#fromBytes}, or null for none
     */
    public synchronized void setSession(Session session) {
        if (settings.server && session != null) throw new IllegalArgumentException("a server context offers no session");
        settings.offeredSession = session == null ? null : session.state;
    }

    /**
     * Server: whether to issue and accept session tickets (RFC 5077 in TLS 1.2; in TLS 1.3 the microssl-to-microssl
     * tickets described in {@link Session}). On by default. Tickets are sealed with AES-256-GCM under a key this
     * context makes and never stores: they survive key rotation once, and no restart. A server that verifies client
     * certificates seals the client's validated chain into its tickets: a resumed client is who it was
     * ({@code getpeercert}), and is refused resumption (a full handshake) once a certificate of it has expired.
     */
    public synchronized void setSessionTickets(boolean on) {
        sessionTickets = on;
    }

    public synchronized boolean getSessionTickets() {
        return sessionTickets;
    }

    /**
     * Server: how long a ticket may be used, from when it is issued, by the context's clock (also the key rotation
     * period). Default 24 hours; at most 7 days (RFC 8446 section 4.6.1).
     */
    public synchronized void setSessionTicketLifetime(long seconds) {
        if (seconds < 1 || seconds > 7L * 24 * 3600) {
            throw new IllegalArgumentException("ticket lifetime must be between 1 second and 7 days");
        }
        settings.ticketLifetimeSeconds = seconds;
        ticketSealer = null; // the rotation period follows the lifetime
    }

    public synchronized long getSessionTicketLifetime() {
        return settings.ticketLifetimeSeconds;
    }

    /**
     * Server: makes a new ticket key now. Tickets sealed under the key before the current one are refused from
     * then on (the client does a full handshake); those of the current one still resume until the next rotation.
     */
    public synchronized void rotateSessionTicketKey() {
        ticketSealer().rotate();
    }

    /**
     * Server: how many TLS 1.2 sessions to keep for clients that resume by session ID instead of by ticket
     * (those that do not send the session_ticket extension, e.g. {@code openssl s_client -no_ticket}); the least
     * recently used goes first. Each entry holds a master secret, about 150 bytes (more with a client chain).
     * Entries live as long as tickets ({@link #setSessionTicketLifetime}). Default 64; 0 turns the cache off.
     */
    public synchronized void setSessionCacheSize(int entries) {
        if (entries < 0 || entries > 1 << 20) throw new IllegalArgumentException("session cache size must be 0..2^20");
        sessionCacheSize = entries;
        sessionStore = null;
    }

    public synchronized int getSessionCacheSize() {
        return sessionCacheSize;
    }

    private org.microssl.internal.TicketSealer ticketSealer() {
        if (ticketSealer == null) {
            ticketSealer = new org.microssl.internal.TicketSealer(random(), settings.ticketLifetimeSeconds * 1000);
        }
        return ticketSealer;
    }

    /** {@link #wrapSocket(Socket, String)} offering {@code session} (a client context; null: none). */
    public SSLSocket wrapSocket(Socket sock, String serverHostname, Session session) throws IOException {
        if (sock == null) throw new IllegalArgumentException("sock is null");
        checkBeforeIo(false, serverHostname);
        return wrap(new ResetAwareTransport(new StreamTransport(sock)), false, true, serverHostname,
                address(sock.getInetAddress(), sock.getPort()), session);
    }

    /** {@link #wrapSocket(Transport, String)} offering {@code session} (a client context; null: none). */
    public SSLSocket wrapSocket(Transport transport, String serverHostname, Session session) throws IOException {
        if (transport == null) throw new IllegalArgumentException("transport is null");
        checkBeforeIo(false, serverHostname);
        return wrap(transport, false, true, serverHostname, null, session);
    }

    /**
     * CPython's {@code set_alpn_protocols}: the application protocols (RFC 7301), most preferred first, e.g.
     * {@code setAlpnProtocols("mqtt", "http/1.1")}. A client offers them; a server picks the first of its own
     * that the client offers, and refuses a client that offers ALPN with none of them (alert
     * no_application_protocol, {@link SslException.Failure#HANDSHAKE_FAILURE}). A client that offers none is
     * accepted. See {@link SSLSocket#selectedAlpnProtocol()}.
     *
     * @param protocols one or more names, each 1 to 255 bytes (UTF-8)
     * @throws IllegalArgumentException for an empty list, or a name that is empty or too long
     */
    public synchronized void setAlpnProtocols(String... protocols) {
        settings.alpnProtocols = Alpn.check(protocols);
    }

    /** The names given to {@link #setAlpnProtocols}, or null. */
    public synchronized String[] getAlpnProtocols() {
        return settings.alpnProtocols == null ? null : settings.alpnProtocols.clone();
    }

    // ------------------------------------------------------------------------------------------ pre-shared keys

    /**
     * MicroPython's {@code set_psk_identity}: the identity of the external pre-shared key set with
     * {@link #setPskKey}. A client offers it; a server accepts that identity only (use
     * {@link #setPskServerCallback} for several). TLS 1.3 uses it as an external PSK with an ephemeral key
     * exchange (psk_dhe_ke, RFC 8446 section 4.2.9); TLS 1.2 the ECDHE_PSK suites (ChaCha20-Poly1305 or AES-GCM).
     * Neither side needs a certificate: a server with a PSK and no {@link #loadCertChain} is a PSK-only server,
     * and a client with a PSK needs no {@code serverHostname}. A client with a PSK still offers certificate
     * handshakes, verified as usual, in case the server declines the PSK (TLS 1.3 allows it).
     *
     * @param identity UTF-8 encoded, 1 to 256 bytes
     */
    public synchronized void setPskIdentity(String identity) {
        if (identity == null) throw new IllegalArgumentException("PSK identity is null");
        setPskIdentity(identity.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** As {@link #setPskIdentity(String)}, with an identity that is not text (1 to 256 bytes). */
    public synchronized void setPskIdentity(byte[] identity) {
        pskIdentity = PskConfig.checkIdentity(identity).clone();
        useFixedPsk();
    }

    /**
     * MicroPython's {@code set_psk_key}: the secret key of {@link #setPskIdentity} (copied; 1 to 512 bytes,
     * and 32 random bytes is a good size). Never printed, logged or put into a message.
     */
    public synchronized void setPskKey(byte[] key) {
        pskKey = PskConfig.checkKey(key).clone();
        useFixedPsk();
    }

    private void useFixedPsk() {
        if (pskIdentity != null && pskKey != null) settings.psk = PskConfig.fixed(new PskConfig.Key(pskIdentity, pskKey));
    }

    /**
     * CPython 3.13's {@code set_psk_client_callback} (MicroPython's too): chooses the identity and key per
     * connection, given the server's identity hint. Replaces {@link #setPskIdentity}/{@link #setPskKey}; null
     * turns PSKs off.
     *
     * @throws IllegalStateException on a server context
     */
    public synchronized void setPskClientCallback(final PreSharedKey.ClientCallback callback) {
        if (settings.server) {
            throw new IllegalStateException("a server context has no PSK client callback: use setPskServerCallback");
        }
        pskIdentity = null;
        pskKey = null;
        settings.psk = callback == null ? null : PskConfig.client(new PskConfig.ClientKeys() {
            @Override
            public PskConfig.Key forHint(byte[] hint) {
                PreSharedKey psk = callback.credentials(hint == null ? null : utf8(hint));
                return psk == null ? null : psk.key;
            }
        });
    }

    /** {@code setPskServerCallback(callback, null)}: no identity hint. */
    public void setPskServerCallback(PreSharedKey.ServerCallback callback) {
        setPskServerCallback(callback, null);
    }

    /**
     * CPython 3.13's {@code set_psk_server_callback(callback, identity_hint)} (MicroPython's too): looks up the key
     * of each client's identity. An unknown identity is refused with the alert unknown_psk_identity, and the
     * server's {@link SslException} names it ({@link SslException.Failure#HANDSHAKE_FAILURE}); a server that also
     * has a certificate uses it instead in TLS 1.3 (RFC 8446 section 4.2.11). Replaces
     * {@link #setPskIdentity}/{@link #setPskKey}; null turns PSKs off.
     *
     * @param identityHint sent to TLS 1.2 clients (RFC 4279 section 2), or null for none; TLS 1.3 has no hint
     * @throws IllegalStateException on a client context
     */
    public synchronized void setPskServerCallback(final PreSharedKey.ServerCallback callback, String identityHint) {
        if (!settings.server) {
            throw new IllegalStateException("a client context has no PSK server callback: use setPskClientCallback");
        }
        pskIdentity = null;
        pskKey = null;
        settings.psk = callback == null ? null : PskConfig.server(new PskConfig.ServerKeys() {
            @Override
            public byte[] keyFor(byte[] identity) {
                return callback.key(utf8(identity));
            }
        }, identityHint == null ? null : identityHint.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
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
        return wrap(new ResetAwareTransport(new StreamTransport(sock)), serverSide, doHandshakeOnConnect,
                serverHostname, address(sock.getInetAddress(), sock.getPort()));
    }

    private static String address(InetAddress host, int port) {
        if (host == null) return null;
        String ip = host.getHostAddress();
        return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + port;
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
        return wrap(transport, serverSide, doHandshakeOnConnect, serverHostname, null);
    }

    /**
     * CPython's {@code SSLContext.wrap_bio}: a TLS connection over two memory buffers, for callers that move the
     * bytes themselves (NIO, Netty, a modem driver). Nothing happens until the first {@link SSLObject} call.
     *
     * @param incoming the network's bytes, as they arrive
     * @param outgoing the records to send
     * @param serverSide must match the context's protocol
     * @param serverHostname as in {@link #wrapSocket(Transport, boolean, boolean, String)}
     * @throws IllegalArgumentException before any I/O, for a configuration that cannot work
     */
    public SSLObject wrapBio(MemoryBIO incoming, MemoryBIO outgoing, boolean serverSide, String serverHostname)
            throws IOException {
        if (incoming == null || outgoing == null) throw new IllegalArgumentException("a MemoryBIO is null");
        if (incoming == outgoing) throw new IllegalArgumentException("incoming and outgoing are the same MemoryBIO");
        checkBeforeIo(serverSide, serverHostname);
        SSLSocket socket = wrap(new BioTransport(incoming, outgoing), serverSide, false, serverHostname, null);
        return new SSLObject(socket, incoming, outgoing);
    }

    private SSLSocket wrap(Transport transport, boolean serverSide, boolean doHandshakeOnConnect,
            String serverHostname, String peerAddress) throws IOException {
        return wrap(transport, serverSide, doHandshakeOnConnect, serverHostname, peerAddress, null);
    }

    private SSLSocket wrap(Transport transport, boolean serverSide, boolean doHandshakeOnConnect,
            String serverHostname, String peerAddress, Session session) throws IOException {
        Settings snapshot;
        TlsCrypto connectionCrypto;
        PathValidator connectionValidator;
        Diagnostics diagnostics;
        synchronized (this) {
            diagnostics = listener == null ? null : new Diagnostics(listener, peerAddress, serverSide);
            try {
                connectionCrypto = crypto();
            } catch (Drbg.EntropyFailure e) {
                throw new SslException(SslException.Failure.ENTROPY_FAILURE, e.getMessage(), e.getCause());
            }
            // issue 11: the context's ticket keys and session cache, shared by its server connections
            org.microssl.internal.TicketSealer sealer = serverSide && sessionTickets ? ticketSealer() : null;
            if (serverSide && sessionCacheSize > 0 && sessionStore == null) {
                sessionStore = new org.microssl.internal.SessionStore(sessionCacheSize);
            }
            snapshot = settings.build(diagnostics, session == null ? null : session.state, sealer,
                    serverSide && sessionCacheSize > 0 ? sessionStore : null);
            connectionValidator = validator();
        }
        Engine engine;
        try {
            engine = new Engine(snapshot, transport, connectionCrypto, connectionValidator,
                    serverSide ? null : serverHostname);
        } catch (SslException e) {
            if (diagnostics != null) diagnostics.failed(e);
            throw e;
        }
        SSLSocket socket = new SSLSocket(engine, diagnostics, snapshot.suppressRaggedEofs, connectionValidator,
                serverSide ? null : serverHostname, snapshot.identity != null);
        if (doHandshakeOnConnect) socket.doHandshake();
        return socket;
    }

    // ------------------------------------------------------------------------------------------ DTLS (issue 15)

    /** A DTLS client connection over {@code transport}: {@code wrapDatagram(transport, false, true, serverHostname, null)}. */
    public DtlsSocket wrapDatagram(DatagramTransport transport, String serverHostname) throws IOException {
        return wrapDatagram(transport, false, true, serverHostname, null);
    }

    /**
     * MicroPython's {@code wrap_socket} for a {@code PROTOCOL_DTLS_*} context: a DTLS 1.2 connection over a
     * datagram transport connected to one peer.
     *
     * <p>A server first runs the stateless cookie exchange (RFC 6347 section 4.2.1) bound to {@code clientId}:
     * ClientHellos without the right cookie are answered with a HelloVerifyRequest and forgotten, and nothing of
     * the handshake is kept until one returns the cookie. Datagrams that are not a ClientHello are dropped. To
     * serve many clients on one UDP socket, use {@link DtlsServer}.
     *
     * @param clientId server: the client's transport address (MicroPython's {@code client_id}), required;
     *     client: ignored
     * @param doHandshakeOnConnect true: handshake now; false: in the first read or write
     */
    public DtlsSocket wrapDatagram(DatagramTransport transport, boolean serverSide, boolean doHandshakeOnConnect,
            String serverHostname, byte[] clientId) throws IOException {
        if (transport == null) throw new IllegalArgumentException("transport is null");
        checkDtlsBeforeIo(serverSide, serverHostname);
        if (serverSide && (clientId == null || clientId.length == 0)) {
            throw new IllegalArgumentException("a DTLS server needs the client's address as clientId");
        }
        Object request = null;
        if (serverSide) request = awaitCookie(transport, clientId);
        DtlsSocket socket = dtlsSocket(transport, serverSide, serverHostname, request, clientId, null);
        if (doHandshakeOnConnect) socket.doHandshake();
        return socket;
    }

    /** Waits for a ClientHello with a valid cookie, within the handshake timeout. */
    private Object awaitCookie(DatagramTransport transport, byte[] clientId) throws IOException {
        org.microssl.internal.DtlsCookies cookies = dtlsCookies();
        byte[] buf = new byte[Math.max(transport.mtu(), 16384 + 269)];
        long deadline = System.nanoTime() + getHandshakeTimeout() * 1000000L;
        while (true) {
            long left = (deadline - System.nanoTime()) / 1000000L;
            if (left <= 0) {
                transport.close();
                throw new SslException(SslException.Failure.HANDSHAKE_TIMEOUT,
                        "no ClientHello with a valid cookie arrived within the handshake timeout");
            }
            int n = transport.receive(buf, 0, buf.length, (int) Math.min(Integer.MAX_VALUE, left));
            if (n <= 0) continue;
            Object request = cookies.verify(clientId, buf, 0, n, transport);
            if (request != null) return request;
        }
    }

    /** A DTLS socket, its handshake not yet run. */
    DtlsSocket dtlsSocket(DatagramTransport transport, boolean serverSide, String serverHostname, Object request,
            byte[] clientId, String peerAddress) throws IOException {
        Settings snapshot;
        TlsCrypto connectionCrypto;
        PathValidator connectionValidator;
        Diagnostics diagnostics;
        synchronized (this) {
            diagnostics = listener == null ? null : new Diagnostics(listener, peerAddress, serverSide);
            snapshot = settings.build(diagnostics);
            try {
                connectionCrypto = crypto();
            } catch (Drbg.EntropyFailure e) {
                throw new SslException(SslException.Failure.ENTROPY_FAILURE, e.getMessage(), e.getCause());
            }
            connectionValidator = validator();
        }
        org.microssl.internal.DtlsConnection connection = serverSide
                ? org.microssl.internal.DtlsConnection.server(snapshot, connectionCrypto, connectionValidator,
                        transport)
                : org.microssl.internal.DtlsConnection.client(snapshot, connectionCrypto, connectionValidator,
                        serverHostname, transport);
        return new DtlsSocket(connection, transport, diagnostics, serverSide ? null : serverHostname, request,
                clientId);
    }

    private org.microssl.internal.DtlsCookies dtlsCookies;

    /** One cookie key per context (RFC 6347 section 4.2.1 suggests changing it: a new context does). */
    synchronized org.microssl.internal.DtlsCookies dtlsCookies() {
        if (dtlsCookies == null) dtlsCookies = new org.microssl.internal.DtlsCookies(crypto());
        return dtlsCookies;
    }

    synchronized void checkDtlsBeforeIo(boolean serverSide, String serverHostname) {
        if (!settings.datagram) {
            throw new IllegalArgumentException("wrapDatagram needs a PROTOCOL_DTLS_CLIENT or PROTOCOL_DTLS_SERVER context");
        }
        if (serverSide != settings.server) {
            throw new IllegalArgumentException(settings.server
                    ? "a PROTOCOL_DTLS_SERVER context wraps server-side datagram transports only"
                    : "a PROTOCOL_DTLS_CLIENT context wraps client-side datagram transports only");
        }
        boolean psk = settings.psk != null;
        if (!serverSide && !psk && settings.verifyMode == Ssl.CERT_REQUIRED
                && (serverHostname == null || serverHostname.isEmpty())) {
            throw new IllegalArgumentException("CERT_REQUIRED requires serverHostname (or a pre-shared key)");
        }
        if (serverSide && settings.identity == null && !psk) {
            throw new IllegalArgumentException("a DTLS server needs a certificate and key (loadCertChain) or a"
                    + " pre-shared key (setPskIdentity and setPskKey, or setPskServerCallback)");
        }
        Settings.Builder probe = settings;
        boolean anySuite = false;
        for (int suite : probe.cipherSuites) {
            boolean isPsk = org.microssl.internal.DtlsSuites.isPsk(suite);
            anySuite |= isPsk ? psk : (!serverSide || settings.identity != null);
        }
        if (!anySuite) {
            throw new IllegalArgumentException(psk ? "no PSK cipher suite is enabled (setCiphers)"
                    : "no certificate cipher suite is enabled (setCiphers)");
        }
    }

    private synchronized void checkBeforeIo(boolean serverSide, String serverHostname) {
        if (settings.datagram) throw new IllegalArgumentException("a PROTOCOL_DTLS_* context: use wrapDatagram");
        if (serverSide != settings.server) {
            throw new IllegalArgumentException(settings.server
                    ? "a PROTOCOL_TLS_SERVER context wraps server-side sockets only"
                    : "a PROTOCOL_TLS_CLIENT context wraps client-side sockets only");
        }
        if ((pskIdentity == null) != (pskKey == null)) {
            throw new IllegalArgumentException(pskKey == null ? "setPskIdentity without setPskKey"
                    : "setPskKey without setPskIdentity");
        }
        if (!serverSide && settings.psk == null && settings.verifyMode == Ssl.CERT_REQUIRED && (serverHostname == null
                || serverHostname.isEmpty())) {
            throw new IllegalArgumentException("CERT_REQUIRED requires serverHostname");
        }
        if (serverSide && settings.identity == null && settings.psk == null) {
            throw new IllegalArgumentException("a server needs a certificate and key (call loadCertChain first) or "
                    + "a pre-shared key (setPskIdentity and setPskKey, or setPskServerCallback)");
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
        if (settings.verifyMode == Ssl.CERT_NONE
                || (settings.trustAnchors.isEmpty() && settings.compactAnchors.isEmpty())) {
            return null;
        }
        if (validator == null) {
            PathValidator.Options options = PathValidator.Options.defaults();
            if (!settings.crls.isEmpty()) options = options.revocationLists(settings.crls);
            validator = new PathValidator(settings.trustAnchors, settings.compactAnchors,
                    settings.backend.signatureVerifier(), settings.clock, options);
        }
        return validator;
    }

    private static void checkVersion(int version) {
        if (version != Ssl.TLSv1_2 && version != Ssl.TLSv1_3) {
            throw new IllegalArgumentException("version must be TLSv1_2 (0x0303) or TLSv1_3 (0x0304)");
        }
    }

    /** @throws UncheckedIOException naming the file (and what it was for) if it cannot be read */
    private static byte[] readFile(String path, String what) {
        File f = new File(path);
        try (InputStream in = new FileInputStream(f)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.max(0, Math.min(f.length(), 1 << 20)));
            byte[] buf = new byte[4096];
            int n;
            while ((n = in.read(buf)) > 0) out.write(buf, 0, n);
            return out.toByteArray();
        } catch (FileNotFoundException e) {
            String why = !f.exists() ? "no such file" : f.isDirectory() ? "it is a directory" : "cannot open it";
            throw new UncheckedIOException("cannot read the " + what + " file " + path + ": " + why,
                    f.exists() ? e : new NoSuchFileException(path));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the " + what + " file " + path + ": " + e.getMessage(), e);
        }
    }
}
