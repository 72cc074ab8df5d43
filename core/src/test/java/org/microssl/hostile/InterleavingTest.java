package org.microssl.hostile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.HandshakeType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.microssl.SSLSocket;
import org.microssl.SslException.Failure;
import org.microssl.hostile.Duel.Side;
import org.microssl.hostile.HostilePeer.Between;
import org.microssl.hostile.Target.Backend;
import org.microssl.hostile.Target.Version;

/**
 * RFC 8446 section 5.1: "Handshake messages MUST NOT be interleaved with other record types", i.e. no record of
 * another type between the fragments of one handshake message. A TLS 1.3 peer splits a message into two records
 * and puts an application_data record, or a change_cipher_spec record in the clear, between them: a KeyUpdate
 * after the handshake (tlsfuzzer test-tls13-keyupdate "1/4 fragmented keyupdate msg, appdata between"), and during
 * the handshake the server's EncryptedExtensions or the client's Finished. microssl must answer unexpected_message;
 * the same split with nothing between is legal and must work. (TLS 1.2 allows interleaving, RFC 5246 section 6.2.1.)
 */
class InterleavingTest {
    private static final byte[] PING = "ping".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PONG = "pong".getBytes(StandardCharsets.US_ASCII);

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Side side : Side.values()) {
            for (Backend backend : Backend.values()) {
                for (Between between : Between.values()) out.add(Arguments.of(side, backend, between));
            }
        }
        return out.stream();
    }

    /** A KeyUpdate split 1 + 4 bytes after the handshake; then "ping", answered with "pong" if all is well. */
    @ParameterizedTest(name = "microssl {0} {1}: KeyUpdate 1 + 4 bytes, {2} between")
    @MethodSource("cases")
    void splitKeyUpdate(Side side, Backend backend, Between between) throws Exception {
        HostilePeer.Config peer = Duel.peerFor(side, Version.TLS13).split(HandshakeType.key_update, 1, between)
                .afterHandshake(p -> {
                    p.awaitGo();
                    p.keyUpdate();
                    p.send(PING);
                });
        try (Duel d = Duel.run(side, Version.TLS13, backend, peer, null)) {
            d.go();
            SSLSocket s = d.microssl.socket();
            if (between == Between.NOTHING) {
                assertArrayEquals(PING, s.read(PING.length), "read under the updated keys");
                s.write(PONG);
                s.close();
                d.peer.awaitEnd(Target.WAIT_MS);
                assertArrayEquals(PONG, d.peer.applicationData(), "the peer read our answer");
                return;
            }
            Throwable e = HandshakeLimitsTest.readFails(d.microssl);
            d.assertRefused(e, Failure.PROTOCOL_ERROR, AlertDescription.unexpected_message);
        }
    }

    /**
     * During the handshake: the server splits its EncryptedExtensions, the client its Finished, after 1 byte (the
     * handshake keys are in use on both records).
     */
    @ParameterizedTest(name = "microssl {0} {1}: {2} between the fragments of the peer's flight")
    @MethodSource("cases")
    void splitHandshakeMessage(Side side, Backend backend, Between between) throws Exception {
        int type = side == Side.CLIENT ? HandshakeType.encrypted_extensions : HandshakeType.finished;
        HostilePeer.Config peer = Duel.peerFor(side, Version.TLS13).split(type, 1, between);
        try (Duel d = Duel.run(side, Version.TLS13, backend, peer, null)) {
            if (between == Between.NOTHING) {
                d.microssl.socket();
                return;
            }
            d.assertRefused(Failure.PROTOCOL_ERROR, AlertDescription.unexpected_message);
        }
    }
}
