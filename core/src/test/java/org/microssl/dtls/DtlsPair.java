package org.microssl.dtls;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.microssl.DatagramSocketTransport;
import org.microssl.DtlsServer;
import org.microssl.DtlsSocket;
import org.microssl.SSLContext;
import org.microssl.Ssl;
import org.microssl.testing.TestPki;
import org.microssl.testing.TestPki.KeyType;

/** Contexts and a running {@link DtlsServer} for the in-process DTLS tests. */
final class DtlsPair implements AutoCloseable {
    static final byte[] PSK = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    static final String IDENTITY = "sensor-17";

    final DtlsServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "dtls-test-server");
        t.setDaemon(true);
        return t;
    });

    DtlsPair(SSLContext serverCtx, int mtu) throws IOException {
        DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        server = new DtlsServer(serverCtx, socket, mtu);
    }

    int port() {
        return server.getLocalPort();
    }

    /** Accepts one client and echoes each datagram until close_notify; returns what the server socket saw. */
    Future<DtlsSocket> echoOne() {
        return pool.submit(() -> {
            DtlsSocket s = server.accept();
            s.setTimeout(20000);
            try {
                s.doHandshake();
                while (true) {
                    byte[] d = s.recv();
                    if (d.length == 0) break;
                    s.write(d);
                }
            } finally {
                s.close();
            }
            return s;
        });
    }

    static SSLContext certServer(TestPki.Chain chain) {
        SSLContext ctx = new SSLContext(Ssl.PROTOCOL_DTLS_SERVER);
        ctx.loadCertChain((chain.chainPem()).getBytes(StandardCharsets.US_ASCII), chain.leaf.keyPkcs8());
        return ctx;
    }

    static SSLContext certClient(TestPki.Chain chain) {
        SSLContext ctx = new SSLContext(Ssl.PROTOCOL_DTLS_CLIENT);
        ctx.loadVerifyLocations(null, chain.root.der);
        return ctx;
    }

    static SSLContext pskServer() {
        SSLContext ctx = new SSLContext(Ssl.PROTOCOL_DTLS_SERVER);
        ctx.setPskIdentity(IDENTITY);
        ctx.setPskKey(PSK);
        return ctx;
    }

    static SSLContext pskClient() {
        SSLContext ctx = new SSLContext(Ssl.PROTOCOL_DTLS_CLIENT);
        ctx.setPskIdentity(IDENTITY);
        ctx.setPskKey(PSK);
        return ctx;
    }

    static TestPki.Chain chain(KeyType type) {
        return TestPki.chain(type);
    }

    static DtlsSocket connect(SSLContext ctx, int port, int mtu, String host) throws IOException {
        DatagramSocketTransport t = DatagramSocketTransport.open(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), port), mtu);
        return ctx.wrapDatagram(t, false, true, host, null);
    }

    @Override
    public void close() throws InterruptedException {
        server.close();
        pool.shutdownNow();
        pool.awaitTermination(5, TimeUnit.SECONDS);
    }
}
