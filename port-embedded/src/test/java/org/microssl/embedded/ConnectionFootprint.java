package org.microssl.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.microssl.SSLContext;
import org.microssl.SSLSocket;
import org.microssl.Ssl;
import org.microssl.testing.MemoryTransport;
import org.microssl.testing.TestPki;
import org.microssl.testing.Internals;
import org.openjdk.jol.info.GraphLayout;

/**
 * Heap held by one client connection, measured with JOL's {@code GraphLayout}: everything reachable from the
 * client's {@link SSLSocket} minus what is reachable from the two contexts (shared by all their connections: DRBG,
 * TlsCrypto, validator, trust anchors, identity) and from the in-memory transports. Printed by
 * {@link #main}, the command in port-embedded/README.md.
 *
 * <p>The handshake is driven step by step (non-blocking, doHandshakeOnConnect=false); the peak is the largest
 * retained size seen at those steps, i.e. between flights. Short-lived garbage inside one BouncyCastle call
 * (EC arithmetic temporaries) is not retained and not counted.
 */
final class ConnectionFootprint {

    static final class Result {
        final int mfl;
        long handshakePeak;
        long idle;
        long idleAfterTraffic;
        int transferBufferSize;

        Result(int mfl) {
            this.mfl = mfl;
        }

        @Override
        public String toString() {
            return String.format("| %-15s | %,7d B | %,7d B | %,7d B | 2 x %,6d B |",
                mfl == 0 ? "16 KiB records" : "MFL " + mfl, handshakePeak, idle, idleAfterTraffic,
                transferBufferSize);
        }
    }

    private final TestPki.Chain pki = TestPki.chain(TestPki.KeyType.EC_P256);

    Result measure(int mfl) throws IOException {
        return measure(mfl, true);
    }

    /** @param samplePeak false skips the per-step graph walks (slow), leaving handshakePeak 0 */
    Result measure(int mfl, boolean samplePeak) throws IOException {
        SSLContext serverCtx = new SSLContext(Ssl.PROTOCOL_TLS_SERVER);
        serverCtx.loadCertChain(pki.chainPem().getBytes(StandardCharsets.US_ASCII),
            pki.leaf.keyPkcs8Pem().getBytes(StandardCharsets.US_ASCII));
        SSLContext clientCtx = new SSLContext(Ssl.PROTOCOL_TLS_CLIENT);
        clientCtx.loadVerifyLocations(pki.root.der);
        clientCtx.setMaxFragmentLength(mfl);
        MemoryTransport[] pair = MemoryTransport.nonBlockingPair(Integer.MAX_VALUE, false);
        SSLSocket client = clientCtx.wrapSocket(pair[0], false, false, "localhost");
        SSLSocket server = serverCtx.wrapSocket(pair[1], true, false, null);
        Object[] shared = {clientCtx, serverCtx, pair[0], pair[1], server};

        Result r = new Result(mfl);
        boolean clientDone = false;
        boolean serverDone = false;
        for (int step = 0; step < 50 && !(clientDone && serverDone); step++) {
            clientDone = client.doHandshake();
            if (samplePeak) {
                r.handshakePeak = Math.max(r.handshakePeak, retained(client, shared));
            }
            serverDone = server.doHandshake();
        }
        if (!clientDone || !serverDone) {
            throw new IllegalStateException("handshake did not complete in memory");
        }
        client.write("ping".getBytes(StandardCharsets.US_ASCII));
        byte[] got;
        while ((got = server.read(16)) == null) {
            client.doHandshake();
        }
        server.write(got);
        while (client.read(16) == null) {
            server.doHandshake();
        }
        r.idle = retained(client, shared);
        // 16 KiB each way: without MFL the server sends it as one 16 KiB record, which BouncyCastle buffers whole.
        byte[] big = new byte[16 * 1024];
        client.write(big);
        int echoed = 0;
        while (echoed < big.length) {
            byte[] part = server.read(big.length - echoed);
            if (part == null) {
                client.doHandshake();
                continue;
            }
            server.write(part);
            echoed += part.length;
        }
        int back = 0;
        while (back < big.length) {
            byte[] part = client.read(big.length - back);
            if (part == null) {
                server.doHandshake();
                continue;
            }
            back += part.length;
        }
        r.idleAfterTraffic = retained(client, shared);
        r.transferBufferSize = Internals.transferBufferSize(client);
        client.close();
        return r;
    }

    static long retained(SSLSocket client, Object[] shared) {
        return GraphLayout.parseInstance(client).subtract(GraphLayout.parseInstance(shared)).totalSize();
    }

    public static void main(String[] args) throws IOException {
        ConnectionFootprint f = new ConnectionFootprint();
        f.measure(0, false); // warm-up: first-use class initialisation allocates static tables
        System.out.println(System.getProperty("java.vm.name") + " " + System.getProperty("java.version")
            + ", client side, TLS 1.3, ECDSA P-256 chain validated:");
        System.out.println("| records         | peak in handshake | idle after handshake | idle after 16 KiB each way "
            + "| microssl transfer buffers |");
        for (int mfl : new int[] {0, 4096, 2048, 1024, 512}) {
            System.out.println(f.measure(mfl));
        }
    }
}
