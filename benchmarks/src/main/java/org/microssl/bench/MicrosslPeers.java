package org.microssl.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.bouncycastle.asn1.x509.KeyPurposeId;

import org.microssl.SSLContext;
import org.microssl.SSLSocket;
import org.microssl.Ssl;
import org.microssl.spi.CryptoBackend;
import org.microssl.testing.TestPki;

/**
 * microssl through its public API ({@code SSLContext.wrapSocket} over an in-memory {@code Transport}),
 * non-blocking, driven from one thread. {@code microssl}: the client runs CERT_REQUIRED with hostname checking
 * against the scenario's anchor (and a mutual-TLS server validates the client); {@code microssl_none}: CERT_NONE
 * on both sides, to isolate the cost of validation; {@code microssl_cold}: as {@code microssl}, but each handshake
 * meets one of {@link #COLD_CHAINS} servers in turn, each with its own intermediate and leaf under the same root,
 * so every handshake validates a chain the client has not seen in its last {@value #COLD_CHAINS} handshakes: more
 * than any of microssl's caches holds (verified signature links, decoded CA keys, decoded peer keys), so nothing
 * but the trust anchor is warm, as on a device's first connection to a server.
 */
public final class MicrosslPeers {
    private MicrosslPeers() {}

    /** More servers than the largest cache keeps (the signature verifier's 64 decoded CA keys). */
    static final int COLD_CHAINS = 80;

    static final class Contexts {
        final SSLContext client;
        final SSLContext server;
        /** microssl_cold: servers taken in turn, each with its own chain under the scenario's root. */
        final List<SSLContext> coldServers = new ArrayList<>();
        private int nextServer;

        Contexts(Scenario scenario, String suite, boolean validate, int mfl, CryptoBackend backend) {
            server = new SSLContext(Ssl.PROTOCOL_TLS_SERVER);
            server.loadCertChain(Fixtures.pem(Fixtures.serverChain(scenario)).getBytes(StandardCharsets.US_ASCII),
                    Fixtures.serverLeaf(scenario).keyPkcs8());
            client = new SSLContext(Ssl.PROTOCOL_TLS_CLIENT);
            int version = scenario.tls == 13 ? Ssl.TLSv1_3 : Ssl.TLSv1_2;
            for (SSLContext c : new SSLContext[] {client, server}) {
                c.setMinimumVersion(version);
                c.setMaximumVersion(version);
                c.setCiphers(scenario.tls == 13 ? suite : Scenario.TLS12_ECDSA_AES_128_GCM);
                if (backend != null) {
                    c.setCryptoBackend(backend);
                }
            }
            if (validate) {
                client.setVerifyMode(Ssl.CERT_REQUIRED);
                client.loadVerifyLocations(Fixtures.serverAnchor(scenario));
            } else {
                client.setVerifyMode(Ssl.CERT_NONE);
            }
            if (scenario.mutual) {
                client.loadCertChain(Fixtures.pem(Arrays.asList(Fixtures.clientChain.leaf.der,
                        Fixtures.clientChain.intermediate.der)).getBytes(StandardCharsets.US_ASCII),
                        Fixtures.clientChain.leaf.keyPkcs8());
                server.setVerifyMode(validate ? Ssl.CERT_REQUIRED : Ssl.CERT_OPTIONAL);
                server.loadVerifyLocations(Fixtures.clientChain.root.der);
            }
            if (mfl > 0) {
                client.setMaxFragmentLength(mfl);
            }
        }

        /** {@code microssl_cold}: the EC chain scenario, with {@link #COLD_CHAINS} distinct server chains. */
        static Contexts cold(Scenario scenario, String suite) {
            if (scenario.server != Scenario.ServerCert.EC_CHAIN || scenario.mutual) {
                throw new IllegalArgumentException("microssl_cold is defined for t13_ecdsa_chain and t12_ecdsa only");
            }
            Contexts c = new Contexts(scenario, suite, true, 0, null);
            TestPki.Issued root = Fixtures.ecChain.root;
            for (int i = 0; i < COLD_CHAINS; i++) {
                TestPki.Issued intermediate = TestPki.cert().subject("CN=microssl Bench Intermediate " + i)
                        .key(TestPki.KeyType.EC_P256).ca(0).issuer(root).build();
                TestPki.Issued leaf = TestPki.cert().subject("CN=" + Fixtures.HOST).key(TestPki.KeyType.EC_P256)
                        .issuer(intermediate).san("DNS:" + Fixtures.HOST).eku(KeyPurposeId.id_kp_serverAuth).build();
                SSLContext server = new SSLContext(Ssl.PROTOCOL_TLS_SERVER);
                server.loadCertChain(Fixtures.pem(Arrays.asList(leaf.der, intermediate.der))
                        .getBytes(StandardCharsets.US_ASCII), leaf.keyPkcs8());
                int version = scenario.tls == 13 ? Ssl.TLSv1_3 : Ssl.TLSv1_2;
                server.setMinimumVersion(version);
                server.setMaximumVersion(version);
                server.setCiphers(scenario.tls == 13 ? suite : Scenario.TLS12_ECDSA_AES_128_GCM);
                c.coldServers.add(server);
            }
            return c;
        }

        SSLContext nextServer() {
            if (coldServers.isEmpty()) {
                return server;
            }
            SSLContext s = coldServers.get(nextServer);
            nextServer = (nextServer + 1) % coldServers.size();
            return s;
        }
    }

    static final class Driver implements Pair {
        private final Contexts contexts;
        private MemoryWire[] wire;
        private SSLSocket client, server;

        Driver(Contexts contexts) {
            this.contexts = contexts;
        }

        @Override
        public void handshake() throws Exception {
            wire = MemoryWire.pair();
            client = contexts.client.wrapSocket(wire[0], false, false, Fixtures.HOST);
            server = contexts.nextServer().wrapSocket(wire[1], true, false, null);
            for (int i = 0; i < 100; i++) {
                boolean c = client.doHandshake();
                boolean s = server.doHandshake();
                if (c && s) {
                    return;
                }
            }
            throw new IllegalStateException("microssl handshake did not complete");
        }

        @Override
        public int clientToServer(byte[] data, int len, byte[] sink) throws Exception {
            return send(client, server, data, len, sink);
        }

        @Override
        public int serverToClient(byte[] data, int len, byte[] sink) throws Exception {
            return send(server, client, data, len, sink);
        }

        private static int send(SSLSocket from, SSLSocket to, byte[] data, int len, byte[] sink) throws Exception {
            int off = 0;
            int received = 0;
            while (off < len) {
                Integer n = from.write(data, off, len - off);
                if (n == null) {
                    throw new IllegalStateException("in-memory write would block");
                }
                off += n;
                Integer r;
                while ((r = to.recvInto(sink)) != null && r > 0) {
                    received += r;
                }
            }
            return received;
        }

        @Override
        public void pollBoth(byte[] sink) throws Exception {
            if (client.recvInto(sink) != null || server.recvInto(sink) != null) {
                throw new IllegalStateException("nothing should have been left to read");
            }
        }

        @Override
        public Object[] connectionState() {
            return new Object[] {client, server};
        }

        @Override
        public void dropHarnessBuffers() {
            wire[0].trim();
            wire[1].trim();
        }
    }
}
