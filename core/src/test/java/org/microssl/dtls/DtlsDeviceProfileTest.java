package org.microssl.dtls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.microssl.Backends;
import org.microssl.DtlsSocket;
import org.microssl.SSLContext;
import org.microssl.testing.TestPki;
import org.microssl.testing.TestPki.KeyType;

/** DTLS 1.2 with the device profile's crypto (Backends.device(), the device jar's lightweight backend). */
class DtlsDeviceProfileTest {

    @ParameterizedTest
    @CsvSource({
        "EC_P256, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        "RSA_2048, TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
        "EC_P256, TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8",
    })
    void deviceClientSpeaksDtls(KeyType type, String suite) throws Exception {
        TestPki.Chain chain = DtlsPair.chain(type);
        SSLContext client = DtlsPair.certClient(chain);
        client.setCryptoBackend(Backends.device());
        client.setCiphers(suite);
        try (DtlsPair pair = new DtlsPair(DtlsPair.certServer(chain), 1232)) {
            Future<DtlsSocket> served = pair.echoOne();
            try (DtlsSocket s = DtlsPair.connect(client, pair.port(), 1232, "localhost")) {
                assertEquals(suite, s.cipher()[0]);
                DtlsHandshakeTest.echo(s, "a reading over DTLS");
            }
            assertEquals(suite, served.get(20, TimeUnit.SECONDS).cipher()[0]);
        }
    }

    /** CoAP's suites on the device profile: TLS_PSK_WITH_AES_128_CCM_8 (RFC 7252 section 9.1.3.1) and its ECDSA twin. */
    @ParameterizedTest
    @CsvSource({"TLS_PSK_WITH_AES_128_CCM_8", "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8"})
    void deviceClientSpeaksCoapsSuites(String suite) throws Exception {
        boolean psk = suite.contains("PSK");
        TestPki.Chain chain = DtlsPair.chain(KeyType.EC_P256);
        SSLContext client = psk ? DtlsPair.pskClient() : DtlsPair.certClient(chain);
        client.setCryptoBackend(Backends.device());
        client.setCiphers(suite);
        try (DtlsPair pair = new DtlsPair(psk ? DtlsPair.pskServer() : DtlsPair.certServer(chain), 1232)) {
            Future<DtlsSocket> served = pair.echoOne();
            try (DtlsSocket s = DtlsPair.connect(client, pair.port(), 1232, psk ? null : "localhost")) {
                assertEquals(suite, s.cipher()[0]);
                DtlsHandshakeTest.echo(s, "a reading over DTLS");
            }
            assertEquals(suite, served.get(20, TimeUnit.SECONDS).cipher()[0]);
        }
    }
}
