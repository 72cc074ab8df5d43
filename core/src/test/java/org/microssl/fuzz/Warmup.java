package org.microssl.fuzz;

import org.microssl.Ssl;
import org.microssl.SSLContext;
import org.microssl.testing.TestPki.KeyType;

/**
 * Loads and initialises what a handshake needs (BouncyCastle's curve tables, ciphers, the validator) before the
 * first input, so the first input is not charged for it by {@link PeerInputChecks}' allocation budget.
 */
final class Warmup {
    private static boolean done;

    private Warmup() {}

    static synchronized void once() {
        if (done) return;
        done = true;
        try {
            for (KeyType key : FuzzPeers.SERVER_KEYS) {
                for (int version : new int[] {Ssl.TLSv1_2, Ssl.TLSv1_3}) {
                    SSLContext client = FuzzPeers.client();
                    client.setMaximumVersion(version);
                    FlightRecorder.converse(client, FuzzPeers.server(key));
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("warm-up handshake failed", e);
        }
    }
}
