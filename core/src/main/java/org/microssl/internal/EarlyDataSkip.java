package org.microssl.internal;

import java.io.IOException;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.ContentType;
import org.bouncycastle.tls.TlsFatalAlert;
import org.microssl.internal.crypto.HandshakeKeyTrial;

/**
 * A TLS 1.3 server's skipping of 0-RTT data it does not accept (RFC 8446 section 4.2.10); microssl accepts none.
 * A client that offered early_data may already have sent records under keys we never derive. After our ServerHello
 * we drop each application_data record that does not open under the client's handshake key, until the first one
 * that does (the start of the client's second flight); after a HelloRetryRequest we drop application_data records
 * unread until the second ClientHello. Outside that window nothing is skipped: a record that does not decrypt is
 * bad_record_mac as ever.
 *
 * <p>Dropped records are sorted out here, before BouncyCastle sees them, because its record layer spends a sequence
 * number on every record it tries and fails the connection on the first that does not open.
 */
final class EarlyDataSkip {
    /**
     * What may be skipped, counted as whole records (header included, so that empty records use it up too):
     * 16 KiB of early data, the most one record carries and what OpenSSL skips by default, plus 256 bytes, the
     * most one TLS 1.3 record may add to its content (RFC 8446 section 5.2). A client that was promised more
     * 0-RTT by a server sharing our ticket keys does not exist here (microssl issues no early data), and the
     * bound keeps the work to about 16 KB of trial decryption per handshake.
     */
    static final int BUDGET = (1 << 14) + 256 + 5;
    /** RFC 8446 section 5.2: TLSCiphertext.length is at most 2^14 + 256. */
    private static final int MAX_CIPHERTEXT = (1 << 14) + 256;

    private enum Window { CLOSED, AFTER_SERVER_HELLO, AFTER_RETRY_REQUEST }

    private Window window = Window.CLOSED;
    private HandshakeKeyTrial trial;
    private int skipped;

    /** Our ServerHello answered a ClientHello that offered early_data: skip what does not open under this key. */
    void afterServerHello(HandshakeKeyTrial clientHandshakeKey) {
        if (clientHandshakeKey == null) return;
        window = Window.AFTER_SERVER_HELLO;
        trial = clientHandshakeKey;
    }

    /** Our HelloRetryRequest answered a ClientHello that offered early_data: skip by type until the next hello. */
    void afterRetryRequest() {
        window = Window.AFTER_RETRY_REQUEST;
    }

    /**
     * The size of a record whose header this window takes over, or -1 to leave the header to BouncyCastle. After a
     * HelloRetryRequest BouncyCastle still reads in the clear and would refuse application_data outright.
     */
    int preview(byte[] header) throws IOException {
        if (window != Window.AFTER_RETRY_REQUEST || header[0] != ContentType.application_data) return -1;
        int length = (header[3] & 0xff) << 8 | (header[4] & 0xff);
        if (length > MAX_CIPHERTEXT) {
            throw new TlsFatalAlert(AlertDescription.record_overflow, "an early data record of " + length
                    + " bytes, over 2^14 + 256 (RFC 8446 section 5.2)");
        }
        return 5 + length;
    }

    /** Whether the whole record {@code buf[off, off+len)} is early data to drop unread. */
    boolean drop(byte[] buf, int off, int len) throws IOException {
        if (window == Window.CLOSED) return false;
        if (buf[off] != ContentType.application_data) {
            // the second ClientHello ends the skipping after a HelloRetryRequest; a change_cipher_spec (RFC 8446
            // appendix D.4) may come anywhere; anything else is BouncyCastle's to judge
            if (window == Window.AFTER_RETRY_REQUEST && buf[off] == ContentType.handshake) close();
            return false;
        }
        if (window == Window.AFTER_SERVER_HELLO && trial.opens(buf, off, len)) {
            close(); // the client's second flight has begun
            return false;
        }
        skipped += len;
        if (skipped > BUDGET) {
            close();
            throw new TlsFatalAlert(AlertDescription.unexpected_message, "the client sent more than " + BUDGET
                    + " bytes of early data, which this server does not accept (RFC 8446 sections 4.2.10 and 4.6.1)");
        }
        return true;
    }

    private void close() {
        window = Window.CLOSED;
        trial = null;
    }
}
