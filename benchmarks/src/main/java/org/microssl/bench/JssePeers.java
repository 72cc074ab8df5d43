package org.microssl.bench;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * SunJSSE's SSLEngine pair. {@code jsse}: the client trusts any certificate ({@link InsecureTrustAnything}, the
 * unvalidated rows); {@code jssepkix}: the client validates chain and hostname with the JDK's PKIX trust manager
 * and HTTPS endpoint identification, as a real connection does (and the server validates a client certificate).
 */
public final class JssePeers {
    private JssePeers() {}

    /** Accepts anything; for measuring the handshake without validation only. */
    static final class InsecureTrustAnything implements X509TrustManager {
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType) {}
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType) {}
        @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
    }

    static final class Contexts {
        final SSLContext client;
        final SSLContext server;
        final boolean validate;
        final Scenario scenario;
        final String suite;

        Contexts(Scenario scenario, String suite, boolean validate, SecureRandom random) throws Exception {
            this.scenario = scenario;
            this.suite = suite;
            this.validate = validate;
            KeyManagerFactory skm = KeyManagerFactory.getInstance("SunX509");
            skm.init(Fixtures.keyStore(Fixtures.serverLeaf(scenario), Fixtures.serverChain(scenario)), new char[0]);
            TrustManager[] serverTrust = trust(validate, Fixtures.clientChain.root.der);
            server = SSLContext.getInstance("TLS");
            server.init(skm.getKeyManagers(), serverTrust, random);
            client = SSLContext.getInstance("TLS");
            KeyManagerFactory ckm = null;
            if (scenario.mutual) {
                ckm = KeyManagerFactory.getInstance("SunX509");
                ckm.init(Fixtures.keyStore(Fixtures.clientChain.leaf,
                        java.util.Arrays.asList(Fixtures.clientChain.leaf.der, Fixtures.clientChain.intermediate.der)),
                        new char[0]);
            }
            client.init(ckm == null ? null : ckm.getKeyManagers(), trust(validate, Fixtures.serverAnchor(scenario)),
                    random);
        }

        private static TrustManager[] trust(boolean validate, byte[] anchor) throws Exception {
            if (!validate) {
                return new TrustManager[] {new InsecureTrustAnything()};
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
            tmf.init(Fixtures.trustStore(anchor));
            return tmf.getTrustManagers();
        }
    }

    static final class Driver implements Pair {
        private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
        private final Contexts contexts;
        private SSLEngine client, server;
        private ByteBuffer clientNet, serverNet, clientApp, serverApp;

        Driver(Contexts contexts) {
            this.contexts = contexts;
        }

        @Override
        public void handshake() throws Exception {
            client = contexts.client.createSSLEngine(Fixtures.HOST, -1);
            client.setUseClientMode(true);
            server = contexts.server.createSSLEngine();
            server.setUseClientMode(false);
            String protocol = contexts.scenario.tls == 13 ? "TLSv1.3" : "TLSv1.2";
            String suite = contexts.scenario.tls == 13 ? contexts.suite : Scenario.TLS12_ECDSA_AES_128_GCM;
            for (SSLEngine e : new SSLEngine[] {client, server}) {
                e.setEnabledProtocols(new String[] {protocol});
                e.setEnabledCipherSuites(new String[] {suite});
            }
            if (contexts.validate) {
                SSLParameters p = client.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS");
                client.setSSLParameters(p);
            }
            if (contexts.scenario.mutual) {
                server.setNeedClientAuth(true);
            }
            int net = Math.max(client.getSession().getPacketBufferSize(), 17 * 1024 + 512);
            int app = Math.max(client.getSession().getApplicationBufferSize(), 17 * 1024);
            clientNet = ByteBuffer.allocate(net); // client -> server, in write mode
            serverNet = ByteBuffer.allocate(net);
            clientApp = ByteBuffer.allocate(app);
            serverApp = ByteBuffer.allocate(app);
            client.beginHandshake();
            server.beginHandshake();
            for (int i = 0; i < 200; i++) {
                boolean progress = step(client, clientNet, serverNet, clientApp);
                progress |= step(server, serverNet, clientNet, serverApp);
                if (!progress && idle(client) && idle(server) && clientNet.position() == 0
                        && serverNet.position() == 0) {
                    return;
                }
            }
            throw new IllegalStateException("JSSE handshake did not complete");
        }

        private static boolean idle(SSLEngine e) {
            SSLEngineResult.HandshakeStatus s = e.getHandshakeStatus();
            return s == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING || s == SSLEngineResult.HandshakeStatus.FINISHED;
        }

        /** Advances one engine as far as it goes without the peer; true if anything happened. */
        private static boolean step(SSLEngine e, ByteBuffer out, ByteBuffer in, ByteBuffer app) throws Exception {
            boolean progress = false;
            while (true) {
                switch (e.getHandshakeStatus()) {
                    case NEED_TASK: {
                        Runnable task;
                        while ((task = e.getDelegatedTask()) != null) {
                            task.run();
                        }
                        progress = true;
                        continue;
                    }
                    case NEED_WRAP: {
                        SSLEngineResult r = e.wrap(EMPTY, out);
                        check(r);
                        progress = true;
                        continue;
                    }
                    case NEED_UNWRAP:
                    case NEED_UNWRAP_AGAIN: {
                        in.flip();
                        SSLEngineResult r = e.unwrap(in, app);
                        in.compact();
                        app.clear();
                        if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW || r.bytesConsumed() == 0
                                && r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_UNWRAP) {
                            return progress;
                        }
                        check(r);
                        progress = true;
                        continue;
                    }
                    default: {
                        // post-handshake messages (TLS 1.3 NewSessionTicket)
                        if (in.position() > 0) {
                            in.flip();
                            SSLEngineResult r = e.unwrap(in, app);
                            in.compact();
                            app.clear();
                            check(r);
                            progress = true;
                            continue;
                        }
                        return progress;
                    }
                }
            }
        }

        private static void check(SSLEngineResult r) {
            if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW || r.getStatus() == SSLEngineResult.Status.CLOSED) {
                throw new IllegalStateException("SSLEngine: " + r);
            }
        }

        @Override
        public int clientToServer(byte[] data, int len, byte[] sink) throws Exception {
            return send(client, server, clientNet, serverApp, data, len, sink);
        }

        @Override
        public int serverToClient(byte[] data, int len, byte[] sink) throws Exception {
            return send(server, client, serverNet, clientApp, data, len, sink);
        }

        private static int send(SSLEngine from, SSLEngine to, ByteBuffer net, ByteBuffer app, byte[] data, int len,
                byte[] sink) throws Exception {
            ByteBuffer src = ByteBuffer.wrap(data, 0, len);
            int received = 0;
            while (src.hasRemaining()) {
                check(from.wrap(src, net));
                net.flip();
                while (net.hasRemaining()) {
                    SSLEngineResult r = to.unwrap(net, app);
                    check(r);
                    if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                        break;
                    }
                }
                net.compact();
                app.flip();
                received += app.remaining();
                app.get(sink, 0, Math.min(app.remaining(), sink.length));
                app.clear();
            }
            return received;
        }

        @Override
        public Object[] connectionState() {
            return new Object[] {client, server};
        }

        @Override
        public void dropHarnessBuffers() {
            clientNet = serverNet = clientApp = serverApp = null;
        }
    }
}
