package org.microssl.desktop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.microssl.SSLContext;
import org.microssl.SSLSocket;
import org.microssl.Ssl;
import org.microssl.SslException;
import org.microssl.desktop.MainClientTest.Run;
import org.microssl.desktop.interop.InteropPki;
import org.microssl.testing.Peer;
import org.microssl.testing.TestPki.KeyType;

/**
 * Against Debian's mosquitto with {@code require_certificate}: a client without a certificate is told so; one
 * with its identity in a PKCS#12 file connects, and MicroPython's {@code read(4)} gets the whole CONNACK.
 */
class MosquittoTest {
    private static final InteropPki PKI = InteropPki.get();

    @TempDir
    static Path dir;

    @BeforeAll
    static void p12() throws Exception {
        Files.write(dir.resolve("pw.txt"), "broker pass".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Peer.runTool(dir, "openssl", "pkcs12", "-export", "-in", PKI.clientFile("leaf.pem").toString(), "-inkey",
                PKI.clientFile("leaf.key").toString(), "-certfile", PKI.clientFile("int.pem").toString(), "-out",
                "device.p12", "-passout", "file:pw.txt");
    }

    static Peer broker(String tls) throws Exception {
        return Mosquitto.requiringClientCertificates(dir, PKI.file(KeyType.EC_P256, "chain.pem"),
                PKI.file(KeyType.EC_P256, "leaf.key"), PKI.clientFile("root.pem"), tls);
    }

    static SSLContext client() {
        SSLContext ctx = new SSLContext(Ssl.PROTOCOL_TLS_CLIENT);
        ctx.loadVerifyLocations(PKI.path(KeyType.EC_P256, "root.pem"), null);
        return ctx;
    }

    @Test
    void aDeviceWithItsPkcs12IdentityConnects() throws Exception {
        try (Peer broker = broker("tlsv1.3")) {
            SSLContext ctx = client();
            ctx.loadPkcs12(dir.resolve("device.p12").toString(), "broker pass".toCharArray());
            try (SSLSocket s = ctx.wrapSocket(new Socket("127.0.0.1", broker.port()), false, true, "localhost")) {
                s.write(Mosquitto.connect("microssl-device"));
                assertArrayEquals(Mosquitto.CONNACK_ACCEPTED, s.read(4));
            }
        }
    }

    /** TLS 1.3: our handshake completes before the broker's verdict; its certificate_required says what to do. */
    @Test
    void noClientCertificateIsCertificateRequiredWithWhatToDo() throws Exception {
        try (Peer broker = broker("tlsv1.3")) {
            SSLSocket s = client().wrapSocket(new Socket("127.0.0.1", broker.port()), false, true, "localhost");
            SslException e = assertThrows(SslException.class, () -> s.read(4));
            assertEquals(SslException.Failure.ALERT_RECEIVED, e.failure());
            assertEquals(116, e.alert(), e.getMessage());
            assertTrue(e.getMessage().contains("the server requires a client certificate and none is loaded"),
                    e.getMessage());
            s.close();
        }
    }

    /**
     * The race the issue saw (certificate_required 1 time in 3, "Connection reset by peer" 2 times in 3): the client
     * writes its MQTT CONNECT right after its handshake, while the broker's alert and reset are on their way. The
     * alert is read before the reset is reported, every time.
     */
    @Test
    void writingBeforeTheBrokersVerdictStillReportsTheAlert() throws Exception {
        try (Peer broker = broker("tlsv1.3")) {
            for (int i = 0; i < 8; i++) {
                SSLSocket s = client().wrapSocket(new Socket("127.0.0.1", broker.port()), false, true, "localhost");
                SslException e = assertThrows(SslException.class, () -> {
                    s.write(Mosquitto.connect("microssl-" + s.hashCode()));
                    s.read(4);
                });
                assertEquals(SslException.Failure.ALERT_RECEIVED, e.failure(), e.getMessage());
                assertEquals(116, e.alert());
                assertTrue(e.getMessage().contains("none is loaded"), e.getMessage());
                s.close();
            }
        }
    }

    @Test
    void theCliClientSaysItToo() throws Exception {
        try (Peer broker = broker("tlsv1.3")) {
            Run r = MainClientTest.main("client", "localhost", String.valueOf(broker.port()), "--cafile",
                    PKI.path(KeyType.EC_P256, "root.pem"));
            assertEquals(1, r.status(), r.out());
            assertTrue(r.err().startsWith("error: ALERT_RECEIVED: peer sent alert certificate_required(116)"), r.err());
            assertTrue(r.err().contains("none is loaded: call loadCertChain or loadPkcs12 first (CLI: --cert and "
                    + "--key, or --p12)"), r.err());
        }
    }
}
