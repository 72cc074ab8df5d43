package org.microssl.hostile;

import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.HandshakeType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.microssl.SslException.Failure;
import org.microssl.hostile.Duel.Side;
import org.microssl.hostile.Target.Backend;
import org.microssl.hostile.Target.LoopbackServer;
import org.microssl.hostile.Target.Version;

/**
 * Record headers announcing more than a record may hold: refused with record_overflow on the header alone (RFC
 * 8446 section 5.1: a plaintext record over 2^14 bytes; section 5.2: a protected one over 2^14 + 256), as the first
 * flight and after the handshake, on both sides; the largest legal protected TLS 1.3 record is not refused as too
 * long.
 */
class RecordLayerTest {

    static Stream<Arguments> firstFlightHeaders() {
        List<Arguments> out = new ArrayList<>();
        for (Backend backend : Backend.values()) {
            for (String header : new String[] {"ffff", "4001"}) out.add(Arguments.of(backend, header));
        }
        return out.stream();
    }

    /** A ClientHello record header of 2^16-1 or 2^14+1 bytes, and nothing after it. */
    @ParameterizedTest(name = "microssl server {0}: handshake record of 0x{1} bytes")
    @MethodSource("firstFlightHeaders")
    void overlongFirstRecordToAServer(Backend backend, String length) throws Exception {
        try (LoopbackServer server = new LoopbackServer(Target.server(backend, null));
                Socket raw = server.connectRaw()) {
            raw.getOutputStream().write(Wire.hex("16 0301" + length));
            byte[] answer = Wire.readToEnd(raw, Target.WAIT_MS);
            Target.assertRefused(server.outcome().error, Failure.PROTOCOL_ERROR, AlertDescription.record_overflow);
            Target.assertFatalAlert(Wire.plaintextAlerts(answer), AlertDescription.record_overflow);
        }
    }

    static Stream<Arguments> versionsBackendsHeaders() {
        List<Arguments> out = new ArrayList<>();
        for (Version version : Version.values()) {
            for (Backend backend : Backend.values()) {
                for (String header : new String[] {"ffff", "4001"}) out.add(Arguments.of(version, backend, header));
            }
        }
        return out.stream();
    }

    /** The server answers the ClientHello with a record header of 2^16-1 or 2^14+1 bytes instead of a ServerHello. */
    @ParameterizedTest(name = "microssl client {0} {1}: handshake record of 0x{2} bytes")
    @MethodSource("versionsBackendsHeaders")
    void overlongFirstRecordToAClient(Version version, Backend backend, String length) throws Exception {
        HostilePeer.Config peer = Target.hostileServer(version)
                .replaceWithRawBytes(HandshakeType.server_hello, Wire.hex("16 0303" + length));
        try (Duel d = Duel.run(Side.CLIENT, version, backend, peer, null)) {
            d.assertRefused(Failure.PROTOCOL_ERROR, AlertDescription.record_overflow);
        }
    }

    /** A protected record's header announcing {@code length} bytes, and what microssl must answer. */
    record Protected(String name, String header, int bodyBytes, int alert, boolean tls13Only) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final List<Protected> PROTECTED = List.of(
        new Protected("2^16-1 bytes announced", "17 0303 ffff", 0, AlertDescription.record_overflow, false),
        new Protected("2^14+256+1 bytes announced", "17 0303 4101", 0, AlertDescription.record_overflow, true),
        // The largest legal TLS 1.3 record with a 16-byte tag (every suite here): 2^14 + 1 bytes of TLSInnerPlaintext
        // (section 5.4: padding included) and the tag. Not too long, just undecryptable.
        new Protected("2^14+1+16 bytes of garbage", "17 0303 4011", 0x4011, AlertDescription.bad_record_mac, true));

    static Stream<Arguments> protectedRecords() {
        List<Arguments> out = new ArrayList<>();
        for (Side side : Side.values()) {
            for (Version version : Version.values()) {
                for (Backend backend : Backend.values()) {
                    for (Protected p : PROTECTED) {
                        if (p.tls13Only && version != Version.TLS13) continue;
                        out.add(Arguments.of(side, version, backend, p));
                    }
                }
            }
        }
        return out.stream();
    }

    /** After the handshake the peer writes a raw application_data record header (and maybe a body). */
    @ParameterizedTest(name = "microssl {0} {1} {2}: {3}")
    @MethodSource("protectedRecords")
    void protectedRecordLength(Side side, Version version, Backend backend, Protected p) throws Exception {
        HostilePeer.Config peer = Duel.peerFor(side, version).afterHandshake(h -> {
            h.awaitGo();
            h.sendRaw(HandshakeLimitsTest.concat(Wire.hex(p.header), new byte[p.bodyBytes]));
        });
        try (Duel d = Duel.run(side, version, backend, peer, null)) {
            d.go();
            d.assertRefused(HandshakeLimitsTest.readFails(d.microssl), Failure.PROTOCOL_ERROR, p.alert);
        }
    }
}
