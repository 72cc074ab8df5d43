package org.microssl.hostile;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Vector;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.tls.AlertLevel;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateEntry;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ContentType;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.HandshakeMessageInput;
import org.bouncycastle.tls.HandshakeType;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsClientProtocol;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsProtocol;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsServerProtocol;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsAgreement;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.TlsECConfig;
import org.bouncycastle.tls.crypto.TlsECDomain;
import org.bouncycastle.tls.crypto.TlsSecret;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.microssl.hostile.Wire.Alert;

/**
 * BouncyCastle's own TLS (lightweight API, {@link BcTlsCrypto}), subclassed to misbehave on cue, speaking to
 * microssl over a real loopback socket in blocking mode. Everything it receives is also recorded raw, so a test
 * can assert the exact alert microssl put on the wire: {@link #alertsSeen()} joins what BouncyCastle decoded
 * ({@code notifyAlertReceived}, which also covers encrypted alerts) with the alerts found in the clear.
 *
 * <p>Misbehaviour is configured in {@link Config}: replace one handshake message by raw bytes, go silent after a
 * message is sent or received, split a handshake message and put another record between its fragments, rewrite
 * our (EC)DHE public value, or run a script once the handshake is done. Whatever the peer does after the handshake,
 * it then reads until the connection ends, so microssl's answer is always collected.
 *
 * <p>The client half accepts any server certificate (the attacker checks nothing): {@link
 * InsecureAcceptAnyServerCertificate}.
 */
public final class HostilePeer implements AutoCloseable {

    /** What goes between the two fragments of a split handshake message. */
    public enum Between {
        /** Nothing: a legal split (RFC 8446 section 5.1 allows fragmenting). */
        NOTHING,
        /** An application_data record of one byte, through the record layer (encrypted with the current keys). */
        APPLICATION_DATA,
        /** A change_cipher_spec record in the clear, {@code 14 03 03 00 01 01}, written raw onto the socket. */
        CHANGE_CIPHER_SPEC
    }

    /** A script run once the handshake has completed. */
    public interface Script {
        void run(HostilePeer peer) throws Exception;
    }

    /** What the peer presents and how it misbehaves. */
    public static final class Config {
        ProtocolVersion version = ProtocolVersion.TLSv13;
        List<byte[]> chain;
        byte[] keyPkcs8;
        SignatureAndHashAlgorithm signWith = SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256,
                SignatureAlgorithm.ecdsa);
        Vector<SignatureAndHashAlgorithm> offeredSignatureAlgorithms;
        int[] groups;
        int replaceType = -1;
        byte[] replacement;
        boolean replaceRaw;
        int muteAfterSending = -1;
        int muteOnReceiving = -1;
        int rewriteType = -1;
        java.util.function.UnaryOperator<byte[]> rewrite;
        int splitType = -1;
        int splitAt;
        Between between = Between.NOTHING;
        BiFunction<Integer, byte[], byte[]> ephemeral;
        Script afterHandshake;
        boolean offerEarlyData;
        byte[] afterFirstHello;
        byte[] afterSecondHello;

        /** TLS 1.2 or 1.3, and only that. */
        public Config version(ProtocolVersion v) {
            version = v;
            return this;
        }

        /** The certificate chain (leaf first, DER) and the leaf's EC P-256 key (PKCS#8): what we present. */
        public Config identity(List<byte[]> chainDer, byte[] pkcs8) {
            chain = chainDer;
            keyPkcs8 = pkcs8;
            return this;
        }

        /** The signature scheme our key signs with (ECDSA with any hash, RFC 8422 allows it in TLS 1.2). */
        public Config signWith(SignatureAndHashAlgorithm alg) {
            signWith = alg;
            return this;
        }

        /** Client: the signature_algorithms offered. */
        public Config offerSignatureAlgorithms(SignatureAndHashAlgorithm... algs) {
            offeredSignatureAlgorithms = new Vector<>(java.util.Arrays.asList(algs));
            return this;
        }

        /** The named groups we support (a server picks among them, a client offers them). */
        public Config groups(int... namedGroups) {
            groups = namedGroups;
            return this;
        }

        /** The first handshake message of {@code type} we send goes out as {@code bytes} instead; then silence. */
        public Config replace(int type, byte[] bytes) {
            replaceType = type;
            replacement = bytes;
            return this;
        }

        /**
         * The first handshake message of {@code type} we send is not sent; {@code bytes} go raw onto the socket
         * instead (a record header of our choosing, say); then silence.
         */
        public Config replaceWithRawBytes(int type, byte[] bytes) {
            replace(type, bytes);
            replaceRaw = true;
            return this;
        }

        /**
         * The first handshake message of {@code type} we send (header and body) is rewritten by {@code how} before
         * it goes out, and it is the last we send.
         */
        public Config rewrite(int type, java.util.function.UnaryOperator<byte[]> how) {
            rewriteType = type;
            rewrite = how;
            return this;
        }

        /** After sending the message of {@code type}, send nothing more (the rest of the flight is dropped). */
        public Config muteAfterSending(int type) {
            muteAfterSending = type;
            return this;
        }

        /** On receiving the message of {@code type}, go on as if answering it, but send nothing more. */
        public Config muteOnReceiving(int type) {
            muteOnReceiving = type;
            return this;
        }

        /**
         * Send the first message of {@code type} as two records split after {@code at} bytes, {@code between} them;
         * if something is put between, nothing more is sent after the second fragment.
         */
        public Config split(int type, int at, Between what) {
            splitType = type;
            splitAt = at;
            between = what;
            return this;
        }

        /**
         * Rewrites our (EC)DHE public value: (named group, honest value) -> value sent. The flight that carries it
         * is the last we send, so nothing of ours races the alert it draws.
         */
        public Config ephemeral(BiFunction<Integer, byte[], byte[]> rewrite) {
            ephemeral = rewrite;
            return this;
        }

        /**
         * Client: offer early_data (RFC 8446 section 4.2.10) if {@code offer}, and put {@code raw} onto the socket
         * right after the first ClientHello, as a client sends its 0-RTT records.
         */
        public Config afterFirstHello(boolean offer, byte[] raw) {
            offerEarlyData = offer;
            afterFirstHello = raw;
            return this;
        }

        /** Client: {@code raw} onto the socket right after the ClientHello that answers a HelloRetryRequest. */
        public Config afterSecondHello(byte[] raw) {
            afterSecondHello = raw;
            return this;
        }

        public Config afterHandshake(Script script) {
            afterHandshake = script;
            return this;
        }
    }

    private final Config config;
    private final Socket socket;
    private final ServerSocket listener;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final List<Alert> decodedAlerts = Collections.synchronizedList(new ArrayList<>());
    private final ByteArrayOutputStream appData = new ByteArrayOutputStream();
    private final Thread thread;
    private volatile Throwable failure;
    private volatile boolean handshakeComplete;
    private OutputStream rawOut;
    private TlsProtocol protocol;
    // writeRecord rewriting state (the peer's own thread only)
    private boolean muted;
    private boolean replaced;
    private boolean splitDone;
    private int clientHellos;
    private volatile boolean muteAfterNextMessage;

    private HostilePeer(Config config, ServerSocket listener, Socket socket, boolean server) {
        this.config = config;
        this.listener = listener;
        this.socket = socket;
        this.thread = new Thread(() -> run(server), server ? "hostile-server" : "hostile-client");
        thread.setDaemon(true);
        thread.start();
    }

    /** A hostile server listening on a loopback port; it serves one connection. */
    public static HostilePeer server(Config config) throws IOException {
        ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        listener.setSoTimeout(30_000);
        return new HostilePeer(config, listener, null, true);
    }

    /** A hostile client connecting to {@code port} on the loopback address. */
    public static HostilePeer client(Config config, int port) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        return new HostilePeer(config, null, s, false);
    }

    public int port() {
        return listener.getLocalPort();
    }

    private void run(boolean server) {
        Socket s = socket;
        try {
            if (server) s = listener.accept();
            s.setSoTimeout(30_000);
            s.setTcpNoDelay(true);
            InputStream in = new Tee(s.getInputStream());
            rawOut = s.getOutputStream();
            if (server) {
                ServerProtocol p = new ServerProtocol(in, rawOut);
                protocol = p;
                p.accept(new Server());
            } else {
                ClientProtocol p = new ClientProtocol(in, rawOut);
                protocol = p;
                p.connect(new Client());
            }
            handshakeComplete = true;
            if (config.afterHandshake != null) config.afterHandshake.run(this);
            readToEnd();
        } catch (Throwable t) {
            failure = t;
        } finally {
            try {
                if (s != null) s.close();
                if (listener != null) listener.close();
            } catch (IOException ignored) {
                // nothing left to do with either
            }
        }
    }

    /** Reads application data until the connection ends (close_notify, an alert, end of stream). */
    private void readToEnd() throws IOException {
        byte[] buf = new byte[4096];
        int n;
        while ((n = protocol.readApplicationData(buf, 0, buf.length)) > 0) {
            synchronized (appData) {
                appData.write(buf, 0, n);
            }
        }
    }

    /** Waits for the peer to finish (it ends when the connection does). @return its failure, or null */
    public Throwable awaitEnd(long millis) throws InterruptedException {
        thread.join(millis);
        if (thread.isAlive()) throw new AssertionError("the hostile peer did not finish within " + millis + " ms");
        return failure;
    }

    /** What ended the peer's run, if anything did (its handshake, script or final read), or null. */
    public Throwable failure() {
        return failure;
    }

    public boolean handshakeComplete() {
        return handshakeComplete;
    }

    /**
     * Every alert that reached us: those BouncyCastle decoded (encrypted or not), then any sent in the clear that
     * it did not get to decode (it may have stopped reading first). Each alert appears once.
     */
    public List<Alert> alertsSeen() {
        List<Alert> out = new ArrayList<>(decodedAlerts);
        List<Alert> clear;
        synchronized (received) {
            clear = Wire.plaintextAlerts(received.toByteArray());
        }
        for (Alert a : clear) {
            if (!out.contains(a)) out.add(a);
        }
        return out;
    }

    /** Everything received, raw. */
    public byte[] received() {
        synchronized (received) {
            return received.toByteArray();
        }
    }

    /** Application data received after the handshake. */
    public byte[] applicationData() {
        synchronized (appData) {
            return appData.toByteArray();
        }
    }

    // ------------------------------------------------------------------------------------------ for scripts

    /** What microssl's side writes once its handshake is done, for {@link #awaitGo}. */
    static final byte[] GO = {'g'};

    /** Waits for {@link #GO} from microssl's side: its handshake has completed. */
    public void awaitGo() throws IOException {
        byte[] got = read(1);
        if (got.length != 1 || got[0] != GO[0]) throw new IOException("expected the go byte, got " + got.length);
    }

    public void send(byte[] data) throws IOException {
        protocol.writeApplicationData(data, 0, data.length);
    }

    /** Reads exactly {@code n} bytes of application data (fewer if the connection ends). */
    public byte[] read(int n) throws IOException {
        byte[] b = new byte[n];
        int off = 0;
        while (off < n) {
            int r = protocol.readApplicationData(b, off, n - off);
            if (r < 0) break;
            off += r;
        }
        return java.util.Arrays.copyOf(b, off);
    }

    /** Bytes straight onto the socket, past the record layer. */
    public void sendRaw(byte[] bytes) throws IOException {
        rawOut.write(bytes);
        rawOut.flush();
    }

    /** {@code bytes} as one handshake record through the record layer (encrypted once keys are in use). */
    public void sendHandshakeRecord(byte[] bytes) throws IOException {
        if (protocol instanceof ServerProtocol) ((ServerProtocol) protocol).handshakeRecord(bytes);
        else ((ClientProtocol) protocol).handshakeRecord(bytes);
    }

    /** A TLS 1.3 KeyUpdate (update_not_requested), split as {@link Config#split} says if it names key_update. */
    public void keyUpdate() throws IOException {
        if (protocol instanceof ServerProtocol) ((ServerProtocol) protocol).keyUpdate();
        else ((ClientProtocol) protocol).keyUpdate();
    }

    @Override
    public void close() throws IOException {
        if (socket != null) socket.close();
        if (listener != null) listener.close();
    }

    // ------------------------------------------------------------------------------------------ misbehaviour

    private interface RecordWriter {
        void write(short type, byte[] buf, int off, int len) throws IOException;
    }

    private void writeRecord(short type, byte[] buf, int off, int len, RecordWriter next) throws IOException {
        if (muted) return;
        // BouncyCastle writes each (small) handshake message in records of its own: the first byte is its type.
        int messageType = type == ContentType.handshake && len > 0 ? buf[off] & 0xff : -1;
        if (messageType >= 0 && messageType == config.replaceType && !replaced) {
            replaced = true;
            muted = true; // what would follow is not needed: the test is about this message
            byte[] r = config.replacement;
            if (config.replaceRaw) {
                sendRaw(r);
                return;
            }
            int o = 0;
            do {
                int n = Math.min(16384, r.length - o);
                next.write(ContentType.handshake, r, o, n);
                o += n;
            } while (o < r.length);
            return;
        }
        if (messageType >= 0 && messageType == config.rewriteType && !replaced) {
            replaced = true;
            muted = true;
            byte[] m = config.rewrite.apply(java.util.Arrays.copyOfRange(buf, off, off + len));
            next.write(ContentType.handshake, m, 0, m.length);
            return;
        }
        if (messageType >= 0 && messageType == config.splitType && !splitDone) {
            splitDone = true;
            next.write(type, buf, off, config.splitAt);
            switch (config.between) {
                case APPLICATION_DATA:
                    next.write(ContentType.application_data, new byte[] {'x'}, 0, 1);
                    break;
                case CHANGE_CIPHER_SPEC:
                    sendRaw(Wire.record(Wire.CHANGE_CIPHER_SPEC, Wire.TLS12, new byte[] {1}));
                    break;
                default:
                    break;
            }
            next.write(type, buf, off + config.splitAt, len - config.splitAt);
            // Something between the fragments is the point: nothing after it may race the alert it draws.
            if (config.between != Between.NOTHING) muted = true;
            return;
        }
        next.write(type, buf, off, len);
        if (messageType == HandshakeType.client_hello) {
            byte[] raw = ++clientHellos == 1 ? config.afterFirstHello : config.afterSecondHello;
            if (raw != null) sendRaw(raw);
        }
        if (messageType >= 0 && messageType == config.muteAfterSending) muted = true;
        if (muteAfterNextMessage && isFlightEnd(messageType)) muted = true;
    }

    /**
     * The message after which a peer that sent a rewritten key share waits for an answer: the TLS 1.3 hellos, a
     * TLS 1.2 ClientKeyExchange, and the TLS 1.2 server's ServerHelloDone (a client computes the shared secret only
     * once its ServerKeyExchange is followed by that).
     */
    private static boolean isFlightEnd(int messageType) {
        return messageType == HandshakeType.client_hello || messageType == HandshakeType.server_hello
                || messageType == HandshakeType.client_key_exchange || messageType == HandshakeType.server_hello_done;
    }

    private void beforeHandling(short type) {
        if (type == config.muteOnReceiving) muted = true;
    }

    private final class ServerProtocol extends TlsServerProtocol {
        ServerProtocol(InputStream in, OutputStream out) {
            super(in, out);
        }

        @Override
        protected void writeRecord(short type, byte[] buf, int off, int len) throws IOException {
            HostilePeer.this.writeRecord(type, buf, off, len, this::writeThrough);
        }

        private void writeThrough(short type, byte[] buf, int off, int len) throws IOException {
            super.writeRecord(type, buf, off, len);
        }

        @Override
        protected void handleHandshakeMessage(short type, HandshakeMessageInput buf) throws IOException {
            beforeHandling(type);
            super.handleHandshakeMessage(type, buf);
        }

        void keyUpdate() throws IOException {
            send13KeyUpdate(false);
        }

        void handshakeRecord(byte[] bytes) throws IOException {
            safeWriteRecord(ContentType.handshake, bytes, 0, bytes.length);
        }
    }

    private final class ClientProtocol extends TlsClientProtocol {
        ClientProtocol(InputStream in, OutputStream out) {
            super(in, out);
        }

        @Override
        protected void writeRecord(short type, byte[] buf, int off, int len) throws IOException {
            HostilePeer.this.writeRecord(type, buf, off, len, this::writeThrough);
        }

        private void writeThrough(short type, byte[] buf, int off, int len) throws IOException {
            super.writeRecord(type, buf, off, len);
        }

        @Override
        protected void handleHandshakeMessage(short type, HandshakeMessageInput buf) throws IOException {
            beforeHandling(type);
            super.handleHandshakeMessage(type, buf);
        }

        void keyUpdate() throws IOException {
            send13KeyUpdate(false);
        }

        void handshakeRecord(byte[] bytes) throws IOException {
            safeWriteRecord(ContentType.handshake, bytes, 0, bytes.length);
        }
    }

    /** Records every byte read, so alerts in the clear can be found even if BouncyCastle stops reading. */
    private final class Tee extends FilterInputStream {
        Tee(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                synchronized (received) {
                    received.write(b);
                }
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                synchronized (received) {
                    received.write(b, off, n);
                }
            }
            return n;
        }
    }

    // ------------------------------------------------------------------------------------------ BC peers

    private final class Crypto extends BcTlsCrypto {
        Crypto() {
            super(new SecureRandom());
        }

        @Override
        public TlsECDomain createECDomain(TlsECConfig ecConfig) {
            TlsECDomain honest = super.createECDomain(ecConfig);
            if (config.ephemeral == null) return honest;
            int group = ecConfig.getNamedGroup();
            return () -> {
                TlsAgreement a = honest.createECDH();
                return new TlsAgreement() {
                    @Override
                    public byte[] generateEphemeral() throws IOException {
                        muteAfterNextMessage = true; // the flight carrying it is the last we send
                        return config.ephemeral.apply(group, a.generateEphemeral());
                    }

                    @Override
                    public void receivePeerValue(byte[] peerValue) throws IOException {
                        a.receivePeerValue(peerValue);
                    }

                    @Override
                    public TlsSecret calculateSecret() throws IOException {
                        return a.calculateSecret();
                    }
                };
            };
        }
    }

    private TlsCredentialedSigner signer(TlsContext context, BcTlsCrypto crypto) throws IOException {
        if (config.chain == null) return null;
        TlsCertificate[] certs = new TlsCertificate[config.chain.size()];
        CertificateEntry[] entries = new CertificateEntry[certs.length];
        for (int i = 0; i < certs.length; i++) {
            certs[i] = crypto.createCertificate(config.chain.get(i));
            entries[i] = new CertificateEntry(certs[i], null);
        }
        Certificate certificate = TlsUtils.isTLSv13(context) ? new Certificate(TlsUtils.EMPTY_BYTES, entries)
                : new Certificate(certs);
        AsymmetricKeyParameter key = PrivateKeyFactory.createKey(config.keyPkcs8);
        return new BcDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), crypto, key, certificate,
                config.signWith);
    }

    private static final int[] SUITES = {
        CipherSuite.TLS_AES_128_GCM_SHA256, CipherSuite.TLS_AES_256_GCM_SHA384,
        CipherSuite.TLS_CHACHA20_POLY1305_SHA256, CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
    };

    private final class Server extends DefaultTlsServer {
        Server() {
            super(new Crypto());
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return config.version.only();
        }

        @Override
        protected int[] getSupportedCipherSuites() {
            return TlsUtils.getSupportedCipherSuites(getCrypto(), SUITES);
        }

        @Override
        public int[] getSupportedGroups() throws IOException {
            return config.groups != null ? config.groups : super.getSupportedGroups();
        }

        /** TLS 1.2's ECDHE group: our first that the client offers (BouncyCastle would take the client's first). */
        @Override
        protected int selectECDH(int minimumCurveBits) {
            if (config.groups == null) return super.selectECDH(minimumCurveBits);
            int[] offered = context.getSecurityParametersHandshake().getClientSupportedGroups();
            for (int g : config.groups) {
                for (int o : offered) {
                    if (g == o) return g;
                }
            }
            return -1;
        }

        @Override
        public TlsCredentials getCredentials() throws IOException {
            return signer(context, (BcTlsCrypto) getCrypto());
        }

        @Override
        public void notifyAlertReceived(short level, short description) {
            decodedAlerts.add(new Alert(level, description));
        }
    }

    private final class Client extends DefaultTlsClient {
        Client() {
            super(new Crypto());
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return config.version.only();
        }

        @Override
        protected int[] getSupportedCipherSuites() {
            return TlsUtils.getSupportedCipherSuites(getCrypto(), SUITES);
        }

        @Override
        protected Vector getSupportedGroups(Vector namedGroupRoles) {
            if (config.groups == null) return super.getSupportedGroups(namedGroupRoles);
            Vector<Integer> v = new Vector<>();
            for (int g : config.groups) v.add(g);
            return v;
        }

        @Override
        protected Vector getSupportedSignatureAlgorithms() {
            return config.offeredSignatureAlgorithms != null ? config.offeredSignatureAlgorithms
                    : super.getSupportedSignatureAlgorithms();
        }

        @Override
        public TlsAuthentication getAuthentication() {
            return new InsecureAcceptAnyServerCertificate();
        }

        @Override
        public java.util.Hashtable getClientExtensions() throws IOException {
            java.util.Hashtable extensions = super.getClientExtensions();
            if (config.offerEarlyData) {
                org.bouncycastle.tls.TlsExtensionsUtils.addEarlyDataIndication(extensions);
            }
            return extensions;
        }

        @Override
        public void notifyAlertReceived(short level, short description) {
            decodedAlerts.add(new Alert(level, description));
        }

        /** The attacker checks nothing about the server; it presents our identity if asked and we have one. */
        private final class InsecureAcceptAnyServerCertificate implements TlsAuthentication {
            @Override
            public void notifyServerCertificate(TlsServerCertificate serverCertificate) {
                // accepted unseen
            }

            @Override
            public TlsCredentials getClientCredentials(CertificateRequest request) throws IOException {
                return signer(context, (BcTlsCrypto) getCrypto());
            }
        }
    }

    /** Waits a little for the peer to end and returns its alerts (for tests asserting on what arrived). */
    public List<Alert> alertsAfterEnd() throws InterruptedException {
        awaitEnd(TimeUnit.SECONDS.toMillis(20));
        return alertsSeen();
    }

    static boolean isFatal(Alert a) {
        return a.level == AlertLevel.fatal;
    }
}
