package org.microssl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.microssl.SslException.Failure;
import org.microssl.testing.MemoryTransport;
import org.microssl.testing.Peer;
import org.microssl.testing.TestPki;
import org.microssl.x509.Reason;

/**
 * MicroPython's stream semantics against a CPython {@code ssl} server that writes in pieces: {@code read(n)} and
 * {@code readinto} wait for all n bytes (py/stream.c {@code mp_stream_rw}), {@code recv} returns what one read
 * brings, {@code read()} reads to the end; a socket timeout after some bytes returns them; CPython never sends
 * close_notify on {@code close()}, so it is also the peer for {@code suppress_ragged_eofs}.
 */
class StreamSemanticsTest {
    static final TestPki.Chain CHAIN = TestPki.chain(TestPki.KeyType.EC_P256);

    /** One connection per mode given on the command line, in order; prints READY <port>. */
    static final String SERVER = String.join("\n",
            "import socket, ssl, sys, time",
            "ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)",
            "ctx.load_cert_chain(sys.argv[1], sys.argv[2])",
            "l = socket.socket()",
            "l.bind(('127.0.0.1', 0))",
            "l.listen(8)",
            "print('READY', l.getsockname()[1], flush=True)",
            "for mode in sys.argv[3:]:",
            "    raw, _ = l.accept()",
            "    try:",
            "        c = ctx.wrap_socket(raw, server_side=True)",
            "    except (ssl.SSLError, OSError) as e:",
            "        print('HANDSHAKE_ERROR', e, flush=True)",
            "        raw.close()",
            "        continue",
            "    if mode == 'split':",
            "        c.sendall(b'ab'); time.sleep(0.8); c.sendall(b'cd'); c.sendall(b'efgh')",
            "        c.unwrap(); c.close()",
            "    elif mode == 'slow':",
            "        c.sendall(b'ab'); time.sleep(3); c.sendall(b'cd')",
            "        c.unwrap(); c.close()",
            "    elif mode == 'ragged':",
            "        c.sendall(b'last words'); time.sleep(0.2)",
            "        c.close()  # CPython's close() sends no close_notify: a ragged end",
            "    print('DONE', mode, flush=True)");

    @TempDir
    static Path dir;

    @BeforeAll
    static void write() throws Exception {
        CHAIN.writeTo(dir, "");
        Files.write(dir.resolve("server.py"), SERVER.getBytes(StandardCharsets.UTF_8));
    }

    static Peer python(String... modes) throws Exception {
        Peer.assumeInstalled("python3");
        List<String> cmd = Peer.cmd("python3", "server.py", "chain.pem", "leaf.key");
        cmd.addAll(List.of(modes));
        return Peer.serverAnnouncingPort("python3 ssl server", dir, cmd, Pattern.compile("READY (\\d+)"));
    }

    static SSLSocket connect(SSLContext ctx, Peer server) throws Exception {
        return ctx.wrapSocket(new Socket("127.0.0.1", server.port()), false, true, "localhost");
    }

    static SSLContext client() {
        SSLContext ctx = new SSLContext(Ssl.PROTOCOL_TLS_CLIENT);
        ctx.loadVerifyLocations(null, CHAIN.root.der);
        return ctx;
    }

    @Test
    void readWaitsForAllItAskedForAndRecvDoesNot() throws Exception {
        try (Peer server = python("split", "split", "split")) {
            // "ab", then "cd" 800 ms later: MicroPython's hdr = s.read(4) gets all four
            try (SSLSocket s = connect(client(), server)) {
                assertArrayEquals(ascii("abcd"), s.read(4));
                assertArrayEquals(ascii("efgh"), s.read(), "read() reads to the end of the stream");
                assertEquals(0, s.read(1).length);
            }
            try (SSLSocket s = connect(client(), server)) {
                byte[] buf = new byte[4];
                assertEquals(4, s.readinto(buf));
                assertArrayEquals(ascii("abcd"), buf);
                byte[] rest = new byte[10];
                assertEquals(4, s.readinto(rest), "fewer only at the end of the stream");
            }
            // CPython's recv: what one read brings
            try (SSLSocket s = connect(client(), server)) {
                assertArrayEquals(ascii("ab"), s.recv(4));
                byte[] buf = new byte[4];
                int n = s.recvInto(buf); // "cd", and "ef" too if "efgh" came in the same transport read
                assertTrue(n >= 2, "at least what one record brings: " + n);
                assertArrayEquals(java.util.Arrays.copyOf(ascii("cdef"), n), java.util.Arrays.copyOf(buf, n));
            }
        }
    }

    /** The line a literal MicroPython port writes compiles (no ambiguous overloads) and verifies. */
    @Test
    void literalMicroPythonWrapSocketCompilesAndChecksTheName() throws Exception {
        byte[] cadata = CHAIN.root.der;
        try (Peer server = python("split", "split")) {
            Socket sock = new Socket("127.0.0.1", server.port());
            SslException e = assertThrows(SslException.class,
                    () -> Ssl.wrapSocket(sock, false, null, null, Ssl.CERT_REQUIRED, cadata, "host", true));
            assertEquals(Reason.HOSTNAME_MISMATCH, e.reason());
            sock.close();
            Socket sock2 = new Socket("127.0.0.1", server.port());
            try (SSLSocket s = Ssl.wrapSocket(sock2, false, null, null, Ssl.CERT_REQUIRED, cadata, "localhost", true)) {
                assertArrayEquals(ascii("abcd"), s.read(4));
            }
        }
    }

    /**
     * Over a Socket the handshake has its own deadline and, after it, the socket's SO_TIMEOUT bounds each wait:
     * a read that times out with bytes in hand returns them; with none it throws and the connection stays usable.
     */
    @Test
    void socketTimeoutAfterSomeBytesIsAShortReadAndWithNoneAnException() throws Exception {
        try (Peer server = python("slow")) {
            Socket raw = new Socket("127.0.0.1", server.port());
            try (SSLSocket s = client().wrapSocket(raw, false, true, "localhost")) {
                assertArrayEquals(ascii("a"), s.recv(1)); // "ab" has arrived
                raw.setSoTimeout(500);
                assertArrayEquals(ascii("b"), s.read(3), "the byte in hand, after the timeout");
                assertThrows(SocketTimeoutException.class, () -> s.read(2), "nothing arrived: the timeout");
                raw.setSoTimeout(0);
                assertArrayEquals(ascii("cd"), s.read(2), "the connection survived the timeout");
            }
        }
    }

    @Test
    void raggedEndIsTruncatedByDefaultAndEndOfStreamWhenSuppressed() throws Exception {
        try (Peer server = python("ragged", "ragged", "ragged")) {
            try (SSLSocket s = connect(client(), server)) {
                assertArrayEquals(ascii("last words"), s.read(), "the data that arrived");
                SslException e = assertThrows(SslException.class, s::read);
                assertEquals(Failure.TRUNCATED, e.failure());
            }
            SSLContext lenient = client();
            lenient.setSuppressRaggedEofs(true);
            try (SSLSocket s = connect(lenient, server)) {
                assertArrayEquals(ascii("last words"), s.read());
                assertEquals(0, s.read(1).length);
                assertEquals(0, s.readinto(new byte[1]));
                assertEquals(-1, s.getInputStream().read());
            }
            try (SSLSocket s = connect(lenient, server)) {
                assertArrayEquals(ascii("last words"), s.read(100), "read(n) stops at the (ragged) end too");
            }
        }
    }

    /** On a non-blocking transport, read(n) returns what is ready and null when nothing is. */
    @Test
    void nonBlockingReadReturnsWhatIsReady() throws Exception {
        MemoryTransport[] t = MemoryTransport.nonBlockingPair(Integer.MAX_VALUE, false);
        SSLContext server = Fixtures.server(CHAIN, Fixtures.Backend.LIGHTWEIGHT);
        SSLSocket c = client().wrapSocket(t[0], false, false, "localhost");
        SSLSocket s = server.wrapSocket(t[1], true, false, null);
        org.microssl.testing.TlsPair.pumpHandshake(c, s, 1_000_000);
        assertNull(s.read(4));
        assertEquals(2, c.write(ascii("ab")));
        assertArrayEquals(ascii("ab"), s.read(4), "what was ready, without waiting for the rest");
        assertNull(s.read(4));
        assertNull(s.readinto(new byte[4]));
        assertNull(s.read());
        c.write(ascii("cdef"));
        assertArrayEquals(ascii("cdef"), s.read());
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
