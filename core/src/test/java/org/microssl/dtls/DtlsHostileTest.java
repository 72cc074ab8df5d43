package org.microssl.dtls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.microssl.DtlsSocket;
import org.microssl.testing.TestPki;

/**
 * Hostile datagrams (RFC 6347 section 4.1.2.7: invalid records are discarded silently): garbage, forged and
 * replayed records, and spoofed ClientHellos, none of which fails a connection or makes the server keep state.
 */
class DtlsHostileTest {

    @Test
    void garbageForgedAndReplayedDatagramsAreDroppedNotFatal() throws Exception {
        TestPki.Chain chain = DtlsPair.chain(TestPki.KeyType.EC_P256);
        try (DtlsPair pair = new DtlsPair(DtlsPair.certServer(chain), 1232);
                Relay relay = new Relay(pair.port(), 7, 0, 0)) {
            Future<DtlsSocket> served = pair.echoOne();
            try (DtlsSocket s = DtlsPair.connect(DtlsPair.certClient(chain), relay.port(), 1232, "localhost")) {
                DtlsHandshakeTest.echo(s, "before");
                Random random = new Random(7);
                for (int i = 0; i < 200; i++) {
                    byte[] garbage = new byte[1 + random.nextInt(300)];
                    random.nextBytes(garbage);
                    if (i % 3 == 0 && garbage.length > 13) {
                        // a plausible DTLS 1.2 record header, so the datagram reaches decryption
                        garbage[0] = (byte) (20 + i % 4); // change_cipher_spec, alert, handshake, application_data
                        garbage[1] = (byte) 0xfe;
                        garbage[2] = (byte) 0xfd;
                        garbage[3] = 0;
                        garbage[4] = (byte) (i % 2);
                        garbage[11] = (byte) ((garbage.length - 13) >> 8);
                        garbage[12] = (byte) (garbage.length - 13);
                    }
                    relay.inject(garbage, i % 2 == 0);
                }
                // a forged copy of our last record (one ciphertext bit flipped) and an exact replay of it
                List<byte[]> sent = relay.sentToServer();
                byte[] last = sent.get(sent.size() - 1);
                byte[] forged = last.clone();
                forged[forged.length - 1] ^= 1;
                relay.inject(forged, true);
                relay.inject(last, true);
                // an unauthenticated (epoch 0) fatal alert towards the client
                relay.inject(new byte[] {21, (byte) 0xfe, (byte) 0xfd, 0, 0, 0, 0, 0, 0, 0, 99, 0, 2, 2, 40}, false);
                // UDP may lose a datagram behind 200 injected ones on a loaded machine (a socket buffer overflows),
                // so these echoes are sent again until answered, as a CoAP client does; a repeat of one of them is
                // ours, but "before" must never come back a second time
                echoUntilAnswered(s, "after");
                echoUntilAnswered(s, "once");
                s.setTimeout(300);
                try {
                    while (true) {
                        String late = new String(s.recv(), java.nio.charset.StandardCharsets.UTF_8);
                        org.junit.jupiter.api.Assertions.assertNotEquals("before", late, "a datagram delivered twice");
                    }
                } catch (SocketTimeoutException expected) {
                    // nothing more
                }
            }
            served.get(20, TimeUnit.SECONDS); // the server's echo loop ended on close_notify, not on an error
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(longs = {1, 2, 3, 4, 5})
    void garbageDuringTheHandshakeIsDropped(long seed) throws Exception {
        try (DtlsPair pair = new DtlsPair(DtlsPair.pskServer(), 1232);
                DatagramSocket attacker = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Future<DtlsSocket> served = pair.echoOne();
            Random random = new Random(3);
            for (int i = 0; i < 300; i++) {
                byte[] garbage = new byte[1 + random.nextInt(200)];
                random.nextBytes(garbage);
                if (i % 2 == 0) {
                    garbage[0] = 22; // handshake
                    if (garbage.length > 3) {
                        garbage[1] = (byte) 0xfe;
                        garbage[2] = (byte) 0xfd;
                    }
                }
                attacker.send(new DatagramPacket(garbage, garbage.length, InetAddress.getLoopbackAddress(),
                        pair.port()));
            }
            assertEquals(0, pair.server.associations(), "garbage made the server keep state");
            // and garbage from the client's own address, before every datagram of the handshake, both ways
            try (Relay relay = new Relay(pair.port(), 3, 0, 0).noisy(seed)) {
                try (DtlsSocket s = DtlsPair.connect(DtlsPair.pskClient(), relay.port(), 1232, null)) {
                    DtlsHandshakeTest.echo(s, "21.5 C");
                }
                served.get(20, TimeUnit.SECONDS); // close_notify got through the noise
            }
        }
    }

    /**
     * RFC 6347 section 4.2.1: a ClientHello without the cookie costs the server one HelloVerifyRequest and no
     * state, however many source addresses send one.
     */
    @Test
    void spoofedClientHellosGetACookieAndNoState() throws Exception {
        TestPki.Chain chain = DtlsPair.chain(TestPki.KeyType.EC_P256);
        byte[] clientHello;
        try (DtlsPair pair = new DtlsPair(DtlsPair.certServer(chain), 1232);
                Relay relay = new Relay(pair.port(), 1, 0, 0)) {
            pair.echoOne();
            try (DtlsSocket s = DtlsPair.connect(DtlsPair.certClient(chain), relay.port(), 1232, "localhost")) {
                clientHello = relay.sentToServer().get(0);
            }
            for (int i = 0; i < 50; i++) {
                try (DatagramSocket spoofed = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                    spoofed.send(new DatagramPacket(clientHello, clientHello.length, InetAddress.getLoopbackAddress(),
                            pair.port()));
                    spoofed.setSoTimeout(5000);
                    byte[] buf = new byte[2048];
                    DatagramPacket reply = new DatagramPacket(buf, buf.length);
                    spoofed.receive(reply);
                    assertEquals(22, buf[0], "a handshake record");
                    assertEquals(3, buf[13], "hello_verify_request(3)");
                }
            }
            assertEquals(0, pair.server.associations());
        }
    }

    /** A cookie is bound to the client's address: one replayed from another address gets a fresh cookie. */
    @Test
    void aCookieFromAnotherAddressIsRefused() throws Exception {
        try (DtlsPair pair = new DtlsPair(DtlsPair.pskServer(), 1232);
                Relay relay = new Relay(pair.port(), 1, 0, 0)) {
            Future<DtlsSocket> served = pair.echoOne();
            try (DtlsSocket s = DtlsPair.connect(DtlsPair.pskClient(), relay.port(), 1232, null)) {
                DtlsHandshakeTest.echo(s, "x");
            }
            served.get(20, TimeUnit.SECONDS); // its association is gone once its socket is closed
            assertEquals(0, pair.server.associations());
            byte[] withCookie = relay.sentToServer().get(1); // the second ClientHello, carrying the cookie
            assertEquals(1, withCookie[13], "client_hello(1)");
            try (DatagramSocket other = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                other.send(new DatagramPacket(withCookie, withCookie.length, InetAddress.getLoopbackAddress(),
                        pair.port()));
                other.setSoTimeout(5000);
                byte[] buf = new byte[2048];
                DatagramPacket reply = new DatagramPacket(buf, buf.length);
                other.receive(reply);
                assertEquals(3, buf[13], "hello_verify_request(3), not a ServerHello");
            }
            assertEquals(0, pair.server.associations());
        }
    }

    static void assertEcho(DtlsSocket s, String text) throws Exception {
        byte[] data = text.getBytes(StandardCharsets.UTF_8);
        s.write(data);
        assertArrayEquals(data, s.recv());
        assertTrue(true);
    }

    /** A silent server: the ClientHello is retransmitted (RFC 6347 4.2.4) until the deadline, then HANDSHAKE_TIMEOUT. */
    @Test
    void silentServerIsAHandshakeTimeoutAfterRetransmissions() throws Exception {
        try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            org.microssl.SSLContext ctx = DtlsPair.pskClient();
            ctx.setHandshakeTimeout(2500);
            org.microssl.SslException e = assertThrows(org.microssl.SslException.class,
                    () -> DtlsPair.connect(ctx, silent.getLocalPort(), 1232, null));
            assertEquals(org.microssl.SslException.Failure.HANDSHAKE_TIMEOUT, e.failure(), e.getMessage());
            silent.setSoTimeout(200);
            int hellos = 0;
            byte[] buf = new byte[2048];
            try {
                while (true) {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    silent.receive(p);
                    assertEquals(1, buf[13], "client_hello(1)");
                    hellos++;
                }
            } catch (SocketTimeoutException drained) {
                // all read
            }
            assertTrue(hellos >= 2, "the ClientHello was sent " + hellos + " time(s): no retransmission");
        }
    }

    /**
     * A client that passes the cookie exchange and then goes silent holds its association only until the server's
     * handshake deadline.
     */
    @Test
    void aClientThatStallsAfterItsCookieIsDroppedAtTheDeadline() throws Exception {
        org.microssl.SSLContext serverCtx = DtlsPair.pskServer();
        serverCtx.setHandshakeTimeout(1500);
        try (DtlsPair pair = new DtlsPair(serverCtx, 1232);
                Relay relay = new Relay(pair.port(), 1, 0, 0)) {
            Future<DtlsSocket> served = pair.echoOne();
            // a real client through the relay, to learn a ClientHello with a valid cookie for the relay's address
            try (DtlsSocket s = DtlsPair.connect(DtlsPair.pskClient(), relay.port(), 1232, null)) {
                DtlsHandshakeTest.echo(s, "x");
            }
            served.get(20, TimeUnit.SECONDS);
            byte[] withCookie = relay.sentToServer().get(1);
            Future<DtlsSocket> stalled = pair.echoOne();
            relay.inject(withCookie, true); // the same address: a new association, then silence
            java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> stalled.get(20, TimeUnit.SECONDS));
            org.microssl.SslException cause = (org.microssl.SslException) e.getCause();
            assertEquals(org.microssl.SslException.Failure.HANDSHAKE_TIMEOUT, cause.failure(), cause.getMessage());
            assertEquals(0, pair.server.associations());
        }
    }

    /** Sends {@code text} (again each second, at most 10 times) until it is echoed; "before" must not come back. */
    private static void echoUntilAnswered(DtlsSocket s, String text) throws Exception {
        byte[] data = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        s.setTimeout(1000);
        for (int attempt = 0; attempt < 10; attempt++) {
            s.write(data);
            try {
                while (true) {
                    String got = new String(s.recv(), java.nio.charset.StandardCharsets.UTF_8);
                    org.junit.jupiter.api.Assertions.assertNotEquals("before", got, "a datagram delivered twice");
                    if (got.equals(text)) return;
                }
            } catch (SocketTimeoutException lost) {
                // send it again
            }
        }
        org.junit.jupiter.api.Assertions.fail("no echo of " + text + " in 10 tries");
    }
}
