package org.microssl.hostile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.HandshakeType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.microssl.SSLContext;
import org.microssl.SslException.Failure;
import org.microssl.hostile.Duel.Side;
import org.microssl.hostile.Target.Backend;
import org.microssl.hostile.Target.LoopbackServer;
import org.microssl.hostile.Target.Outcome;
import org.microssl.hostile.Target.Version;

/**
 * Lengths a peer sends are checked before anything is allocated for them: a Certificate message whose inner
 * lengths do not fit it (the 3-byte message that made BouncyCastle allocate 16 MB), handshake headers over the
 * message limit (refused on the 4-byte header alone), chains over the certificate count or byte limit, and
 * ClientHellos around the server's limit. Both sides, both versions, both backends; the exact alert is asserted on
 * the wire (RFC 8446 section 6: decode_error for what does not parse or is over a size limit, bad_certificate for
 * a chain we will not take).
 */
class HandshakeLimitsTest {
    /**
     * A blocking handshake allocates well under this in its thread; the 2^24-1 lengths below would cost 16 MB if
     * they were believed.
     */
    private static final long ALLOCATION_BUDGET = 8L << 20;

    /**
     * A Certificate message sent in place of the real one, for a side whose message limit is given; a null failure
     * means a corrupt certificate (see {@link Target#assertRefusedCorruptCertificate}).
     */
    record BadCertificate(String name, BiFunction<Version, Integer, byte[]> message, Failure failure, int alert) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final List<BadCertificate> BAD_CERTIFICATES = List.of(
        new BadCertificate("certificate_list of 2^24-1 bytes in a 3-byte body",
                (v, limit) -> certificate(v, "ffffff"), Failure.PROTOCOL_ERROR, AlertDescription.decode_error),
        new BadCertificate("a certificate of 2^24-1 bytes in a 3-byte list",
                (v, limit) -> certificate(v, "000003 ffffff"), Failure.PROTOCOL_ERROR, AlertDescription.decode_error),
        new BadCertificate("a zero-length certificate",
                (v, limit) -> certificate(v, v == Version.TLS13 ? "000005 000000 0000" : "000003 000000"),
                Failure.PROTOCOL_ERROR, AlertDescription.decode_error),
        new BadCertificate("header one byte over the limit, no body",
                (v, limit) -> header(HandshakeType.certificate, limit + 1), Failure.LIMIT_EXCEEDED,
                AlertDescription.decode_error),
        new BadCertificate("header of 2^24-1 bytes, no body",
                (v, limit) -> header(HandshakeType.certificate, 0xffffff), Failure.LIMIT_EXCEEDED,
                AlertDescription.decode_error),
        // A certificate that is not one is "corrupt" (RFC 8446 section 6.2: bad_certificate, as OpenSSL, Go and
        // rustls send); the TLS layer (PROTOCOL_ERROR) or the validator (CERTIFICATE_REJECTED, MALFORMED) may say so.
        new BadCertificate("not a certificate: SEQUENCE { INTEGER 1 }",
                (v, limit) -> chainOf(v, Wire.hex("3003020101")), null, AlertDescription.bad_certificate),
        new BadCertificate("a certificate cut short inside its DER",
                (v, limit) -> chainOf(v, Arrays.copyOf(Target.CHAIN.leaf.der, Target.CHAIN.leaf.der.length - 10)),
                null, AlertDescription.bad_certificate));

    static Stream<Arguments> badCertificates() {
        List<Arguments> out = new ArrayList<>();
        for (Side side : Side.values()) {
            for (Version version : Version.values()) {
                for (Backend backend : Backend.values()) {
                    for (BadCertificate c : BAD_CERTIFICATES) out.add(Arguments.of(side, version, backend, c));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "microssl {0} {1} {2}: {3}")
    @MethodSource("badCertificates")
    void badCertificateMessage(Side side, Version version, Backend backend, BadCertificate c) throws Exception {
        HostilePeer.Config peer = Duel.peerFor(side, version)
                .replace(HandshakeType.certificate, c.message.apply(version, side.messageLimit()));
        try (Duel d = Duel.run(side, version, backend, peer, null)) {
            if (c.failure == null) {
                Target.assertRefusedCorruptCertificate(d.microssl.error, c.alert);
                Target.assertFatalAlert(d.alertsSeen(), c.alert);
            } else {
                d.assertRefused(c.failure, c.alert);
            }
            assertTrue(d.microssl.allocatedBytes < ALLOCATION_BUDGET, () -> "the handshake allocated "
                    + d.microssl.allocatedBytes + " bytes");
        }
    }

    /** A limit set on the context, and whether the real chain (leaf + intermediate) passes it. */
    record Limit(String name, Consumer<SSLContext> set, Failure failure, int alert) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> configuredLimits() {
        List<Arguments> out = new ArrayList<>();
        for (Side side : Side.values()) {
            for (Version version : Version.values()) {
                List<byte[]> chain = limitsChain(side, version);
                int bytes = chain.stream().mapToInt(c -> c.length).sum();
                int count = chain.size();
                int message = certificateMessageLength(version, chain);
                List<Limit> limits = List.of(
                    new Limit("message limit = the Certificate's length", c -> c.setMaxHandshakeMessageSize(message),
                            null, -1),
                    new Limit("message limit 1 byte under the Certificate's length",
                            c -> c.setMaxHandshakeMessageSize(message - 1), Failure.LIMIT_EXCEEDED,
                            AlertDescription.decode_error),
                    new Limit("chain bytes = the chain's", c -> c.setMaxCertificateChain(bytes, 10), null, -1),
                    new Limit("chain bytes 1 under the chain's", c -> c.setMaxCertificateChain(bytes - 1, 10),
                            Failure.LIMIT_EXCEEDED, AlertDescription.bad_certificate),
                    new Limit("chain count = the chain's", c -> c.setMaxCertificateChain(16_384, count), null, -1),
                    new Limit("chain count 1 under the chain's", c -> c.setMaxCertificateChain(16_384, count - 1),
                            Failure.LIMIT_EXCEEDED, AlertDescription.bad_certificate));
                for (Backend backend : Backend.values()) {
                    for (Limit l : limits) out.add(Arguments.of(side, version, backend, l));
                }
            }
        }
        return out.stream();
    }

    /**
     * The peer's real chain, its intermediate repeated until the Certificate message is over 1,024 bytes (the
     * smallest message limit a context takes).
     */
    static List<byte[]> limitsChain(Side side, Version version) {
        List<byte[]> honest = Duel.peerFor(side, version).chain;
        List<byte[]> chain = new ArrayList<>(honest);
        while (certificateMessageLength(version, chain) <= 1100) chain.add(honest.get(1));
        return chain;
    }

    /** Each configured limit lets through exactly what fits it: a boundary pair per limit, with honest peers. */
    @ParameterizedTest(name = "microssl {0} {1} {2}: {3}")
    @MethodSource("configuredLimits")
    void configuredLimitBoundaries(Side side, Version version, Backend backend, Limit l) throws Exception {
        HostilePeer.Config peer = Duel.peerFor(side, version);
        peer.identity(limitsChain(side, version), peer.keyPkcs8);
        if (l.failure != null) peer.muteAfterSending(HandshakeType.certificate); // then it reads our alert
        try (Duel d = Duel.run(side, version, backend, peer, l.set)) {
            if (l.failure == null) {
                d.microssl.socket(); // succeeded
                return;
            }
            d.assertRefused(l.failure, l.alert);
        }
    }

    static Stream<Arguments> sidesVersionsBackends() {
        List<Arguments> out = new ArrayList<>();
        for (Side side : Side.values()) {
            for (Version version : Version.values()) {
                for (Backend backend : Backend.values()) out.add(Arguments.of(side, version, backend));
            }
        }
        return out.stream();
    }

    /** Eleven certificates (leaf + the intermediate ten times) against the default count limit of 10. */
    @ParameterizedTest(name = "microssl {0} {1} {2}")
    @MethodSource("sidesVersionsBackends")
    void elevenCertificatesAreOverTheDefaultCount(Side side, Version version, Backend backend) throws Exception {
        HostilePeer.Config peer = Duel.peerFor(side, version);
        List<byte[]> honest = peer.chain;
        List<byte[]> eleven = new ArrayList<>();
        eleven.add(honest.get(0));
        for (int i = 0; i < 10; i++) eleven.add(honest.get(1));
        peer.identity(eleven, peer.keyPkcs8).muteAfterSending(HandshakeType.certificate);
        try (Duel d = Duel.run(side, version, backend, peer, null)) {
            d.assertRefused(Failure.LIMIT_EXCEEDED, AlertDescription.bad_certificate);
        }
    }

    /** After the handshake (TLS 1.3), a NewSessionTicket / KeyUpdate header one byte over the limit. */
    @ParameterizedTest(name = "microssl {0} {1} {2}")
    @MethodSource("tls13SidesBackends")
    void postHandshakeMessageOverTheLimit(Side side, Version version, Backend backend) throws Exception {
        int type = side == Side.CLIENT ? HandshakeType.new_session_ticket : HandshakeType.key_update;
        HostilePeer.Config peer = Duel.peerFor(side, version).afterHandshake(p -> {
            p.awaitGo();
            p.sendHandshakeRecord(header(type, side.messageLimit() + 1));
        });
        try (Duel d = Duel.run(side, version, backend, peer, null)) {
            d.go();
            Throwable e = readFails(d.microssl);
            d.assertRefused(e, Failure.LIMIT_EXCEEDED, AlertDescription.decode_error);
        }
    }

    static Stream<Arguments> tls13SidesBackends() {
        List<Arguments> out = new ArrayList<>();
        for (Side side : Side.values()) {
            for (Backend backend : Backend.values()) out.add(Arguments.of(side, Version.TLS13, backend));
        }
        return out.stream();
    }

    /** The established connection's next read must fail; its exception. */
    static Throwable readFails(Outcome o) {
        try {
            byte[] got = o.socket().read(1);
            throw new AssertionError("read returned " + Arrays.toString(got));
        } catch (java.io.IOException e) {
            return e;
        }
    }

    // ------------------------------------------------------------------------------------------ ClientHello sizes

    static Stream<Arguments> basesAndBackends() {
        List<Arguments> out = new ArrayList<>();
        for (Backend backend : Backend.values()) {
            for (boolean tls13 : new boolean[] {true, false}) out.add(Arguments.of(backend, tls13));
        }
        return out.stream();
    }

    /** A ClientHello with a full 2^16-1-byte extensions block (a padding extension) fits the server's limit. */
    @ParameterizedTest(name = "{0} tls13={1}")
    @MethodSource("basesAndBackends")
    void largestExtensionsBlockIsAnswered(Backend backend, boolean tls13) throws Exception {
        ClientHelloBuilder hello = tls13 ? ClientHelloBuilder.tls13() : ClientHelloBuilder.tls12();
        ClientHelloBuilder.Layout l = hello.layout();
        int extensions = l.body.length - l.extensions - 2;
        byte[] body = hello.ext(ClientHelloBuilder.PADDING, new byte[0xffff - extensions - 4]).layout().body;
        assertEquals(0xffff, body.length - hello.layout().extensions - 2);
        try (LoopbackServer server = new LoopbackServer(Target.server(backend, null));
                Socket raw = server.connectRaw()) {
            raw.getOutputStream().write(ClientHelloBuilder.records(body));
            ClientHelloTruncationTest.assertServerHello(Wire.read(raw, 1, Target.WAIT_MS));
        }
    }

    /** A ClientHello at a configured limit is answered; one byte over, refused. */
    @ParameterizedTest(name = "{0} tls13={1}")
    @MethodSource("basesAndBackends")
    void clientHelloAtAConfiguredLimit(Backend backend, boolean tls13) throws Exception {
        int limit = 1024;
        for (int size : new int[] {limit, limit + 1}) {
            ClientHelloBuilder hello = tls13 ? ClientHelloBuilder.tls13() : ClientHelloBuilder.tls12();
            int body = hello.layout().body.length;
            hello.ext(ClientHelloBuilder.PADDING, new byte[size - body - 4]);
            byte[] message = hello.layout().body;
            assertEquals(size, message.length);
            SSLContext ctx = Target.server(backend, null);
            ctx.setMaxHandshakeMessageSize(limit);
            try (LoopbackServer server = new LoopbackServer(ctx); Socket raw = server.connectRaw()) {
                raw.getOutputStream().write(ClientHelloBuilder.records(message));
                if (size == limit) {
                    ClientHelloTruncationTest.assertServerHello(Wire.read(raw, 1, Target.WAIT_MS));
                } else {
                    byte[] answer = Wire.readToEnd(raw, Target.WAIT_MS);
                    Target.assertRefused(server.outcome().error, Failure.LIMIT_EXCEEDED, AlertDescription.decode_error);
                    Target.assertFatalAlert(Wire.plaintextAlerts(answer), AlertDescription.decode_error);
                }
            }
        }
    }

    static Stream<Arguments> oversizedHeaders() {
        List<Arguments> out = new ArrayList<>();
        for (Backend backend : Backend.values()) {
            for (int length : new int[] {66_049, 0x20000 + 512, 0xffffff}) out.add(Arguments.of(backend, length));
        }
        return out.stream();
    }

    /**
     * A ClientHello header over the server's limit (66,048) is refused as soon as its 4 bytes arrive: the body is
     * never sent, and the refusal comes long before the handshake deadline.
     */
    @ParameterizedTest(name = "{0}: {1} bytes")
    @MethodSource("oversizedHeaders")
    void clientHelloHeaderOverTheLimit(Backend backend, int length) throws Exception {
        try (LoopbackServer server = new LoopbackServer(Target.server(backend, null));
                Socket raw = server.connectRaw()) {
            raw.getOutputStream().write(Wire.record(Wire.HANDSHAKE, Wire.TLS10, header(HandshakeType.client_hello,
                    length)));
            byte[] answer = Wire.readToEnd(raw, Target.WAIT_MS);
            Outcome o = server.outcome();
            Target.assertRefused(o.error, Failure.LIMIT_EXCEEDED, AlertDescription.decode_error);
            assertTrue(o.allocatedBytes < ALLOCATION_BUDGET, () -> "allocated " + o.allocatedBytes);
            assertArrayEquals(new Object[] {Wire.Alert.fatal(AlertDescription.decode_error)},
                    Wire.plaintextAlerts(answer).toArray(), () -> "records: " + Wire.parse(answer));
        }
    }

    // ------------------------------------------------------------------------------------------ message builders

    /** A handshake header claiming {@code length} bytes, with no body. */
    static byte[] header(int type, int length) {
        return new byte[] {(byte) type, (byte) (length >>> 16), (byte) (length >>> 8), (byte) length};
    }

    /**
     * A Certificate message whose certificate_list is {@code listHex} (list length first); in TLS 1.3 preceded by an
     * empty certificate_request_context (RFC 8446 section 4.4.2).
     */
    static byte[] certificate(Version v, String listHex) {
        byte[] list = Wire.hex(listHex);
        byte[] body = v == Version.TLS13 ? concat(new byte[] {0}, list) : list;
        return Wire.handshake(HandshakeType.certificate, body);
    }

    /** A well-formed Certificate message carrying {@code der} as its one certificate. */
    static byte[] chainOf(Version v, byte[] der) {
        byte[] entry = concat(u24(der.length), der);
        if (v == Version.TLS13) entry = concat(entry, new byte[] {0, 0}); // no extensions
        byte[] list = concat(u24(entry.length), entry);
        byte[] body = v == Version.TLS13 ? concat(new byte[] {0}, list) : list;
        return Wire.handshake(HandshakeType.certificate, body);
    }

    /** The length the header of a Certificate message carrying {@code chain} gives. */
    static int certificateMessageLength(Version v, List<byte[]> chain) {
        int list = 0;
        for (byte[] c : chain) list += 3 + c.length + (v == Version.TLS13 ? 2 : 0);
        return (v == Version.TLS13 ? 1 : 0) + 3 + list;
    }

    static byte[] u24(int n) {
        return new byte[] {(byte) (n >>> 16), (byte) (n >>> 8), (byte) n};
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
