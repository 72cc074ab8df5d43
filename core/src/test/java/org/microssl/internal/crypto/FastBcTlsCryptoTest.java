package org.microssl.internal.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsProtocol;
import org.bouncycastle.tls.crypto.TlsCipher;
import org.bouncycastle.tls.crypto.TlsCrypto;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.microssl.testing.TestPki;

/**
 * FastBcTlsCrypto's record ciphers against BouncyCastle's own, over real handshakes: every record one side seals
 * with our cipher the other side opens with BouncyCastle's (and the reverse), for TLS 1.2 (RFC 5288 explicit
 * nonce, RFC 7905) and TLS 1.3 (RFC 8446 per-record nonce) at every suite we take over.
 */
class FastBcTlsCryptoTest {

    private static RawBcPair.Identity ecdsa;
    private static RawBcPair.Identity ed25519;
    private static RawBcPair.Identity clientEcdsa;

    @BeforeAll
    static void certificates() {
        ecdsa = RawBcPair.Identity.of(TestPki.chain(TestPki.KeyType.EC_P256));
        ed25519 = RawBcPair.Identity.selfSigned(TestPki.cert().subject("CN=ed").key(TestPki.KeyType.ED25519).build());
        clientEcdsa = RawBcPair.Identity.of(TestPki.chain(TestPki.KeyType.EC_P256));
    }

    /** Records which record ciphers the crypto handed out, so the test knows ours was really used. */
    static final class CountingFastCrypto extends FastBcTlsCrypto {
        final List<Class<?>> ciphers = new ArrayList<>();
        TlsCipher last;

        CountingFastCrypto() {
            super(new SecureRandom());
        }

        @Override
        public TlsCipher createCipher(TlsCryptoParameters p, int encryptionAlgorithm, int macAlgorithm)
                throws IOException {
            TlsCipher c = super.createCipher(p, encryptionAlgorithm, macAlgorithm);
            ciphers.add(c.getClass());
            last = c;
            return c;
        }
    }

    static Stream<Arguments> suites() {
        List<Arguments> all = new ArrayList<>();
        Object[][] suites = {
            {ProtocolVersion.TLSv13, CipherSuite.TLS_AES_128_GCM_SHA256},
            {ProtocolVersion.TLSv13, CipherSuite.TLS_AES_256_GCM_SHA384},
            {ProtocolVersion.TLSv13, CipherSuite.TLS_CHACHA20_POLY1305_SHA256},
            {ProtocolVersion.TLSv12, CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256},
            {ProtocolVersion.TLSv12, CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384},
            {ProtocolVersion.TLSv12, CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256},
        };
        for (Object[] s : suites) {
            all.add(Arguments.of(s[0], s[1], true));
            all.add(Arguments.of(s[0], s[1], false));
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} suite 0x{1} fastClient={2}")
    @MethodSource("suites")
    void interoperatesWithBouncyCastleCiphers(ProtocolVersion version, int suite, boolean fastClient) throws Exception {
        CountingFastCrypto fast = new CountingFastCrypto();
        RawBcPair.Config c = config(version, suite, fastClient ? fast : new BcTlsCrypto(new SecureRandom()),
                fastClient ? new BcTlsCrypto(new SecureRandom()) : fast);
        RawBcPair pair = new RawBcPair(c).handshake();
        assertTrue(fast.ciphers.contains(AeadRecordCipher.class), "our record cipher was used: " + fast.ciphers);

        SplittableRandom random = new SplittableRandom(suite);
        int[] lengths = {1, 15, 16, 17, 63, 64, 65, 1000, 16383, 16384, 16385, 40000};
        for (int len : lengths) {
            byte[] data = new byte[len];
            random.nextBytes(data);
            assertArrayEquals(data, roundTrip(pair, pair.client, pair.server, data), "client->server " + len);
            assertArrayEquals(data, roundTrip(pair, pair.server, pair.client, data), "server->client " + len);
        }
        pair.close();
        assertTrue(pair.server.isClosed(), "close_notify went through our cipher");
    }

    @ParameterizedTest(name = "{0} suite 0x{1} jcaClient={2}")
    @MethodSource("suites")
    void jcaBackendRecordCiphersInteroperate(ProtocolVersion version, int suite, boolean jcaClient) throws Exception {
        List<Class<?>> ciphers = new ArrayList<>();
        TlsCrypto jca = new JcaBackend.JdkTlsCrypto(new SecureRandom()) {
            @Override
            public TlsCipher createCipher(TlsCryptoParameters p, int encryptionAlgorithm, int macAlgorithm)
                    throws IOException {
                TlsCipher c = super.createCipher(p, encryptionAlgorithm, macAlgorithm);
                ciphers.add(c.getClass());
                return c;
            }
        };
        TlsCrypto bc = new BcTlsCrypto(new SecureRandom());
        RawBcPair pair = new RawBcPair(config(version, suite, jcaClient ? jca : bc, jcaClient ? bc : jca)).handshake();
        assertTrue(ciphers.contains(AeadRecordCipher.class), "our record layer was used: " + ciphers);
        byte[] data = new byte[20000];
        new SplittableRandom(3).nextBytes(data);
        for (int len : new int[] {1, 64, 16384, 20000}) {
            byte[] d = Arrays.copyOf(data, len);
            assertArrayEquals(d, roundTrip(pair, pair.client, pair.server, d));
            assertArrayEquals(d, roundTrip(pair, pair.server, pair.client, d));
        }
    }

    @ParameterizedTest(name = "{0} suite 0x{1} fastClient={2}")
    @MethodSource("suites")
    void tamperedRecordIsBadRecordMac(ProtocolVersion version, int suite, boolean fastClient) throws Exception {
        // the side receiving the tampered record runs our cipher
        RawBcPair.Config c = config(version, suite, new BcTlsCrypto(new SecureRandom()),
                new FastBcTlsCrypto(new SecureRandom()));
        if (fastClient) {
            TlsCrypto t = c.clientCrypto;
            c.clientCrypto = c.serverCrypto;
            c.serverCrypto = t;
        }
        RawBcPair pair = new RawBcPair(c).handshake();
        TlsProtocol sender = fastClient ? pair.server : pair.client;
        TlsProtocol receiver = fastClient ? pair.client : pair.server;
        sender.writeApplicationData(new byte[100], 0, 100);
        byte[] record = new byte[sender.getAvailableOutputBytes()];
        sender.readOutput(record, 0, record.length);
        record[record.length - 20] ^= 1;
        TlsFatalAlert alert = assertThrows(TlsFatalAlert.class, () -> receiver.offerInput(record));
        assertEquals(AlertDescription.bad_record_mac, alert.getAlertDescription());
    }

    static Stream<Arguments> mflCases() {
        return Stream.of(Arguments.of(512, CipherSuite.TLS_CHACHA20_POLY1305_SHA256),
                Arguments.of(4096, CipherSuite.TLS_CHACHA20_POLY1305_SHA256),
                Arguments.of(512, CipherSuite.TLS_AES_128_GCM_SHA256),
                Arguments.of(1024, CipherSuite.TLS_AES_256_GCM_SHA384));
    }

    /** With max_fragment_length negotiated, AES-GCM runs its compact (table-free) GHASH against BC's tables. */
    @ParameterizedTest(name = "mfl {0} suite 0x{1}")
    @MethodSource("mflCases")
    void maxFragmentLengthAndMutualTlsWithEd25519(int mfl, int suite) throws Exception {
        CountingFastCrypto fast = new CountingFastCrypto();
        RawBcPair.Config c = config(ProtocolVersion.TLSv13, suite, fast, new BcTlsCrypto(new SecureRandom()));
        c.server = ed25519;
        c.client = clientEcdsa;
        c.maxFragmentLength = RawBcPair.mflCode(mfl);
        RawBcPair pair = new RawBcPair(c).handshake();
        assertEquals(mfl, pair.client.getApplicationDataLimit());
        RecordAead applicationAead = ((AeadRecordCipher) fast.last).encryptAead;
        if (applicationAead instanceof AesGcmAead) {
            assertTrue(((AesGcmAead) applicationAead).compact, "application keys use the compact GHASH under MFL");
        }
        byte[] data = new byte[3 * mfl + 7];
        new SplittableRandom(7).nextBytes(data);
        assertArrayEquals(data, roundTrip(pair, pair.client, pair.server, data));
    }

    private static RawBcPair.Config config(ProtocolVersion version, int suite, TlsCrypto client, TlsCrypto server) {
        RawBcPair.Config c = new RawBcPair.Config();
        c.version = version;
        c.cipherSuite = suite;
        c.clientCrypto = client;
        c.serverCrypto = server;
        c.server = ecdsa;
        return c;
    }

    private static byte[] roundTrip(RawBcPair pair, TlsProtocol from, TlsProtocol to, byte[] data) throws IOException {
        from.writeApplicationData(data, 0, data.length);
        pair.pump(from, to);
        byte[] got = new byte[data.length];
        int n = 0;
        while (n < data.length) {
            int r = to.readInput(got, n, data.length - n);
            if (r <= 0) {
                break;
            }
            n += r;
        }
        return Arrays.copyOf(got, n);
    }
}
