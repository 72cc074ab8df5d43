package org.microssl.internal;

import java.io.IOException;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.KeyExchangeAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCrypto;
import org.microssl.x509.PathValidator;

/** The TLS server peer, speaking DTLS 1.2, with certificates, pre-shared keys or both. */
final class DtlsServerPeer extends ServerPeer {
    private final Settings settings;
    volatile boolean closeNotifyReceived;

    DtlsServerPeer(TlsCrypto crypto, Settings settings, PathValidator validator) {
        super(crypto, settings, validator, settings.handshakeMessageLimit());
        this.settings = settings;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.DTLSv12.only();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        Identity identity = settings.identity;
        boolean psk = settings.psk != null;
        int[] suites = identity == null ? DtlsSuites.usable(settings, psk, false, null)
                : DtlsSuites.usable(settings, psk, true, identity.keyType());
        return TlsUtils.getSupportedCipherSuites(getCrypto(), suites);
    }

    private boolean pskSuite() {
        int kx = context.getSecurityParametersHandshake().getKeyExchangeAlgorithm();
        return kx == KeyExchangeAlgorithm.PSK || kx == KeyExchangeAlgorithm.ECDHE_PSK;
    }

    @Override
    public TlsCredentials getCredentials() throws IOException {
        return pskSuite() ? null : super.getCredentials();
    }

    /** RFC 4279 section 2: a PSK key exchange has no certificates, so no CertificateRequest either. */
    @Override
    public CertificateRequest getCertificateRequest() throws IOException {
        return pskSuite() ? null : super.getCertificateRequest();
    }

    @Override
    public int getHandshakeTimeoutMillis() {
        return (int) Math.min(Integer.MAX_VALUE, settings.handshakeTimeoutMillis);
    }

    org.bouncycastle.tls.TlsContext context() {
        return context;
    }

    @Override
    public void notifyAlertReceived(short alertLevel, short alertDescription) {
        if (alertDescription == AlertDescription.close_notify) closeNotifyReceived = true;
        super.notifyAlertReceived(alertLevel, alertDescription);
    }
}
