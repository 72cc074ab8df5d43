package org.microssl.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
        if (names == null || names.length == 0) throw new IllegalArgumentException("no cipher suite given");
        int[] out = new int[names.length];
        for (int i = 0; i < names.length; i++) {
            String name = names[i] == null ? "null" : names[i].trim().toUpperCase(Locale.ROOT);
            Integer code = BY_NAME.get(name);
            if (code == null) {
                throw new IllegalArgumentException("unknown or unsupported DTLS 1.2 cipher suite '" + names[i]
                        + "'; supported: " + BY_NAME.keySet());
            }
            out[i] = code.intValue();
        }
        return out;
    }

    public static String[] toNames(int[] suites) {
        List<String> out = new ArrayList<String>();
        for (int suite : suites) out.add(name(suite));
        return out.toArray(new String[0]);
    }

    public static String name(int suite) {
        for (Map.Entry<String, Integer> e : BY_NAME.entrySet()) {
            if (e.getValue().intValue() == suite) return e.getKey();
        }
        return String.format("0x%04X", suite);
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
