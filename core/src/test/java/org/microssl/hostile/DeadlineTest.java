package org.microssl.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.HandshakeType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.microssl.SSLContext;
import org.microssl.SSLSocket;
import org.microssl.SslException;
import org.microssl.SslException.Failure;
import org.microssl.hostile.Duel.Side;
import org.microssl.hostile.Target.Backend;
import org.microssl.hostile.Target.LoopbackServer;
import org.microssl.hostile.Target.Outcome;
import org.microssl.hostile.Target.Version;
import org.microssl.hostile.Wire.Alert;
import org.microssl.testing.MemoryTransport;
import org.microssl.testing.TlsPair;

/**
 * The whole-handshake deadline ({@code SSLContext.setHandshakeTimeout}, here 600 ms) against peers that never
 * finish: silent, dribbling one byte every 200 ms (each read makes progress, so a per-read timeout would never
 * fire), or stalling after their first flight, in TLS 1.2 and 1.3, over sockets and over a non-blocking transport
 * driven by a poll loop. Each ends in HANDSHAKE_TIMEOUT, not before the deadline and well within 5 seconds after
 * it, and the peer is sent user_canceled then close_notify, both warnings (RFC 8446 section 6.1). The deadline
 * does not depend on the crypto backend: these run on the pure-Java one.
 */
class DeadlineTest {
    private static final long DEADLINE_MS = 600;
    /** Slack for a loaded 2-core machine: the refusal may come this late, never earlier than the deadline. */
    private static final long SLACK_MS = 5_000;
    private static final long DRIBBLE_MS = 200;
    private static final List<Alert> USER_CANCELED_THEN_CLOSE = List.of(
            Alert.warning(AlertDescription.user_canceled), Alert.warning(AlertDescription.close_notify));

    enum Peer { SILENT, DRIBBLING, STALLS_TLS12, STALLS_TLS13, SILENT_NON_BLOCKING }

    /**
     * One honest handshake first, so the timings below measure the deadline and not the JVM's first crypto (class
     * loading and the platform's first entropy took 5 s in a cold JVM here).
     */
    @BeforeAll
    static void warmUp() throws Exception {
        TlsPair.connect(Target.client(Backend.LIGHTWEIGHT, null), "localhost",
                Target.server(Backend.LIGHTWEIGHT, null)).client.close();
    }

    @ParameterizedTest(name = "microssl server, client {0}")
    @EnumSource(Peer.class)
    void serverGivesUpAtItsDeadline(Peer peer) throws Exception {
        SSLContext ctx = Target.serverAskingForCertificates(Backend.LIGHTWEIGHT, null);
        ctx.setHandshakeTimeout(DEADLINE_MS);
        switch (peer) {
            case SILENT:
            case DRIBBLING:
                try (LoopbackServer server = new LoopbackServer(ctx); Socket raw = server.connectRaw()) {
                    Thread dribbler = peer == Peer.DRIBBLING ? dribble(raw, ClientHelloBuilder.records(
                            ClientHelloBuilder.tls13().layout().body)) : null;
                    Outcome o = server.outcome();
                    assertTimedOut(o.error, o.elapsedNanos);
                    byte[] answer = Wire.readToEnd(raw, Target.WAIT_MS);
                    assertEquals(USER_CANCELED_THEN_CLOSE, Wire.plaintextAlerts(answer), () -> "records "
                            + Wire.parse(answer));
                    if (dribbler != null) dribbler.join(Target.WAIT_MS);
                }
                break;
            case STALLS_TLS12:
            case STALLS_TLS13:
                Version v = peer == Peer.STALLS_TLS12 ? Version.TLS12 : Version.TLS13;
                Target.only(ctx, v);
                // The client takes the server's flight and then says nothing: its second flight is never sent.
                int last = v == Version.TLS12 ? HandshakeType.server_hello_done : HandshakeType.finished;
                try (LoopbackServer server = new LoopbackServer(ctx);
                        HostilePeer client = HostilePeer.client(Target.hostileClient(v).muteOnReceiving(last),
                                server.port())) {
                    Outcome o = server.outcome();
                    assertTimedOut(o.error, o.elapsedNanos);
                    client.awaitEnd(Target.WAIT_MS);
                    assertEquals(USER_CANCELED_THEN_CLOSE, client.alertsSeen());
                }
                break;
            case SILENT_NON_BLOCKING:
                MemoryTransport[] t = MemoryTransport.nonBlockingPair(1 << 20, false);
                long t0 = System.nanoTime();
                SSLSocket s = ctx.wrapSocket(t[1], true, false, null);
                assertTimedOut(pollUntilFailure(s, t0), System.nanoTime() - t0);
                assertEquals(USER_CANCELED_THEN_CLOSE, Wire.plaintextAlerts(drain(t[0])));
                break;
            default:
                throw new AssertionError(peer);
        }
    }

    @ParameterizedTest(name = "microssl client, server {0}")
    @EnumSource(Peer.class)
    void clientGivesUpAtItsDeadline(Peer peer) throws Exception {
        SSLContext ctx = Target.client(Backend.LIGHTWEIGHT, null);
        ctx.setHandshakeTimeout(DEADLINE_MS);
        switch (peer) {
            case SILENT:
            case DRIBBLING:
                try (RawServer server = new RawServer(peer == Peer.DRIBBLING)) {
                    Outcome o = Target.connect(ctx, server.port());
                    assertTimedOut(o.error, o.elapsedNanos);
                    List<Wire.Record> records = Wire.parse(server.received());
                    assertEquals(Wire.HANDSHAKE, records.get(0).type, "our ClientHello first");
                    assertEquals(USER_CANCELED_THEN_CLOSE, Wire.plaintextAlerts(server.received()),
                            () -> "records " + records);
                }
                break;
            case STALLS_TLS12:
            case STALLS_TLS13:
                Version v = peer == Peer.STALLS_TLS12 ? Version.TLS12 : Version.TLS13;
                Target.only(ctx, v);
                // The server sends its ServerHello, then nothing.
                try (HostilePeer server = HostilePeer.server(Target.hostileServer(v)
                        .muteAfterSending(HandshakeType.server_hello))) {
                    Outcome o = Target.connect(ctx, server.port());
                    assertTimedOut(o.error, o.elapsedNanos);
                    server.awaitEnd(Target.WAIT_MS);
                    assertEquals(USER_CANCELED_THEN_CLOSE, server.alertsSeen());
                }
                break;
            case SILENT_NON_BLOCKING:
                MemoryTransport[] t = MemoryTransport.nonBlockingPair(1 << 20, false);
                long t0 = System.nanoTime();
                SSLSocket s = ctx.wrapSocket(t[0], false, false, "localhost");
                assertTimedOut(pollUntilFailure(s, t0), System.nanoTime() - t0);
                byte[] sent = drain(t[1]);
                assertEquals(Wire.HANDSHAKE, Wire.parse(sent).get(0).type, "our ClientHello first");
                assertEquals(USER_CANCELED_THEN_CLOSE, Wire.plaintextAlerts(sent));
                break;
            default:
                throw new AssertionError(peer);
        }
    }

    /** HANDSHAKE_TIMEOUT with user_canceled, not before the deadline, and not long after it. */
    private static void assertTimedOut(Throwable error, long elapsedNanos) {
        SslException e = Target.assertRefused(error, Failure.HANDSHAKE_TIMEOUT, AlertDescription.user_canceled);
        long ms = TimeUnit.NANOSECONDS.toMillis(elapsedNanos);
        assertTrue(ms >= DEADLINE_MS, () -> "gave up after " + ms + " ms, before its " + DEADLINE_MS + " ms deadline: "
                + e.getMessage());
        assertTrue(ms < DEADLINE_MS + SLACK_MS, () -> "gave up only after " + ms + " ms: " + e.getMessage());
    }

    /** A poll loop: steps the handshake every 20 ms until it throws (or the slack is used up). */
    private static Throwable pollUntilFailure(SSLSocket s, long t0) throws InterruptedException {
        while (System.nanoTime() - t0 < TimeUnit.MILLISECONDS.toNanos(DEADLINE_MS + SLACK_MS)) {
            try {
                if (s.doHandshake()) throw new AssertionError("the handshake completed against a silent peer");
            } catch (IOException e) {
                return e;
            }
            Thread.sleep(20);
        }
        return null;
    }

    /** Everything waiting at a non-blocking memory end. */
    private static byte[] drain(MemoryTransport end) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        int n;
        while ((n = end.read(buf, 0, buf.length)) > 0) out.write(buf, 0, n);
        return out.toByteArray();
    }

    /** Writes {@code bytes} one every {@link #DRIBBLE_MS} until done or the connection is gone. */
    private static Thread dribble(Socket s, byte[] bytes) {
        Thread t = new Thread(() -> {
            try {
                OutputStream out = s.getOutputStream();
                for (byte b : bytes) {
                    out.write(b);
                    out.flush();
                    Thread.sleep(DRIBBLE_MS);
                }
            } catch (IOException | InterruptedException e) {
                // the server gave up on us: that is the point
            }
        }, "dribbler");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /**
     * A server that reads whatever the client sends until it closes, and answers nothing, or a ServerHello's bytes
     * one every {@link #DRIBBLE_MS} once the ClientHello is in.
     */
    private static final class RawServer implements AutoCloseable {
        private final ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        private final Thread reader;

        RawServer(boolean dribble) throws IOException {
            listener.setSoTimeout((int) Target.WAIT_MS);
            reader = new Thread(() -> {
                try (Socket s = listener.accept()) {
                    s.setSoTimeout((int) Target.WAIT_MS);
                    InputStream in = s.getInputStream();
                    byte[] buf = new byte[4096];
                    int n;
                    Thread dribbler = null;
                    while ((n = in.read(buf)) > 0) {
                        synchronized (received) {
                            received.write(buf, 0, n);
                        }
                        if (dribble && dribbler == null) {
                            // the start of a TLS 1.2 ServerHello record: type, version, length, handshake header
                            dribbler = dribble(s, Wire.hex("16 0303 0051 02 00004d 0303"));
                        }
                    }
                } catch (IOException e) {
                    // a reset after the client's last bytes: what arrived is kept
                }
            }, "raw-server");
            reader.setDaemon(true);
            reader.start();
        }

        int port() {
            return listener.getLocalPort();
        }

        /** What the client sent, once it has closed the connection. */
        byte[] received() throws InterruptedException {
            reader.join(Target.WAIT_MS);
            synchronized (received) {
                return received.toByteArray();
            }
        }

        @Override
        public void close() throws IOException {
            listener.close();
        }
    }
}
