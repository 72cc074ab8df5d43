package org.microssl.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.bouncycastle.tls.CipherSuite;

/**
 * The DTLS 1.2 cipher suites microssl negotiates, by IANA name. AEAD only: ECDHE with AES-GCM, ChaCha20-Poly1305
 * or AES-CCM_8 (CoAP's certificate suite, RFC 7252 section 9.1.3.2), and PSK with AES-CCM_8 (CoAP's mandatory PSK
 * suite, RFC 7252 section 9.1.3.1) or AES-GCM. The PSK suites are used only when a pre-shared key is configured.
 */
public final class DtlsSuites {

    private static final Map<String, Integer> BY_NAME = new LinkedHashMap<String, Integer>();

    static {
        BY_NAME.put("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256);
        BY_NAME.put("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
                CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256);
        BY_NAME.put("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384);
        BY_NAME.put("TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8", CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8);
        BY_NAME.put("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256);
        BY_NAME.put("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
                CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256);
        BY_NAME.put("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384);
        BY_NAME.put("TLS_PSK_WITH_AES_128_CCM_8", CipherSuite.TLS_PSK_WITH_AES_128_CCM_8);
        BY_NAME.put("TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256",
                CipherSuite.TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256);
        BY_NAME.put("TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256", CipherSuite.TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256);
        BY_NAME.put("TLS_PSK_WITH_AES_128_GCM_SHA256", CipherSuite.TLS_PSK_WITH_AES_128_GCM_SHA256);
    }

    private DtlsSuites() {}

    public static int[] defaults() {
        int[] out = new int[BY_NAME.size()];
        int i = 0;
        for (Integer code : BY_NAME.values()) out[i++] = code.intValue();
        return out;
    }

    /** @throws IllegalArgumentException for a name that is not one of ours, or for an empty list */
    public static int[] fromNames(String... names) {
        return CipherSuites.fromNames(BY_NAME, "DTLS 1.2 cipher suite", names);
    }

    public static String[] toNames(int[] suites) {
        return CipherSuites.toNames(BY_NAME, suites);
    }

    public static String name(int suite) {
        return CipherSuites.name(BY_NAME, suite);
    }

    /** PSK suites: plain PSK (RFC 4279) or ECDHE_PSK (RFC 5489, forward secret). */
    public static boolean isPsk(int suite) {
        return name(suite).contains("_PSK_");
    }

    static boolean isEcdsa(int suite) {
        return name(suite).startsWith("TLS_ECDHE_ECDSA_");
    }

    static boolean isRsa(int suite) {
        return name(suite).startsWith("TLS_ECDHE_RSA_");
    }

    public static int secretBits(int suite) {
        return name(suite).contains("AES_256") ? 256 : 128;
    }

    /**
     * The configured suites a peer may use: PSK suites first when it has pre-shared keys, then certificate suites
     * (a server's only for its certificate's key type).
     */
    static int[] usable(Settings settings, boolean psk, boolean certificates, org.microssl.x509.KeyType serverKey) {
        int[] out = new int[settings.cipherSuites.length];
        int n = 0;
        if (psk) {
            for (int suite : settings.cipherSuites) {
                if (isPsk(suite)) out[n++] = suite;
            }
        }
        for (int suite : settings.cipherSuites) {
            if (isPsk(suite)) {
                continue;
            } else {
                if (!certificates) continue;
                if (serverKey != null) {
                    boolean rsa = serverKey == org.microssl.x509.KeyType.RSA;
                    if (rsa ? !isRsa(suite) : !isEcdsa(suite)) continue;
                }
            }
            out[n++] = suite;
        }
        int[] result = new int[n];
        System.arraycopy(out, 0, result, 0, n);
        return result;
    }
}
