package org.microssl;

import java.io.IOException;

import org.microssl.spi.Transport;

/**
 * The {@link Transport} under an {@link SSLObject}: reads the incoming {@link MemoryBIO} (0 when it is empty, as a
 * non-blocking transport; end of stream once it is empty after {@code writeEof}), writes whole records to the
 * outgoing one (which takes everything). Closing it leaves both BIOs to their owner, as CPython does.
 */
final class BioTransport implements Transport {
    private final MemoryBIO incoming;
    private final MemoryBIO outgoing;

    BioTransport(MemoryBIO incoming, MemoryBIO outgoing) {
        this.incoming = incoming;
        this.outgoing = outgoing;
    }

    @Override
    public int read(byte[] buf, int off, int len) {
        int n = incoming.read(buf, off, len);
        if (n == 0 && len > 0 && incoming.eofWritten() && incoming.pending() == 0) return -1;
        return n;
    }

    @Override
    public int write(byte[] buf, int off, int len) throws IOException {
        try {
            return outgoing.write(buf, off, len);
        } catch (IllegalStateException e) {
            throw new IOException("the outgoing MemoryBIO was closed with writeEof()", e);
        }
    }

    @Override
    public void close() {
        // the BIOs belong to the caller
    }
}
