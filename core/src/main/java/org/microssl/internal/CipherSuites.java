package org.microssl.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.bouncycastle.tls.CipherSuite;

/**
 * The cipher suites microssl negotiates, by IANA name (the TLS Cipher Suites registry). AEAD only: TLS 1.3's
 * three suites and TLS 1.2 ECDHE with AES-GCM or ChaCha20-Poly1305 (RFC 7525 section 4.2, RFC 9325).
 */
public final class CipherSuites {

    private static final Map<String, Integer> BY_NAME = new LinkedHashMap<String, Integer>();

    static {
        // Default order: TLS 1.3 first, AES-128-GCM first (fast where AES is in hardware, enough bits for all).
        BY_NAME.put("TLS_AES_128_GCM_SHA256", CipherSuite.TLS_AES_128_GCM_SHA256);
        BY_NAME.put("TLS_AES_256_GCM_SHA384", CipherSuite.TLS_AES_256_GCM_SHA384);
        BY_NAME.put("TLS_CHACHA20_POLY1305_SHA256", CipherSuite.TLS_CHACHA20_POLY1305_SHA256);
        BY_NAME.put("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256);
        BY_NAME.put("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384);
        BY_NAME.put("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
                CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256);
        BY_NAME.put("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256);
        BY_NAME.put("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384);
        BY_NAME.put("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
                CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256);
        // Pre-shared key suites: named here, used only with a configured PSK (PskSupport), never by default.
        BY_NAME.put("TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256",
                CipherSuite.TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256);
        BY_NAME.put("TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256", CipherSuite.TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256);
        BY_NAME.put("TLS_ECDHE_PSK_WITH_AES_256_GCM_SHA384", CipherSuite.TLS_ECDHE_PSK_WITH_AES_256_GCM_SHA384);
    }

    private CipherSuites() {}

    /**
     * Every certificate suite microssl knows, in default preference order (the PSK suites join when a PSK is
     * configured, see {@link PskSupport#configured}).
     */
    public static int[] defaults() {
        int[] out = new int[BY_NAME.size()];
        int i = 0;
        for (Integer code : BY_NAME.values()) {
            if (!PskSupport.isPskSuite(code.intValue())) out[i++] = code.intValue();
        }
        return java.util.Arrays.copyOf(out, i);
    }

    /**
     * @throws IllegalArgumentException for a name that is not one of ours (names are IANA's, case-insensitive),
     *     or for an empty list
     */
    public static int[] fromNames(String... names) {
        return fromNames(BY_NAME, "cipher suite", names);
    }

    /** {@link #fromNames} against {@code table} (DTLS's too); {@code what} names the kind in the message. */
    static int[] fromNames(Map<String, Integer> table, String what, String... names) {
        if (names == null || names.length == 0) throw new IllegalArgumentException("no cipher suite given");
        int[] out = new int[names.length];
        for (int i = 0; i < names.length; i++) {
            String name = names[i] == null ? "null" : names[i].trim().toUpperCase(Locale.ROOT);
            Integer code = table.get(name);
            if (code == null) {
                throw new IllegalArgumentException("unknown or unsupported " + what + " '" + names[i]
                        + "'; supported: " + table.keySet());
            }
            out[i] = code.intValue();
        }
        return out;
    }

    public static String[] toNames(int[] suites) {
        return toNames(BY_NAME, suites);
    }

    static String[] toNames(Map<String, Integer> table, int[] suites) {
        List<String> out = new ArrayList<String>();
        for (int suite : suites) out.add(name(table, suite));
        return out.toArray(new String[0]);
    }

    /** IANA name, or "0x...." for a suite outside our table. */
    public static String name(int suite) {
        return name(BY_NAME, suite);
    }

    static String name(Map<String, Integer> table, int suite) {
        for (Map.Entry<String, Integer> e : table.entrySet()) {
            if (e.getValue().intValue() == suite) return e.getKey();
        }
        return String.format("0x%04X", suite);
    }

    public static boolean isTls13(int suite) {
        return (suite & 0xFF00) == 0x1300;
    }

    /** Symmetric key bits (CPython's {@code cipher()[2]}). */
    public static int secretBits(int suite) {
        String name = name(suite);
        return name.contains("AES_128") ? 128 : 256;
    }

    /** Whether a TLS 1.2 suite needs an ECDSA (or Ed25519, RFC 8422 section 5.1.1) server key. */
    public static boolean isEcdsaSuite(int suite) {
        return name(suite).startsWith("TLS_ECDHE_ECDSA_");
    }

    public static boolean isRsaSuite(int suite) {
        return name(suite).startsWith("TLS_ECDHE_RSA_");
    }
}
