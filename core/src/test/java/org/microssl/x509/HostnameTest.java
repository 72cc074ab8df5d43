package org.microssl.x509;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** RFC 6125 host name matching, after OkHttp's HostnameVerifierTest cases. */
class HostnameTest {

    static Stream<Arguments> dnsRows() {
        return Stream.of(
                Arguments.of("example.com", "example.com", true),
                Arguments.of("example.com", "EXAMPLE.com", true),
                Arguments.of("EXAMPLE.COM", "example.com", true),
                Arguments.of("example.com", "www.example.com", false),
                Arguments.of("www.example.com", "example.com", false),
                Arguments.of("*.example.com", "foo.example.com", true),
                Arguments.of("*.example.com", "FOO.Example.COM", true),
                Arguments.of("*.example.com", "example.com", false),
                Arguments.of("*.example.com", "bar.foo.example.com", false),
                Arguments.of("*.example.com", ".example.com", false),
                Arguments.of("f*.example.com", "foo.example.com", false),
                Arguments.of("*oo.example.com", "foo.example.com", false),
                Arguments.of("foo.*.example.com", "foo.bar.example.com", false),
                Arguments.of("*.*.example.com", "a.b.example.com", false),
                Arguments.of("*", "com", false),
                Arguments.of("*.com", "example.com", false),
                Arguments.of("*.", "example.", false),
                Arguments.of("xn--n3h.com", "xn--n3h.com", true),
                Arguments.of("xn--*-1b3c148a.example.com", "xn--bliss-1b3c148a.example.com", false),
                Arguments.of("foo_bar.example.com", "foo_bar.example.com", false),
                Arguments.of("\u00e9xample.com", "\u00e9xample.com", false),
                Arguments.of("", "example.com", false));
    }

    @ParameterizedTest(name = "SAN {0} vs {1}: {2}")
    @MethodSource("dnsRows")
    void dnsNames(String presented, String reference, boolean matches) {
        assertEquals(matches, HostName.isValidDnsName(reference, false) && HostName.dnsNameMatches(presented, reference));
    }

    static Stream<Arguments> ipRows() {
        return Stream.of(
                Arguments.of("192.0.2.1", new byte[] {(byte) 192, 0, 2, 1}),
                Arguments.of("0.0.0.0", new byte[] {0, 0, 0, 0}),
                Arguments.of("255.255.255.255", new byte[] {-1, -1, -1, -1}),
                Arguments.of("192.168.001.001", null), // leading zeros: octal ambiguity, rejected
                Arguments.of("0xC0A80101", null),
                Arguments.of("1.2.3", null),
                Arguments.of("1.2.3.4.5", null),
                Arguments.of("256.1.1.1", null),
                Arguments.of("::1", new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}),
                Arguments.of("::", new byte[16]),
                Arguments.of("2001:db8::1", new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}),
                Arguments.of("2001:DB8:0:0:0:0:0:1", new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}),
                Arguments.of("::ffff:192.0.2.1", new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, (byte) 192, 0, 2, 1}),
                Arguments.of("1::2::3", null),
                Arguments.of("1:2:3:4:5:6:7:8:9", null),
                Arguments.of(":1", null),
                Arguments.of("1:", null),
                Arguments.of("12345::", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ipRows")
    void ipLiterals(String text, byte[] expected) {
        byte[] parsed = IpAddress.parse(text);
        if (expected == null) {
            assertEquals(null, parsed);
        } else {
            org.junit.jupiter.api.Assertions.assertArrayEquals(expected, parsed);
        }
    }

    static Stream<Arguments> rfc5952() {
        return Stream.of(
                Arguments.of("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
                Arguments.of("2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),
                Arguments.of("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"),
                Arguments.of("0:0:0:0:0:0:0:0", "::"),
                Arguments.of("192.0.2.1", "192.0.2.1"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("rfc5952")
    void canonicalText(String in, String out) {
        assertEquals(out, IpAddress.format(IpAddress.parse(in)));
    }
}
