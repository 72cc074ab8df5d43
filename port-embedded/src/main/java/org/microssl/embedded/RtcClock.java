package org.microssl.embedded;

import org.microssl.spi.Clock;

/**
 * A settable real-time clock, like MicroPython's {@code machine.RTC()}: it answers {@link Clock#TIME_UNKNOWN}
 * until it is set (by hand with {@link #datetime(int, int, int, int, int, int, int, int)}, or by
 * {@link SntpClient}), then runs from a monotonic tick, so it keeps time without a wall clock underneath (a
 * device's RTC boots at 1970 or 2000; that must read as "not set", never as a date).
 *
 * <p>Fields follow MicroPython: {@code (year, month, day, weekday, hours, minutes, seconds, subseconds)}, UTC,
 * month and day from 1, weekday 0 = Monday (ignored when setting, computed when reading), subseconds in
 * microseconds (the esp32 port's unit).
 */
public final class RtcClock implements Clock {

    /** A monotonic millisecond counter (a device's tick timer); only differences between readings matter. */
    public interface Ticker {
        long millis();
    }

    private static final Ticker NANO_TIME = new Ticker() {
        @Override
        public long millis() {
            return System.nanoTime() / 1_000_000L;
        }
    };

    private final Ticker ticker;
    private volatile boolean set;
    private volatile long epochMillisAtTick;
    private volatile long tickAtSet;

    public RtcClock() {
        this(NANO_TIME);
    }

    public RtcClock(Ticker ticker) {
        if (ticker == null) {
            throw new IllegalArgumentException("RtcClock needs a ticker");
        }
        this.ticker = ticker;
    }

    Ticker ticker() {
        return ticker;
    }

    /** @return whether the clock has been set since it was made */
    public boolean isSet() {
        return set;
    }

    /** Sets the clock to {@code epochMillis} (milliseconds since 1970-01-01T00:00:00Z) now. */
    public synchronized void setEpochMillis(long epochMillis) {
        if (epochMillis == TIME_UNKNOWN) {
            throw new IllegalArgumentException("cannot set the RTC to TIME_UNKNOWN");
        }
        tickAtSet = ticker.millis();
        epochMillisAtTick = epochMillis;
        set = true;
    }

    /** Forgets the time (a device that lost power to its RTC): the clock answers TIME_UNKNOWN again. */
    public synchronized void clear() {
        set = false;
    }

    @Override
    public synchronized long currentTimeMillis() {
        if (!set) {
            return TIME_UNKNOWN;
        }
        return epochMillisAtTick + (ticker.millis() - tickAtSet);
    }

    /**
     * Sets the clock from MicroPython's {@code RTC().datetime((y, m, d, wd, h, mi, s, sub))} tuple.
     *
     * @param weekday ignored (it follows from the date), as most MicroPython ports do
     * @param subseconds microseconds, 0..999999
     * @throws IllegalArgumentException naming the field that is out of range
     */
    public void datetime(int year, int month, int day, int weekday, int hours, int minutes, int seconds,
            int subseconds) {
        checkRange("year", year, 1970, 9999);
        checkRange("month", month, 1, 12);
        checkRange("day", day, 1, daysInMonth(year, month));
        checkRange("hours", hours, 0, 23);
        checkRange("minutes", minutes, 0, 59);
        checkRange("seconds", seconds, 0, 59);
        checkRange("subseconds", subseconds, 0, 999_999);
        long days = daysFromCivil(year, month, day);
        long secs = days * 86_400L + hours * 3_600L + minutes * 60L + seconds;
        setEpochMillis(secs * 1000L + subseconds / 1000);
    }

    /**
     * @return MicroPython's tuple {@code [year, month, day, weekday, hours, minutes, seconds, subseconds]}
     * @throws IllegalStateException if the clock was never set
     */
    public int[] datetime() {
        long now = currentTimeMillis();
        if (now == TIME_UNKNOWN) {
            throw new IllegalStateException("RTC not set: set it with datetime(...) or SNTP first");
        }
        long days = Math.floorDiv(now, 86_400_000L);
        long msOfDay = Math.floorMod(now, 86_400_000L);
        int[] ymd = civilFromDays(days);
        // 1970-01-01 was a Thursday; MicroPython counts Monday as 0.
        int weekday = (int) Math.floorMod(days + 3, 7L);
        return new int[] {ymd[0], ymd[1], ymd[2], weekday, (int) (msOfDay / 3_600_000L),
            (int) (msOfDay / 60_000L % 60), (int) (msOfDay / 1000L % 60), (int) (msOfDay % 1000L) * 1000};
    }

    private static void checkRange(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException("RTC " + field + " " + value + " is outside " + min + ".." + max);
        }
    }

    private static int daysInMonth(int year, int month) {
        if (month == 2) {
            boolean leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
            return leap ? 29 : 28;
        }
        return (month == 4 || month == 6 || month == 9 || month == 11) ? 30 : 31;
    }

    // Proleptic Gregorian day arithmetic (H. Hinnant's days_from_civil), so the RTC does not pull in java.time's
    // class graph on a device where class metadata is the scarce resource.
    static long daysFromCivil(int year, int month, int day) {
        int y = month <= 2 ? year - 1 : year;
        int era = Math.floorDiv(y, 400);
        int yoe = y - era * 400;
        int mp = (month + 9) % 12;
        int doy = (153 * mp + 2) / 5 + day - 1;
        int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146_097L + doe - 719_468L;
    }

    static int[] civilFromDays(long days) {
        long z = days + 719_468L;
        long era = Math.floorDiv(z, 146_097L);
        int doe = (int) (z - era * 146_097L);
        int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        int mp = (5 * doy + 2) / 153;
        int day = doy - (153 * mp + 2) / 5 + 1;
        int month = mp < 10 ? mp + 3 : mp - 9;
        long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        return new int[] {(int) year, month, day};
    }
}
