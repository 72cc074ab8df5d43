package org.microssl.internal;

import java.io.IOException;

import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.PRFAlgorithm;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.CryptoHashAlgorithm;
import org.bouncycastle.tls.crypto.TlsCrypto;
import org.bouncycastle.tls.crypto.TlsCryptoUtils;
import org.bouncycastle.tls.crypto.TlsSecret;
import org.bouncycastle.util.Arrays;

/**
 * What both ends of a TLS 1.3 microssl ticket derive alike ({@link ServerResumption} describes the scheme): the
 * resumption base, each ticket's PSK, and the ticket's shape. A class of its own so that a client, which needs
 * only these, never loads the server's resumption and ticket sealing.
 */
final class TicketPsk {
    private TicketPsk() {}

    static final String PSK_EXPORTER_LABEL = "EXPORTER-microssl-resumption";
    /** Marks a microssl ticket; a microssl client offers a TLS 1.3 ticket only if it carries this. */
    static final byte[] MAGIC = {'m', 's', 't', '1'};
    /** The smallest ticket {@link TicketSealer#open} looks at: magic, key id (8), nonce (12), tag (16), 1 of state. */
    static final int MIN_TICKET = 8 + 12 + 16 + 1;

    /** The connection's resumption base secret; call from notifyHandshakeComplete, when the exporter still exists. */
    static byte[] resumptionBase(TlsContext context) {
        int suite = context.getSecurityParametersConnection().getCipherSuite();
        return context.exportKeyingMaterial(PSK_EXPORTER_LABEL, TlsUtils.EMPTY_BYTES, hashLength(suite));
    }

    /** RFC 8446 section 4.6.1's HKDF-Expand-Label(base, "resumption", ticket_nonce, Hash.length). */
    static byte[] ticketPsk(TlsCrypto crypto, byte[] base, int suite, byte[] nonce) throws IOException {
        int hash = suite == CipherSuite.TLS_AES_256_GCM_SHA384 ? CryptoHashAlgorithm.sha384
                : CryptoHashAlgorithm.sha256;
        TlsSecret secret = crypto.createSecret(base);
        return TlsCryptoUtils.hkdfExpandLabel(secret, hash, "resumption", nonce,
                hashLength(suite)).extract();
    }

    static int prf13(int suite) {
        return suite == CipherSuite.TLS_AES_256_GCM_SHA384 ? PRFAlgorithm.tls13_hkdf_sha384
                : PRFAlgorithm.tls13_hkdf_sha256;
    }

    static int hashLength(int suite) {
        return suite == CipherSuite.TLS_AES_256_GCM_SHA384 ? 48 : 32;
    }

    /** Whether {@code ticket} has the shape of one of ours (TLS 1.3: a client offers only those). */
    static boolean looksLikeOurs(byte[] ticket) {
        return ticket.length >= MIN_TICKET && Arrays.areEqual(MAGIC, Arrays.copyOf(ticket, 4));
    }
}
