package org.microssl.internal;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCrypto;
import org.microssl.x509.PathValidator;

/**
 * The TLS client peer, speaking DTLS 1.2: the same validator, clock, CERT_* handling and limits as TLS, plus
 * pre-shared keys and the handshake deadline BouncyCastle's DTLS retransmission loop enforces.
 */
final class DtlsClientPeer extends ClientPeer {
    private final Settings settings;
    volatile boolean closeNotifyReceived;

    DtlsClientPeer(TlsCrypto crypto, Settings settings, PathValidator validator, String serverHostname) {
        super(crypto, settings, validator, serverHostname, settings.handshakeMessageLimit());
        this.settings = settings;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.DTLSv12.only();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        // with a PSK, its suites first; the certificate suites still, in case the server has no PSK (as TLS)
        return TlsUtils.getSupportedCipherSuites(getCrypto(),
                DtlsSuites.usable(settings, settings.psk != null, true, null));
    }

    /** RFC 6347 section 4.2.4: BouncyCastle retransmits with 1 s doubling to 60 s; this bounds the whole. */
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
