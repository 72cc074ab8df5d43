package org.microssl.desktop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.microssl.SSLContext;
import org.microssl.SSLSocket;
import org.microssl.desktop.interop.Backend;
import org.microssl.desktop.interop.InteropPki;
import org.microssl.desktop.interop.Microssl;
import org.microssl.testing.Peer;
import org.microssl.testing.TestPki.KeyType;

/**
 * {@code microssl.jar server} as a process, with a silent client, a client dribbling its ClientHello and an
 * established client that idles, all connected before a real client: the real client is served while they stall
 * (clients are served concurrently), and each stalled one is cut at its deadline with the alert it is owed.
 */
class CliServerStallIT {
    private static final Path JAR = Paths.get("target", "microssl.jar");
    private static final InteropPki PKI = InteropPki.get();
    private static final int HANDSHAKE_TIMEOUT_S = 3;
    private static final int IDLE_TIMEOUT_S = 4;

    @Test
    void stalledClientsDelayNobodyAndAreCutAtTheirDeadlines() throws Exception {
        assertTrue(Files.isRegularFile(JAR), JAR.toAbsolutePath() + " is missing; run mvn package first");
        List<String> c = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toAbsolutePath().toString(), "server", "0",
                "--cert", PKI.path(KeyType.EC_P256, "chain.pem"), "--key", PKI.path(KeyType.EC_P256, "leaf.key"),
                "--handshake-timeout", String.valueOf(HANDSHAKE_TIMEOUT_S),
                "--idle-timeout", String.valueOf(IDLE_TIMEOUT_S), "--max-conns", "8"));
        try (Peer server = Peer.serverAnnouncingPort("microssl.jar server", PKI.dir, c,
                Pattern.compile("listening port=(\\d+)"));
                Socket silent = connect(server.port());
                Socket dribbler = connect(server.port())) {
            AtomicBoolean stop = new AtomicBoolean();
            Thread drip = new Thread(() -> dribble(dribbler, stop));
            drip.start();
            SSLContext ctx = Microssl.client(Backend.LIGHTWEIGHT, PKI.file(KeyType.EC_P256, "root.pem"), 0);
            long t0 = System.nanoTime();
            try (SSLSocket idle = Microssl.connect(ctx, server.port(), "localhost")) {
                // A real client, while three others stall: it is served at once, not after their deadlines.
                try (SSLSocket real = Microssl.connect(ctx, server.port(), "localhost")) {
                    real.write("ping\n".getBytes(StandardCharsets.US_ASCII));
                    assertArrayEquals("ping\n".getBytes(StandardCharsets.US_ASCII), real.read(5));
                }
                long servedMs = (System.nanoTime() - t0) / 1_000_000;
                // Served concurrently: well before the stalled clients' handshake deadline could have freed a
                // one-at-a-time server (the bound is loose on purpose: this is not a speed test).
                assertTrue(servedMs < HANDSHAKE_TIMEOUT_S * 1000L, "real client took " + servedMs + " ms");

                // The silent client is cut at the handshake deadline: the server's user_canceled warning, sent in
                // plaintext before any ClientHello, then close_notify, then the end of the stream.
                byte[] seen = readAll(silent, (HANDSHAKE_TIMEOUT_S + 10) * 1000);
                assertArrayEquals(new byte[] {21, 3, 3, 0, 2, 1, 90, 21, 3, 3, 0, 2, 1, 0}, seen,
                        "silent client got " + hex(seen));
                // The idle client is closed at the idle timeout: its read ends without close_notify.
                long idleStart = System.nanoTime();
                try {
                    idle.read(1);
                } catch (java.io.IOException expected) {
                    // TRUNCATED: the server closed the socket
                }
                long idleMs = (System.nanoTime() - idleStart) / 1_000_000;
                assertTrue(idleMs < (IDLE_TIMEOUT_S + 10) * 1000L, "idle client held for " + idleMs + " ms");
            } finally {
                stop.set(true);
                drip.join(10_000);
            }
            // The server's reports come through a pipe: the silent and the dribbling client's, and the idle one's.
            server.awaitOutput(Pattern.compile("(?s)HANDSHAKE_TIMEOUT.*HANDSHAKE_TIMEOUT"), 10_000);
            server.awaitOutput("IDLE_TIMEOUT", 10_000);
            String log = server.output();
            assertEquals(2, count(log, "HANDSHAKE_TIMEOUT"), log);
        }
    }

    private static Socket connect(int port) throws Exception {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(30_000);
        return s;
    }

    /** A ClientHello record header and then one byte every 200 ms: each read succeeds, the handshake never ends. */
    private static void dribble(Socket s, AtomicBoolean stop) {
        try {
            OutputStream out = s.getOutputStream();
            byte[] start = {22, 3, 1, 0x02, 0x00, 1, 0, 1, (byte) 0xfc, 3, 3};
            for (int i = 0; !stop.get() && i < 500; i++) {
                out.write(i < start.length ? start[i] : 0x42);
                out.flush();
                Thread.sleep(200);
            }
        } catch (Exception e) {
            // the server closed the connection: what we wanted
        }
    }

    private static byte[] readAll(Socket s, int timeoutMs) throws Exception {
        s.setSoTimeout(timeoutMs);
        InputStream in = s.getInputStream();
        java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
        byte[] buf = new byte[256];
        int n;
        try {
            while ((n = in.read(buf)) > 0) got.write(buf, 0, n);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server did not close the silent client within " + timeoutMs + " ms; got "
                    + hex(got.toByteArray()));
        } catch (java.net.SocketException e) {
            // reset after the alerts
        }
        return got.toByteArray();
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) sb.append(String.format("%02x", x));
        return sb.toString();
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) n++;
        return n;
    }
}
