package org.microssl.hostile;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.HandshakeType;
import org.bouncycastle.tls.NamedGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.microssl.SslException.Failure;
import org.microssl.hostile.Duel.Side;
import org.microssl.hostile.Target.Backend;
import org.microssl.hostile.Target.Version;

/**
 * A peer's (EC)DHE public value that is no key: X25519 values of small order (RFC 7748 section 6.1: the shared
 * secret would be all zeros) or of the wrong length, P-256 points off the curve, at infinity, of the wrong length
 * or from another curve. Sent as a TLS 1.3 key_share (ClientHello / ServerHello) or a TLS 1.2 ServerKeyExchange /
 * ClientKeyExchange by a BouncyCastle peer whose key agreement is rewritten; microssl must refuse each with
 * illegal_parameter (RFC 8446 section 4.2.8.2, RFC 8422 section 5.11; tlsfuzzer test-tls13-crfg-curves,
 * test-tls13-ecdhe-curves, test-x25519), except a TLS 1.2 point with no bytes at all, which does not decode
 * ({@code opaque point <1..2^8-1>}, RFC 8422 section 5.4): decode_error.
 */
class KeyShareTest {

    /** Little-endian u-coordinates of small order, or equal to one of them modulo p (libsodium's blocklist). */
    static final List<String> X25519_SMALL_ORDER = List.of(
        "0000000000000000000000000000000000000000000000000000000000000000", // 0
        "0100000000000000000000000000000000000000000000000000000000000000", // 1
        "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800", // order 8
        "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157", // order 8
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // p - 1
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // p (= 0)
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // p + 1 (= 1)
        "0000000000000000000000000000000000000000000000000000000000000080"); // 0 with the masked top bit set

    private static final String[] SMALL_ORDER_NAMES = {"0", "1", "order 8 (a)", "order 8 (b)", "p - 1",
        "p (non-canonical 0)", "p + 1 (non-canonical 1)", "0 with the top bit set"};

    /**
     * A bad public value: its group, how it replaces the honest one, the alert per version. A null {@code value}
     * is an empty one, which BouncyCastle will not put in a TLS 1.3 key_share: the hello is rewritten instead.
     */
    record Share(String name, int group, UnaryOperator<byte[]> value, int alertTls12, int alertTls13) {
        @Override
        public String toString() {
            return NamedGroup.getName(group) + " " + name;
        }
    }

    static List<Share> shares() {
        List<Share> out = new ArrayList<>();
        int ip = AlertDescription.illegal_parameter;
        for (int i = 0; i < X25519_SMALL_ORDER.size(); i++) {
            byte[] point = Wire.hex(X25519_SMALL_ORDER.get(i));
            out.add(new Share(SMALL_ORDER_NAMES[i], NamedGroup.x25519, honest -> point.clone(), ip, ip));
        }
        out.add(new Share("of 31 bytes", NamedGroup.x25519, h -> Arrays.copyOf(h, 31), ip, ip));
        out.add(new Share("of 33 bytes", NamedGroup.x25519, h -> Arrays.copyOf(h, 33), ip, ip));
        out.add(new Share("of no bytes", NamedGroup.x25519, null, AlertDescription.decode_error, ip));
        int p256 = NamedGroup.secp256r1;
        out.add(new Share("point off the curve", p256, h -> {
            byte[] b = h.clone();
            b[b.length - 1] ^= (byte) 0xff;
            return b;
        }, ip, ip));
        out.add(new Share("point at infinity (one zero byte)", p256, h -> new byte[1], ip, ip));
        out.add(new Share("04 then zeros", p256, h -> {
            byte[] b = new byte[65];
            b[0] = 4;
            return b;
        }, ip, ip));
        out.add(new Share("right-padded with a zero", p256, h -> Arrays.copyOf(h, 66), ip, ip));
        out.add(new Share("cut by a byte", p256, h -> Arrays.copyOf(h, 64), ip, ip));
        out.add(new Share("a P-384 point", p256, h -> P384_POINT.clone(), ip, ip));
        return out;
    }

    private static final byte[] P384_POINT;

    static {
        X9ECParameters p384 = CustomNamedCurves.getByName("secp384r1");
        P384_POINT = p384.getG().multiply(new BigInteger(256, new SecureRandom()).add(BigInteger.ONE)).normalize()
                .getEncoded(false);
    }

    /**
     * The groups the peer supports to make it use {@code group}: with X25519 also P-256, the curve of every ECDSA
     * certificate here (a TLS 1.2 server picks an ECDHE_ECDSA suite only for a client naming its curve, RFC 8422
     * section 5.1.1); X25519 comes first, so it is the group used.
     */
    static int[] groups(int group) {
        return group == NamedGroup.x25519 ? new int[] {NamedGroup.x25519, NamedGroup.secp256r1} : new int[] {group};
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Side side : Side.values()) {
            for (Version version : Version.values()) {
                for (Backend backend : Backend.values()) {
                    for (Share s : shares()) {
                        // An empty share is tested where tlsfuzzer probes it: a server reading a ClientHello
                        // (test-tls13-crfg-curves) or a ClientKeyExchange (test-x25519).
                        if (s.value == null && side == Side.CLIENT) continue;
                        out.add(Arguments.of(side, version, backend, s));
                    }
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "microssl {0} {1} {2}: {3}")
    @MethodSource("cases")
    void badPublicValueIsRefused(Side side, Version version, Backend backend, Share share) throws Exception {
        int alert = version == Version.TLS13 ? share.alertTls13 : share.alertTls12;
        HostilePeer.Config peer = Duel.peerFor(side, version).groups(groups(share.group));
        if (share.value != null) {
            peer.ephemeral((group, honest) -> group == share.group ? share.value.apply(honest) : honest);
        } else if (version == Version.TLS13) {
            peer.rewrite(HandshakeType.client_hello, KeyShareTest::emptyKeyShare);
        } else {
            peer.ephemeral((group, honest) -> new byte[0]);
        }
        try (Duel d = Duel.run(side, version, backend, peer, null)) {
            d.assertRefused(Failure.PROTOCOL_ERROR, alert);
        }
    }

    /** A ClientHello message (header and body) whose key_share's one entry keeps its group and loses its value. */
    static byte[] emptyKeyShare(byte[] message) {
        ByteBuffer in = ByteBuffer.wrap(message, 4, message.length - 4);
        in.position(in.position() + 2 + 32);
        in.position(in.position() + 1 + (in.get(in.position()) & 0xff)); // legacy_session_id
        in.position(in.position() + 2 + (in.getShort(in.position()) & 0xffff)); // cipher_suites
        in.position(in.position() + 1 + (in.get(in.position()) & 0xff)); // legacy_compression_methods
        int extensionsAt = in.position();
        int end = extensionsAt + 2 + (in.getShort(extensionsAt) & 0xffff);
        in.position(extensionsAt + 2);
        while (in.position() < end) {
            int at = in.position();
            int type = in.getShort() & 0xffff;
            int length = in.getShort() & 0xffff;
            if (type == ClientHelloBuilder.KEY_SHARE) {
                int group = in.getShort(at + 4 + 2) & 0xffff;
                byte[] data = {0, 4, (byte) (group >>> 8), (byte) group, 0, 0};
                byte[] out = new byte[message.length - length + data.length];
                System.arraycopy(message, 0, out, 0, at + 4);
                System.arraycopy(data, 0, out, at + 4, data.length);
                System.arraycopy(message, at + 4 + length, out, at + 4 + data.length, message.length - at - 4 - length);
                ByteBuffer o = ByteBuffer.wrap(out);
                int delta = data.length - length;
                o.putShort(at + 2, (short) data.length);
                o.putShort(extensionsAt, (short) (end - extensionsAt - 2 + delta));
                int body = out.length - 4;
                out[1] = (byte) (body >>> 16);
                out[2] = (byte) (body >>> 8);
                out[3] = (byte) body;
                return out;
            }
            in.position(in.position() + length);
        }
        throw new AssertionError("no key_share in the ClientHello");
    }

    /** The table's small-order values really are: X25519 with any private key gives the all-zero secret. */
    @Test
    void smallOrderValuesGiveTheZeroSecret() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        for (int i = 0; i < X25519_SMALL_ORDER.size(); i++) {
            byte[] out = new byte[32];
            assertFalse(X25519.calculateAgreement(k, 0, Wire.hex(X25519_SMALL_ORDER.get(i)), 0, out, 0),
                    SMALL_ORDER_NAMES[i]);
        }
    }

    /** The control: the same peers, restricted to the same groups, complete the handshake with honest values. */
    @ParameterizedTest(name = "microssl {0} {1} {2}")
    @MethodSource("controls")
    void honestValuesAreAccepted(Side side, Version version, Backend backend, int group) throws Exception {
        HostilePeer.Config peer = Duel.peerFor(side, version).groups(groups(group));
        try (Duel d = Duel.run(side, version, backend, peer, null)) {
            d.microssl.socket();
        }
    }

    static Stream<Arguments> controls() {
        List<Arguments> out = new ArrayList<>();
        for (Side side : Side.values()) {
            for (Version version : Version.values()) {
                for (Backend backend : Backend.values()) {
                    for (int group : new int[] {NamedGroup.x25519, NamedGroup.secp256r1}) {
                        out.add(Arguments.of(side, version, backend, group));
                    }
                }
            }
        }
        return out.stream();
    }
}
