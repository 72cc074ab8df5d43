package org.microssl.internal;

import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SecurityParameters;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.crypto.TlsSecret;
import org.bouncycastle.util.Arrays;
import org.bouncycastle.util.encoders.Hex;

/**
 * NSS key log lines (the {@code SSLKEYLOGFILE} format Wireshark, curl, Firefox and OpenSSL's {@code -keylogfile}
 * share: {@code LABEL <client random> <secret>}, lowercase hex) from a connection's secrets. Only for a
 * {@link Settings#keyLog} the user set on purpose: whoever has these lines can decrypt the connection.
 */
public final class KeyLogLines {

    /** Receives one line (no line terminator) at a time. */
    public interface Sink {
        void line(String line);
    }

    private KeyLogLines() {}

    /**
     * TLS 1.3's handshake traffic secrets, while they are the current ones: a client calls this once the
     * ServerHello is processed (from {@code processServerExtensions}), a server once its ServerHello is out. Does
     * nothing for TLS 1.2 or a null sink.
     */
    public static void handshakeTrafficSecrets(Sink sink, TlsContext context) {
        if (sink == null) return;
        SecurityParameters p = context.getSecurityParametersHandshake();
        if (p == null || !ProtocolVersion.TLSv13.equals(p.getNegotiatedVersion())) return;
        emit(sink, context, "CLIENT_HANDSHAKE_TRAFFIC_SECRET", p.getClientRandom(), p.getTrafficSecretClient());
        emit(sink, context, "SERVER_HANDSHAKE_TRAFFIC_SECRET", p.getClientRandom(), p.getTrafficSecretServer());
    }

    /**
     * At {@code notifyHandshakeComplete}: TLS 1.2's master secret ({@code CLIENT_RANDOM}), or TLS 1.3's first
     * application traffic secrets and exporter secret. Does nothing for a null sink.
     */
    public static void handshakeComplete(Sink sink, TlsContext context) {
        if (sink == null) return;
        SecurityParameters p = context.getSecurityParametersConnection();
        if (p == null) return;
        byte[] random = p.getClientRandom();
        if (ProtocolVersion.TLSv13.equals(p.getNegotiatedVersion())) {
            // before any KeyUpdate, the current traffic secrets are the first ones (RFC 8446 section 7.1)
            emit(sink, context, "CLIENT_TRAFFIC_SECRET_0", random, p.getTrafficSecretClient());
            emit(sink, context, "SERVER_TRAFFIC_SECRET_0", random, p.getTrafficSecretServer());
            emit(sink, context, "EXPORTER_SECRET", random, p.getExporterMasterSecret());
        } else {
            emit(sink, context, "CLIENT_RANDOM", random, p.getMasterSecret());
        }
    }

    private static void emit(Sink sink, TlsContext context, String label, byte[] clientRandom, TlsSecret secret) {
        if (clientRandom == null || secret == null || !secret.isAlive()) return;
        // extract() destroys the secret it is called on: read a copy, never the connection's own
        byte[] value = context.getCrypto().adoptSecret(secret).extract();
        try {
            sink.line(line(label, clientRandom, value));
        } finally {
            Arrays.fill(value, (byte) 0);
        }
    }

    /** {@code LABEL <client random> <secret>}, lowercase hex. */
    public static String line(String label, byte[] clientRandom, byte[] secret) {
        return label + ' ' + Hex.toHexString(clientRandom) + ' ' + Hex.toHexString(secret);
    }
}
