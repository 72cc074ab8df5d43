package org.microssl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.microssl.Fixtures.Backend;
import org.microssl.SslException.Failure;
import org.microssl.spi.KeySigner;
import org.microssl.testing.TestPki;
import org.microssl.testing.TestPki.KeyType;
import org.microssl.testing.TlsPair;

/**
 * The secure-element hook: an in-test "secure element" holds the key (as a JCA PrivateKey microssl cannot reach),
 * signs what microssl hands it, and the handshake verifies at the peer.
 */
class KeySignerTest {

    /** A software secure element. Like an ATECC608 it returns ECDSA signatures as raw r || s. */
    static final class SoftSecureElement implements KeySigner {
        final PrivateKey key;
        final KeyType type;
        final List<Integer> calls = new ArrayList<>();
        final List<Integer> inputLengths = new ArrayList<>();
        volatile boolean broken;

        SoftSecureElement(TestPki.Issued leaf) {
            this.key = leaf.keyPair.getPrivate();
            this.type = leaf.keyType;
        }

        @Override
        public int[] supportedSchemes() {
            switch (type) {
                case EC_P256: return new int[] {ECDSA_SECP256R1_SHA256};
                case ED25519: return new int[] {ED25519};
                default: return new int[] {RSA_PSS_RSAE_SHA256, RSA_PKCS1_SHA256};
            }
        }

        @Override
        public byte[] sign(int scheme, byte[] input) throws IOException {
            calls.add(scheme);
            inputLengths.add(input.length);
            if (broken) throw new IOException("I2C bus error 0x0F");
            try {
                switch (scheme) {
                    case ECDSA_SECP256R1_SHA256: {
                        Signature s = Signature.getInstance("NONEwithECDSA");
                        s.initSign(key);
                        s.update(input);
                        ASN1Sequence der = ASN1Sequence.getInstance(s.sign());
                        byte[] raw = new byte[64];
                        copy32(((ASN1Integer) der.getObjectAt(0)).getValue(), raw, 0);
                        copy32(((ASN1Integer) der.getObjectAt(1)).getValue(), raw, 32);
                        return raw;
                    }
                    case ED25519: {
                        Signature s = Signature.getInstance("Ed25519");
                        s.initSign(key);
                        s.update(input);
                        return s.sign();
                    }
                    case RSA_PSS_RSAE_SHA256: {
                        // The hook receives the SHA-256 digest; "NONEwithRSASSA-PSS" signs a precomputed digest.
                        Signature s = Signature.getInstance("NONEwithRSASSA-PSS", TestPki.BC);
                        s.setParameter(new java.security.spec.PSSParameterSpec("SHA-256", "MGF1",
                                java.security.spec.MGF1ParameterSpec.SHA256, 32, 1));
                        s.initSign(key);
                        s.update(input);
                        return s.sign();
                    }
                    default:
                        throw new IOException("scheme " + scheme);
                }
            } catch (java.security.GeneralSecurityException e) {
                throw new IOException(e);
            }
        }

        private static void copy32(BigInteger v, byte[] out, int off) {
            byte[] b = v.toByteArray();
            int n = Math.min(b.length, 32);
            System.arraycopy(b, b.length - n, out, off + 32 - n, n);
        }
    }

    @ParameterizedTest(name = "{0} version {1}")
    @CsvSource({"EC_P256, 772", "EC_P256, 771", "ED25519, 772", "ED25519, 771", "RSA_2048, 772", "RSA_2048, 771"})
    void serverKeyInSecureElement(KeyType type, int version) throws Exception {
        TestPki.Chain chain = HandshakeTest.chain(type);
        SoftSecureElement se = new SoftSecureElement(chain.leaf);
        SSLContext server = new SSLContext(Ssl.PROTOCOL_TLS_SERVER);
        server.loadCertChain(Fixtures.ascii(chain.chainPem()), se);
        SSLContext client = Fixtures.client(chain.root, Backend.LIGHTWEIGHT);
        client.setMaximumVersion(version);
        TlsPair p = TlsPair.connect(client, "localhost", server);
        assertEquals(1, se.calls.size(), "one handshake signature");
        int expectedInput = type == KeyType.ED25519 ? -1 : 32; // digest for ECDSA/RSA, message for Ed25519
        if (expectedInput > 0) assertEquals(expectedInput, se.inputLengths.get(0));
        else assertTrue(se.inputLengths.get(0) > 64, "Ed25519 gets the whole message");
        p.client.write(Fixtures.ascii("x"));
        assertArrayEquals(Fixtures.ascii("x"), p.server.read(1));
    }

    @ParameterizedTest(name = "version {0}")
    @CsvSource({"772", "771"})
    void clientKeyInSecureElementForMutualTls(int version) throws Exception {
        TestPki.Chain serverChain = HandshakeTest.chain(KeyType.EC_P256);
        TestPki.Chain device = TestPki.chain(KeyType.EC_P256, "sensor-7", TestPki.Purpose.CLIENT);
        SoftSecureElement se = new SoftSecureElement(device.leaf);
        SSLContext server = Fixtures.server(serverChain, Backend.LIGHTWEIGHT);
        server.setVerifyMode(Ssl.CERT_REQUIRED);
        server.loadVerifyLocations(null, device.root.der);
        SSLContext client = Fixtures.client(serverChain.root, Backend.LIGHTWEIGHT);
        client.setMaximumVersion(version);
        client.loadCertChain(Fixtures.ascii(device.chainPem()), se);
        TlsPair p = TlsPair.connect(client, "localhost", server);
        assertEquals(Arrays.asList(KeySigner.ECDSA_SECP256R1_SHA256), se.calls);
        assertArrayEquals(device.leaf.der, (byte[]) p.server.getpeercert(true));
    }

    @ParameterizedTest(name = "version {0}")
    @CsvSource({"772", "771"})
    void failingSecureElementFailsTheHandshakeLoudly(int version) throws Exception {
        TestPki.Chain chain = HandshakeTest.chain(KeyType.EC_P256);
        SoftSecureElement se = new SoftSecureElement(chain.leaf);
        se.broken = true;
        SSLContext server = new SSLContext(Ssl.PROTOCOL_TLS_SERVER);
        server.loadCertChain(Fixtures.ascii(chain.chainPem()), se);
        SSLContext client = Fixtures.client(chain.root, Backend.LIGHTWEIGHT);
        client.setMaximumVersion(version);
        TlsPair p = TlsPair.attempt(client, "localhost", server);
        SslException e = assertInstanceOf(SslException.class, p.serverError);
        assertEquals(Failure.SIGNER_FAILURE, e.failure());
        assertTrue(e.getMessage().contains("I2C bus error 0x0F"), e.getMessage());
        SslException c = assertInstanceOf(SslException.class, p.clientError);
        assertEquals(Failure.ALERT_RECEIVED, c.failure());
        assertEquals(org.bouncycastle.tls.AlertDescription.internal_error, c.alert());
    }

    @org.junit.jupiter.api.Test
    void signerThatCannotSignForTheCertificateIsRefused() {
        TestPki.Chain chain = TestPki.chain(KeyType.EC_P256);
        SSLContext server = new SSLContext(Ssl.PROTOCOL_TLS_SERVER);
        KeySigner rsaOnly = new KeySigner() {
            @Override
            public int[] supportedSchemes() {
                return new int[] {RSA_PSS_RSAE_SHA256};
            }

            @Override
            public byte[] sign(int scheme, byte[] input) {
                throw new AssertionError();
            }
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> server.loadCertChain(Fixtures.ascii(chain.chainPem()), rsaOnly));
        assertTrue(e.getMessage().startsWith("invalid key: "), e.getMessage());
    }
}
