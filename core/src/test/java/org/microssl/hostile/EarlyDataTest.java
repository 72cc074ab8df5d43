package org.microssl.hostile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.ByteArrayOutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.HandshakeType;
import org.bouncycastle.tls.NamedGroup;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.microssl.SSLSocket;
import org.microssl.SslException.Failure;
import org.microssl.hostile.Duel.Side;
import org.microssl.hostile.Target.Backend;
import org.microssl.hostile.Target.Version;

/**
 * A microssl server and a client's 0-RTT data, which microssl never accepts (RFC 8446 section 4.2.10, tlsfuzzer's
 * test-tls13-0rtt-garbage). A client that offered early_data sends records we cannot read right after its
 * ClientHello: after our ServerHello they are skipped until the first record that opens under the client's
 * handshake key, after a HelloRetryRequest until the second ClientHello, up to a budget; the handshake then
 * completes. Beyond the budget, or outside that window, an unreadable record is refused as ever.
 */
class EarlyDataTest {
    private static final byte[] PING = "ping".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** EarlyDataSkip.BUDGET: 2^14 + 256 bytes of ciphertext and one record header. */
    private static final int BUDGET = (1 << 14) + 256 + 5;

    /** application_data records of random bytes (what 0-RTT under a key we do not have looks like), sizes given. */
    private static byte[] garbage(int... sizes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int size : sizes) {
            byte[] body = new byte[size];
            RANDOM.nextBytes(body);
            byte[] r = Wire.record(Wire.APPLICATION_DATA, Wire.TLS12, body);
            out.write(r, 0, r.length);
        }
        return out.toByteArray();
    }

    /** Early data within the budget: two 8 KiB records, one too short for a tag, one empty. */
    private static byte[] withinBudget() {
        return garbage(8192, 8000, 10, 0);
    }

    private static HostilePeer.Config client() {
        return Target.hostileClient(Version.TLS13).afterHandshake(p -> {
            p.awaitGo();
            p.send(PING);
        });
    }

    /** A client whose first key share (x25519) is not for its first group (secp384r1): we answer with an HRR. */
    private static HostilePeer.Config retryingClient() {
        return client().groups(NamedGroup.secp384r1, NamedGroup.x25519);
    }

    private static void assertCompletes(Duel d) throws Exception {
        d.go();
        SSLSocket s = d.microssl.socket();
        assertArrayEquals(PING, s.read(PING.length), "application data after the skipped early data");
    }

    static Stream<Arguments> windows() {
        List<Arguments> out = new ArrayList<>();
        for (Backend backend : Backend.values()) {
            for (boolean retry : new boolean[] {false, true}) out.add(Arguments.of(backend, retry));
        }
        return out.stream();
    }

    private static HostilePeer.Config client(boolean retry) {
        return retry ? retryingClient() : client();
    }

    @ParameterizedTest(name = "{0}, HelloRetryRequest {1}")
    @MethodSource("windows")
    void earlyDataIsSkipped(Backend backend, boolean retry) throws Exception {
        HostilePeer.Config peer = client(retry).afterFirstHello(true, withinBudget());
        try (Duel d = Duel.run(Side.SERVER, Version.TLS13, backend, peer, null)) {
            assertCompletes(d);
        }
    }

    /** One record of the largest size RFC 8446 section 5.2 allows is exactly the budget. */
    @ParameterizedTest(name = "{0}, HelloRetryRequest {1}")
    @MethodSource("windows")
    void earlyDataOfExactlyTheBudgetIsSkipped(Backend backend, boolean retry) throws Exception {
        HostilePeer.Config peer = client(retry).afterFirstHello(true, garbage(BUDGET - 5));
        try (Duel d = Duel.run(Side.SERVER, Version.TLS13, backend, peer, null)) {
            assertCompletes(d);
        }
    }

    /** An empty record more: over the budget. */
    @ParameterizedTest(name = "{0}, HelloRetryRequest {1}")
    @MethodSource("windows")
    void earlyDataOverTheBudgetIsUnexpectedMessage(Backend backend, boolean retry) throws Exception {
        HostilePeer.Config peer = client(retry).afterFirstHello(true, garbage(BUDGET - 5, 0))
                .muteAfterSending(HandshakeType.client_hello);
        try (Duel d = Duel.run(Side.SERVER, Version.TLS13, backend, peer, null)) {
            d.assertRefused(Failure.PROTOCOL_ERROR, AlertDescription.unexpected_message);
        }
    }

    /** The same records from a client that did not offer early_data: nothing to skip. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void unreadableRecordWithoutEarlyDataIsBadRecordMac(Backend backend) throws Exception {
        HostilePeer.Config peer = client().afterFirstHello(false, garbage(100))
                .muteAfterSending(HandshakeType.client_hello);
        try (Duel d = Duel.run(Side.SERVER, Version.TLS13, backend, peer, null)) {
            d.assertRefused(Failure.PROTOCOL_ERROR, AlertDescription.bad_record_mac);
        }
    }

    /** After a HelloRetryRequest the second ClientHello ends the skipping; its second flight must decrypt. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void unreadableRecordAfterTheSecondClientHelloIsBadRecordMac(Backend backend) throws Exception {
        HostilePeer.Config peer = retryingClient().afterFirstHello(true, withinBudget()).afterSecondHello(garbage(64))
                .muteOnReceiving(HandshakeType.finished);
        try (Duel d = Duel.run(Side.SERVER, Version.TLS13, backend, peer, null)) {
            d.assertRefused(Failure.PROTOCOL_ERROR, AlertDescription.bad_record_mac);
        }
    }

    /** The client's first record that opens (its second flight) ends the skipping for good. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void unreadableRecordAfterTheHandshakeIsBadRecordMac(Backend backend) throws Exception {
        HostilePeer.Config peer = Target.hostileClient(Version.TLS13).afterFirstHello(true, withinBudget())
                .afterHandshake(p -> {
                    p.awaitGo();
                    p.sendRaw(garbage(64));
                });
        try (Duel d = Duel.run(Side.SERVER, Version.TLS13, backend, peer, null)) {
            d.go();
            d.assertRefused(HandshakeLimitsTest.readFails(d.microssl), Failure.PROTOCOL_ERROR,
                    AlertDescription.bad_record_mac);
        }
    }

    /** RFC 8446 section 4.2.10: early_data in a ClientHello is empty; anything in it is decode_error. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void nonEmptyEarlyDataExtensionIsDecodeError(Backend backend) throws Exception {
        byte[] body = ClientHelloBuilder.tls13().ext(EARLY_DATA, new byte[] {0}).layout().body;
        try (Target.LoopbackServer server = new Target.LoopbackServer(Target.server(backend, null));
                Socket raw = server.connectRaw()) {
            raw.getOutputStream().write(ClientHelloBuilder.records(body));
            byte[] answer = Wire.readToEnd(raw, Target.WAIT_MS);
            Target.assertRefused(server.outcome().error, Failure.PROTOCOL_ERROR, AlertDescription.decode_error);
            Target.assertFatalAlert(Wire.plaintextAlerts(answer), AlertDescription.decode_error);
        }
    }

    /**
     * RFC 8446 section 4.1.2: the ClientHello that answers a HelloRetryRequest removes early_data ("early data is
     * not permitted after a HelloRetryRequest"); one that still offers it is illegal_parameter, as OpenSSL answers.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void earlyDataInTheSecondClientHelloIsIllegalParameter(Backend backend) throws Exception {
        ClientHelloBuilder hello = ClientHelloBuilder.tls13().supportedGroups(0x0018, ClientHelloBuilder.X25519_GROUP)
                .ext(EARLY_DATA, new byte[0]);
        try (Target.LoopbackServer server = new Target.LoopbackServer(Target.server(backend, null));
                Socket raw = server.connectRaw()) {
            raw.getOutputStream().write(ClientHelloBuilder.records(hello.layout().body));
            byte[] retry = Wire.read(raw, 1, Target.WAIT_MS);
            ClientHelloTruncationTest.assertServerHello(retry); // a HelloRetryRequest is a ServerHello on the wire
            org.bouncycastle.crypto.AsymmetricCipherKeyPair p384 = p384KeyPair();
            hello.keyShare(0x0018, ((org.bouncycastle.crypto.params.ECPublicKeyParameters) p384.getPublic()).getQ()
                    .getEncoded(false));
            raw.getOutputStream().write(ClientHelloBuilder.records(hello.layout().body));
            byte[] answer = Wire.readToEnd(raw, Target.WAIT_MS);
            org.microssl.SslException e = Target.assertRefused(server.outcome().error, Failure.PROTOCOL_ERROR,
                    AlertDescription.illegal_parameter);
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("offers early_data"), e.getMessage());
            Target.assertFatalAlert(Wire.plaintextAlerts(answer), AlertDescription.illegal_parameter);
        }
    }

    private static org.bouncycastle.crypto.AsymmetricCipherKeyPair p384KeyPair() {
        org.bouncycastle.asn1.x9.X9ECParameters curve = org.bouncycastle.crypto.ec.CustomNamedCurves.getByName("P-384");
        org.bouncycastle.crypto.generators.ECKeyPairGenerator g = new org.bouncycastle.crypto.generators.ECKeyPairGenerator();
        g.init(new org.bouncycastle.crypto.params.ECKeyGenerationParameters(new org.bouncycastle.crypto.params
                .ECDomainParameters(curve), RANDOM));
        return g.generateKeyPair();
    }

    private static final int EARLY_DATA = 42;
}
