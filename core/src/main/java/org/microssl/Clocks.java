package org.microssl;

import org.microssl.spi.Clock;

/** The clocks microssl ships: the system clock with a sanity floor, and a fixed clock. */
public final class Clocks {

    /**
     * 2026-11-22T00:00:00Z, the day this floor was last moved (microssl's build date). No certificate check can
     * be right with a clock before it: a reading earlier than this is a device RTC that booted at 1970 or 2000
     * and was never set, so {@link #system()} reports {@link Clock#TIME_UNKNOWN} (BearSSL's TIME_UNKNOWN).
     */
    public static final long BUILD_DATE_MILLIS = 1795305600000L;

    private static final Clock SYSTEM = new Clock() {
        @Override
        public long currentTimeMillis() {
            long now = System.currentTimeMillis();
            return now < BUILD_DATE_MILLIS ? TIME_UNKNOWN : now;
        }

        @Override
        public String toString() {
            return "Clocks.system()";
        }
    };

    private Clocks() {}

    /** {@link System#currentTimeMillis()}, or {@link Clock#TIME_UNKNOWN} while it reads before the build date. */
    public static Clock system() {
        return SYSTEM;
    }

    /** Always answers {@code epochMillis} (tests, or a command line's {@code --time}). */
    public static Clock fixed(final long epochMillis) {
        return new Clock() {
            @Override
            public long currentTimeMillis() {
                return epochMillis;
            }

            @Override
            public String toString() {
                return "Clocks.fixed(" + epochMillis + ")";
            }
        };
    }
}
