package org.microssl.desktop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CliOptionsTest {

    private static CliOptions client(String line) throws Exception {
        return CliOptions.parse(false, line.split(" "), 0);
    }

    @Test
    void clientWithEveryOption() throws Exception {
        CliOptions o = client("example.com 443 --cafile ca.pem --cadata ca.der --cert c.pem --key k.pem "
                + "--verify OPTIONAL --servername other --time 1700000000 --ciphers TLS_AES_128_GCM_SHA256,X "
                + "--tls 1.2 --send a\\nb");
        assertEquals("example.com", o.host);
        assertEquals(443, o.port);
        assertEquals("ca.pem", o.cafile);
        assertEquals("ca.der", o.cadata);
        assertEquals("c.pem", o.cert);
        assertEquals("k.pem", o.key);
        assertEquals("optional", o.verify);
        assertEquals("other", o.servername);
        assertEquals(1700000000L, o.time);
        assertEquals(List.of("TLS_AES_128_GCM_SHA256", "X"), o.ciphers);
        assertEquals("1.2", o.tls);
        assertEquals("a\nb", o.send);
    }

    @Test
    void clientDefaultsAreUnset() throws Exception {
        CliOptions o = client("h 1");
        assertNull(o.verify);
        assertNull(o.servername);
        assertNull(o.time);
        assertNull(o.tls);
        assertNull(o.send);
    }

    @Test
    void serverOptions() throws Exception {
        CliOptions o = CliOptions.parse(true, "server 8443 --cert c --key k --verify required --once".split(" "), 1);
        assertEquals(8443, o.port);
        assertTrue(o.once);
        assertEquals("required", o.verify);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "h 1 --bogus x | unknown option --bogus for client",
            "h 1 --once | unknown option --once for client",
            "h | client takes HOST PORT, got h",
            "h 1 2 | client takes HOST PORT, got h 1 2",
            "h 70000 | port must be a number from 0 to 65535, not 70000",
            "h x | port must be a number from 0 to 65535, not x",
            "h 1 --verify maybe | --verify must be none, optional or required, not maybe",
            "h 1 --tls 1.1 | --tls must be 1.2 or 1.3, not 1.1",
            "h 1 --time soon | --time takes seconds since 1970-01-01T00:00:00Z, not soon",
            "h 1 --cert c | --cert needs --key",
            "h 1 --key k | --key needs --cert",
            "h 1 --cafile | --cafile needs a value",
            "h 1 --tls 1.2 --tls 1.3 | --tls given twice",
            "h 1 --send a\\q | --send has an unknown escape \\q",
            "h 1 --ciphers a,,b | --ciphers has an empty name: a,,b",
    })
    void badClientLinesNameTheProblem(String line, String message) {
        CliOptions.UsageException e = assertThrows(CliOptions.UsageException.class, () -> client(line));
        assertEquals(message, e.getMessage());
    }

    @Test
    void serverNeedsCertAndKey() {
        CliOptions.UsageException e = assertThrows(CliOptions.UsageException.class,
                () -> CliOptions.parse(true, new String[] {"server", "8443"}, 1));
        assertEquals("server needs --cert and --key, or --p12, or --psk-identity and --psk", e.getMessage());
        e = assertThrows(CliOptions.UsageException.class,
                () -> CliOptions.parse(true, "server 1 --cert c --key k --send x".split(" "), 1));
        assertEquals("unknown option --send for server", e.getMessage());
    }
}
