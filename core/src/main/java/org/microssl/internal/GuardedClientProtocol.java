package org.microssl.internal;

import java.io.IOException;

import org.bouncycastle.tls.HandshakeMessageInput;
import org.bouncycastle.tls.TlsClientProtocol;

/** BouncyCastle's client protocol (non-blocking mode) with {@link HandshakeGuard}'s checks in front of it. */
final class GuardedClientProtocol extends TlsClientProtocol implements HandshakeGuard.Handler, GuardedProtocol {
    private final HandshakeGuard guard;

    GuardedClientProtocol(HandshakeGuard guard) {
        this.guard = guard;
    }

    @Override
    protected void processRecord(short protocol, byte[] buf, int off, int len) throws IOException {
        guard.checkRecord(protocol, buf, off, len);
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

    @Override
    public void abort(short alert, String message, Throwable cause) throws IOException {
        handleException(alert, message, cause);
    }
}
