package org.microssl.fuzz;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

import org.microssl.SSLContext;
import org.microssl.Ssl;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Loading what a user hands to an SSLContext: {@code loadCertChain(cert, key)} and
 * {@code loadVerifyLocations(cadata)}, PEM or DER. Seeds: the certificates and keys of {@code pki/} in every
 * format microssl reads (ECDSA P-256/P-384, RSA, Ed25519; PKCS#8, SEC1, PKCS#1; PEM and DER; chain and key in one
 * PEM). Bad input must end as IllegalArgumentException naming what was wrong.
 */
class KeyLoadingFuzzTest {

    /** [2-byte length][cert][key]; an empty key means "the key is in the cert data" (one PEM file). */
    @FuzzTest(maxDuration = "60s")
    void loadCertChain(byte[] input) {
        PeerInputChecks.check(input, () -> {
            if (input.length < 2) return;
            int certLength = Math.min(((input[0] & 0xff) << 8) | (input[1] & 0xff), input.length - 2);
            byte[] cert = Arrays.copyOfRange(input, 2, 2 + certLength);
            byte[] key = Arrays.copyOfRange(input, 2 + certLength, input.length);
            new SSLContext(Ssl.PROTOCOL_TLS_SERVER).loadCertChain(cert, key.length == 0 ? cert : key);
        });
    }

    @FuzzTest(maxDuration = "60s")
    void loadVerifyLocations(byte[] input) {
        PeerInputChecks.check(input, () -> {
            if (input.length == 0) return;
            new SSLContext(Ssl.PROTOCOL_TLS_CLIENT).loadVerifyLocations(input);
        });
    }

    static byte[] encode(byte[] cert, byte[] key) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(cert.length >> 8);
        out.write(cert.length);
        out.write(cert, 0, cert.length);
        out.write(key, 0, key.length);
        return out.toByteArray();
    }
}
