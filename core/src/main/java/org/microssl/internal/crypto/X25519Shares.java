package org.microssl.internal.crypto;

import java.io.IOException;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.NamedGroup;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.crypto.TlsAgreement;
import org.bouncycastle.tls.crypto.TlsECConfig;
import org.bouncycastle.tls.crypto.TlsECDomain;
import org.bouncycastle.tls.crypto.TlsSecret;

/**
 * A peer's X25519 share that is a low-order point makes the shared secret all zero; RFC 8446 section 7.4.2 and
 * RFC 7748 section 6.1 say to abort, and the value is the peer's bad parameter: illegal_parameter (as OpenSSL and
 * tlsfuzzer's test-x25519 expect), where BouncyCastle says handshake_failure and the JDK throws a runtime
 * exception. Both backends wrap their X25519 domain with {@link #checked}.
 */
public final class X25519Shares {
    private X25519Shares() {}

    public static TlsECDomain checked(TlsECConfig config, final TlsECDomain domain) {
        if (config.getNamedGroup() != NamedGroup.x25519) return domain;
        return new TlsECDomain() {
            @Override
            public TlsAgreement createECDH() {
                return new Checked(domain.createECDH());
            }
        };
    }

    private static final class Checked implements TlsAgreement {
        private final TlsAgreement agreement;

        Checked(TlsAgreement agreement) {
            this.agreement = agreement;
        }

        @Override
        public byte[] generateEphemeral() throws IOException {
            return agreement.generateEphemeral();
        }

        @Override
        public void receivePeerValue(byte[] peerValue) throws IOException {
            if (peerValue == null || peerValue.length != 32) {
                throw new TlsFatalAlert(AlertDescription.illegal_parameter,
                        "the peer's X25519 share is not 32 bytes (RFC 7748 section 5)");
            }
            agreement.receivePeerValue(peerValue);
        }

        @Override
        public TlsSecret calculateSecret() throws IOException {
            try {
                return agreement.calculateSecret();
            } catch (IOException | RuntimeException e) {
                throw new TlsFatalAlert(AlertDescription.illegal_parameter, "the peer's X25519 share is a low-order "
                        + "point: the shared secret is all zero (RFC 7748 section 6.1, RFC 8446 section 7.4.2)", e);
            }
        }
    }
}
