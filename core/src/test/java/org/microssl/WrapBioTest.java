package org.microssl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.microssl.Fixtures.Backend;
import org.microssl.testing.TestPki;
import org.microssl.x509.Reason;

/**
 * CPython's wrap_bio over in-memory pairs: two SSLObjects whose outgoing BIO feeds the other's incoming one, moved
 * by the test (whole, or one byte at a time). Needing input is null/false plus wantsRead(), never an exception.
 */
class WrapBioTest {
    private static final TestPki.Chain CHAIN = TestPki.chain(TestPki.KeyType.EC_P256);
    private static final TestPki.Chain OTHER = TestPki.chain(TestPki.KeyType.EC_P256);

    /** A client and a server SSLObject, and a way to move bytes between them. */
    static final class BioPair {
        final SSLObject client;
        final SSLObject server;
        /** Bytes moved per step; 0 = all that is pending. */
        final int chunk;

        BioPair(SSLContext clientCtx, SSLContext serverCtx, int chunk) throws IOException {
            this.client = clientCtx.wrapBio(new MemoryBIO(), new MemoryBIO(), false, "localhost");
            this.server = serverCtx.wrapBio(new MemoryBIO(), new MemoryBIO(), true, null);
            this.chunk = chunk;
        }

        /** Moves what each side has sent to the other. @return whether anything moved */
        boolean shuttle() {
            return move(client.outgoing(), server.incoming()) | move(server.outgoing(), client.incoming());
        }

        private boolean move(MemoryBIO from, MemoryBIO to) {
            int n = chunk == 0 ? from.pending() : Math.min(chunk, from.pending());
            if (n == 0) return false;
            to.write(from.read(n));
            return true;
        }

        void handshake() throws IOException {
            boolean c = false;
            boolean s = false;
            for (int steps = 0; !(c && s); steps++) {
                if (steps > 100_000) throw new AssertionError("handshake made no progress");
                if (!c) {
                    c = client.doHandshake();
                    if (!c) assertTrue(client.wantsRead(), "a handshake that is not done waits for input");
                }
                if (!s) {
                    s = server.doHandshake();
                    if (!s) assertTrue(server.wantsRead());
                }
                shuttle();
            }
            while (shuttle()) {
                // the last flight
            }
        }
    }

    @ParameterizedTest(name = "{0} version {1} chunk {2}")
    @CsvSource({"LIGHTWEIGHT, 772, 0", "LIGHTWEIGHT, 771, 0", "JCA, 772, 0", "JCA, 771, 0", "LIGHTWEIGHT, 772, 1",
        "LIGHTWEIGHT, 771, 1"})
    void handshakeDataAndCloseNotify(Backend backend, int version, int chunk) throws Exception {
        SSLContext clientCtx = Fixtures.client(CHAIN.root, backend);
        clientCtx.setMaximumVersion(version);
        BioPair p = new BioPair(clientCtx, Fixtures.server(CHAIN, backend), chunk);

        assertNull(p.server.read(10), "nothing has arrived: null, not an exception");
        assertTrue(p.server.wantsRead());
        assertFalse(p.client.doHandshake(), "the ClientHello is out, the answer is not in");
        assertTrue(p.client.wantsRead());
        assertTrue(p.client.outgoing().pending() > 0, "the ClientHello waits in the outgoing BIO");
        assertNull(p.client.cipher());
        assertNull(p.client.version());

        p.handshake();
        String v = version == Ssl.TLSv1_3 ? "TLSv1.3" : "TLSv1.2";
        assertEquals(v, p.client.version());
        assertEquals(v, p.server.version());
        assertEquals(v, p.client.cipher()[1]);
        assertNull(p.client.selectedAlpnProtocol(), "no ALPN offered");
        assertArrayEquals(CHAIN.leaf.der, (byte[]) p.client.getpeercert(true));
        assertEquals(3, p.client.getPeerCertChain().size(), "leaf, intermediate, root as validated");
        assertNull(p.server.getpeercert(true), "no client certificate was asked for");
        assertEquals("localhost", p.server.serverHostname());
        assertTrue(p.server.serverSide());
        assertFalse(p.client.serverSide());

        byte[] data = new byte[40_000];
        NonBlockingTest.fill(data, 3);
        assertEquals(data.length, (int) p.client.write(data), "the outgoing BIO takes everything");
        assertArrayEquals(data, drain(p, p.server, data.length));
        assertEquals(data.length, (int) p.server.write(data));
        assertArrayEquals(data, drain(p, p.client, data.length));

        // pending(): decrypted and not yet read
        p.client.write(Fixtures.ascii("0123456789"));
        while (p.shuttle()) {
            // the whole record (one byte per step in the chunk-1 rows)
        }
        byte[] three = p.server.read(3);
        assertArrayEquals(Fixtures.ascii("012"), three);
        assertEquals(7, p.server.pending());
        assertArrayEquals(Fixtures.ascii("3456789"), p.server.read(100));

        assertFalse(p.client.unwrap(), "the server had not closed yet");
        assertTrue(p.client.outgoing().pending() > 0, "close_notify waits in the outgoing BIO");
        while (p.shuttle()) {
            // move the close_notify (and the server's answer)
        }
        assertEquals(0, p.server.read(10).length, "close_notify is the end of the stream: empty, as CPython's b''");
        assertTrue(p.server.unwrap(), "the peer's close_notify had arrived");
    }

    @Test
    void byteBufferOverloadsHeapAndDirect() throws Exception {
        BioPair p = new BioPair(Fixtures.client(CHAIN.root, Backend.LIGHTWEIGHT),
                Fixtures.server(CHAIN, Backend.LIGHTWEIGHT), 0);
        p.handshake();
        byte[] data = new byte[20_000];
        NonBlockingTest.fill(data, 5);
        for (boolean direct : new boolean[] {false, true}) {
            ByteBuffer src = direct ? ByteBuffer.allocateDirect(data.length + 10) : ByteBuffer.allocate(data.length + 10);
            src.position(7);
            src.put(data);
            src.flip();
            src.position(7);
            assertEquals(data.length, (int) p.client.write(src));
            assertFalse(src.hasRemaining());
            p.shuttle();
            ByteBuffer dst = direct ? ByteBuffer.allocateDirect(data.length + 3) : ByteBuffer.allocate(data.length + 3);
            dst.position(3);
            while (dst.position() < data.length + 3) {
                Integer n = p.server.read(dst);
                assertNotNull(n, "all records arrived");
                assertTrue(n > 0);
            }
            dst.flip();
            dst.position(3);
            byte[] got = new byte[data.length];
            dst.get(got);
            assertArrayEquals(data, got, direct ? "direct" : "heap");
        }
        ByteBuffer none = ByteBuffer.allocate(10);
        assertNull(p.server.read(none), "nothing more: null");
        assertEquals(0, none.position());
    }

    /** The same validator and the same failure as SSLSocket, and the first error sticks. */
    @Test
    void untrustedServerFailsWithTheValidatorsReasonAndItSticks() throws Exception {
        BioPair p = new BioPair(Fixtures.client(OTHER.root, Backend.LIGHTWEIGHT),
                Fixtures.server(CHAIN, Backend.LIGHTWEIGHT), 0);
        SslException failure = null;
        for (int i = 0; i < 50 && failure == null; i++) {
            try {
                p.client.doHandshake();
                p.server.doHandshake();
            } catch (SslException e) {
                failure = e;
            }
            p.shuttle();
        }
        assertNotNull(failure, "the client refused the chain");
        assertEquals(Reason.UNKNOWN_ISSUER, Fixtures.rejection(failure).reason());
        SslException again = assertThrows(SslException.class, () -> p.client.read(1));
        assertSame(failure, again, "the first error sticks");
        assertSame(failure, assertThrows(SslException.class, () -> p.client.write(new byte[1])));
        // the server learns why: the alert went out through the outgoing BIO
        p.shuttle();
        SslException server = assertThrows(SslException.class, () -> p.server.doHandshake());
        assertEquals(SslException.Failure.ALERT_RECEIVED, server.failure());
        assertEquals(failure.alert(), server.alert());
    }

    @Test
    void alpnIsAgreedThroughTheBios() throws Exception {
        SSLContext clientCtx = Fixtures.client(CHAIN.root, Backend.LIGHTWEIGHT);
        clientCtx.setAlpnProtocols("mqtt", "http/1.1");
        SSLContext serverCtx = Fixtures.server(CHAIN, Backend.LIGHTWEIGHT);
        serverCtx.setAlpnProtocols("mqtt");
        BioPair p = new BioPair(clientCtx, serverCtx, 0);
        assertNull(p.client.selectedAlpnProtocol(), "nothing agreed before the handshake");
        p.handshake();
        assertEquals("mqtt", p.client.selectedAlpnProtocol());
        assertEquals("mqtt", p.server.selectedAlpnProtocol());
    }

    /** A TLS 1.2 session taken from one SSLObject is resumed by the next, as with SSLSocket (issue 11). */
    @Test
    void aSessionIsResumedThroughTheBios() throws Exception {
        SSLContext serverCtx = Fixtures.server(CHAIN, Backend.LIGHTWEIGHT);
        SSLContext clientCtx = Fixtures.client(CHAIN.root, Backend.LIGHTWEIGHT);
        clientCtx.setMaximumVersion(Ssl.TLSv1_2);
        BioPair first = new BioPair(clientCtx, serverCtx, 0);
        assertNull(first.client.session(), "no session before the handshake");
        first.handshake();
        assertFalse(first.client.sessionReused());
        Session session = first.client.session();
        assertNotNull(session, "a TLS 1.2 server's ticket arrives within the handshake");
        assertNull(first.server.session(), "a server has no session to offer");

        SSLContext again = Fixtures.client(CHAIN.root, Backend.LIGHTWEIGHT);
        again.setMaximumVersion(Ssl.TLSv1_2);
        again.setSession(Session.fromBytes(session.toBytes()));
        BioPair second = new BioPair(again, serverCtx, 0);
        second.handshake();
        assertTrue(second.client.sessionReused());
        assertTrue(second.server.sessionReused());
    }

    @Test
    void endOfStreamWithoutCloseNotifyIsATruncation() throws Exception {
        BioPair p = new BioPair(Fixtures.client(CHAIN.root, Backend.LIGHTWEIGHT),
                Fixtures.server(CHAIN, Backend.LIGHTWEIGHT), 0);
        p.handshake();
        p.server.incoming().writeEof();
        SslException e = assertThrows(SslException.class, () -> p.server.read(1));
        assertEquals(SslException.Failure.TRUNCATED, e.failure());
    }

    @Test
    void memoryBioSemantics() throws Exception {
        MemoryBIO bio = new MemoryBIO();
        assertEquals(0, bio.pending());
        assertEquals(0, bio.capacity(), "an empty BIO holds no buffer");
        assertEquals(0, bio.read(5).length);
        assertEquals(3, bio.write(Fixtures.ascii("abc")));
        bio.write(ByteBuffer.wrap(Fixtures.ascii("defg")));
        assertEquals(7, bio.pending());
        assertArrayEquals(Fixtures.ascii("ab"), bio.read(2));
        ByteBuffer dst = ByteBuffer.allocate(3);
        assertEquals(3, bio.read(dst));
        assertArrayEquals(Fixtures.ascii("cde"), dst.array());
        assertFalse(bio.eof());
        bio.writeEof();
        assertFalse(bio.eof(), "bytes are still queued");
        assertThrows(IllegalStateException.class, () -> bio.write(new byte[1]));
        assertArrayEquals(Fixtures.ascii("fg"), bio.read());
        assertTrue(bio.eof());
        assertEquals(0, bio.capacity(), "drained: the buffer is given back");
        assertThrows(IllegalArgumentException.class, () -> bio.read(-1));
    }

    @Test
    void wrongSideOrSameBioIsRefusedBeforeAnyIo() {
        SSLContext client = Fixtures.client(CHAIN.root, Backend.LIGHTWEIGHT);
        MemoryBIO a = new MemoryBIO();
        assertThrows(IllegalArgumentException.class, () -> client.wrapBio(a, a, false, "localhost"));
        assertThrows(IllegalArgumentException.class, () -> client.wrapBio(a, new MemoryBIO(), true, null));
        assertThrows(IllegalArgumentException.class, () -> client.wrapBio(a, new MemoryBIO(), false, null),
                "CERT_REQUIRED needs a server hostname");
    }

    /** Shuttles and reads until {@code n} bytes arrived at {@code to}. */
    private static byte[] drain(BioPair p, SSLObject to, int n) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        for (int spins = 0; got.size() < n; spins++) {
            if (spins > 10_000_000) throw new AssertionError("no progress after " + got.size());
            p.shuttle();
            byte[] b = to.read(4096);
            if (b == null) {
                assertTrue(to.wantsRead());
                continue;
            }
            assertTrue(b.length > 0);
            got.write(b);
        }
        return got.toByteArray();
    }
}
