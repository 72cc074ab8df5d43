package org.microssl.dtls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.microssl.DtlsSocket;
import org.microssl.SSLContext;
import org.microssl.SslException;
import org.microssl.testing.TestPki;
import org.microssl.testing.TestPki.KeyType;
import org.microssl.x509.Reason;

/** microssl's DTLS client against microssl's DTLS server, in process over loopback UDP. */
class DtlsHandshakeTest {

    @ParameterizedTest
    @CsvSource({
        "EC_P256, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        "EC_P256, TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
        "EC_P256, TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8",
        "RSA_2048, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        "RSA_2048, TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
    })
    void certificateSuites(KeyType type, String suite) throws Exception {
        TestPki.Chain chain = DtlsPair.chain(type);
        SSLContext client = DtlsPair.certClient(chain);
        client.setCiphers(suite);
        try (DtlsPair pair = new DtlsPair(DtlsPair.certServer(chain), 1232)) {
            Future<DtlsSocket> served = pair.echoOne();
            try (DtlsSocket s = DtlsPair.connect(client, pair.port(), 1232, "localhost")) {
                assertEquals(suite, s.cipher()[0]);
                assertEquals("DTLSv1.2", s.version());
                assertTrue(s.getpeercert().get("subject").toString().contains("localhost"), s.getpeercert().toString());
                assertEquals(3, s.getPeerCertChain().size() + 1, "leaf and intermediate sent");
                echo(s, "hello over DTLS");
            }
            DtlsSocket server = served.get(20, TimeUnit.SECONDS);
            assertEquals(suite, server.cipher()[0]);
        }
    }

    @ParameterizedTest
    @CsvSource({"TLS_PSK_WITH_AES_128_CCM_8", "TLS_PSK_WITH_AES_128_GCM_SHA256",
        "TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_PSK_WITH_AES_128_GCM_SHA256"})
    void pskSuites(String suite) throws Exception {
        SSLContext client = DtlsPair.pskClient();
        client.setCiphers(suite);
        try (DtlsPair pair = new DtlsPair(DtlsPair.pskServer(), 1232)) {
            Future<DtlsSocket> served = pair.echoOne();
            try (DtlsSocket s = DtlsPair.connect(client, pair.port(), 1232, null)) {
                assertEquals(suite, s.cipher()[0]);
                assertEquals(null, s.getpeercert(true));
                echo(s, "21.5 C");
            }
            assertEquals(suite, served.get(20, TimeUnit.SECONDS).cipher()[0]);
        }
    }

    /** One UDP socket, many clients at once: each datagram reaches its own association and only it. */
    @Test
    void oneServerSocketDemultiplexesConcurrentClients() throws Exception {
        int clients = 16;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(clients);
        try (DtlsPair pair = new DtlsPair(DtlsPair.pskServer(), 1232)) {
            java.util.List<Future<DtlsSocket>> served = new java.util.ArrayList<Future<DtlsSocket>>();
            for (int i = 0; i < clients; i++) served.add(pair.echoOne());
            java.util.List<Future<String>> done = new java.util.ArrayList<Future<String>>();
            for (int i = 0; i < clients; i++) {
                final int id = i;
                done.add(pool.submit(() -> {
                    try (DtlsSocket s = DtlsPair.connect(DtlsPair.pskClient(), pair.port(), 1232, null)) {
                        for (int k = 0; k < 20; k++) echo(s, "client " + id + " datagram " + k);
                    }
                    return "ok";
                }));
            }
            for (Future<String> f : done) assertEquals("ok", f.get(60, TimeUnit.SECONDS));
            for (Future<DtlsSocket> f : served) f.get(20, TimeUnit.SECONDS);
            assertEquals(0, pair.server.associations(), "every association is gone once its socket closed");
        } finally {
            pool.shutdownNow();
        }
    }

    /** The context's listener hears DTLS handshakes, alerts and failures, with the client's address on the server. */
    @Test
    void listenerReportsDtlsEvents() throws Exception {
        java.util.List<org.microssl.SslEvent> events = new java.util.concurrent.CopyOnWriteArrayList<org.microssl.SslEvent>();
        SSLContext server = DtlsPair.pskServer();
        server.setListener(events::add);
        try (DtlsPair pair = new DtlsPair(server, 1232)) {
            Future<DtlsSocket> served = pair.echoOne();
            try (DtlsSocket s = DtlsPair.connect(DtlsPair.pskClient(), pair.port(), 1232, null)) {
                echo(s, "x");
            }
            served.get(20, TimeUnit.SECONDS);
        }
        org.microssl.SslEvent first = events.get(0);
        assertEquals(org.microssl.SslEvent.Kind.HANDSHAKE_COMPLETED, first.kind(), events.toString());
        assertEquals("DTLSv1.2", first.version());
        assertEquals("TLS_PSK_WITH_AES_128_CCM_8", first.cipher());
        assertTrue(first.peerAddress().startsWith("127.0.0.1:"), first.toString());
    }

    /** CoAP's mandatory suite is what a PSK client offers first. */
    @Test
    void pskDefaultsToCcm8() throws Exception {
        try (DtlsPair pair = new DtlsPair(DtlsPair.pskServer(), 1232)) {
            pair.echoOne();
            try (DtlsSocket s = DtlsPair.connect(DtlsPair.pskClient(), pair.port(), 1232, null)) {
                assertEquals("TLS_PSK_WITH_AES_128_CCM_8", s.cipher()[0]);
            }
        }
    }

    /** The PSK configuration TLS uses (CPython 3.13's server callback) serves DTLS too. */
    @Test
    void serverCallbackLooksUpEachIdentity() throws Exception {
        SSLContext server = new SSLContext(org.microssl.Ssl.PROTOCOL_DTLS_SERVER);
        java.util.Map<String, byte[]> keys = new java.util.HashMap<String, byte[]>();
        keys.put("sensor-1", "1111111111111111".getBytes(StandardCharsets.US_ASCII));
        keys.put("sensor-2", "2222222222222222".getBytes(StandardCharsets.US_ASCII));
        server.setPskServerCallback(keys::get);
        try (DtlsPair pair = new DtlsPair(server, 1232)) {
            for (String id : keys.keySet()) {
                Future<DtlsSocket> served = pair.echoOne();
                SSLContext client = new SSLContext(org.microssl.Ssl.PROTOCOL_DTLS_CLIENT);
                client.setPskIdentity(id);
                client.setPskKey(keys.get(id));
                try (DtlsSocket s = DtlsPair.connect(client, pair.port(), 1232, null)) {
                    echo(s, id);
                }
                served.get(20, TimeUnit.SECONDS);
            }
            SSLContext stranger = new SSLContext(org.microssl.Ssl.PROTOCOL_DTLS_CLIENT);
            stranger.setPskIdentity("sensor-3");
            stranger.setPskKey("3333333333333333".getBytes(StandardCharsets.US_ASCII));
            stranger.setCiphers("TLS_PSK_WITH_AES_128_CCM_8");
            stranger.setHandshakeTimeout(3000);
            pair.echoOne();
            SslException e = assertThrows(SslException.class, () -> DtlsPair.connect(stranger, pair.port(), 1232, null));
            assertEquals(SslException.Failure.ALERT_RECEIVED, e.failure(), e.getMessage());
            assertEquals(org.bouncycastle.tls.AlertDescription.unknown_psk_identity, e.alert());
        }
    }

    @Test
    void wrongPskFailsTheHandshake() throws Exception {
        SSLContext client = new SSLContext(org.microssl.Ssl.PROTOCOL_DTLS_CLIENT);
        client.setPskIdentity(DtlsPair.IDENTITY);
        client.setPskKey("fedcba9876543210".getBytes(StandardCharsets.US_ASCII));
        client.setHandshakeTimeout(2000);
        try (DtlsPair pair = new DtlsPair(DtlsPair.pskServer(), 1232)) {
            pair.echoOne();
            SslException e = assertThrows(SslException.class, () -> DtlsPair.connect(client, pair.port(), 1232, null));
            // the server cannot decrypt our Finished: it answers with a fatal alert (bad_record_mac or
            // decrypt_error) or, dropping it as RFC 6347 4.1.2.7 allows, stays silent until our deadline
            assertTrue(e.failure() == SslException.Failure.ALERT_RECEIVED
                    || e.failure() == SslException.Failure.HANDSHAKE_TIMEOUT, e.getMessage());
        }
    }

    @Test
    void unknownIssuerIsRejectedWithTheValidatorsReason() throws Exception {
        TestPki.Chain chain = DtlsPair.chain(KeyType.EC_P256);
        TestPki.Chain other = DtlsPair.chain(KeyType.EC_P256);
        try (DtlsPair pair = new DtlsPair(DtlsPair.certServer(chain), 1232)) {
            pair.echoOne();
            SslException e = assertThrows(SslException.class,
                    () -> DtlsPair.connect(DtlsPair.certClient(other), pair.port(), 1232, "localhost"));
            assertEquals(SslException.Failure.CERTIFICATE_REJECTED, e.failure(), e.getMessage());
            assertEquals(Reason.UNKNOWN_ISSUER, e.reason());
        }
    }

    @Test
    void hostnameIsChecked() throws Exception {
        TestPki.Chain chain = DtlsPair.chain(KeyType.EC_P256);
        try (DtlsPair pair = new DtlsPair(DtlsPair.certServer(chain), 1232)) {
            pair.echoOne();
            SslException e = assertThrows(SslException.class,
                    () -> DtlsPair.connect(DtlsPair.certClient(chain), pair.port(), 1232, "other.example"));
            assertEquals(Reason.HOSTNAME_MISMATCH, e.reason());
            // the first error sticks
        }
    }

    /** A small MTU: the certificate flight is fragmented to fit, and each write is bounded by it. */
    @Test
    void smallMtuFragmentsTheHandshakeAndBoundsWrites() throws Exception {
        TestPki.Chain chain = DtlsPair.chain(KeyType.RSA_2048);
        try (DtlsPair pair = new DtlsPair(DtlsPair.certServer(chain), 300);
                Relay relay = new Relay(pair.port(), 1, 0, 0)) {
            pair.echoOne();
            try (DtlsSocket s = DtlsPair.connect(DtlsPair.certClient(chain), relay.port(), 300, "localhost")) {
                echo(s, "x");
                int max = s.maxDatagram();
                assertTrue(max < 300 && max > 200, "max " + max);
                echo(s, new String(new char[max]).replace('\0', 'a'));
                assertThrows(IllegalArgumentException.class, () -> s.write(new byte[max + 1]));
            }
            for (byte[] d : relay.sentToClient()) assertTrue(d.length <= 300, "a datagram of " + d.length);
            for (byte[] d : relay.sentToServer()) assertTrue(d.length <= 300, "a datagram of " + d.length);
        }
    }

    static void echo(DtlsSocket s, String text) throws Exception {
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        s.setTimeout(10000);
        s.write(data);
        assertArrayEquals(data, s.recv());
    }

    static void assertNotEmpty(byte[] b) {
        assertNotNull(b);
        assertTrue(b.length > 0);
    }
}
