package org.microssl.embedded;

import java.io.IOException;

import org.microssl.spi.Transport;

/**
 * Wraps a transport and parses the TLS record headers (RFC 8446 section 5.1: type, version, 16-bit length) of both
 * directions, so tests can assert how large the records on the wire really are.
 */
final class RecordSizeTransport implements Transport {

    private final Transport inner;
    final RecordParser received = new RecordParser();
    final RecordParser sent = new RecordParser();

    RecordSizeTransport(Transport inner) {
        this.inner = inner;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n = inner.read(buf, off, len);
        if (n > 0) {
            received.feed(buf, off, n);
        }
        return n;
    }

    @Override
    public int write(byte[] buf, int off, int len) throws IOException {
        int n = inner.write(buf, off, len);
        if (n > 0) {
            sent.feed(buf, off, n);
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        inner.close();
    }

    static final class RecordParser {
        private final byte[] header = new byte[5];
        private int headerFill;
        private int bodyLeft;
        int records;
        int maxLength;
        long bytes;

        void feed(byte[] b, int off, int len) {
            bytes += len;
            for (int i = off; i < off + len; ) {
                if (bodyLeft > 0) {
                    int skip = Math.min(bodyLeft, off + len - i);
                    bodyLeft -= skip;
                    i += skip;
                    continue;
                }
                header[headerFill++] = b[i++];
                if (headerFill == 5) {
                    bodyLeft = (header[3] & 0xff) << 8 | (header[4] & 0xff);
                    maxLength = Math.max(maxLength, bodyLeft);
                    records++;
                    headerFill = 0;
                }
            }
        }
    }
}
