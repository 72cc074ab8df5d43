package org.microssl.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.KeyExchangeAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsPSKIdentityManager;
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
        boolean psk = !settings.dtlsPskKeys.isEmpty();
        int[] suites = identity == null ? DtlsSuites.usable(settings, psk, false, null)
                : DtlsSuites.usable(settings, psk, true, identity.keyType());
        return TlsUtils.getSupportedCipherSuites(getCrypto(), suites);
    }

    private boolean pskSuite() {
        return context.getSecurityParametersHandshake().getKeyExchangeAlgorithm() == KeyExchangeAlgorithm.PSK;
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
    public TlsPSKIdentityManager getPSKIdentityManager() {
        return new TlsPSKIdentityManager() {
            @Override
            public byte[] getHint() {
                return null;
            }

            /** An unknown identity: null, and BouncyCastle answers unknown_psk_identity (RFC 4279 section 2). */
            @Override
            public byte[] getPSK(byte[] identity) {
                byte[] key = settings.dtlsPskKeys.get(new String(identity, StandardCharsets.UTF_8));
                return key == null ? null : key.clone();
            }
        };
    }

    @Override
    public int getHandshakeTimeoutMillis() {
        return (int) Math.min(Integer.MAX_VALUE, settings.handshakeTimeoutMillis);
    }

    @Override
    public void notifyAlertReceived(short alertLevel, short alertDescription) {
        if (alertDescription == AlertDescription.close_notify) closeNotifyReceived = true;
        super.notifyAlertReceived(alertLevel, alertDescription);
    }
}
