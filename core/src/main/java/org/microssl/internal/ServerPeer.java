package org.microssl.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Vector;

import org.bouncycastle.tls.AbstractTlsServer;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.ExtensionType;
import org.bouncycastle.tls.NameType;
import org.bouncycastle.tls.NamedGroup;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SecurityParameters;
import org.bouncycastle.tls.ServerName;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsPSKExternal;
import org.bouncycastle.tls.TlsPSKIdentityManager;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCrypto;
import org.microssl.x509.CertificateRejectedException;
import org.microssl.x509.PathValidator;
import org.microssl.x509.Purpose;
import org.microssl.x509.Reason;

/** Our BouncyCastle TlsServer, configured from the SSLContext's settings. */
class ServerPeer extends AbstractTlsServer {
    private final Settings settings;
    private final PathValidator validator;
    private final Identity identity;
    final PeerState state = new PeerState();
    /** The certificate curve that made an ECDHE_ECDSA suite unselectable this handshake, or -1. */
    private int refusedCurve = -1;
    /** The TLS 1.3 external PSK selected from the ClientHello, or null. */
    private TlsPSKExternal selectedPsk;

    private final int maxHandshakeMessageSize;

    ServerPeer(TlsCrypto crypto, Settings settings, PathValidator validator, int maxHandshakeMessageSize) {
        super(crypto);
        this.maxHandshakeMessageSize = maxHandshakeMessageSize;
        this.settings = settings;
        this.validator = validator;
        this.identity = settings.identity;
        this.resumption = new ServerResumption(settings, state);
        state.resumption(null, resumption);
    }

    // ------------------------------------------------------------------------------------------ resumption (issue 11)

    final ServerResumption resumption;

    @Override
    public org.bouncycastle.tls.TlsSession getSessionToResume(byte[] sessionID) {
        return resumption.sessionToResume(context, sessionID, offeredCipherSuites);
    }

    @Override
    public byte[] getNewSessionID() {
        return resumption.newSessionId(context);
    }

    @Override
    public java.util.Hashtable getServerExtensions() throws IOException {
        java.util.Hashtable extensions = super.getServerExtensions();
        if (!TlsUtils.isTLSv13(context) && resumption.issuesTls12Ticket()) {
            if (extensions == null) extensions = new java.util.Hashtable();
            extensions.put(Integer.valueOf(ExtensionType.session_ticket), TlsUtils.EMPTY_BYTES);
        }
        return extensions;
    }

    @Override
    public org.bouncycastle.tls.NewSessionTicket getNewSessionTicket() throws IOException {
        return resumption.newTls12Ticket(context);
    }

    /** Made in notifyHandshakeComplete (the exporter secret is gone after it), sent by GuardedServerProtocol. */
    private byte[] pendingTicket;

    /** The TLS 1.3 NewSessionTicket to send now that the handshake is complete, or null (GuardedServerProtocol). */
    byte[] tls13NewSessionTicket() {
        byte[] t = pendingTicket;
        pendingTicket = null;
        return t;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return PeerSupport.versions(settings);
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return TlsUtils.getSupportedCipherSuites(getCrypto(), PeerSupport.suites(settings,
                identity == null ? null : identity.keyType()));
    }

    @Override
    public void processClientExtensions(java.util.Hashtable clientExtensions) throws IOException {
        ProtocolVersion version = context.getServerVersion();
        boolean tls13 = version != null && TlsUtils.isTLSv13(version);
        if (tls13) {
            // RFC 8446 section 4.2: extensions TLS 1.3 does not define are ignored, not parsed (BouncyCastle would
            // refuse a malformed trusted_ca_keys, truncated_hmac, status_request_v2 or encrypt_then_mac)
            for (int type : TLS12_ONLY_EXTENSIONS) clientExtensions.remove(Integer.valueOf(type));
        }
        byte[] pointFormats = TlsUtils.getExtensionData(clientExtensions, TlsExtensionsUtils.EXT_ec_point_formats);
        if (pointFormats != null) {
            if (tls13) {
                // RFC 8446 section 4.2: TLS 1.3 has no point formats; a TLS 1.2 extension offered beside it is ignored.
                clientExtensions.remove(TlsExtensionsUtils.EXT_ec_point_formats);
            } else if (pointFormats.length < 2 || (pointFormats[0] & 0xff) != pointFormats.length - 1) {
                throw new TlsFatalAlert(AlertDescription.decode_error,
                        "ec_point_formats is empty or its length is wrong (RFC 8422 section 5.1.2: <1..2^8-1>)");
            }
        }
        super.processClientExtensions(clientExtensions);
        if (tls13) {
            // RFC 8446 section 9.2: supported_groups and key_share come together.
            boolean groups = clientExtensions.containsKey(TlsExtensionsUtils.EXT_supported_groups);
            boolean shares = clientExtensions.containsKey(TlsExtensionsUtils.EXT_key_share);
            if (groups != shares) {
                throw new TlsFatalAlert(AlertDescription.missing_extension, "a TLS 1.3 ClientHello with "
                        + (groups ? "supported_groups but no key_share" : "key_share but no supported_groups")
                        + " (RFC 8446 section 9.2)");
            }
            checkKeySharesInGroups(clientExtensions);
            // Refuse before the ServerHello rather than after it, when the certificate would be chosen.
            Vector<?> sigAlgs = context.getSecurityParametersHandshake().getClientSigAlgs();
            if (sigAlgs != null && identity != null && selectedPsk == null && !identity.canSign(sigAlgs, true)) {
                throw new TlsFatalAlert(AlertDescription.handshake_failure,
                        "the client accepts no signature scheme our " + identity.keyType() + " key can make");
            }
        }
        // RFC 6066 section 3: at most one host_name; kept for SSLSocket.serverHostname(). Resumption reads it.
        Vector<?> names = org.bouncycastle.tls.TlsExtensionsUtils.getServerNameExtensionClient(clientExtensions);
        if (names != null) {
            for (Object o : names) {
                ServerName name = (ServerName) o;
                if (name.getNameType() == NameType.host_name) {
                    state.serverName(new String(name.getNameData(), StandardCharsets.US_ASCII));
                }
            }
        }
        resumption.clientExtensions(clientExtensions, state.serverName());
    }

    private static final int[] TLS12_ONLY_EXTENSIONS = {ExtensionType.trusted_ca_keys,
        ExtensionType.truncated_hmac, ExtensionType.status_request_v2, ExtensionType.encrypt_then_mac};

    /**
     * RFC 8446 section 4.2.8: a client offers key shares only for groups it lists in supported_groups; a server
     * may refuse one that does not, with illegal_parameter (as OpenSSL does, rather than a HelloRetryRequest).
     */
    private static void checkKeySharesInGroups(java.util.Hashtable clientExtensions) throws IOException {
        byte[] shares = TlsUtils.getExtensionData(clientExtensions, TlsExtensionsUtils.EXT_key_share);
        int[] groups = TlsExtensionsUtils.getSupportedGroupsExtension(clientExtensions);
        if (shares == null || groups == null) return;
        for (int pos = 2; pos + 4 <= shares.length; pos += 4 + (((shares[pos + 2] & 0xff) << 8) | (shares[pos + 3] & 0xff))) {
            int group = ((shares[pos] & 0xff) << 8) | (shares[pos + 1] & 0xff);
            boolean listed = false;
            for (int g : groups) listed |= g == group;
            if (!listed) {
                throw new TlsFatalAlert(AlertDescription.illegal_parameter, "a key share for "
                        + NamedGroup.getText(group) + ", which supported_groups does not list (RFC 8446 section 4.2.8)");
            }
        }
    }

    /**
     * RFC 8422 sections 5.1.1 and 5.3: in TLS 1.2 an ECDHE_ECDSA suite may be chosen only if the client's
     * supported_groups names our certificate's curve (OpenSSL aborts with "wrong curve" otherwise); without the
     * extension any curve may be used (RFC 8422 section 4). Only the TLS 1.2 selection calls this: in TLS 1.3 the
     * signature_algorithms extension alone governs the certificate (RFC 8446 section 4.2.3).
     */
    @Override
    protected boolean isSelectableCipherSuite(int cipherSuite, int availCurveBits, int availFiniteFieldBits,
            Vector sigAlgs) {
        if (!super.isSelectableCipherSuite(cipherSuite, availCurveBits, availFiniteFieldBits, sigAlgs)) return false;
        if (CipherSuites.isEcdsaSuite(cipherSuite) && identity != null
                && !clientAcceptsCurve(identity.ecdsaCurve())) {
            refusedCurve = identity.ecdsaCurve();
            return false;
        }
        return true;
    }

    private boolean clientAcceptsCurve(int curve) {
        if (curve < 0) return true; // Ed25519 (signature_algorithms decides) or RSA
        int[] clientGroups = context.getSecurityParametersHandshake().getClientSupportedGroups();
        if (clientGroups == null) return true;
        for (int g : clientGroups) {
            if (g == curve) return true;
        }
        return false;
    }

    @Override
    protected String getDetailMessageNoCipherSuite() {
        if (refusedCurve < 0) return super.getDetailMessageNoCipherSuite();
        int[] clientGroups = context.getSecurityParametersHandshake().getClientSupportedGroups();
        StringBuilder offered = new StringBuilder();
        for (int g : clientGroups) {
            if (offered.length() > 0) offered.append(", ");
            offered.append(NamedGroup.getText(g));
        }
        return "no cipher suite fits: the client's supported_groups [" + offered + "] omits "
                + NamedGroup.getName(refusedCurve) + ", the curve of our ECDSA certificate, so it could not "
                + "verify our signatures (RFC 8422 section 5.3)";
    }

    /**
     * TLS 1.2 ECDHE: the first of our groups the client lists, not (as BouncyCastle would) the first curve of
     * the client's it knows: a ClientHello naming GOST GC512C got a ServerKeyExchange on it, 24 MB of generic
     * field arithmetic per handshake. Without supported_groups, P-256 (RFC 8422 section 4 leaves the choice).
     */
    @Override
    protected int selectECDH(int minimumCurveBits) {
        int[] clientGroups = context.getSecurityParametersHandshake().getClientSupportedGroups();
        for (int g : PeerSupport.groups(getCrypto())) {
            if (NamedGroup.getCurveBits(g) < minimumCurveBits) continue;
            if (clientGroups == null && g == NamedGroup.secp256r1) return g;
            if (clientGroups != null && contains(clientGroups, g)) return g;
        }
        return -1;
    }

    /** Only our groups count when BouncyCastle asks whether an ECDHE suite can be negotiated. */
    @Override
    protected int getMaximumNegotiableCurveBits() {
        int[] clientGroups = context.getSecurityParametersHandshake().getClientSupportedGroups();
        int max = 0;
        for (int g : PeerSupport.groups(getCrypto())) {
            if (clientGroups == null ? g == NamedGroup.secp256r1 : contains(clientGroups, g)) {
                max = Math.max(max, NamedGroup.getCurveBits(g));
            }
        }
        return max;
    }

    private static boolean contains(int[] values, int value) {
        for (int v : values) {
            if (v == value) return true;
        }
        return false;
    }

    /** RFC 7301: the names this server accepts; null: ALPN is ignored. */
    @Override
    protected Vector getProtocolNames() {
        return Alpn.protocolNames(settings.alpnProtocols);
    }

    /** Server preference; no common name is no_application_protocol, with both lists in its message. */
    @Override
    protected org.bouncycastle.tls.ProtocolName selectProtocolName() throws IOException {
        Vector<?> ours = getProtocolNames();
        return ours == null ? null : Alpn.select(clientProtocolNames, ours);
    }

    @Override
    public int[] getSupportedGroups() {
        return PeerSupport.groups(getCrypto());
    }

    @Override
    public boolean shouldCheckSigAlgOfPeerCerts() {
        return false;
    }

    /**
     * TLS 1.3 external PSK (RFC 8446 section 4.2.11): the first offered identity we know. BouncyCastle calls this
     * before {@link #processClientExtensions} and checks the binder after it.
     */
    @Override
    public TlsPSKExternal getExternalPSK(Vector identities) {
        selectedPsk = resumption.externalPsk(getCrypto(), identities, offeredCipherSuites); // issue 11: one of our tickets first
        if (selectedPsk == null) {
            selectedPsk = PskSupport.selectExternal(getCrypto(), settings.psk, identities, identity != null);
        }
        return selectedPsk;
    }

    /** TLS 1.2 ECDHE_PSK: our identity hint and key lookup. */
    @Override
    public TlsPSKIdentityManager getPSKIdentityManager() {
        return PskSupport.identityManager(settings.psk);
    }

    /** With a TLS 1.3 PSK selected, a suite with its hash; otherwise BouncyCastle's choice. */
    @Override
    public int getSelectedCipherSuite() throws IOException {
        if (selectedPsk == null || !TlsUtils.isTLSv13(context.getSecurityParametersHandshake().getNegotiatedVersion())) {
            return super.getSelectedCipherSuite();
        }
        int suite = resumption.resumedTls13()
                ? ServerResumption.suiteFor(selectedPsk.getPRFAlgorithm(), offeredCipherSuites, getCipherSuites())
                : PskSupport.suiteFor13(offeredCipherSuites, getCipherSuites());
        selectCipherSuite(suite);
        return suite;
    }

    @Override
    public TlsCredentials getCredentials() throws IOException {
        if (PskSupport.isPskKeyExchange(context)) return null; // ECDHE_PSK: no certificate (RFC 4279 section 2)
        if (identity == null) {
            throw new TlsFatalAlert(AlertDescription.handshake_failure, "this server authenticates with "
                    + "pre-shared keys only, and the client offered none it could use");
        }
        SecurityParameters params = context.getSecurityParametersHandshake();
        TlsCredentialedSigner credentials = identity.credentials(context, getCrypto(), params.getClientSigAlgs(),
                TlsUtils.EMPTY_BYTES);
        if (credentials == null) {
            throw new TlsFatalAlert(AlertDescription.handshake_failure,
                    "the client accepts no signature scheme our " + identity.keyType() + " key can make");
        }
        return credentials;
    }

    @Override
    public CertificateRequest getCertificateRequest() throws IOException {
        // BouncyCastle asks right after the TLS 1.3 handshake secrets exist (send13ServerHelloCoda)
        KeyLogLines.handshakeTrafficSecrets(settings.keyLog, context);
        if (settings.verifyMode == Settings.CERT_NONE) return null;
        // RFC 8446 section 4.3.2: not when authenticating with a PSK; nor in TLS 1.2 PSK suites (RFC 4279 section 2).
        if (selectedPsk != null || PskSupport.isPskKeyExchange(context)) return null;
        Vector<?> sigAlgs = PeerSupport.signatureAlgorithms();
        if (TlsUtils.isTLSv13(context)) {
            // RFC 8446 section 4.3.2: empty certificate_request_context during the handshake.
            return new CertificateRequest(TlsUtils.EMPTY_BYTES, sigAlgs, null, null);
        }
        short[] types = {ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign};
        return new CertificateRequest(types, sigAlgs, null);
    }

    @Override
    public void notifyClientCertificate(Certificate clientCertificate) throws IOException {
        List<byte[]> chain = PeerSupport.chainDer(clientCertificate);
        state.peerChain(chain);
        if (chain.isEmpty()) {
            if (settings.verifyMode == Settings.CERT_REQUIRED) {
                boolean tls13 = TlsUtils.isTLSv13(context);
                CertificateRejectedException e = new CertificateRejectedException(Reason.NO_CERTIFICATE, -1, null,
                        "the client sent no certificate and this server requires one (CERT_REQUIRED)");
                throw new TlsFatalAlert(Alerts.forReason(Reason.NO_CERTIFICATE, tls13), e.getMessage(), e);
            }
            return; // CERT_OPTIONAL: a client without a certificate is accepted
        }
        state.peerValidated(PeerSupport.verify(context, validator, chain, Purpose.CLIENT_AUTH, null));
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        if (TlsUtils.isTLSv13(context) && resumption.resumedTls13()) state.resumedTls13();
        if (TlsUtils.isTLSv13(context) ? resumption.resumedTls13()
                : context.getSecurityParametersConnection().isResumedSession()) {
            java.util.List<byte[]> chain = resumption.resumedClientChain();
            if (chain != null) {
                state.peerChain(chain);
                state.peerValidated(!chain.isEmpty());
            }
        }
        pendingTicket = resumption.tls13TicketMessage(context, getCrypto().getSecureRandom());
        resumption.handshakeComplete(context);
        state.handshakeCompleted(context.getSecurityParametersConnection());
        KeyLogLines.handshakeComplete(settings.keyLog, context); // only with ctx.setDangerousKeyLog
        // The ClientHello's extensions and offers, and the extensions we answered with, are not needed again
        // (renegotiation is refused; the negotiated results live in SecurityParameters): about 1 KB less held
        // for the life of the connection.
        clientExtensions = null;
        offeredCipherSuites = null;
        certificateStatusRequest = null;
        statusRequestV2 = null;
        trustedCAKeys = null;
        clientProtocolNames = null;
        serverExtensions.clear();
    }

    /**
     * A peer without secure renegotiation (RFC 5746) is accepted, as OpenSSL does: microssl never renegotiates
     * (a renegotiation request is refused), so the attack RFC 5746 fixes cannot happen here.
     */
    @Override
    public void notifySecureRenegotiation(boolean secureRenegotiation) {
    }

    /** Above {@link HandshakeGuard}'s limit, which checks first and fails precisely. */
    @Override
    public int getMaxHandshakeMessageSize() {
        return maxHandshakeMessageSize;
    }

    @Override
    public void notifyAlertRaised(short alertLevel, short alertDescription, String message, Throwable cause) {
        state.alertRaised(alertLevel, alertDescription);
        if (settings.alertObserver != null) settings.alertObserver.alert(true, alertLevel, alertDescription);
    }

    @Override
    public void notifyAlertReceived(short alertLevel, short alertDescription) {
        if (settings.alertObserver != null) settings.alertObserver.alert(false, alertLevel, alertDescription);
    }
}
