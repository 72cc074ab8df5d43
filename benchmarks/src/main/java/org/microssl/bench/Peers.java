package org.microssl.bench;

import java.security.SecureRandom;

/**
 * The implementations compared, by the names the JMH {@code impl} parameter takes.
 * <ul>
 *   <li>{@code bc}, {@code bcfast}, {@code bcjca}: raw BouncyCastle TLS with BcTlsCrypto, microssl's
 *       the TlsCrypto of core's lightweight or JCA backend, or JcaTlsCrypto; no certificate validation (BouncyCastle does none)</li>
 *   <li>{@code jsse}: SunJSSE SSLEngine, client trusting anything; {@code jssepkix}: PKIX + hostname</li>
 *   <li>{@code microssl}: microssl's public API, pure-Java backend, CERT_REQUIRED + hostname;
 *       {@code microssl_none}: the same with CERT_NONE; {@code microssl_cold}: validating, a chain not seen in
 *       the last 80 handshakes each time (see {@link MicrosslPeers}); {@code microssl_jca}, {@code microssl_jca_none}: the
 *       same over port-desktop's JCA backend</li>
 * </ul>
 */
public final class Peers {
    private Peers() {}

    /** Everything that is made once per benchmark trial (contexts, keys); {@link #newPair} is per connection. */
    public static final class Factory {
        private final String impl;
        private final Scenario scenario;
        private final String suite;
        private final int mfl;
        private final SecureRandom random = new SecureRandom();
        private final byte[] wire = new byte[17 * 1024 + 512];
        private JssePeers.Contexts jsse;
        private MicrosslPeers.Contexts microssl;
        private org.bouncycastle.tls.crypto.TlsCrypto crypto;

        public Factory(String impl, Scenario scenario, String suite, int mfl) throws Exception {
            this.impl = impl;
            this.scenario = scenario;
            this.suite = suite;
            this.mfl = mfl;
            switch (impl) {
                case "bc":
                case "bcfast":
                case "bcjca":
                case "bcjcafast":
                    crypto = RawBcPeers.crypto(impl, random);
                    break;
                case "jsse":
                case "jssepkix":
                    if (mfl > 0) {
                        throw new IllegalArgumentException("SunJSSE's server does not negotiate max_fragment_length");
                    }
                    jsse = new JssePeers.Contexts(scenario, suite, impl.equals("jssepkix"), random);
                    break;
                case "microssl":
                case "microssl_none":
                    microssl = new MicrosslPeers.Contexts(scenario, suite, impl.equals("microssl"), mfl, null);
                    break;
                case "microssl_cold":
                    microssl = MicrosslPeers.Contexts.cold(scenario, suite);
                    break;
                case "microssl_jca":
                case "microssl_jca_none":
                    microssl = new MicrosslPeers.Contexts(scenario, suite, impl.equals("microssl_jca"), mfl,
                            org.microssl.Backends.jca());
                    break;
                default:
                    throw new IllegalArgumentException("unknown impl " + impl);
            }
        }

        public Pair newPair() {
            if (jsse != null) {
                return new JssePeers.Driver(jsse);
            }
            if (microssl != null) {
                return new MicrosslPeers.Driver(microssl);
            }
            return new RawBcPeers.Driver(crypto, scenario, suite, mfl, wire);
        }
    }
}
