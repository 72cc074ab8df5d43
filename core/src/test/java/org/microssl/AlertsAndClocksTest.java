package org.microssl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import org.bouncycastle.tls.AlertDescription;
import org.junit.jupiter.api.Test;
import org.microssl.internal.Alerts;
import org.microssl.spi.Clock;
import org.microssl.x509.Reason;

class AlertsAndClocksTest {

    @Test
    void everyReasonHasItsAlert() {
        assertEquals(AlertDescription.certificate_expired, Alerts.forReason(Reason.EXPIRED, true));
        assertEquals(AlertDescription.certificate_expired, Alerts.forReason(Reason.NOT_YET_VALID, true));
        assertEquals(AlertDescription.unknown_ca, Alerts.forReason(Reason.UNKNOWN_ISSUER, true));
        assertEquals(AlertDescription.decrypt_error, Alerts.forReason(Reason.BAD_SIGNATURE, true));
        assertEquals(AlertDescription.bad_certificate, Alerts.forReason(Reason.HOSTNAME_MISMATCH, false));
        assertEquals(AlertDescription.unsupported_certificate, Alerts.forReason(Reason.BAD_EXTENDED_KEY_USAGE, true));
        assertEquals(AlertDescription.certificate_required, Alerts.forReason(Reason.NO_CERTIFICATE, true));
        assertEquals(AlertDescription.handshake_failure, Alerts.forReason(Reason.NO_CERTIFICATE, false));
        for (Reason r : Reason.values()) {
            short alert = Alerts.forReason(r, true);
            assertTrue(AlertDescription.getName(alert) != null && !AlertDescription.getName(alert).startsWith("UNKNOWN"),
                    r + " -> " + alert);
        }
        assertEquals("bad_certificate(42)", Alerts.describe(42));
    }

    @Test
    void clocks() {
        assertEquals(1234L, Clocks.fixed(1234L).currentTimeMillis());
        long now = Clocks.system().currentTimeMillis();
        // This machine's clock is set (after the build date), so the system clock reports it.
        assertTrue(Math.abs(now - System.currentTimeMillis()) < 60_000, "system clock: " + now);
        assertEquals(Instant.parse("2026-11-22T00:00:00Z").toEpochMilli(), Clocks.BUILD_DATE_MILLIS);
        assertTrue(Clock.TIME_UNKNOWN < Clocks.BUILD_DATE_MILLIS);
    }
}
