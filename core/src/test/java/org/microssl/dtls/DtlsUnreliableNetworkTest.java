package org.microssl.dtls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.microssl.DtlsSocket;
import org.microssl.SSLContext;
import org.microssl.testing.TestPki;

/**
 * Through a relay that drops, reorders and duplicates datagrams: the handshake completes (BouncyCastle
 * retransmits lost flights, RFC 6347 section 4.2.4), and application data arrives whole, each datagram at most
 * once (the replay window, section 4.1.2.6), never merged with or split across another.
 */
class DtlsUnreliableNetworkTest {
    private static final int DATAGRAMS = 120;

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void lossyReorderingDuplicatingNetwork(long seed) throws Exception {
        boolean psk = seed == 2;
        TestPki.Chain chain = DtlsPair.chain(TestPki.KeyType.EC_P256);
        SSLContext serverCtx = psk ? DtlsPair.pskServer() : DtlsPair.certServer(chain);
        SSLContext clientCtx = psk ? DtlsPair.pskClient() : DtlsPair.certClient(chain);
        clientCtx.setHandshakeTimeout(45000);
        serverCtx.setHandshakeTimeout(45000);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (DtlsPair pair = new DtlsPair(serverCtx, 1232);
                Relay relay = new Relay(pair.port(), seed, 0.1, 0.1).duplicating(0.1)) {
            Future<List<String>> received = pool.submit(() -> {
                List<String> got = new ArrayList<String>();
                try (DtlsSocket s = pair.server.accept()) {
                    s.doHandshake();
                    s.setTimeout(20000); // the client may still be retransmitting its last flight

                    while (true) {
                        byte[] d;
                        try {
                            d = s.recv();
                        } catch (SocketTimeoutException quiet) {
                            return got;
                        }
                        if (d.length == 0) return got;
                        if (new String(d, StandardCharsets.US_ASCII).equals("END")) return got;
                        got.add(new String(d, StandardCharsets.US_ASCII));
                    }
                }
            });
            DtlsSocket client;
            try {
                client = DtlsPair.connect(clientCtx, relay.port(), 1232, "localhost");
            } catch (Exception e) {
                String server;
                try {
                    server = String.valueOf(received.get(5, TimeUnit.SECONDS));
                } catch (Exception serverSide) {
                    server = serverSide.toString();
                }
                throw new AssertionError("client: " + e + "; server: " + server + "; relay dropped "
                        + relay.dropped() + ", swapped " + relay.swapped() + ", forwarded " + relay.datagrams(), e);
            }
            try (DtlsSocket s = client) {
                for (int i = 0; i < DATAGRAMS; i++) {
                    s.write(datagram(i).getBytes(StandardCharsets.US_ASCII));
                    if (i % 10 == 0) Thread.sleep(1);
                }
                for (int i = 0; i < 30 && !received.isDone(); i++) {
                    s.write("END".getBytes(StandardCharsets.US_ASCII));
                    Thread.sleep(100);
                }
                List<String> got = received.get(60, TimeUnit.SECONDS);
                Set<String> distinct = new HashSet<String>(got);
                assertEquals(got.size(), distinct.size(), "a datagram was delivered twice: " + got);
                Set<String> sent = new HashSet<String>();
                for (int i = 0; i < DATAGRAMS; i++) sent.add(datagram(i));
                for (String g : got) assertTrue(sent.contains(g), "not one whole datagram we sent: " + g);
                assertTrue(got.size() > DATAGRAMS / 3, "too few arrived: " + got.size());
                assertTrue(relay.dropped() > 0 && relay.swapped() > 0 && relay.duplicated() > 0,
                        "the relay misbehaved too little: " + relay.dropped() + "/" + relay.swapped());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static String datagram(int i) {
        StringBuilder b = new StringBuilder("datagram " + i + " ");
        while (b.length() < 40 + i % 50) b.append((char) ('a' + i % 26));
        return b.toString();
    }
}
