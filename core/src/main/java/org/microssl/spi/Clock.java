package org.microssl.spi;

/**
 * The real-time clock certificate dates are checked against.
 *
 * <p>A device RTC that was never set (it boots at 1970 or 2000) must answer {@link #TIME_UNKNOWN}: the validator
 * then fails with {@code CLOCK_NOT_SET} instead of skipping the date check (BearSSL's
 * {@code BR_ERR_X509_TIME_UNKNOWN}, rustls' {@code TimeProvider} returning {@code None}).
 */
public interface Clock {

    /** What {@link #currentTimeMillis()} returns when the time is not known. */
    long TIME_UNKNOWN = Long.MIN_VALUE;

    /** @return milliseconds since 1970-01-01T00:00:00Z, or {@link #TIME_UNKNOWN} if the clock was never set */
    long currentTimeMillis();
}
