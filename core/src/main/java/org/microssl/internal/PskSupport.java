package org.microssl.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Vector;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.BasicTlsPSKExternal;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.KeyExchangeAlgorithm;
import org.bouncycastle.tls.PRFAlgorithm;
import org.bouncycastle.tls.PskIdentity;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsPSKExternal;
import org.bouncycastle.tls.TlsPSKIdentity;
import org.bouncycastle.tls.TlsPSKIdentityManager;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCrypto;

/**
 * {@link PskConfig} in BouncyCastle's terms, for our client and server peers (TLS, and DTLS which uses the same
 * hooks): TLS 1.3 external PSKs with psk_dhe_ke (BouncyCastle offers and accepts no other mode), and TLS 1.2
 * ECDHE_PSK with AEAD suites (RFC 5489, RFC 8442, RFC 7905). Both keep forward secrecy: the PSK authenticates,
 * the ephemeral key exchange encrypts.
 */
public final class PskSupport {
    /**
     * TLS 1.2 ECDHE_PSK suites, AEAD only. ChaCha20-Poly1305 first: the one OpenSSL and mbedTLS (MicroPython's TLS
     * 1.2) implement; BouncyCastle adds RFC 8442's AES-GCM ones.
     */
    public static final int[] TLS12_SUITES = {
        CipherSuite.TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_PSK_WITH_AES_256_GCM_SHA384,
    };

    /**
     * An external PSK's hash: SHA-256 (RFC 8446 section 4.2.11 makes it SHA-256 when none is provisioned, and
     * OpenSSL's {@code -psk} uses it), so TLS_AES_128_GCM_SHA256 or TLS_CHACHA20_POLY1305_SHA256.
     */
    static final int PRF = PRFAlgorithm.tls13_hkdf_sha256;

    /** The most offered identities a server looks up: a client offers one or two; each costs a callback. */
    static final int MAX_IDENTITIES_CONSULTED = 16;

    private PskSupport() {}

    public static boolean isPskSuite(int suite) {
        for (int s : TLS12_SUITES) {
            if (s == suite) return true;
        }
        return false;
    }

    /** Whether a TLS 1.3 suite's hash is the external PSK's. */
    static boolean matchesPrf(int suite13) {
        return suite13 == CipherSuite.TLS_AES_128_GCM_SHA256 || suite13 == CipherSuite.TLS_CHACHA20_POLY1305_SHA256;
    }

    /** Whether TLS 1.2's negotiated key exchange is ECDHE_PSK (no certificate on either side). */
    static boolean isPskKeyExchange(TlsContext context) {
        return !TlsUtils.isTLSv13(context)
                && context.getSecurityParametersHandshake().getKeyExchangeAlgorithm() == KeyExchangeAlgorithm.ECDHE_PSK;
    }

    /**
     * The suites a context uses: its configured ones, with {@link #TLS12_SUITES} after the TLS 1.3 ones and before
     * the certificate suites when PSKs are configured and no PSK suite is named (a client prefers its PSK).
     */
    static int[] configured(Settings settings) {
        int[] suites = settings.cipherSuites;
        if (settings.psk == null) return suites;
        for (int suite : suites) {
            if (isPskSuite(suite)) return suites; // the user chose them with setCiphers
        }
        int[] out = new int[suites.length + TLS12_SUITES.length];
        int n = 0;
        for (int suite : suites) {
            if (CipherSuites.isTls13(suite)) out[n++] = suite;
        }
        for (int suite : TLS12_SUITES) out[n++] = suite;
        for (int suite : suites) {
            if (!CipherSuites.isTls13(suite)) out[n++] = suite;
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------ client

    /** TLS 1.3: the PSK a client offers in its ClientHello (no hint exists yet), or null for none. */
    public static Vector<TlsPSKExternal> externalPsks(TlsCrypto crypto, PskConfig psk) {
        if (psk == null) return null;
        PskConfig.Key key = psk.clientKey(null);
        if (key == null) return null; // the callback has none: a certificate handshake, checked as always
        Vector<TlsPSKExternal> v = new Vector<TlsPSKExternal>(1);
        v.addElement(new BasicTlsPSKExternal(key.identity(), crypto.createSecret(key.key()), PRF));
        return v;
    }

    /** TLS 1.2: the client's identity and key, chosen when the server's hint (or its absence) is known. */
    public static TlsPSKIdentity clientIdentity(final PskConfig psk) {
        if (psk == null) return null;
        return new TlsPSKIdentity() {
            private PskConfig.Key chosen;

            @Override
            public void skipIdentityHint() {
                choose(null);
            }

            @Override
            public void notifyIdentityHint(byte[] hint) {
                choose(hint == null || hint.length == 0 ? null : hint);
            }

            private void choose(byte[] hint) {
                chosen = psk.clientKey(hint);
                if (chosen == null) {
                    // As OpenSSL's PSK_IDENTITY_NOT_FOUND: handshake_failure.
                    throw sneaky(new TlsFatalAlert(AlertDescription.handshake_failure, "the PSK client callback "
                            + "gave no identity and key for " + (hint == null ? "a server without an identity hint"
                            : "the server's identity hint " + Printable.text(hint, 64))));
                }
            }

            @Override
            public byte[] getPSKIdentity() {
                return chosen.identity();
            }

            @Override
            public byte[] getPSK() {
                return chosen.key();
            }
        };
    }

    // ------------------------------------------------------------------------------------------ server

    /**
     * TLS 1.3: the first offered identity the server knows. If it knows none, a server with a certificate goes on
     * with a certificate handshake (RFC 8446 section 4.2.11: a server may select no PSK); one with only PSKs
     * refuses with unknown_psk_identity (RFC 8446 section 6.2), naming what was offered.
     *
     * @param identities BouncyCastle's {@link PskIdentity} list from the ClientHello
     */
    public static TlsPSKExternal selectExternal(TlsCrypto crypto, PskConfig psk, Vector<?> identities,
            boolean hasCertificate) {
        if (psk == null || identities == null) return null;
        int n = Math.min(identities.size(), MAX_IDENTITIES_CONSULTED);
        for (int i = 0; i < n; i++) {
            byte[] identity = ((PskIdentity) identities.elementAt(i)).getIdentity();
            byte[] key = psk.serverKey(identity);
            if (key != null) return new BasicTlsPSKExternal(identity, crypto.createSecret(key), PRF);
        }
        if (hasCertificate) return null;
        throw sneaky(new TlsFatalAlert(AlertDescription.unknown_psk_identity, "unknown PSK "
                + describe(identities) + " (RFC 8446 section 6.2)"));
    }

    /** TLS 1.2: the hint we send and the keys we look up; an unknown identity is unknown_psk_identity, named. */
    public static TlsPSKIdentityManager identityManager(final PskConfig psk) {
        if (psk == null) return null;
        return new TlsPSKIdentityManager() {
            @Override
            public byte[] getHint() {
                return psk.hint();
            }

            @Override
            public byte[] getPSK(byte[] identity) {
                byte[] key = psk.serverKey(identity);
                if (key == null) {
                    throw sneaky(new TlsFatalAlert(AlertDescription.unknown_psk_identity, "unknown PSK identity "
                            + Printable.text(identity, 64) + " (RFC 4279 section 2)"));
                }
                return key;
            }
        };
    }

    /**
     * TLS 1.3 with an external PSK selected: the suite must use its hash (the client checks, RFC 8446 section
     * 4.2.11). The client's order among those, as BouncyCastle's own choice.
     */
    static int suiteFor13(int[] offered, int[] ours) throws IOException {
        for (int suite : offered) {
            if (!matchesPrf(suite)) continue;
            for (int s : ours) {
                if (s == suite) return suite;
            }
        }
        throw new TlsFatalAlert(AlertDescription.handshake_failure,
                "no common TLS 1.3 cipher suite with SHA-256, the pre-shared key's hash");
    }

    private static String describe(Vector<?> identities) {
        List<String> names = new ArrayList<String>();
        for (Object o : identities) {
            if (names.size() == 4) {
                names.add("... (" + identities.size() + " offered)");
                break;
            }
            names.add(Printable.text(((PskIdentity) o).getIdentity(), 64));
        }
        return (identities.size() == 1 ? "identity " : "identities ") + String.join(", ", names);
    }

    /**
     * BouncyCastle's PSK hooks declare no IOException, yet the alert must be the one the RFC names and carry the
     * identity: the TlsFatalAlert is thrown unchecked here and reaches BouncyCastle's handler, whose callers do
     * declare it, as if BouncyCastle had thrown it.
     */
    private static RuntimeException sneaky(TlsFatalAlert alert) {
        return PskSupport.<RuntimeException>throwUnchecked(alert);
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> RuntimeException throwUnchecked(Throwable t) throws E {
        throw (E) t;
    }
}
