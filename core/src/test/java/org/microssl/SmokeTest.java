package org.microssl;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.microssl.testing.MemoryTransport;
import org.microssl.testing.TestPki;

class SmokeTest {
    @Test
    void handshakeAndEchoNoVerify() throws Exception {
        TestPki.Chain chain = TestPki.chain(TestPki.KeyType.EC_P256);
        for (int version : new int[] {Ssl.TLSv1_3, Ssl.TLSv1_2}) {
            SSLContext server = new SSLContext(Ssl.PROTOCOL_TLS_SERVER);
            server.loadCertChain(chain.chainPem().getBytes(StandardCharsets.US_ASCII), chain.leaf.keyPkcs8());
            SSLContext client = new SSLContext(Ssl.PROTOCOL_TLS_CLIENT);
            client.setVerifyMode(Ssl.CERT_NONE);
            client.setMaximumVersion(version);
            MemoryTransport[] t = MemoryTransport.blockingPair();
            CompletableFuture<SSLSocket> s = CompletableFuture.supplyAsync(() -> {
                try {
                    return server.wrapSocket(t[1], true, true, null);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            SSLSocket c = client.wrapSocket(t[0], false, true, "localhost");
            SSLSocket ss = s.get();
            System.out.println(String.join(",", c.cipher()) + " " + c.version());
            c.write("hello".getBytes());
            assertArrayEquals("hello".getBytes(), ss.read(100));
            ss.write("world".getBytes());
            assertArrayEquals("world".getBytes(), c.read(100));
            c.close();
            assertEquals(0, ss.read(10).length);
            ss.close();
        }
    }
}
