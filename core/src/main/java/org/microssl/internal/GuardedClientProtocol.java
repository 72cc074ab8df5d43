package org.microssl.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;

import org.bouncycastle.tls.ByteQueue;
import org.bouncycastle.tls.ContentType;
import org.bouncycastle.tls.HandshakeMessageInput;
import org.bouncycastle.tls.TlsClientProtocol;

/** BouncyCastle's client protocol (non-blocking mode) with {@link HandshakeGuard}'s checks in front of it. */
final class GuardedClientProtocol extends TlsClientProtocol implements HandshakeGuard.Handler, GuardedProtocol {
    private final HandshakeGuard guard;
    private final PlaintextQueue plaintext = new PlaintextQueue();

    GuardedClientProtocol(HandshakeGuard guard) {
        this.guard = guard;
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
        guard.handle(type, buf, getContext(), this);
    }

    @Override
    public void handle(short type, HandshakeMessageInput buf) throws IOException {
        super.handleHandshakeMessage(type, buf);
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

    /** Issue 11: BouncyCastle parses and drops a TLS 1.3 NewSessionTicket; our peer keeps a microssl one. */
    @Override
    protected void receive13NewSessionTicket(ByteArrayInputStream buf) throws IOException {
        byte[] body = new byte[buf.available()]; // a whole message, already within HandshakeGuard's limit
        buf.read(body, 0, body.length);
        super.receive13NewSessionTicket(new ByteArrayInputStream(body)); // BouncyCastle checks its form
        ((ClientPeer) tlsClient).tls13NewSessionTicket(new ByteArrayInputStream(body));
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
