package org.microssl.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.microssl.DatagramSocketTransport;
import org.microssl.spi.Clock;
import org.microssl.spi.EntropySource;

/** SNTP (RFC 4330) against a responder on loopback, with good and bad replies. */
class SntpClientTest {

    /** 2030-06-01T12:00:00Z, a time no test machine's clock shows, so a pass cannot be the system clock. */
    static final long SERVER_TIME = 1_906_545_600_000L;

    static final EntropySource NONCES = new SecureRandom()::nextBytes;

    private static long sync(Function<byte[], List<byte[]>> scenario, RtcClock rtc, int attempts)
            throws Exception {
        try (SntpResponder server = new SntpResponder(scenario);
                DatagramSocketTransport udp = DatagramSocketTransport.open("127.0.0.1", server.port())) {
            return new SntpClient(udp, NONCES).setTimeoutMillis(300).setAttempts(attempts).sync(rtc);
        }
    }

    private static List<byte[]> one(byte[] reply) {
        return Collections.singletonList(reply);
    }

    @Test
    void validReplySetsTheRtc() throws Exception {
        RtcClock rtc = new RtcClock();
        assertEquals(Clock.TIME_UNKNOWN, rtc.currentTimeMillis());
        long set = sync(req -> one(SntpResponder.reply(req, SERVER_TIME)), rtc, 1);
        assertTrue(rtc.isSet());
        // Loopback round trip is well under a second; the estimate adds half of it.
        assertTrue(set >= SERVER_TIME && set < SERVER_TIME + 1000, "set to " + set);
        long now = rtc.currentTimeMillis();
        assertTrue(now >= set && now < set + 1000, "now " + now);
        int[] dt = rtc.datetime();
        assertEquals(2030, dt[0]);
        assertEquals(6, dt[1]);
        assertEquals(1, dt[2]);
        assertEquals(5, dt[3], "2030-06-01 is a Saturday (MicroPython weekday 5)");
        assertEquals(12, dt[4]);
    }

    @Test
    void requestIsAVersion4ClientPacketWithARandomTransmitTimestamp() throws Exception {
        try (SntpResponder server = new SntpResponder(req -> one(SntpResponder.reply(req, SERVER_TIME)));
                DatagramSocketTransport udp = DatagramSocketTransport.open("127.0.0.1", server.port())) {
            SntpClient client = new SntpClient(udp, NONCES).setTimeoutMillis(300);
            client.sync(new RtcClock());
            byte[] first = server.lastRequest;
            client.sync(new RtcClock());
            byte[] second = server.lastRequest;
            assertEquals(48, first.length);
            assertEquals(0x23, first[0] & 0xff, "LI 0, VN 4, mode 3");
            assertFalse(java.util.Arrays.equals(java.util.Arrays.copyOfRange(first, 40, 48),
                java.util.Arrays.copyOfRange(second, 40, 48)), "each request carries a fresh nonce");
        }
    }

    private static SntpException rejected(Function<byte[], List<byte[]>> scenario) {
        RtcClock rtc = new RtcClock();
        SntpException e = assertThrows(SntpException.class, () -> sync(scenario, rtc, 1));
        assertFalse(rtc.isSet(), "a rejected reply must not set the clock");
        assertEquals(Clock.TIME_UNKNOWN, rtc.currentTimeMillis());
        return e;
    }

    @Test
    void rejectsAReplyThatIsNotMode4() {
        SntpException e = rejected(req -> {
            byte[] r = SntpResponder.reply(req, SERVER_TIME);
            r[0] = (byte) (4 << 3 | 3);
            return one(r);
        });
        assertTrue(e.getMessage().contains("mode 3 is not 4"), e.getMessage());
        assertNull(e.kissCode());
    }

    @Test
    void rejectsStratum16() {
        SntpException e = rejected(req -> {
            byte[] r = SntpResponder.reply(req, SERVER_TIME);
            r[1] = 16;
            return one(r);
        });
        assertTrue(e.getMessage().contains("stratum 16 is outside 1..15"), e.getMessage());
    }

    @Test
    void rejectsAReplyThatDoesNotEchoTheNonce() {
        SntpException e = rejected(req -> {
            byte[] r = SntpResponder.reply(req, SERVER_TIME);
            r[31] ^= 1;
            return one(r);
        });
        assertTrue(e.getMessage().contains("originate timestamp does not echo"), e.getMessage());
    }

    @Test
    void rejectsAZeroTransmitTimestamp() {
        SntpException e = rejected(req -> {
            byte[] r = SntpResponder.reply(req, SERVER_TIME);
            java.util.Arrays.fill(r, 40, 48, (byte) 0);
            return one(r);
        });
        assertTrue(e.getMessage().contains("transmit timestamp is zero"), e.getMessage());
    }

    @Test
    void rejectsAnUnsynchronisedLeapIndicator() {
        SntpException e = rejected(req -> {
            byte[] r = SntpResponder.reply(req, SERVER_TIME);
            r[0] |= (byte) 0xc0;
            return one(r);
        });
        assertTrue(e.getMessage().contains("leap indicator 3"), e.getMessage());
    }

    @Test
    void rejectsAShortReply() {
        SntpException e = rejected(req -> one(java.util.Arrays.copyOf(SntpResponder.reply(req, SERVER_TIME), 40)));
        assertTrue(e.getMessage().contains("40 bytes is shorter than the 48-byte"), e.getMessage());
    }

    @Test
    void kissOfDeathStopsAtOnceWithItsCode() {
        long start = System.nanoTime();
        SntpException e = rejected(req -> {
            byte[] r = SntpResponder.reply(req, SERVER_TIME);
            r[1] = 0;
            r[12] = 'R';
            r[13] = 'A';
            r[14] = 'T';
            r[15] = 'E';
            return one(r);
        });
        assertEquals("RATE", e.kissCode());
        assertTrue(e.getMessage().contains("Kiss-o'-Death RATE"), e.getMessage());
        assertTrue((System.nanoTime() - start) / 1_000_000 < 250, "a KoD must not wait for the timeout");
    }

    @Test
    void forgedKissOfDeathIsIgnoredAndTheRealReplyUsed() throws Exception {
        RtcClock rtc = new RtcClock();
        sync(req -> {
            byte[] forged = SntpResponder.reply(req, SERVER_TIME);
            forged[1] = 0;
            System.arraycopy("DENY".getBytes(), 0, forged, 12, 4);
            forged[24] ^= 1;
            return java.util.Arrays.asList(forged, SntpResponder.reply(req, SERVER_TIME));
        }, rtc, 1);
        assertTrue(rtc.isSet());
        assertTrue(rtc.currentTimeMillis() >= SERVER_TIME);
    }

    @Test
    void noReplyTimesOutAfterEveryAttempt() throws Exception {
        RtcClock rtc = new RtcClock();
        try (SntpResponder server = new SntpResponder(req -> Collections.emptyList());
                DatagramSocketTransport udp = DatagramSocketTransport.open("127.0.0.1", server.port())) {
            SntpException e = assertThrows(SntpException.class,
                () -> new SntpClient(udp, NONCES).setTimeoutMillis(100).setAttempts(2).sync(rtc));
            assertEquals("SNTP gave no usable time after 2 request(s) of 100 ms: no reply", e.getMessage());
            assertEquals(2, server.requests.get());
        }
        assertFalse(rtc.isSet());
    }

    @Test
    void failingNonceSourceFailsTheQuery() throws Exception {
        try (DatagramSocket quiet = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                DatagramSocketTransport udp = DatagramSocketTransport.open("127.0.0.1", quiet.getLocalPort())) {
            EntropySource broken = out -> {
                throw new IOException("TRNG offline");
            };
            IOException e = assertThrows(IOException.class, () -> new SntpClient(udp, broken).sync(new RtcClock()));
            assertEquals("TRNG offline", e.getMessage());
        }
    }

    @Test
    void timestampEras() {
        // RFC 4330 section 3: 2036-02-07T06:28:16Z is where era 0 ends and the top bit wraps to 0.
        long eraBoundary = 2_085_978_496_000L;
        assertEquals(0L, SntpClient.unixMillisToNtp(eraBoundary) >>> 32);
        assertEquals(eraBoundary, SntpClient.ntpToUnixMillis(SntpClient.unixMillisToNtp(eraBoundary)));
        assertEquals(SERVER_TIME + 250, SntpClient.ntpToUnixMillis(SntpClient.unixMillisToNtp(SERVER_TIME + 250)));
        assertEquals(0L, SntpClient.ntpToUnixMillis(SntpClient.NTP_TO_UNIX_SECONDS << 32));
    }
}
