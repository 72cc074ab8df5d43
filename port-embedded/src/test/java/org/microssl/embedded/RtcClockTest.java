package org.microssl.embedded;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.microssl.spi.Clock;

class RtcClockTest {

    private final AtomicLong tick = new AtomicLong(5_000);
    private final RtcClock rtc = new RtcClock(tick::get);

    @Test
    void unknownUntilSet() {
        assertFalse(rtc.isSet());
        assertEquals(Clock.TIME_UNKNOWN, rtc.currentTimeMillis());
        IllegalStateException e = assertThrows(IllegalStateException.class, rtc::datetime);
        assertTrue(e.getMessage().contains("RTC not set"));
    }

    @Test
    void micropythonTupleRoundTripsAndRunsFromTheTicker() {
        rtc.datetime(2026, 11, 22, 0, 6, 17, 42, 250_000);
        long expected = Instant.parse("2026-11-22T06:17:42.250Z").toEpochMilli();
        assertEquals(expected, rtc.currentTimeMillis());
        // 2026-11-22 is a Sunday: MicroPython weekday 6 (Monday = 0); the weekday given when setting is ignored.
        assertArrayEquals(new int[] {2026, 11, 22, 6, 6, 17, 42, 250_000}, rtc.datetime());
        tick.addAndGet(18_000);
        assertArrayEquals(new int[] {2026, 11, 22, 6, 6, 18, 0, 250_000}, rtc.datetime());
        rtc.clear();
        assertEquals(Clock.TIME_UNKNOWN, rtc.currentTimeMillis());
    }

    @Test
    void calendarArithmeticAgreesWithJavaTimeOverCenturies() {
        for (LocalDate d = LocalDate.of(1970, 1, 1); d.getYear() < 2401; d = d.plusDays(13)) {
            long days = RtcClock.daysFromCivil(d.getYear(), d.getMonthValue(), d.getDayOfMonth());
            assertEquals(d.toEpochDay(), days, d.toString());
            assertArrayEquals(new int[] {d.getYear(), d.getMonthValue(), d.getDayOfMonth()},
                RtcClock.civilFromDays(days), d.toString());
        }
        rtc.datetime(2024, 2, 29, 0, 23, 59, 59, 999_999);
        assertEquals(Instant.parse("2024-02-29T23:59:59.999Z").toEpochMilli(), rtc.currentTimeMillis());
        assertEquals(LocalDate.of(2024, 2, 29).atStartOfDay().toEpochSecond(ZoneOffset.UTC),
            RtcClock.daysFromCivil(2024, 2, 29) * 86_400);
    }

    @Test
    void rejectsOutOfRangeFieldsByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> rtc.datetime(2023, 2, 29, 0, 0, 0, 0, 0));
        assertEquals("RTC day 29 is outside 1..28", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> rtc.datetime(2023, 13, 1, 0, 0, 0, 0, 0));
        assertEquals("RTC month 13 is outside 1..12", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> rtc.datetime(2023, 1, 1, 0, 24, 0, 0, 0));
        assertEquals("RTC hours 24 is outside 0..23", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> rtc.datetime(1969, 1, 1, 0, 0, 0, 0, 0));
        assertEquals("RTC year 1969 is outside 1970..9999", e.getMessage());
        assertFalse(rtc.isSet());
    }
}
