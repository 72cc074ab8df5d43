package org.microssl.internal;

import java.io.IOException;

import org.bouncycastle.tls.DTLSVerifier;
import org.bouncycastle.tls.DatagramSender;
import org.bouncycastle.tls.crypto.TlsCrypto;
import org.microssl.spi.DatagramTransport;

/**
 * The stateless cookie exchange of RFC 6347 section 4.2.1: a ClientHello without the cookie for its client's
 * address is answered with a HelloVerifyRequest and forgotten; only one that echoes it is handed on. The cookie is
 * an HMAC-SHA256, under a random key of this object's, of the client's address and its ClientHello, so nothing is
 * kept per client and a spoofed source address never gets a handshake going.
 */
public final class DtlsCookies {
    private final DTLSVerifier verifier;

    public DtlsCookies(TlsCrypto crypto) {
        this.verifier = new DTLSVerifier(crypto);
    }

    /**
     * @param clientId the client's transport address (MicroPython's {@code client_id})
     * @return the verified ClientHello, to pass to {@link DtlsConnection#handshake}; or null when the datagram was
     *     not one (dropped), or a HelloVerifyRequest was sent to {@code replyTo}
     */
    public Object verify(byte[] clientId, byte[] buf, int off, int len, final DatagramTransport replyTo) {
        return verifier.verifyRequest(clientId, buf, off, len, new DatagramSender() {
            @Override
            public int getSendLimit() {
                return replyTo.mtu();
            }

            @Override
            public void send(byte[] b, int o, int l) throws IOException {
                replyTo.send(b, o, l);
            }
        });
    }
}
