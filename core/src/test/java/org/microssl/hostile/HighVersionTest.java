package org.microssl.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.microssl.hostile.Target.Backend;
import org.microssl.hostile.Target.LoopbackServer;

/**
 * RFC 5246 appendix E.1 and RFC 8446 appendix D.2: a ClientHello without supported_versions whose legacy_version
 * is higher than any we know, even in another major version, is answered with TLS 1.2, the highest we have there
 * (tlsfuzzer's test-version-numbers "high version (4, 1)", "(6, 3)", "very high version (254, 254)"). With
 * supported_versions the legacy_version is not used at all (RFC 8446 section 4.2.1): TLS 1.3. The record version
 * of the first flight may be anything 3.x.
 */
class HighVersionTest {

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Backend backend : Backend.values()) {
            for (int version : new int[] {0x0305, 0x0401, 0x0603, 0xfefe, 0xfeff, 0xffff}) {
                for (int recordVersion : new int[] {Wire.TLS10, 0x03fe}) {
                    out.add(Arguments.of(backend, version, recordVersion, false));
                }
                out.add(Arguments.of(backend, version, Wire.TLS10, true));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}: legacy_version {1}, record version {2}, supported_versions {3}")
    @MethodSource("cases")
    void aHigherVersionIsAnsweredWithOurHighest(Backend backend, int version, int recordVersion, boolean tls13)
            throws Exception {
        byte[] body = (tls13 ? ClientHelloBuilder.tls13() : ClientHelloBuilder.tls12()).layout().body;
        body[0] = (byte) (version >>> 8);
        body[1] = (byte) version;
        try (LoopbackServer server = new LoopbackServer(Target.server(backend, null));
                Socket raw = server.connectRaw()) {
            raw.getOutputStream().write(Wire.records(Wire.HANDSHAKE, recordVersion, Wire.handshake(1, body)));
            byte[] answer = Wire.read(raw, 1, Target.WAIT_MS);
            ClientHelloTruncationTest.assertServerHello(answer);
            byte[] serverHello = Wire.parse(answer).get(0).body;
            assertEquals(0x0303, (serverHello[4] & 0xff) << 8 | (serverHello[5] & 0xff), "ServerHello.legacy_version");
            assertEquals(tls13, containsSupportedVersions13(serverHello), "supported_versions: TLS 1.3");
        }
    }

    /** Whether the ServerHello carries supported_versions selecting 0x0304 (RFC 8446 section 4.2.1). */
    private static boolean containsSupportedVersions13(byte[] m) {
        int pos = 4 + 2 + 32;
        pos += 1 + (m[pos] & 0xff); // legacy_session_id_echo
        pos += 2 + 1; // cipher_suite, legacy_compression_method
        if (pos + 2 > m.length) return false;
        int end = pos + 2 + ((m[pos] & 0xff) << 8 | (m[pos + 1] & 0xff));
        pos += 2;
        while (pos + 4 <= end) {
            int type = (m[pos] & 0xff) << 8 | (m[pos + 1] & 0xff);
            int length = (m[pos + 2] & 0xff) << 8 | (m[pos + 3] & 0xff);
            if (type == ClientHelloBuilder.SUPPORTED_VERSIONS && length == 2 && m[pos + 4] == 3 && m[pos + 5] == 4) {
                return true;
            }
            pos += 4 + length;
        }
        return false;
    }
}
