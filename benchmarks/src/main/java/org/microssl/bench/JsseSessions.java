package org.microssl.bench;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.security.SecureRandom;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

import org.microssl.desktop.gateway.TlsSession;

/**
 * SunJSSE's {@code SSLEngine} under the gateway, driven the usual way: each connection owns a network buffer
 * each way and an application buffer, sized by the session ({@code getPacketBufferSize},
 * {@code getApplicationBufferSize}), for as long as it lives. Same gateway, same selector loop as microssl's.
 */
final class JsseSessions implements TlsSession.Factory {
    private final SSLContext context;
    private final boolean mutual;

    JsseSessions(boolean mutual, Path material) throws Exception {
        this.mutual = mutual;
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        X509Certificate[] chain = new X509Certificate[2];
        chain[0] = (X509Certificate) cf.generateCertificate(new ByteArrayInputStream(
                GatewayBench.Material.read(material, "server-leaf.der")));
        chain[1] = (X509Certificate) cf.generateCertificate(new ByteArrayInputStream(
                GatewayBench.Material.read(material, "server-int.der")));
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(
                GatewayBench.Material.read(material, "server-key.der")));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("key", key, new char[0], chain);
        KeyManagerFactory km = KeyManagerFactory.getInstance("SunX509");
        km.init(ks, new char[0]);
        TrustManagerFactory tm = TrustManagerFactory.getInstance("PKIX");
        tm.init(Fixtures.trustStore(GatewayBench.Material.read(material, "client-root.der")));
        context = SSLContext.getInstance("TLS");
        context.init(km.getKeyManagers(), tm.getTrustManagers(), new SecureRandom());
    }

    @Override
    public TlsSession open(SocketChannel channel) {
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);
        // the suite microssl's server picks for the same client (SunJSSE would pick AES-256 by its own order)
        engine.setEnabledCipherSuites(new String[] {"TLS_AES_128_GCM_SHA256"});
        if (mutual) engine.setNeedClientAuth(true);
        return new Session(channel, engine);
    }

    private static final class Session implements TlsSession {
        private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
        private final SocketChannel channel;
        private final SSLEngine engine;
        /** Records from the channel, in write mode. */
        private final ByteBuffer netIn;
        /** Records to send, in read mode. */
        private final ByteBuffer netOut;
        /** Decrypted bytes not yet read, in read mode. */
        private final ByteBuffer appIn;
        private boolean inboundDone;

        Session(SocketChannel channel, SSLEngine engine) {
            this.channel = channel;
            this.engine = engine;
            int packet = engine.getSession().getPacketBufferSize();
            netIn = ByteBuffer.allocate(packet);
            netOut = ByteBuffer.allocate(packet);
            netOut.flip();
            appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
            appIn.flip();
        }

        @Override
        public boolean handshake() throws IOException {
            while (true) {
                HandshakeStatus s = engine.getHandshakeStatus();
                switch (s) {
                    case NOT_HANDSHAKING:
                    case FINISHED:
                        flush();
                        return true;
                    case NEED_TASK:
                        Runnable task;
                        while ((task = engine.getDelegatedTask()) != null) task.run();
                        break;
                    case NEED_WRAP:
                        if (!flush()) return false;
                        wrap(EMPTY);
                        break;
                    default: // NEED_UNWRAP, NEED_UNWRAP_AGAIN
                        if (!flush()) return false; // our flight goes out first
                        if (unwrap() == 0 && s == engine.getHandshakeStatus() && fill() == 0) return false;
                }
            }
        }

        @Override
        public int read(byte[] b, int len) throws IOException {
            while (true) {
                if (appIn.hasRemaining()) {
                    int n = Math.min(len, appIn.remaining());
                    appIn.get(b, 0, n);
                    return n;
                }
                if (inboundDone) return -1;
                if (engine.getHandshakeStatus() != HandshakeStatus.NOT_HANDSHAKING && !handshake()) return 0;
                if (unwrap() > 0 || appIn.hasRemaining()) continue;
                if (inboundDone) return -1;
                if (fill() == 0) return 0;
            }
        }

        @Override
        public int write(byte[] b, int off, int len) throws IOException {
            if (!flush()) return 0;
            if (engine.getHandshakeStatus() != HandshakeStatus.NOT_HANDSHAKING && !handshake()) return 0;
            int took = wrap(ByteBuffer.wrap(b, off, Math.min(len, engine.getSession().getApplicationBufferSize())));
            flush();
            return took;
        }

        @Override
        public boolean flush() throws IOException {
            if (netOut.hasRemaining()) channel.write(netOut);
            return !netOut.hasRemaining();
        }

        @Override
        public boolean wantsWrite() {
            return netOut.hasRemaining();
        }

        @Override
        public String version() {
            return engine.getSession().getProtocol();
        }

        @Override
        public byte[] peerCertificate() {
            try {
                return engine.getSession().getPeerCertificates()[0].getEncoded();
            } catch (Exception e) {
                return null;
            }
        }

        @Override
        public void close() {
            try {
                engine.closeOutbound();
                if (flush()) wrap(EMPTY);
                flush();
            } catch (IOException | RuntimeException e) {
                // closing anyway
            }
            try {
                channel.close();
            } catch (IOException e) {
                // closing anyway
            }
        }

        /** Reads from the channel. @return bytes read, 0 if none */
        private int fill() throws IOException {
            int n = channel.read(netIn);
            if (n < 0) throw new EOFException("the peer closed the connection");
            return n;
        }

        /** @return bytes consumed */
        private int wrap(ByteBuffer src) throws IOException {
            netOut.compact();
            SSLEngineResult r;
            try {
                r = engine.wrap(src, netOut);
            } finally {
                netOut.flip();
            }
            if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) throw new SSLException("wrap overflow");
            return r.bytesConsumed();
        }

        /** @return bytes consumed from netIn (0: a whole record has not arrived) */
        private int unwrap() throws IOException {
            netIn.flip();
            appIn.compact();
            SSLEngineResult r;
            try {
                r = engine.unwrap(netIn, appIn);
            } finally {
                appIn.flip();
                netIn.compact();
            }
            if (r.getStatus() == SSLEngineResult.Status.CLOSED) inboundDone = true;
            if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) throw new SSLException("unwrap overflow");
            return r.bytesConsumed();
        }
    }
}
