package org.microssl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.microssl.Fixtures.Backend;
import org.microssl.testing.TestPki;
import org.microssl.testing.TestPki.KeyType;
import org.microssl.testing.TlsPair;

/** Verified handshakes, root -> intermediate -> leaf, every key type, both versions, both crypto backends. */
class HandshakeTest {
    private static final Map<KeyType, TestPki.Chain> CHAINS = new EnumMap<>(KeyType.class);

    static synchronized TestPki.Chain chain(KeyType type) {
        return CHAINS.computeIfAbsent(type, TestPki::chain);
    }

    static Stream<Arguments> matrix() {
        List<Arguments> out = new ArrayList<>();
        for (Backend backend : Backend.values()) {
            for (int version : new int[] {Ssl.TLSv1_3, Ssl.TLSv1_2}) {
                for (KeyType type : new KeyType[] {KeyType.EC_P256, KeyType.EC_P384, KeyType.RSA_2048,
                    KeyType.ED25519}) {
                    out.add(Arguments.of(backend, version, type));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("matrix")
    void verifiedHandshakeAndEcho(Backend backend, int version, KeyType type) throws Exception {
        TestPki.Chain chain = chain(type);
        SSLContext server = Fixtures.server(chain, backend);
        SSLContext client = Fixtures.client(chain.root, backend);
        client.setMaximumVersion(version);
        TlsPair pair = TlsPair.connect(client, "localhost", server);

        String expectedVersion = version == Ssl.TLSv1_3 ? "TLSv1.3" : "TLSv1.2";
        assertEquals(expectedVersion, pair.client.version());
        assertEquals(expectedVersion, pair.server.version());
        String[] cipher = pair.client.cipher();
        assertEquals(expectedVersion, cipher[1]);
        assertEquals("128", cipher[2]);
        if (version == Ssl.TLSv1_3) {
            assertEquals("TLS_AES_128_GCM_SHA256", cipher[0]);
        } else {
            String auth = type == KeyType.RSA_2048 ? "RSA" : "ECDSA";
            assertEquals("TLS_ECDHE_" + auth + "_WITH_AES_128_GCM_SHA256", cipher[0]);
        }
        assertArrayEquals(pair.client.cipher(), pair.server.cipher());
        assertEquals("localhost", pair.server.serverHostname(), "server reads SNI");

        byte[] ping = Fixtures.ascii("ping over " + expectedVersion);
        assertEquals(ping.length, pair.client.write(ping));
        assertArrayEquals(ping, pair.server.recv(1000));
        assertEquals(4, pair.server.write(Fixtures.ascii("pong")));
        assertArrayEquals(Fixtures.ascii("pong"), pair.client.recv(1000));

        assertArrayEquals(chain.leaf.der, (byte[]) pair.client.getpeercert(true));
        Map<String, Object> decoded = pair.client.getpeercert();
        assertNotNull(decoded);
        assertTrue(decoded.get("subject").toString().contains("commonName, localhost"), decoded.toString());
        pair.client.close();
        assertEquals(0, pair.server.read(10).length, "close_notify reads as end of stream");
        pair.server.close();
    }
}
