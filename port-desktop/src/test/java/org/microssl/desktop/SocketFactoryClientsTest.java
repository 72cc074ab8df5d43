package org.microssl.desktop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.microssl.SSLContext;
import org.microssl.Ssl;
import org.microssl.SslException;
import org.microssl.desktop.interop.InteropPki;
import org.microssl.desktop.net.MicrosslSocket;
import org.microssl.desktop.net.MicrosslSocketFactory;
import org.microssl.testing.Peer;
import org.microssl.testing.TestPki.KeyType;

import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Existing Java clients, unchanged, over {@link MicrosslSocketFactory}: Eclipse Paho publishes and subscribes to
 * Debian's mosquitto (mutual TLS 1.3), OkHttp fetches a page from Debian's nginx (root -> intermediate -> leaf).
 * Both are given the plain-scheme URL ({@code tcp://}, {@code http://}): their {@code ssl://}/{@code https://}
 * paths insist on a JSSE {@code SSLSocketFactory}; the socket's streams are TLS all the same.
 */
class SocketFactoryClientsTest {
    private static final InteropPki PKI = InteropPki.get();

    @TempDir
    static Path dir;

    static Peer broker() throws Exception {
        return Mosquitto.requiringClientCertificates(dir, PKI.file(KeyType.EC_P256, "chain.pem"),
                PKI.file(KeyType.EC_P256, "leaf.key"), PKI.clientFile("root.pem"), "tlsv1.3");
    }

    /** A verifying TLS 1.3 client with the device's certificate (client-chain.pem). */
    static SSLContext device() {
        SSLContext ctx = new SSLContext(Ssl.PROTOCOL_TLS_CLIENT);
        ctx.loadVerifyLocations(PKI.path(KeyType.EC_P256, "root.pem"), null);
        ctx.loadCertChain(PKI.clientFile("chain.pem").toString(), PKI.clientFile("leaf.key").toString());
        ctx.setMinimumVersion(Ssl.TLSv1_3);
        return ctx;
    }

    @Test
    void pahoPublishesAndSubscribesQos0And1OverMutualTls13() throws Exception {
        try (Peer broker = broker()) {
            MqttConnectOptions options = new MqttConnectOptions();
            options.setSocketFactory(new MicrosslSocketFactory(device()));
            options.setCleanSession(true);
            options.setConnectionTimeout(20);
            // tcp://: Paho's ssl:// refuses a SocketFactory that is not a javax.net.ssl.SSLSocketFactory
            MqttClient client = new MqttClient("tcp://127.0.0.1:" + broker.port(), "microssl-paho",
                    new MemoryPersistence());
            try {
                client.connect(options);
                BlockingQueue<String> received = new LinkedBlockingQueue<>();
                client.subscribe("microssl/#", 1, (topic, message) -> received.add(topic + " q" + message.getQos()
                        + " " + new String(message.getPayload(), StandardCharsets.UTF_8)));
                for (int qos : new int[] {0, 1}) {
                    MqttMessage m = new MqttMessage(("reading " + qos).getBytes(StandardCharsets.UTF_8));
                    m.setQos(qos);
                    client.publish("microssl/sensor", m);
                    String got = received.poll(20, TimeUnit.SECONDS);
                    assertEquals("microssl/sensor q" + qos + " reading " + qos, got, broker.output());
                }
                client.disconnect(5_000);
            } finally {
                client.close(true);
            }
        }
    }

    /**
     * The socket handshakes on first use, then honours setSoTimeout: a read with nothing to read times out and
     * leaves the connection intact (Paho reads with a 1 s timeout and relies on it).
     */
    @Test
    void soTimeoutBoundsAReadAndTheConnectionSurvivesIt() throws Exception {
        try (Peer broker = broker();
                Socket s = new MicrosslSocketFactory(device(), "localhost").createSocket("127.0.0.1",
                        broker.port())) {
            ((MicrosslSocket) s).startHandshake();
            assertEquals("TLSv1.3", ((MicrosslSocket) s).tlsConnection().version());
            assertEquals(3, ((MicrosslSocket) s).getPeerCertChain().size());
            s.setSoTimeout(200);
            InputStream in = s.getInputStream();
            assertThrows(SocketTimeoutException.class, () -> in.read(), "the broker says nothing before CONNECT");
            s.getOutputStream().write(Mosquitto.connect("microssl-socket"));
            byte[] connack = new byte[4];
            int n = 0;
            while (n < 4) n += in.read(connack, n, 4 - n);
            assertArrayEquals(Mosquitto.CONNACK_ACCEPTED, connack);
        }
    }

    @Test
    void aServerNamedOtherwiseIsRejectedOnFirstUse() throws Exception {
        try (Peer broker = broker();
                Socket s = new MicrosslSocketFactory(device(), "not-the-broker.test").createSocket()) {
            s.connect(new InetSocketAddress("127.0.0.1", broker.port()), 10_000);
            SslException e = assertThrows(SslException.class, () -> s.getOutputStream().write(1));
            assertEquals(SslException.Failure.CERTIFICATE_REJECTED, e.failure(), e.getMessage());
            assertTrue(e.getMessage().contains("not-the-broker.test"), e.getMessage());
            assertEquals(e, assertThrows(SslException.class, () -> s.getInputStream().read()), "it sticks");
        }
    }

    @Test
    void okHttpFetchesAPageFromNginxOverARootIntermediateLeafChain() throws Exception {
        try (Peer nginx = Nginx.start(dir, PKI.file(KeyType.EC_P256, "chain.pem"),
                PKI.file(KeyType.EC_P256, "leaf.key"))) {
            SSLContext ctx = new SSLContext(Ssl.PROTOCOL_TLS_CLIENT);
            ctx.loadVerifyLocations(PKI.path(KeyType.EC_P256, "root.pem"), null);
            OkHttpClient client = new OkHttpClient.Builder().socketFactory(new MicrosslSocketFactory(ctx)).build();
            // http://: OkHttp's https:// would put its own JSSE TLS on top; the socket already speaks TLS
            Request request = new Request.Builder().url("http://127.0.0.1:" + nginx.port() + "/").build();
            try (Response response = client.newCall(request).execute()) {
                assertEquals(200, response.code());
                assertNotNull(response.body());
                assertEquals("hello from nginx\n", response.body().string());
            } finally {
                client.connectionPool().evictAll();
                client.dispatcher().executorService().shutdown();
            }
        }
    }
}
