package org.microssl.internal.crypto;

import java.io.IOException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Hashtable;
import java.util.List;
import java.util.Vector;

import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateEntry;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.MaxFragmentLength;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsClientProtocol;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsProtocol;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsServerProtocol;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCrypto;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;
import org.microssl.testing.TestPki;

/**
 * Raw BouncyCastle TLS, client and server in one thread over in-memory buffers (non-blocking mode), with no
 * microssl layer: the floor the benchmarks compare against, and the peer the crypto tests interoperate with.
 *
 * <p>Records are offered to the receiver one whole record per {@code offerInput} call, the fast path in which
 * BouncyCastle decrypts in place instead of copying into its input queue.
 *
 * <p>The client accepts any server certificate: {@link InsecureAcceptAnyCertificate}. This harness measures and
 * tests the record layer and handshake cryptography, never certificate validation.
 */
public final class RawBcPair {

    /** What a side presents: its chain (leaf first, DER) and private key (PKCS#8 DER). */
    public static final class Identity {
        final List<byte[]> chainDer;
        final byte[] keyPkcs8;
        final TestPki.KeyType keyType;

        public Identity(List<byte[]> chainDer, byte[] keyPkcs8, TestPki.KeyType keyType) {
            this.chainDer = chainDer;
            this.keyPkcs8 = keyPkcs8;
            this.keyType = keyType;
        }

        /** leaf + intermediate of a fresh TestPki chain. */
        public static Identity of(TestPki.Chain chain) {
            return new Identity(java.util.Arrays.asList(chain.leaf.der, chain.intermediate.der), chain.leaf.keyPkcs8(),
                    chain.leaf.keyType);
        }

        /** A self-signed single certificate. */
        public static Identity selfSigned(TestPki.Issued cert) {
            return new Identity(java.util.Collections.singletonList(cert.der), cert.keyPkcs8(), cert.keyType);
        }
    }

    public static final class Config {
        public TlsCrypto clientCrypto;
        public TlsCrypto serverCrypto;
        public ProtocolVersion version = ProtocolVersion.TLSv13;
        public int cipherSuite;
        public Identity server;
        /** non-null: the server asks for a certificate and the client sends this one. */
        public Identity client;
        /** a MaxFragmentLength code (RFC 6066), or -1 for none. */
        public short maxFragmentLength = -1;
        /** the in-memory "wire" buffer; share one between pairs driven by one thread to keep it out of per-pair heap. */
        public byte[] wire;
    }

    public final TlsClientProtocol client = new TlsClientProtocol();
    public final TlsServerProtocol server = new TlsServerProtocol();
    private byte[] transfer;

    public RawBcPair(Config config) throws IOException {
        transfer = config.wire != null ? config.wire : new byte[17 * 1024 + 512];
        client.connect(new Client(config));
        server.accept(new Server(config));
    }

    /** Runs the handshake to completion in memory. */
    public RawBcPair handshake() throws IOException {
        for (int i = 0; i < 100 && (client.isHandshaking() || server.isHandshaking()); i++) {
            if (pump(client, server) + pump(server, client) == 0) {
                break;
            }
        }
        if (client.isHandshaking() || server.isHandshaking()) {
            throw new IOException("handshake did not complete");
        }
        // TLS 1.3 NewSessionTicket and the like
        pump(server, client);
        pump(client, server);
        return this;
    }

    /** Moves everything {@code from} has produced into {@code to}, one record per offerInput. */
    public int pump(TlsProtocol from, TlsProtocol to) throws IOException {
        int moved = 0;
        int n;
        while ((n = from.getAvailableOutputBytes()) > 0) {
            if (transfer.length < n) {
                transfer = new byte[n];
            }
            from.readOutput(transfer, 0, n);
            int off = 0;
            while (off < n) {
                int recordLength = 5 + ((transfer[off + 3] & 0xff) << 8 | (transfer[off + 4] & 0xff));
                to.offerInput(transfer, off, recordLength);
                off += recordLength;
            }
            moved += n;
        }
        return moved;
    }

    /**
     * Sends {@code data} from one side, at most one record's worth per write (as an application driving the
     * non-blocking API efficiently does, so no queue grows past one record), and returns how many bytes the
     * other side then read into {@code sink} (overwriting it).
     */
    public int transfer(TlsProtocol from, TlsProtocol to, byte[] data, int off, int len, byte[] sink)
            throws IOException {
        int limit = from.getApplicationDataLimit();
        int total = 0;
        while (len > 0) {
            int chunk = Math.min(limit, len);
            from.writeApplicationData(data, off, chunk);
            off += chunk;
            len -= chunk;
            pump(from, to);
            int n;
            while ((n = to.readInput(sink, 0, sink.length)) > 0) {
                total += n;
            }
        }
        return total;
    }

    public void close() throws IOException {
        client.close();
        pump(client, server);
        server.close();
    }

    private static PrivateKey jcaKey(Identity id) throws IOException {
        try {
            String algorithm = id.keyType == TestPki.KeyType.ED25519 ? "Ed25519"
                    : id.keyType.name().startsWith("RSA") ? "RSA" : "EC";
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(id.keyPkcs8));
        } catch (Exception e) {
            throw new IOException("cannot load test key", e);
        }
    }

    static SignatureAndHashAlgorithm signatureAlgorithm(TestPki.KeyType type) {
        switch (type) {
            case ED25519: return SignatureAndHashAlgorithm.ed25519;
            case EC_P256: return SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa);
            case EC_P384: return SignatureAndHashAlgorithm.getInstance(HashAlgorithm.sha384, SignatureAlgorithm.ecdsa);
            default: return SignatureAndHashAlgorithm.rsa_pss_rsae_sha256;
        }
    }

    static TlsCredentialedSigner signer(TlsContext context, TlsCrypto crypto, Identity id) throws IOException {
        TlsCertificate[] certs = new TlsCertificate[id.chainDer.size()];
        CertificateEntry[] entries = new CertificateEntry[certs.length];
        for (int i = 0; i < certs.length; i++) {
            certs[i] = crypto.createCertificate(id.chainDer.get(i));
            entries[i] = new CertificateEntry(certs[i], null);
        }
        boolean tls13 = TlsUtils.isTLSv13(context);
        Certificate certificate = tls13 ? new Certificate(TlsUtils.EMPTY_BYTES, entries) : new Certificate(certs);
        TlsCryptoParameters params = new TlsCryptoParameters(context);
        SignatureAndHashAlgorithm alg = signatureAlgorithm(id.keyType);
        if (crypto instanceof BcTlsCrypto) {
            AsymmetricKeyParameter key = PrivateKeyFactory.createKey(id.keyPkcs8);
            return new BcDefaultTlsCredentialedSigner(params, (BcTlsCrypto) crypto, key, certificate, alg);
        }
        return new JcaDefaultTlsCredentialedSigner(params, (JcaTlsCrypto) crypto, jcaKey(id), certificate, alg);
    }

    /** Accepts any certificate: this harness measures crypto, and names its lack of validation. */
    static final class InsecureAcceptAnyCertificate implements TlsAuthentication {
        private final TlsContext context;
        private final TlsCrypto crypto;
        private final Identity client;

        InsecureAcceptAnyCertificate(TlsContext context, TlsCrypto crypto, Identity client) {
            this.context = context;
            this.crypto = crypto;
            this.client = client;
        }

        @Override
        public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
            if (serverCertificate.getCertificate().isEmpty()) {
                throw new TlsFatalAlert(AlertDescription.bad_certificate);
            }
        }

        @Override
        public TlsCredentials getClientCredentials(CertificateRequest request) throws IOException {
            return client == null ? null : signer(context, crypto, client);
        }
    }

    private static final class Client extends DefaultTlsClient {
        private final Config config;

        Client(Config config) {
            super(config.clientCrypto);
            this.config = config;
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return config.version.only();
        }

        @Override
        protected int[] getSupportedCipherSuites() {
            return new int[] {config.cipherSuite};
        }

        @Override
        public Hashtable getClientExtensions() throws IOException {
            Hashtable extensions = super.getClientExtensions();
            if (config.maxFragmentLength >= 0) {
                TlsExtensionsUtils.addMaxFragmentLengthExtension(extensions, config.maxFragmentLength);
            }
            return extensions;
        }

        @Override
        public TlsAuthentication getAuthentication() {
            return new InsecureAcceptAnyCertificate(context, getCrypto(), config.client);
        }
    }

    private static final class Server extends DefaultTlsServer {
        private final Config config;

        Server(Config config) {
            super(config.serverCrypto);
            this.config = config;
        }

        @Override
        protected ProtocolVersion[] getSupportedVersions() {
            return config.version.only();
        }

        @Override
        protected int[] getSupportedCipherSuites() {
            return new int[] {config.cipherSuite};
        }

        @Override
        public TlsCredentials getCredentials() throws IOException {
            return signer(context, getCrypto(), config.server);
        }

        @Override
        public CertificateRequest getCertificateRequest() throws IOException {
            if (config.client == null) {
                return null;
            }
            Vector<SignatureAndHashAlgorithm> algs = new Vector<>();
            algs.add(signatureAlgorithm(config.client.keyType));
            if (TlsUtils.isTLSv13(context)) {
                return new CertificateRequest(TlsUtils.EMPTY_BYTES, algs, null, null);
            }
            return new CertificateRequest(new short[] {ClientCertificateType.ecdsa_sign}, algs, null);
        }

        @Override
        public void notifyClientCertificate(Certificate clientCertificate) throws IOException {
            if (config.client != null && clientCertificate.isEmpty()) {
                throw new TlsFatalAlert(AlertDescription.certificate_required);
            }
        }
    }

    /** MaxFragmentLength code for a size in bytes (RFC 6066 section 4). */
    public static short mflCode(int size) {
        switch (size) {
            case 512: return MaxFragmentLength.pow2_9;
            case 1024: return MaxFragmentLength.pow2_10;
            case 2048: return MaxFragmentLength.pow2_11;
            case 4096: return MaxFragmentLength.pow2_12;
            default: throw new IllegalArgumentException("no max_fragment_length code for " + size);
        }
    }
}
