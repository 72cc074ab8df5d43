package org.microssl.embedded;

import java.io.IOException;

import org.microssl.spi.DatagramTransport;
import org.microssl.spi.EntropySource;

/**
 * A unicast SNTP client (RFC 4330) that sets an {@link RtcClock} before the first verified handshake.
 *
 * <p>The device's own time is unknown when this runs, so the request carries a random transmit timestamp (a
 * nonce the reply must echo, RFC 4330 section 5) instead of a clock reading, and the round trip is measured on
 * the RTC's monotonic ticker. A reply is used only if it passes the checks of RFC 4330 section 5; others are
 * discarded and the client keeps listening until its timeout. A Kiss-o'-Death (stratum 0, section 8) stops the
 * query at once: the client must not keep asking that server.
 */
public final class SntpClient {

    /** The well-known NTP port (RFC 4330 section 4). */
    public static final int NTP_PORT = 123;

    static final int PACKET_LENGTH = 48;
    static final int MODE_CLIENT = 3;
    static final int MODE_SERVER = 4;
    static final int VERSION = 4;
    /** Seconds from the NTP prime epoch (1900-01-01) to the Unix epoch (1970-01-01). */
    static final long NTP_TO_UNIX_SECONDS = 2_208_988_800L;

    private final DatagramTransport transport;
    private final EntropySource nonceSource;
    private int timeoutMillis = 2000;
    private int attempts = 3;

    /**
     * @param transport a datagram hook opened towards the server (port {@link #NTP_PORT})
     * @param nonceSource random bytes for the request nonce (the device TRNG)
     */
    public SntpClient(DatagramTransport transport, EntropySource nonceSource) {
        if (transport == null || nonceSource == null) {
            throw new IllegalArgumentException("SntpClient needs a datagram transport and a nonce source");
        }
        this.transport = transport;
        this.nonceSource = nonceSource;
    }

    /** How long to wait for a valid reply to one request (default 2000 ms). */
    public SntpClient setTimeoutMillis(int timeoutMillis) {
        if (timeoutMillis <= 0) {
            throw new IllegalArgumentException("SNTP timeout must be positive, not " + timeoutMillis);
        }
        this.timeoutMillis = timeoutMillis;
        return this;
    }

    /** How many requests to send before giving up (default 3); each uses a fresh nonce. */
    public SntpClient setAttempts(int attempts) {
        if (attempts <= 0) {
            throw new IllegalArgumentException("SNTP attempts must be positive, not " + attempts);
        }
        this.attempts = attempts;
        return this;
    }

    /**
     * Queries the server and sets {@code rtc} to its time, corrected by half the round-trip delay.
     *
     * @return the time the RTC was set to, in Unix milliseconds
     * @throws SntpException if no valid reply arrived (the message names why the last reply was rejected) or
     *     the server sent a Kiss-o'-Death
     */
    public long sync(RtcClock rtc) throws IOException {
        Result r = query(rtc.ticker());
        long now = r.serverMillisAtReceive + (rtc.ticker().millis() - r.tickAtReceive);
        rtc.setEpochMillis(now);
        return now;
    }

    /** What one successful exchange measured. */
    public static final class Result {
        /** The server's time when the reply was received here, in Unix milliseconds. */
        public final long serverMillisAtReceive;
        /** The ticker value when the reply was received. */
        public final long tickAtReceive;
        /** Round-trip delay, server processing time excluded (RFC 4330 section 5), in milliseconds. */
        public final long roundTripMillis;
        /** The server's stratum, 1..15. */
        public final int stratum;

        Result(long serverMillisAtReceive, long tickAtReceive, long roundTripMillis, int stratum) {
            this.serverMillisAtReceive = serverMillisAtReceive;
            this.tickAtReceive = tickAtReceive;
            this.roundTripMillis = roundTripMillis;
            this.stratum = stratum;
        }
    }

    /** Runs the exchange without setting a clock; round trips are measured on {@code ticker}. */
    public Result query(RtcClock.Ticker ticker) throws IOException {
        String lastRejection = "no reply";
        byte[] request = new byte[PACKET_LENGTH];
        byte[] reply = new byte[PACKET_LENGTH + 1];
        byte[] nonce = new byte[8];
        for (int attempt = 0; attempt < attempts; attempt++) {
            nonceSource.getEntropy(nonce);
            buildRequest(request, nonce);
            long sentTick = ticker.millis();
            transport.send(request, 0, request.length);
            long deadline = sentTick + timeoutMillis;
            for (long left = timeoutMillis; left > 0; left = deadline - ticker.millis()) {
                int n = transport.receive(reply, 0, reply.length, (int) left);
                if (n < 0) {
                    break;
                }
                long receivedTick = ticker.millis();
                String rejection = check(reply, n, nonce);
                if (rejection == null) {
                    return result(reply, sentTick, receivedTick);
                }
                if (rejection.startsWith(KISS)) {
                    String code = kissCode(reply);
                    throw new SntpException("SNTP server sent Kiss-o'-Death " + code + " (RFC 4330 section 8): "
                        + kissMeaning(code), code);
                }
                lastRejection = rejection;
            }
        }
        throw new SntpException("SNTP gave no usable time after " + attempts + " request(s) of "
            + timeoutMillis + " ms: " + lastRejection);
    }

    static void buildRequest(byte[] request, byte[] nonce) {
        java.util.Arrays.fill(request, (byte) 0);
        // LI 0, version 4, mode 3 (client): RFC 4330 section 5.
        request[0] = (byte) (VERSION << 3 | MODE_CLIENT);
        System.arraycopy(nonce, 0, request, 40, 8);
    }

    private static final String KISS = "kiss";

    /** @return null if the reply is usable, else why not (RFC 4330 section 5 checks) */
    static String check(byte[] reply, int length, byte[] nonce) {
        if (length < PACKET_LENGTH) {
            return "reply of " + length + " bytes is shorter than the " + PACKET_LENGTH + "-byte NTP header";
        }
        // The originate timestamp must echo our transmit timestamp; anything else is stale or forged, and is
        // checked first so a spoofed Kiss-o'-Death cannot stop us.
        for (int i = 0; i < 8; i++) {
            if (reply[24 + i] != nonce[i]) {
                return "reply's originate timestamp does not echo the request's transmit timestamp";
            }
        }
        int li = (reply[0] >> 6) & 3;
        int version = (reply[0] >> 3) & 7;
        int mode = reply[0] & 7;
        int stratum = reply[1] & 0xff;
        if (mode != MODE_SERVER) {
            return "reply mode " + mode + " is not 4 (server)";
        }
        if (version < 3 || version > 4) {
            return "reply version " + version + " is not 3 or 4";
        }
        if (stratum == 0) {
            return KISS;
        }
        if (stratum > 15) {
            return "reply stratum " + stratum + " is outside 1..15 (server not synchronised)";
        }
        if (li == 3) {
            return "reply leap indicator 3: server clock not synchronised";
        }
        if (readLong(reply, 40) == 0) {
            return "reply's transmit timestamp is zero";
        }
        return null;
    }

    private static Result result(byte[] reply, long sentTick, long receivedTick) {
        long t2 = ntpToUnixMillis(readLong(reply, 32));
        long t3 = ntpToUnixMillis(readLong(reply, 40));
        // Delay = (T4 - T1) - (T3 - T2); T1 and T4 are on our ticker, which needs no wall time.
        long roundTrip = Math.max(0, (receivedTick - sentTick) - Math.max(0, t3 - t2));
        return new Result(t3 + roundTrip / 2, receivedTick, roundTrip, reply[1] & 0xff);
    }

    /**
     * NTP timestamps are 32.32 fixed-point seconds since 1900; RFC 4330 section 3: if the top bit is clear the
     * time is in era 1, from 2036-02-07T06:28:16Z.
     */
    static long ntpToUnixMillis(long ntp) {
        long seconds = ntp >>> 32;
        long fraction = ntp & 0xffffffffL;
        if ((seconds & 0x80000000L) == 0) {
            seconds += 1L << 32;
        }
        return (seconds - NTP_TO_UNIX_SECONDS) * 1000L + ((fraction * 1000L) >>> 32);
    }

    static long unixMillisToNtp(long millis) {
        long seconds = Math.floorDiv(millis, 1000L) + NTP_TO_UNIX_SECONDS;
        long fraction = (Math.floorMod(millis, 1000L) << 32) / 1000L;
        return (seconds & 0xffffffffL) << 32 | fraction;
    }

    private static long readLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (b[off + i] & 0xff);
        }
        return v;
    }

    private static String kissCode(byte[] reply) {
        StringBuilder sb = new StringBuilder(4);
        for (int i = 12; i < 16; i++) {
            int c = reply[i] & 0xff;
            sb.append(c >= 0x20 && c < 0x7f ? (char) c : '?');
        }
        return sb.toString().trim();
    }

    private static String kissMeaning(String code) {
        if ("DENY".equals(code) || "RSTR".equals(code)) {
            return "access denied; stop querying this server";
        }
        if ("RATE".equals(code)) {
            return "rate exceeded; query less often";
        }
        return "server refuses to serve time";
    }
}
