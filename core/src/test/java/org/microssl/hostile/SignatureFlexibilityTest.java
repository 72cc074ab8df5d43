package org.microssl.hostile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.HashAlgorithm;
import org.bouncycastle.tls.SignatureAlgorithm;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.microssl.SSLSocket;
import org.microssl.SslException.Failure;
import org.microssl.hostile.Duel.Side;
import org.microssl.hostile.Target.Backend;
import org.microssl.hostile.Target.Version;

/**
 * ECDSA with a P-256 key and SHA-384 or SHA-512: allowed in TLS 1.2, where the signature algorithm names a hash
 * and not a curve (RFC 8422 section 5.1.1 leaves them unbound; OpenSSL accepts, tlsfuzzer
 * test-ecdsa-sig-flexibility); refused in TLS 1.3, where ecdsa_secp384r1_sha384 means a P-384 key (RFC 8446
 * section 4.2.3). microssl's server faces a client that offers only SHA-384/SHA-512 ECDSA; its client faces a
 * server that signs its ServerKeyExchange that way.
 */
class SignatureFlexibilityTest {
    private static final byte[] HELLO = "hello".getBytes(StandardCharsets.US_ASCII);

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Side side : Side.values()) {
            for (Backend backend : Backend.values()) {
                for (short hash : new short[] {HashAlgorithm.sha384, HashAlgorithm.sha512}) {
                    out.add(Arguments.of(side, backend, HashAlgorithm.getName(hash)));
                }
            }
        }
        return out.stream();
    }

    private static SignatureAndHashAlgorithm ecdsa(String hash) {
        return SignatureAndHashAlgorithm.getInstance(hash.equals("sha384") ? HashAlgorithm.sha384
                : HashAlgorithm.sha512, SignatureAlgorithm.ecdsa);
    }

    /** TLS 1.2 with a P-256 key and ECDSA over SHA-384 / SHA-512 completes, and data flows. */
    @ParameterizedTest(name = "microssl {0} {1}: P-256 with {2}")
    @MethodSource("cases")
    void tls12TakesAnyHashWithP256(Side side, Backend backend, String hash) throws Exception {
        HostilePeer.Config peer = Duel.peerFor(side, Version.TLS12).afterHandshake(p -> p.send(HELLO));
        if (side == Side.SERVER) {
            peer.offerSignatureAlgorithms(ecdsa("sha384"), ecdsa("sha512")); // only these, whichever row
        } else {
            peer.signWith(ecdsa(hash)); // the server's P-256 key signs with this hash
        }
        try (Duel d = Duel.run(side, Version.TLS12, backend, peer, null)) {
            SSLSocket s = d.microssl.socket();
            assertArrayEquals(HELLO, s.read(HELLO.length));
        }
    }

    static Stream<Arguments> backends() {
        return Stream.of(Backend.values()).map(Arguments::of);
    }

    /** In TLS 1.3 the same client offers nothing a P-256 server can sign with: handshake_failure. */
    @ParameterizedTest(name = "microssl server {0}")
    @MethodSource("backends")
    void tls13BindsTheCurve(Backend backend) throws Exception {
        HostilePeer.Config peer = Duel.peerFor(Side.SERVER, Version.TLS13)
                .offerSignatureAlgorithms(ecdsa("sha384"), ecdsa("sha512"));
        try (Duel d = Duel.run(Side.SERVER, Version.TLS13, backend, peer, null)) {
            d.assertRefused(Failure.HANDSHAKE_FAILURE, AlertDescription.handshake_failure);
        }
    }
}
