package org.microssl.bench;

import java.security.SecureRandom;

import org.bouncycastle.tls.CipherSuite;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.crypto.TlsCrypto;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;
import org.microssl.Backends;
import org.microssl.internal.crypto.RawBcPair;

/** Raw BouncyCastle TLS (no microssl layer, no certificate validation) with a chosen TlsCrypto. */
public final class RawBcPeers {
    private RawBcPeers() {}

    /**
     * bc: BcTlsCrypto; bcfast: the TlsCrypto of microssl's lightweight backend (its record layer over BouncyCastle's
     * engines); bcjca: JcaTlsCrypto over the JDK's providers; bcjcafast: the TlsCrypto of microssl's JCA backend (the
     * same JcaTlsCrypto with microssl's record layer over the JCA's AES-GCM and BouncyCastle's ChaCha20).
     */
    public static TlsCrypto crypto(String impl, SecureRandom random) {
        switch (impl) {
            case "bc": return new BcTlsCrypto(random);
            case "bcfast": return Backends.lightweight().createTlsCrypto(random);
            case "bcjca": return new JcaTlsCryptoProvider().create(random);
            case "bcjcafast": return Backends.jca().createTlsCrypto(random);
            default: throw new IllegalArgumentException("not a raw BouncyCastle peer: " + impl);
        }
    }

    public static int suite(String ianaName) {
        switch (ianaName) {
            case Scenario.AES_128_GCM: return CipherSuite.TLS_AES_128_GCM_SHA256;
            case Scenario.CHACHA20: return CipherSuite.TLS_CHACHA20_POLY1305_SHA256;
            case Scenario.TLS12_ECDSA_AES_128_GCM: return CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256;
            default: throw new IllegalArgumentException(ianaName);
        }
    }

    static final class Driver implements Pair {
        private final RawBcPair.Config config;
        private RawBcPair pair;

        Driver(TlsCrypto crypto, Scenario scenario, String suite, int mfl, byte[] wire) {
            config = new RawBcPair.Config();
            config.clientCrypto = crypto;
            config.serverCrypto = crypto;
            config.version = scenario.tls == 13 ? ProtocolVersion.TLSv13 : ProtocolVersion.TLSv12;
            config.cipherSuite = suite(scenario.tls == 13 ? suite : Scenario.TLS12_ECDSA_AES_128_GCM);
            config.server = Fixtures.serverIdentity(scenario);
            config.client = scenario.mutual ? Fixtures.clientIdentity() : null;
            config.maxFragmentLength = mfl > 0 ? RawBcPair.mflCode(mfl) : -1;
            config.wire = wire;
        }

        @Override
        public void handshake() throws Exception {
            pair = new RawBcPair(config).handshake();
        }

        @Override
        public int clientToServer(byte[] data, int len, byte[] sink) throws Exception {
            return pair.transfer(pair.client, pair.server, data, 0, len, sink);
        }

        @Override
        public int serverToClient(byte[] data, int len, byte[] sink) throws Exception {
            return pair.transfer(pair.server, pair.client, data, 0, len, sink);
        }

        @Override
        public Object[] connectionState() {
            return new Object[] {pair.client, pair.server};
        }

        @Override
        public void dropHarnessBuffers() {
            // the wire buffer is shared between pairs (config.wire)
        }
    }
}
