package org.microssl.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Hashtable;
import java.util.List;
import java.util.Vector;

import org.bouncycastle.tls.AbstractTlsClient;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.MaxFragmentLength;
import org.bouncycastle.tls.NameType;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.ServerName;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsPSKIdentity;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCrypto;
import org.microssl.x509.PathValidator;
import org.microssl.x509.Purpose;

/** Our BouncyCastle TlsClient, configured from the SSLContext's settings. */
class ClientPeer extends AbstractTlsClient {
    private final Settings settings;
    private final PathValidator validator;
    private final String serverHostname;
    final PeerState state = new PeerState();

    private final int maxHandshakeMessageSize;

    ClientPeer(TlsCrypto crypto, Settings settings, PathValidator validator, String serverHostname,
            int maxHandshakeMessageSize) {
        super(crypto);
        this.maxHandshakeMessageSize = maxHandshakeMessageSize;
        this.settings = settings;
        this.validator = validator;
        this.serverHostname = serverHostname;
        state.serverName(HostNames.sniHostName(serverHostname)); // SSLSocket.serverHostname(): the name sent
        this.resumption = new ClientResumption(settings, serverHostname, validator);
        state.resumption(resumption, null);
    }

    // ------------------------------------------------------------------------------------------ resumption (issue 11)

    final ClientResumption resumption;

    @Override
    public void init(org.bouncycastle.tls.TlsClientContext context) {
        super.init(context);
        resumption.init(context);
    }

    @Override
    public org.bouncycastle.tls.TlsSession getSessionToResume() {
        return resumption.sessionToResume(context);
    }

    @Override
    public void notifySelectedPSK(org.bouncycastle.tls.TlsPSK selectedPSK) throws IOException {
        super.notifySelectedPSK(selectedPSK);
        resumption.selectedPsk(selectedPSK);
    }

    @Override
    public void notifyNewSessionTicket(org.bouncycastle.tls.NewSessionTicket newSessionTicket) throws IOException {
        super.notifyNewSessionTicket(newSessionTicket);
        resumption.newTls12Ticket(newSessionTicket);
    }

    /** A TLS 1.3 NewSessionTicket's body, after BouncyCastle checked its form (GuardedClientProtocol). */
    void tls13NewSessionTicket(java.io.ByteArrayInputStream body) throws IOException {
        resumption.newTls13Ticket(body, state);
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return PeerSupport.versions(settings);
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return TlsUtils.getSupportedCipherSuites(getCrypto(), PeerSupport.suites(settings, null));
    }

    @Override
    protected Vector getSupportedGroups(Vector namedGroupRoles) {
        Vector<Integer> groups = new Vector<Integer>();
        for (int g : PeerSupport.groups(getCrypto())) groups.addElement(g);
        return groups;
    }

    @Override
    protected Vector getSupportedSignatureAlgorithms() {
        return PeerSupport.signatureAlgorithms();
    }

    @Override
    protected Vector getSNIServerNames() {
        String name = state.serverName();
        if (name == null) return null;
        Vector<ServerName> names = new Vector<ServerName>(1);
        names.addElement(new ServerName(NameType.host_name, name.getBytes(StandardCharsets.US_ASCII)));
        return names;
    }

    /** TLS 1.3: our external PSK, offered with psk_dhe_ke (RFC 8446 section 4.2.9), or null. */
    @Override
    public Vector getExternalPSKs() {
        Vector ours = PskSupport.externalPsks(getCrypto(), settings.psk);
        Vector ticket = resumption.externalPsks(context); // issue 11: a microssl TLS 1.3 session, offered first
        if (ticket == null) return ours;
        if (ours != null) ticket.addAll(ours);
        return ticket;
    }

    /** TLS 1.2 ECDHE_PSK: our identity and key, chosen once the server's identity hint is known. */
    @Override
    public TlsPSKIdentity getPSKIdentity() {
        return PskSupport.clientIdentity(settings.psk);
    }

    /** RFC 7301: the names offered, or null for no ALPN extension. */
    @Override
    protected Vector getProtocolNames() {
        return Alpn.protocolNames(settings.alpnProtocols);
    }

    @Override
    public Hashtable getClientExtensions() throws IOException {
        Hashtable extensions = super.getClientExtensions();
        if (settings.maxFragmentLength != 0) {
            if (extensions == null) extensions = new Hashtable();
            TlsExtensionsUtils.addMaxFragmentLengthExtension(extensions, mflCode(settings.maxFragmentLength));
        }
        if (extensions == null) extensions = new Hashtable();
        resumption.addExtensions(extensions);
        return extensions;
    }

    @Override
    public void processServerExtensions(Hashtable serverExtensions) throws IOException {
        super.processServerExtensions(serverExtensions);
        KeyLogLines.handshakeTrafficSecrets(settings.keyLog, context); // TLS 1.3, after the ServerHello
    }

    /** The validator decides which certificate signature algorithms are acceptable, not BouncyCastle's list. */
    @Override
    public boolean shouldCheckSigAlgOfPeerCerts() {
        return false;
    }

    @Override
    public TlsAuthentication getAuthentication() {
        return new TlsAuthentication() {
            @Override
            public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                List<byte[]> chain = PeerSupport.chainDer(serverCertificate.getCertificate());
                state.peerChain(chain);
                if (settings.verifyMode == Settings.CERT_NONE) return; // the user asked for no verification
                if (settings.psk != null && serverHostname == null && settings.verifyMode == Settings.CERT_REQUIRED) {
                    // A PSK client need not name the server; a certificate cannot be checked without that name.
                    throw new TlsFatalAlert(AlertDescription.handshake_failure, "the server did not take our "
                            + "pre-shared key and sent a certificate, which cannot be checked without serverHostname");
                }
                state.peerValidated(PeerSupport.verify(context, validator, chain, Purpose.SERVER_AUTH, serverHostname));
            }

            @Override
            public TlsCredentials getClientCredentials(CertificateRequest request) throws IOException {
                state.certificateRequested();
                Identity identity = settings.identity;
                if (identity == null) return null;
                if (!TlsUtils.isTLSv13(context) && !identity.fitsCertificateTypes(request.getCertificateTypes())) {
                    return null;
                }
                byte[] requestContext = TlsUtils.isTLSv13(context) ? request.getCertificateRequestContext() : null;
                return identity.credentials(context, getCrypto(), request.getSupportedSignatureAlgorithms(),
                        requestContext);
            }
        };
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        resumption.handshakeComplete(context);
        if (resumption.resumed(context.getSecurityParametersConnection())) {
            ResumableSession s = settings.offeredSession; // no certificate in a resumed handshake: the session's
            state.peerChain(s.peerChain());
            state.peerValidated(s.validated());
            if (TlsUtils.isTLSv13(context)) state.resumedTls13();
        }
        state.handshakeCompleted(context.getSecurityParametersConnection());
        KeyLogLines.handshakeComplete(settings.keyLog, context); // only with ctx.setDangerousKeyLog
        // What we offered in the ClientHello is not needed again (renegotiation is refused, TLS 1.3 post-handshake
        // authentication is not offered): a few hundred bytes less held for the life of the connection.
        supportedGroups = null;
        supportedSignatureAlgorithms = null;
        supportedSignatureAlgorithmsCert = null;
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

    static short mflCode(int length) {
        switch (length) {
            case 512:
                return MaxFragmentLength.pow2_9;
            case 1024:
                return MaxFragmentLength.pow2_10;
            case 2048:
                return MaxFragmentLength.pow2_11;
            case 4096:
                return MaxFragmentLength.pow2_12;
            default:
                throw new IllegalArgumentException("max fragment length must be 512, 1024, 2048 or 4096");
        }
    }
}
