package org.microssl.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The memory claim behind MFL: buffers are sized from what was negotiated, so an MFL 512 connection holds far
 * less than a 16 KiB one. Sizes, not times; the figures themselves are printed by {@link ConnectionFootprint#main}.
 */
class ConnectionFootprintTest {

    /** Prints the README's table: {@code -Dfootprint.print=true}. */
    @Test
    void printFigures() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Boolean.getBoolean("footprint.print"),
            "figures printed only with -Dfootprint.print=true");
        ConnectionFootprint.main(new String[0]);
    }

    @Test
    void mfl512ConnectionRetainsFarLessThanA16KiBOne() throws Exception {
        ConnectionFootprint f = new ConnectionFootprint();
        ConnectionFootprint.Result full = f.measure(0, false);
        ConnectionFootprint.Result small = f.measure(512, false);
        assertTrue(small.transferBufferSize <= 512 + 5 + 256, small.toString());
        // Issue 5's memory target for a device connection: under 8 KB per end with max_fragment_length 512 (JOL
        // sizes are exact for a given JVM; 7.5 KB measured on HotSpot 17 with compressed oops).
        assertTrue(small.idle < 8 * 1024, small.toString());
        assertTrue(small.transferBufferSize < full.transferBufferSize, full + "\n" + small);
        // After 16 KiB each way, a 16 KiB-record connection keeps a record-sized receive buffer; MFL 512 does not.
        assertTrue(full.idleAfterTraffic - small.idleAfterTraffic >= 12 * 1024, full + "\n" + small);
        assertEquals(0, full.mfl);
    }
}
