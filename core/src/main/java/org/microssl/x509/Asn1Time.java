package org.microssl.x509;

import java.io.IOException;
import java.util.Locale;

import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.x509.Time;

/**
 * Hand-written on purpose: stricter than BouncyCastle's Time.getDate() (no fractions, offsets or missing seconds).
 *
 * <p>RFC 5280 section 4.1.2.5 times: seconds precision, always Zulu, read without any time-zone library. Public
 * only for {@code org.microssl.internal} (getpeercert's dates); not API.
 */
public final class Asn1Time {
    private Asn1Time() {}

    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
        "Nov", "Dec"};

    /** @return seconds since the epoch (public for {@code org.microssl.internal}: a session's validity bounds) */
    public static long toEpochSeconds(Time time) throws IOException {
        ASN1Primitive p = time.toASN1Primitive();
        String s;
        int year;
        int pos;
        if (p instanceof ASN1UTCTime) {
            // UTCTime is YYMMDDHHMMSSZ (4.1.2.5.1); YY >= 50 means 19YY
            s = contents(p);
            if (s.length() != 13) throw new IOException("UTCTime '" + s + "' is not YYMMDDHHMMSSZ");
            int yy = digits(s, 0, 2);
            year = yy >= 50 ? 1900 + yy : 2000 + yy;
            pos = 2;
        } else if (p instanceof ASN1GeneralizedTime) {
            // GeneralizedTime is YYYYMMDDHHMMSSZ without fractional seconds (4.1.2.5.2)
            s = contents(p);
            if (s.length() != 15) throw new IOException("GeneralizedTime '" + s + "' is not YYYYMMDDHHMMSSZ");
            year = digits(s, 0, 4);
            pos = 4;
        } else {
            throw new IOException("time is neither UTCTime nor GeneralizedTime");
        }
        if (s.charAt(s.length() - 1) != 'Z') throw new IOException("time '" + s + "' is not in UTC (Z)");
        int month = digits(s, pos, 2);
        int day = digits(s, pos + 2, 2);
        int hour = digits(s, pos + 4, 2);
        int minute = digits(s, pos + 6, 2);
        int second = digits(s, pos + 8, 2);
        if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59
                || second > 59) {
            throw new IOException("time '" + s + "' is not a valid date");
        }
        return daysFromCivil(year, month, day) * 86400L + hour * 3600L + minute * 60L + second;
    }

    /** The characters of a short string type (its DER content octets). */
    private static String contents(ASN1Primitive p) throws IOException {
        byte[] enc = p.getEncoded("DER");
        if (enc.length < 2 || (enc[1] & 0x80) != 0 || enc[1] != enc.length - 2) throw new IOException("time too long");
        return new String(enc, 2, enc.length - 2, java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static int digits(String s, int off, int n) throws IOException {
        int v = 0;
        for (int i = off; i < off + n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') throw new IOException("time '" + s + "' has a non-digit");
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static int daysInMonth(int y, int m) {
        if (m == 2) return (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 29 : 28;
        return (m == 4 || m == 6 || m == 9 || m == 11) ? 30 : 31;
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
    static long daysFromCivil(long y, int m, int d) {
        y -= m <= 2 ? 1 : 0;
        long era = Math.floorDiv(y, 400);
        long yoe = y - era * 400;
        long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + doe - 719468;
    }

    /** ISO 8601, e.g. 2030-12-31T00:00:00Z, for messages. */
    static String format(long epochSeconds) {
        long[] t = civil(epochSeconds);
        return String.format(Locale.ROOT, "%04d-%02d-%02dT%02d:%02d:%02dZ", t[0], t[1], t[2], t[3], t[4], t[5]);
    }

    /**
     * OpenSSL's {@code ASN1_TIME_print}, which CPython's {@code getpeercert()} shows: "Jan  5 09:34:43 2018 GMT".
     * A time this class refuses (the certificate may not have been verified) is shown as BouncyCastle reads it.
     */
    public static String formatOpenSsl(Time time) {
        long epochSeconds;
        try {
            epochSeconds = toEpochSeconds(time);
        } catch (IOException e) {
            epochSeconds = Math.floorDiv(time.getDate().getTime(), 1000L);
        }
        long[] t = civil(epochSeconds);
        return String.format(Locale.ROOT, "%s %2d %02d:%02d:%02d %d GMT", MONTHS[(int) t[1] - 1], t[2], t[3], t[4], t[5],
                t[0]);
    }

    /** Year, month, day, hour, minute, second of a proleptic Gregorian UTC time (H. Hinnant's civil_from_days). */
    private static long[] civil(long epochSeconds) {
        long days = Math.floorDiv(epochSeconds, 86400L);
        long secs = Math.floorMod(epochSeconds, 86400L);
        long z = days + 719468;
        long era = Math.floorDiv(z, 146097);
        long doe = z - era * 146097;
        long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        long y = yoe + era * 400;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long d = doy - (153 * mp + 2) / 5 + 1;
        long m = mp < 10 ? mp + 3 : mp - 9;
        if (m <= 2) y++;
        return new long[] {y, m, d, secs / 3600, (secs / 60) % 60, secs % 60};
    }
}
