package org.microssl.embedded;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.microssl.SSLContext;
import org.microssl.SSLSocket;
import org.microssl.Ssl;
import org.microssl.StreamTransport;
import org.microssl.testing.Peer;
import org.microssl.testing.TestPki;
import org.microssl.testing.Internals;

/**
 * max_fragment_length (RFC 6066 section 4) offered by the embedded client: the records that come back are no
 * larger than negotiated, against openssl s_server and against a microssl server; without MFL the same reply comes
 * in one large record (so the size assertion can fail).
 */
class MaxFragmentLengthTest {

    /** TLS 1.3 adds the inner content type and a 16-byte AEAD tag to each plaintext fragment (RFC 8446 5.2). */
    static final int TLS13_OVERHEAD = 1 + 16;

    @TempDir
    static Path dir;
    static TestPki.Chain pki;

    @BeforeAll
    static void pki() throws IOException {
        pki = TestPki.chain(TestPki.KeyType.EC_P256).writeTo(dir, "");
    }

    static SSLContext client(int mfl) {
        SSLContext ctx = new SSLContext(Ssl.PROTOCOL_TLS_CLIENT);
        ctx.loadVerifyLocations(pki.root.der);
        if (mfl != 0) {
            ctx.setMaxFragmentLength(mfl);
        }
        return ctx;
    }

    static RecordSizeTransport connect(int port) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        return new RecordSizeTransport(new StreamTransport(s.getInputStream(), s.getOutputStream(), s));
    }

    static byte[] readAll(SSLSocket tls) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[1024];
        int n;
        while ((n = tls.readinto(buf)) > 0) {
            got.write(buf, 0, n);
        }
        return got.toByteArray();
    }

    private static String line(int length) {
        char[] c = new char[length];
        for (int i = 0; i < length; i++) {
            c[i] = (char) ('a' + i % 26);
        }
        return new String(c);
    }

    private RecordSizeTransport againstOpenssl(int mfl, String line) throws Exception {
        try (Peer server = Peer.opensslServer(dir, "-cert", dir.resolve("leaf.pem").toString(), "-cert_chain", dir.resolve("int.pem").toString(), "-key",
                dir.resolve("leaf.key").toString(), "-tls1_3", "-rev")) {
            RecordSizeTransport wire = connect(server.port());
            SSLSocket tls = client(mfl).wrapSocket(wire, false, true, "localhost");
            assertEquals(mfl, tls.maxFragmentLength());
            tls.write((line + "\nCLOSE\n").getBytes(StandardCharsets.US_ASCII));
            String reply = new String(readAll(tls), StandardCharsets.US_ASCII);
            assertTrue(reply.startsWith(new StringBuilder(line).reverse().toString()), reply);
            tls.close();
            return wire;
        }
    }

    @Test
    void opensslServerHonoursMfl512() throws Exception {
        RecordSizeTransport wire = againstOpenssl(512, line(3000));
        assertTrue(wire.received.maxLength <= 512 + TLS13_OVERHEAD,
            "largest record from s_server: " + wire.received.maxLength);
        assertTrue(wire.received.records >= 6, "3000 bytes in 512-byte records: " + wire.received.records);
        assertTrue(wire.sent.maxLength <= 512 + TLS13_OVERHEAD, "largest record sent: " + wire.sent.maxLength);
    }

    @Test
    void withoutMflTheSameReplyComesInALargeRecord() throws Exception {
        RecordSizeTransport wire = againstOpenssl(0, line(3000));
        assertTrue(wire.received.maxLength > 3000, "largest record from s_server: " + wire.received.maxLength);
    }

    @Test
    void microsslServerHonoursMfl512() throws Exception {
        SSLContext serverCtx = new SSLContext(Ssl.PROTOCOL_TLS_SERVER);
        serverCtx.loadCertChain(pki.chainPem().getBytes(StandardCharsets.US_ASCII),
            pki.leaf.keyPkcs8Pem().getBytes(StandardCharsets.US_ASCII));
        byte[] payload = line(5000).getBytes(StandardCharsets.US_ASCII);
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Integer> served = CompletableFuture.supplyAsync(() -> {
                try (Socket s = listener.accept()) {
                    SSLSocket tls = serverCtx.wrapSocket(s, true, true, null);
                    byte[] hello = tls.readline();
                    tls.write(payload);
                    tls.close();
                    return hello.length;
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            RecordSizeTransport wire = connect(listener.getLocalPort());
            SSLSocket tls = client(512).wrapSocket(wire, false, true, "localhost");
            assertEquals(512, tls.maxFragmentLength());
            assertTrue(Internals.transferBufferSize(tls) <= 1024, "buffers sized from MFL: " + Internals.transferBufferSize(tls));
            tls.write("hello\n".getBytes(StandardCharsets.US_ASCII));
            assertArrayEquals(payload, readAll(tls));
            tls.close();
            assertEquals(6, served.get(10, TimeUnit.SECONDS));
            assertTrue(wire.received.maxLength <= 512 + TLS13_OVERHEAD,
                "largest record from the microssl server: " + wire.received.maxLength);
            assertTrue(wire.received.records >= 10, "records: " + wire.received.records);
        }
    }

    @Test
    void everyMflValueIsNegotiated() throws Exception {
        for (int mfl : new int[] {1024, 2048, 4096}) {
            RecordSizeTransport wire = againstOpenssl(mfl, line(9000));
            assertTrue(wire.received.maxLength <= mfl + TLS13_OVERHEAD,
                "MFL " + mfl + ": largest record " + wire.received.maxLength);
        }
    }
}
