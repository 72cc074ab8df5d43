package org.microssl.embedded;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import org.microssl.SocketChannelTransport;
import org.microssl.StreamTransport;

class TransportTest {

    @Test
    void streamTransportRetriesZeroReadsAndFlushesWrites() throws IOException {
        AtomicInteger zeros = new AtomicInteger(2);
        InputStream lazy = new FilterInputStream(new ByteArrayInputStream(new byte[] {1, 2, 3})) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return zeros.getAndDecrement() > 0 ? 0 : super.read(b, off, len);
            }
        };
        AtomicInteger flushes = new AtomicInteger();
        ByteArrayOutputStream sink = new ByteArrayOutputStream() {
            @Override
            public void flush() {
                flushes.incrementAndGet();
            }
        };
        AtomicInteger connectionClosed = new AtomicInteger();
        StreamTransport t = new StreamTransport(lazy, sink, connectionClosed::incrementAndGet);
        byte[] buf = new byte[8];
        assertEquals(3, t.read(buf, 0, 8));
        assertEquals(-1, t.read(buf, 0, 8));
        assertEquals(4, t.write(new byte[] {9, 9, 9, 9, 9}, 1, 4));
        assertEquals(1, flushes.get());
        assertArrayEquals(new byte[] {9, 9, 9, 9}, sink.toByteArray());
        t.close();
        t.close();
        assertEquals(1, connectionClosed.get(), "close is idempotent");
    }

    @Test
    void streamTransportClosesEverythingAndReportsTheFirstFailure() {
        IOException boom = new IOException("modem hung up");
        StreamTransport t = new StreamTransport(new ByteArrayInputStream(new byte[0]),
            new ByteArrayOutputStream(), () -> {
                throw boom;
            });
        assertEquals(boom, assertThrows(IOException.class, t::close));
    }

    @Test
    void socketChannelTransportReturnsZeroWhenNotReady() throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            SocketChannel ch = SocketChannel.open();
            ch.configureBlocking(false);
            ch.connect(server.getLocalAddress());
            SocketChannelTransport t = new SocketChannelTransport(ch);
            try (SocketChannel peer = server.accept()) {
                byte[] buf = new byte[16];
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (!t.finishConnect()) {
                    assertTrue(System.nanoTime() < deadline, "connect did not finish");
                    Thread.yield();
                }
                assertEquals(0, t.read(buf, 0, buf.length), "nothing sent yet: not ready, not EOF");
                assertEquals(3, t.write(new byte[] {7, 8, 9}, 0, 3));
                ByteBuffer got = ByteBuffer.allocate(3);
                while (got.hasRemaining()) {
                    peer.read(got);
                }
                assertArrayEquals(new byte[] {7, 8, 9}, got.array());
                peer.write(ByteBuffer.wrap(new byte[] {1, 2}));
                int n;
                while ((n = t.read(buf, 4, 12)) == 0) {
                    assertTrue(System.nanoTime() < deadline, "data never arrived");
                    Thread.yield();
                }
                assertEquals(2, n);
                assertEquals(1, buf[4]);
                peer.shutdownOutput();
                while ((n = t.read(buf, 0, 16)) == 0) {
                    assertTrue(System.nanoTime() < deadline, "EOF never arrived");
                    Thread.yield();
                }
                assertEquals(-1, n);
                // A full send buffer: non-blocking writes eventually return 0 instead of blocking.
                byte[] big = new byte[64 * 1024];
                int written;
                do {
                    written = t.write(big, 0, big.length);
                    assertTrue(System.nanoTime() < deadline, "socket buffer never filled");
                } while (written > 0);
                assertEquals(0, written);
            } finally {
                t.close();
            }
        }
    }

    @Test
    void socketChannelTransportOnAnUnconnectedChannelIsAnIOException() throws IOException {
        try (SocketChannel ch = SocketChannel.open()) {
            ch.configureBlocking(false);
            SocketChannelTransport t = new SocketChannelTransport(ch);
            IOException e = assertThrows(IOException.class, () -> t.read(new byte[4], 0, 4));
            assertEquals("socket channel is not connected", e.getMessage());
            t.close();
            e = assertThrows(IOException.class, () -> t.write(new byte[4], 0, 4));
            assertEquals("socket channel is closed", e.getMessage());
        }
    }
}
