package org.microssl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.EnumMap;
import java.util.Map;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.NamedGroup;
import org.bouncycastle.tls.crypto.TlsCrypto;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.microssl.Fixtures.Backend;
import org.microssl.SslException.Failure;
import org.microssl.spi.CryptoBackend;
import org.microssl.spi.SignatureVerifier;
import org.microssl.testing.TestPki;
import org.microssl.testing.TestPki.KeyType;
import org.microssl.testing.TlsPair;

/**
 * RFC 8422 sections 5.1.1 and 5.3: a TLS 1.2 server must not pick an ECDHE_ECDSA suite whose certificate curve the
 * client left out of supported_groups. The client here offers only the groups its crypto claims, so a crypto that
 * denies some curves makes a client with a narrower supported_groups (no hook in main code needed).
 */
class CertificateCurveTest {
    private static final Map<KeyType, TestPki.Chain> CHAINS = new EnumMap<>(KeyType.class);

    static synchronized TestPki.Chain chain(KeyType type) {
        return CHAINS.computeIfAbsent(type, TestPki::chain);
    }

    /** A pure-Java backend whose key exchange groups are only {@code groups}. */
    static final class GroupsBackend implements CryptoBackend {
        private final int[] groups;

        GroupsBackend(int... groups) {
            this.groups = groups;
        }

        @Override
        public TlsCrypto createTlsCrypto(SecureRandom random) {
            return new BcTlsCrypto(random) {
                @Override
                public boolean hasNamedGroup(int namedGroup) {
                    for (int g : groups) {
                        if (g == namedGroup) return super.hasNamedGroup(namedGroup);
                    }
                    return false;
                }
            };
        }

        @Override
        public SignatureVerifier signatureVerifier() {
            return Backends.lightweight().signatureVerifier();
        }

        @Override
        public String name() {
            return "groups-limited";
        }
    }

    static SSLContext client(TestPki.Chain chain, int maxVersion, int... groups) {
        SSLContext ctx = new SSLContext(Ssl.PROTOCOL_TLS_CLIENT);
        ctx.setCryptoBackend(new GroupsBackend(groups));
        ctx.loadVerifyLocations(null, chain.root.der);
        ctx.setMaximumVersion(maxVersion);
        return ctx;
    }

    @ParameterizedTest(name = "{0} server, {1} certificate, client groups {2}")
    @CsvSource({
        "LIGHTWEIGHT, EC_P256, x25519,           secp256r1",
        "JCA,         EC_P256, x25519 secp384r1, secp256r1",
        "LIGHTWEIGHT, EC_P384, x25519 secp256r1, secp384r1",
        "JCA,         EC_P384, x25519,           secp384r1",
    })
    void tls12RefusesEcdsaCertificateOnCurveTheClientOmits(Backend backend, KeyType type, String clientGroups,
            String certificateCurve) throws Exception {
        TestPki.Chain chain = chain(type);
        TlsPair pair = TlsPair.attempt(client(chain, Ssl.TLSv1_2, groups(clientGroups)), "localhost",
                Fixtures.server(chain, backend));

        SslException server = assertInstanceOf(SslException.class, pair.serverError, String.valueOf(pair.serverError));
        assertEquals(Failure.HANDSHAKE_FAILURE, server.failure(), server.getMessage());
        assertEquals(AlertDescription.handshake_failure, server.alert());
        String message = server.getMessage();
        assertTrue(message.contains("omits " + certificateCurve + ", the curve of our ECDSA certificate"), message);
        assertTrue(message.contains("supported_groups [x25519"), message);

        SslException client = assertInstanceOf(SslException.class, pair.clientError, String.valueOf(pair.clientError));
        assertEquals(Failure.ALERT_RECEIVED, client.failure(), client.getMessage());
        assertEquals(AlertDescription.handshake_failure, client.alert());
    }

    /** The same clients succeed where their groups name the curve, or where TLS 1.3 lets signature_algorithms rule. */
    @ParameterizedTest(name = "{0} certificate, client groups {1}, up to {2}")
    @CsvSource({
        "EC_P256, x25519 secp256r1, TLSv1.2, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        "EC_P256, secp256r1,        TLSv1.2, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        "EC_P384, x25519 secp384r1, TLSv1.2, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        "EC_P256, x25519,           TLSv1.3, TLS_AES_128_GCM_SHA256",
        "EC_P384, x25519,           TLSv1.3, TLS_AES_128_GCM_SHA256",
        "ED25519, x25519,           TLSv1.2, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        "RSA_2048, x25519,          TLSv1.2, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    })
    void handshakeSucceedsWhenTheCertificateFits(KeyType type, String clientGroups, String maxVersion,
            String expectedSuite) throws Exception {
        TestPki.Chain chain = chain(type);
        int version = maxVersion.equals("TLSv1.3") ? Ssl.TLSv1_3 : Ssl.TLSv1_2;
        TlsPair pair = TlsPair.connect(client(chain, version, groups(clientGroups)), "localhost",
                Fixtures.server(chain, Backend.LIGHTWEIGHT));
        assertEquals(maxVersion, pair.client.version());
        assertEquals(expectedSuite, pair.server.cipher()[0]);
        pair.client.close();
        assertEquals(0, pair.server.read(10).length, "close_notify reads as end of stream");
        pair.server.close();
    }

    private static int[] groups(String names) {
        String[] parts = names.trim().split("\\s+");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            switch (parts[i]) {
                case "x25519": out[i] = NamedGroup.x25519; break;
                case "secp256r1": out[i] = NamedGroup.secp256r1; break;
                case "secp384r1": out[i] = NamedGroup.secp384r1; break;
                default: throw new IllegalArgumentException(parts[i]);
            }
        }
        return out;
    }
}
