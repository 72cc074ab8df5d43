package org.microssl.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import org.bouncycastle.tls.AlertDescription;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.microssl.SslException.Failure;
import org.microssl.hostile.ClientHelloBuilder.Layout;
import org.microssl.hostile.Target.Backend;
import org.microssl.hostile.Target.LoopbackServer;
import org.microssl.hostile.Target.Outcome;

/**
 * A microssl server fed a ClientHello that is cut short or whose inner lengths disagree (tlsfuzzer's
 * test-truncating-of-client-hello and the inner-length probes of its extension tests), as raw bytes over loopback:
 * every one is refused with decode_error (RFC 8446 section 6.2: "a field was out of the specified range or the
 * length of the message was incorrect"), and that alert reaches the wire although it is the first flight. The
 * handshake header always matches the body, so only the inner structure is wrong.
 */
class ClientHelloTruncationTest {

    /** One way to break a valid ClientHello body. */
    record Case(String name, boolean tls13Only, Function<Layout, byte[]> mutate) {
        @Override
        public String toString() {
            return name;
        }
    }

    enum Base {
        TLS13, TLS12;

        ClientHelloBuilder builder() {
            return this == TLS13 ? ClientHelloBuilder.tls13() : ClientHelloBuilder.tls12();
        }
    }

    private static final int SIGALGS = ClientHelloBuilder.SIGNATURE_ALGORITHMS;
    private static final int GROUPS = ClientHelloBuilder.SUPPORTED_GROUPS;
    private static final int KEY_SHARE = ClientHelloBuilder.KEY_SHARE;

    static final List<Case> CASES = List.of(
        // truncated inside the fixed fields
        new Case("empty body", false, l -> new byte[0]),
        new Case("ends inside legacy_version", false, l -> l.cut(1)),
        new Case("ends inside random", false, l -> l.cut(l.random + 20)),
        new Case("ends inside legacy_session_id", false, l -> l.cut(l.sessionId + 11)),
        new Case("ends inside cipher_suites", false, l -> l.cut(l.suites + 2 + 3)),
        new Case("ends before compression_methods", false, l -> l.cut(l.compression)),
        new Case("ends inside the extensions length", false, l -> l.cut(l.extensions + 1)),
        // truncated inside the extensions
        new Case("extensions block 1 byte short", false, l -> l.cut(l.body.length - 1)),
        new Case("ends inside an extension header", false, l -> l.cut(l.last + 2)),
        new Case("ends inside key_share", true, l -> l.cut(l.data(KEY_SHARE) + 10)),
        // lengths that disagree with what follows
        new Case("extension runs past the extensions block", false, l -> l.adjust16(l.last + 2, 1)),
        new Case("extensions block runs past the message", false, l -> l.adjust16(l.extensions, 1)),
        new Case("an extension after the extensions block", false, l -> l.adjust16(l.extensions, -5)),
        new Case("cipher_suites of odd length", false, l -> l.adjust16(l.suites, -1)),
        new Case("1 trailing zero byte", false, l -> l.append(1, 0)),
        new Case("3 trailing 0xff bytes", false, l -> l.append(3, 0xff)),
        new Case("65,536 trailing bytes", false, l -> l.append(65_536, 0)),
        // bad inner lengths inside extensions
        new Case("signature_algorithms list longer than its extension", false, l -> l.adjust16(l.data(SIGALGS), 2)),
        new Case("signature_algorithms list shorter than its extension", false,
                l -> l.adjust16(l.data(SIGALGS), -2)),
        new Case("signature_algorithms list of odd length", false, l -> with(l, SIGALGS, "0003 0403 08")),
        new Case("signature_algorithms list empty", false, l -> with(l, SIGALGS, "0000")),
        new Case("supported_groups list longer than its extension", false, l -> l.adjust16(l.data(GROUPS), 2)),
        new Case("supported_groups list of odd length", false, l -> with(l, GROUPS, "0003 001d 00")),
        new Case("supported_groups list empty", false, l -> with(l, GROUPS, "0000")),
        new Case("server_name list longer than its extension", false,
                l -> l.adjust16(l.data(ClientHelloBuilder.SERVER_NAME), 1)),
        new Case("supported_versions list longer than its extension", true,
                l -> l.adjust8(l.data(ClientHelloBuilder.SUPPORTED_VERSIONS), 2)),
        new Case("key_share list longer than its extension", true, l -> l.adjust16(l.data(KEY_SHARE), 2)),
        new Case("key_share entry runs past the list", true, l -> l.adjust16(l.data(KEY_SHARE) + 4, 1)));

    /** {@code type}'s extension data replaced (lengths around it kept consistent). */
    private static byte[] with(Layout l, int type, String hex) {
        byte[] data = Wire.hex(hex);
        int at = l.ext.get(type);
        int oldLength = (l.body[at + 2] & 0xff) << 8 | (l.body[at + 3] & 0xff);
        int delta = data.length - oldLength;
        byte[] b = new byte[l.body.length + delta];
        System.arraycopy(l.body, 0, b, 0, at + 4);
        System.arraycopy(data, 0, b, at + 4, data.length);
        System.arraycopy(l.body, at + 4 + oldLength, b, at + 4 + data.length, l.body.length - at - 4 - oldLength);
        b[at + 2] = (byte) (data.length >>> 8);
        b[at + 3] = (byte) data.length;
        int ext = ((l.body[l.extensions] & 0xff) << 8 | (l.body[l.extensions + 1] & 0xff)) + delta;
        b[l.extensions] = (byte) (ext >>> 8);
        b[l.extensions + 1] = (byte) ext;
        return b;
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Backend backend : Backend.values()) {
            for (Base base : Base.values()) {
                for (Case c : CASES) {
                    if (c.tls13Only && base != Base.TLS13) continue;
                    out.add(Arguments.of(backend, base, c));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}: {2}")
    @MethodSource("cases")
    void malformedClientHelloGetsDecodeError(Backend backend, Base base, Case c) throws Exception {
        byte[] body = c.mutate.apply(base.builder().layout());
        try (LoopbackServer server = new LoopbackServer(Target.server(backend, null));
                Socket raw = server.connectRaw()) {
            raw.getOutputStream().write(ClientHelloBuilder.records(body));
            byte[] answer = Wire.readToEnd(raw, Target.WAIT_MS);
            Outcome o = server.outcome();
            Target.assertRefused(o.error, Failure.PROTOCOL_ERROR, AlertDescription.decode_error);
            List<Wire.Record> records = Wire.parse(answer);
            assertEquals(1, records.size(), () -> "expected the alert alone, got " + records);
            Target.assertFatalAlert(Wire.plaintextAlerts(answer), AlertDescription.decode_error);
        }
    }

    /** The control: each base ClientHello, unbroken, is answered with a ServerHello. */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("bases")
    void theUnbrokenClientHelloIsAnswered(Backend backend, Base base) throws Exception {
        try (LoopbackServer server = new LoopbackServer(Target.server(backend, null));
                Socket raw = server.connectRaw()) {
            raw.getOutputStream().write(ClientHelloBuilder.records(base.builder().layout().body));
            assertServerHello(Wire.read(raw, 1, Target.WAIT_MS));
        }
    }

    static Stream<Arguments> bases() {
        List<Arguments> out = new ArrayList<>();
        for (Backend backend : Backend.values()) {
            for (Base base : Base.values()) out.add(Arguments.of(backend, base));
        }
        return out.stream();
    }

    static void assertServerHello(byte[] answer) {
        List<Wire.Record> records = Wire.parse(answer);
        assertEquals(Wire.HANDSHAKE, records.isEmpty() ? -1 : records.get(0).type, () -> "no ServerHello: "
                + records + " alerts " + Wire.plaintextAlerts(answer));
        assertEquals(2, records.get(0).body[0], "handshake type server_hello");
    }
}
