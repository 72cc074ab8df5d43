package org.microssl.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.ClientHello;
import org.bouncycastle.tls.ByteQueue;
import org.bouncycastle.tls.ContentType;
import org.bouncycastle.tls.HandshakeMessageInput;
import org.bouncycastle.tls.HandshakeType;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsServerProtocol;
import org.bouncycastle.tls.TlsUtils;
import org.microssl.internal.crypto.HandshakeKeyTrial;

/**
 * BouncyCastle's server protocol (non-blocking mode) with {@link HandshakeGuard}'s checks in front of it, and one
 * repair: BouncyCastle writes no record until a valid ClientHello has set the record version, so every alert for a
 * bad first flight (a truncated or oversized ClientHello) was dropped. Until then we write alerts ourselves, in
 * plaintext with record version TLS 1.2, as RFC 8446 section 5.1 allows before keys exist.
 */
final class GuardedServerProtocol extends TlsServerProtocol implements HandshakeGuard.Handler, GuardedProtocol {
    private final HandshakeGuard guard;
    private final EarlyDataSkip earlyData;
    private final PlaintextQueue plaintext = new PlaintextQueue();
    private boolean helloAccepted;
    private byte[] firstHello;
    /** Whether the ClientHello being handled offers early_data (RFC 8446 section 4.2.10). */
    private boolean helloOffersEarlyData;

    GuardedServerProtocol(HandshakeGuard guard, EarlyDataSkip earlyData) {
        this.guard = guard;
        this.earlyData = earlyData;
    }

    @Override
    protected void processRecord(short protocol, byte[] buf, int off, int len) throws IOException {
        guard.checkRecord(protocol, buf, off, len);
        if (protocol == ContentType.application_data) {
            super.processRecord(protocol, buf, off, 0); // BouncyCastle's checks, none of its queue
            plaintext.add(buf, off, len);
            return;
        }
        super.processRecord(protocol, buf, off, len);
    }

    @Override
    protected void handleHandshakeMessage(short type, HandshakeMessageInput buf) throws IOException {
        boolean retry = type == HandshakeType.client_hello && connection_state == CS_SERVER_HELLO_RETRY_REQUEST;
        if (type == HandshakeType.client_hello) {
            HandshakeGuard.MessageView hello = HandshakeGuard.view(buf);
            ClientHelloChecks.checkVersion(hello);
            ClientHelloChecks.checkKeyShares(hello);
            ((ServerPeer) tlsServer).resumption.helloServerName(ClientHelloChecks.serverName(hello));
        }
        if (retry) ClientHelloChecks.check(firstHello, HandshakeGuard.view(buf));
        try {
            guard.handle(type, buf, getContext(), this);
        } catch (TlsFatalAlert e) {
            if (type == HandshakeType.client_hello && e.getAlertDescription() == AlertDescription.handshake_failure
                    && ClientHelloChecks.lacksNullCompression(HandshakeGuard.view(buf))) {
                if (!ClientHelloChecks.wellFormed(HandshakeGuard.view(buf))) {
                    throw new TlsFatalAlert(AlertDescription.decode_error,
                            "the ClientHello's lengths do not add up to the message", e);
                }
                throw new TlsFatalAlert(AlertDescription.illegal_parameter,
                        "the ClientHello's compression methods lack null (RFC 8446 section 4.1.2)", e);
            }
            throw e;
        }
        if (type == HandshakeType.client_hello) {
            if (!retry && helloOffersEarlyData) skipEarlyData();
            helloAccepted = true;
            // Kept only while a HelloRetryRequest waits for its answer.
            firstHello = !retry && connection_state == CS_SERVER_HELLO_RETRY_REQUEST
                    ? ClientHelloChecks.copy(HandshakeGuard.view(buf)) : null;
        }
    }

    /** The first ClientHello offered early_data, which we never accept: its 0-RTT records are skipped. */
    private void skipEarlyData() throws IOException {
        if (!TlsUtils.isTLSv13(getContext().getSecurityParametersHandshake().getNegotiatedVersion())) {
            return; // a TLS 1.2 server need not skip: such a client must abort (RFC 8446 appendix D.3)
        }
        if (connection_state == CS_SERVER_HELLO_RETRY_REQUEST) {
            earlyData.afterRetryRequest();
        } else {
            earlyData.afterServerHello(HandshakeKeyTrial.clientHandshakeKey(
                    getContext().getSecurityParametersHandshake()));
        }
    }

    /**
     * RFC 5246 appendix E.1 and RFC 8446 appendix D.2: a ClientHello without supported_versions whose
     * legacy_version is above TLS 1.2 is answered with the highest version we have up to TLS 1.2, and with
     * supported_versions its legacy_version is not used at all (RFC 8446 section 4.2.1). BouncyCastle compares
     * versions only within one major version (4.1 is "not TLS": illegal_parameter) and refuses to parse 0xFEFE,
     * so a legacy_version with a major version above 3 is parsed as 3.3 from a copy; the transcript hashes the
     * message as received.
     */
    @Override
    protected ClientHello receiveClientHelloMessage(ByteArrayInputStream buf) throws IOException {
        ClientHello hello;
        HandshakeGuard.MessageView m = buf instanceof HandshakeMessageInput
                ? HandshakeGuard.view((HandshakeMessageInput) buf) : null;
        if (m != null && m.len >= 6 && (m.buf[m.off + 4] & 0xff) > 3) {
            byte[] body = java.util.Arrays.copyOfRange(m.buf, m.off + 4, m.off + m.len);
            body[0] = 3;
            body[1] = 3;
            hello = ClientHello.parse(new ByteArrayInputStream(body), null);
            buf.skip(buf.available());
        } else {
            hello = super.receiveClientHelloMessage(buf);
        }
        byte[] early = TlsUtils.getExtensionData(hello.getExtensions(), TlsExtensionsUtils.EXT_early_data);
        if (early != null && early.length != 0) {
            throw new TlsFatalAlert(AlertDescription.decode_error,
                    "the ClientHello's early_data extension is not empty (RFC 8446 section 4.2.10)");
        }
        if (early != null && connection_state == CS_SERVER_HELLO_RETRY_REQUEST) {
            throw new TlsFatalAlert(AlertDescription.illegal_parameter,
                    "the ClientHello after our HelloRetryRequest offers early_data (RFC 8446 section 4.1.2)");
        }
        helloOffersEarlyData = early != null;
        return hello;
    }

    @Override
    public void handle(short type, HandshakeMessageInput buf) throws IOException {
        super.handleHandshakeMessage(type, buf);
    }

    @Override
    protected void writeRecord(short type, byte[] buf, int off, int len) throws IOException {
        int before = getAvailableOutputBytes();
        super.writeRecord(type, buf, off, len);
        if (!helloAccepted && type == ContentType.alert && len == 2 && getAvailableOutputBytes() == before) {
            outputBuffer.write(new byte[] {ContentType.alert, 3, 3, 0, 2, buf[off], buf[off + 1]});
        }
    }

    /**
     * RFC 8446 section 4.6.3 lets the answer to update_requested wait for our next write; BouncyCastle waits.
     * A peer that waits for it before writing more (tlsfuzzer's test-tls13-keyupdate) would stall, so we answer at
     * once.
     */
    @Override
    protected void receive13KeyUpdate(ByteArrayInputStream buf) throws IOException {
        boolean requested = HandshakeGuard.keyUpdateRequested(buf);
        super.receive13KeyUpdate(buf);
        if (requested) send13KeyUpdate(false);
    }

    /** Issue 11: a TLS 1.3 NewSessionTicket of ours, which BouncyCastle's server does not send (ServerResumption). */
    @Override
    protected void completeHandshake() throws IOException {
        super.completeHandshake();
        byte[] ticket = ((ServerPeer) tlsServer).tls13NewSessionTicket();
        if (ticket == null) return;
        // a handshake message may span records (RFC 8446 section 5.1); max_fragment_length may make them small
        int limit = getApplicationDataLimit();
        for (int off = 0; off < ticket.length; off += limit) {
            writeRecord(ContentType.handshake, ticket, off, Math.min(limit, ticket.length - off));
        }
    }

    @Override
    public void abort(short alert, String message, Throwable cause) throws IOException {
        handleException(alert, message, cause);
    }

    @Override
    public PlaintextQueue plaintext() {
        return plaintext;
    }

    @Override
    public ByteQueue outputQueue() {
        return outputBuffer.getBuffer();
    }
}
