package org.microssl.internal;

import java.io.EOFException;
import java.io.IOException;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.ContentType;
import org.bouncycastle.tls.HandshakeMessageInput;
import org.bouncycastle.tls.HandshakeType;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsHash;

/**
 * What our BouncyCastle protocol objects check before BouncyCastle sees a peer's bytes: every handshake message's
 * length against the configured limit as soon as its 4-byte header is in (BouncyCastle would buffer it first),
 * no record of another type between the fragments of one handshake message (RFC 8446 section 5.1), and a
 * Certificate message's inner lengths and counts before BouncyCastle allocates what they claim (its
 * {@code readOpaque24} allocates a claimed 16 MB before reading). It also turns a parse that ran off the end of
 * a message, or a runtime exception thrown while BouncyCastle decoded the peer's bytes, into decode_error: the
 * peer's fault, never internal_error. One per connection; BouncyCastle calls it under the Engine's state lock.
 *
 * <p>The Certificate walk is hand-written on purpose: it only compares lengths with what has arrived, before the
 * library's parser allocates.
 */
final class HandshakeGuard {
    private final int maxMessage;
    private final int maxChainBytes;
    private final int maxChainCertificates;

    /** Bytes of the current message's header seen so far (0..3), or 4 once its body is being read. */
    private int headerFill;
    private final byte[] header = new byte[4];
    /** Body bytes of the current handshake message still to come. */
    private int bodyLeft;

    HandshakeGuard(Settings settings) {
        this.maxMessage = settings.handshakeMessageLimit();
        this.maxChainBytes = settings.maxChainBytes;
        this.maxChainCertificates = settings.maxChainCertificates;
    }

    /** BouncyCastle's own limit, set above ours so that ours, with its precise failure, decides. */
    int bouncyCastleLimit() {
        return maxMessage + 1;
    }

    /** Called with every decrypted record before BouncyCastle processes it. */
    void checkRecord(short type, byte[] buf, int off, int len) throws IOException {
        if (len == 0 && (type == ContentType.handshake || type == ContentType.alert)) {
            throw new TlsFatalAlert(AlertDescription.unexpected_message,
                    "an empty " + ContentType.getText(type) + " record (RFC 8446 section 5.1)");
        }
        if (type != ContentType.handshake) {
            // An alert is read even mid-message: a peer's fatal alert explains more than our complaint would.
            if (inMessage() && type != ContentType.alert) {
                throw new TlsFatalAlert(AlertDescription.unexpected_message, "a " + ContentType.getText(type)
                        + " record arrived between the fragments of a handshake message (RFC 8446 section 5.1)");
            }
            return;
        }
        int end = off + len;
        while (off < end) {
            if (headerFill == 4) {
                int take = Math.min(bodyLeft, end - off);
                off += take;
                bodyLeft -= take;
                if (bodyLeft == 0) endMessage(off < end);
                continue;
            }
            header[headerFill++] = buf[off++];
            if (headerFill < 4) continue;
            int length = ((header[1] & 0xff) << 16) | ((header[2] & 0xff) << 8) | (header[3] & 0xff);
            if (length > maxMessage) {
                throw limit(AlertDescription.decode_error, "the peer's " + HandshakeType.getName(header[0])
                        + " message is " + length + " bytes, over the limit of " + maxMessage
                        + " (SSLContext.setMaxHandshakeMessageSize)");
            }
            bodyLeft = length;
            if (length == 0) endMessage(off < end);
        }
    }

    /**
     * RFC 8446 section 5.1: Finished and KeyUpdate precede a key change, so they must end their record; bytes
     * after them would be read under the wrong keys. (No TLS 1.2 flight puts anything after a Finished either.)
     */
    private void endMessage(boolean moreInRecord) throws TlsFatalAlert {
        headerFill = 0;
        short type = (short) (header[0] & 0xff);
        if (moreInRecord && (type == HandshakeType.finished || type == HandshakeType.key_update)) {
            throw new TlsFatalAlert(AlertDescription.unexpected_message, "a " + HandshakeType.getName(type)
                    + " message is followed by more data in its record (RFC 8446 section 5.1)");
        }
    }

    private boolean inMessage() {
        return headerFill != 0;
    }

    /**
     * Runs BouncyCastle's handler for one whole handshake message, after checking a Certificate message's
     * structure; maps what its parser throws on malformed input to decode_error.
     */
    void handle(short type, HandshakeMessageInput buf, TlsContext context, Handler handler) throws IOException {
        // Before a version is agreed a Certificate is out of place, which BouncyCastle says (unexpected_message).
        ProtocolVersion version = context.getServerVersion();
        if (type == HandshakeType.certificate && version != null) checkCertificate(buf, TlsUtils.isTLSv13(version));
        try {
            handler.handle(type, buf);
        } catch (TlsFatalAlert e) {
            if (e.getAlertDescription() == AlertDescription.internal_error && e.getCause() == null) {
                // BouncyCastle's bare internal_error marks a state it did not expect, reached here only through the
                // peer's message (e.g. a TLS 1.2 ECDHE server that skips its Certificate). Our own failures
                // (signer, entropy, validator bugs) carry their cause and stay internal_error.
                throw new TlsFatalAlert(AlertDescription.unexpected_message,
                        "the peer's " + HandshakeType.getName(type) + " message is not expected here", e);
            }
            throw e;
        } catch (Drbg.EntropyFailure e) {
            throw new TlsFatalAlert(AlertDescription.internal_error, "the entropy source failed", e);
        } catch (IOException | RuntimeException e) {
            // Our own callbacks fail with TlsFatalAlerts (PeerSupport turns their bugs into internal_error), so
            // what arrives here is BouncyCastle failing to decode the peer's bytes: a corrupt certificate is
            // bad_certificate (RFC 8446 section 6.2, as OpenSSL, Go and rustls), any other message decode_error.
            String what = "the peer's " + HandshakeType.getName(type) + " message";
            if (type == HandshakeType.certificate) {
                throw new TlsFatalAlert(AlertDescription.bad_certificate,
                        what + " holds a certificate that cannot be parsed: " + describe(e), e);
            }
            throw new TlsFatalAlert(AlertDescription.decode_error, e instanceof EOFException
                    ? what + " ends inside one of its fields" : what + " could not be decoded: " + describe(e), e);
        }
    }

    /** The exception's class and message; never "null" (the JIT's fast throw drops messages). */
    private static String describe(Throwable e) {
        return e.getMessage() != null ? e.getClass().getSimpleName() + ": " + e.getMessage()
                : e.getClass().getName();
    }

    interface Handler {
        void handle(short type, HandshakeMessageInput buf) throws IOException;
    }

    /**
     * RFC 5246 section 7.4.2 / RFC 8446 section 4.4.2: every length must fit inside the message exactly, each
     * certificate has at least one byte, and the chain must be within the configured limits.
     */
    /** Whether a KeyUpdate message asks for ours (its one byte is update_requested, RFC 8446 section 4.6.3). */
    static boolean keyUpdateRequested(java.io.ByteArrayInputStream buf) {
        if (!(buf instanceof HandshakeMessageInput)) return false;
        MessageView m = view((HandshakeMessageInput) buf);
        return m.len == 5 && m.buf[m.off + 4] == 1;
    }

    /** The whole message (header included) in BouncyCastle's buffer, in place, without a copy. */
    static MessageView view(HandshakeMessageInput buf) {
        MessageView view = new MessageView();
        buf.updateHash(view);
        return view;
    }

    private void checkCertificate(HandshakeMessageInput buf, boolean tls13) throws IOException {
        MessageView view = view(buf);
        byte[] m = view.buf;
        int pos = view.off + 4;
        int end = view.off + view.len;
        if (tls13) {
            if (pos >= end) throw malformedCertificate("it has no certificate_request_context");
            pos += 1 + (m[pos] & 0xff);
        }
        if (pos + 3 > end) throw malformedCertificate("it has no certificate_list length");
        int listLength = u24(m, pos);
        pos += 3;
        if (listLength != end - pos) {
            throw malformedCertificate("its certificate_list says " + listLength + " bytes, but " + (end - pos)
                    + " follow");
        }
        int count = 0;
        long certBytes = 0;
        while (pos < end) {
            if (pos + 3 > end) throw malformedCertificate("a certificate length runs past the list");
            int certLength = u24(m, pos);
            pos += 3;
            if (certLength == 0) throw malformedCertificate("a certificate is empty");
            if (certLength > end - pos) {
                throw malformedCertificate("a certificate says " + certLength + " bytes, but " + (end - pos)
                        + " remain");
            }
            pos += certLength;
            if (tls13) {
                if (pos + 2 > end) throw malformedCertificate("a certificate entry has no extensions length");
                int extLength = ((m[pos] & 0xff) << 8) | (m[pos + 1] & 0xff);
                pos += 2;
                if (extLength > end - pos) throw malformedCertificate("a certificate entry's extensions run past it");
                pos += extLength;
            }
            count++;
            certBytes += certLength;
            if (count > maxChainCertificates) {
                throw limit(AlertDescription.bad_certificate, "the peer's chain has more than "
                        + maxChainCertificates + " certificates (SSLContext.setMaxCertificateChain)");
            }
            if (certBytes > maxChainBytes) {
                throw limit(AlertDescription.bad_certificate, "the peer's chain has more than " + maxChainBytes
                        + " bytes of certificates (SSLContext.setMaxCertificateChain)");
            }
        }
    }

    private static int u24(byte[] b, int at) {
        return ((b[at] & 0xff) << 16) | ((b[at + 1] & 0xff) << 8) | (b[at + 2] & 0xff);
    }

    private static TlsFatalAlert malformedCertificate(String why) {
        return new TlsFatalAlert(AlertDescription.decode_error, "the peer's Certificate message is malformed: " + why);
    }

    /** A limit failure: the alert for the peer, with our precise failure as its cause (see Engine.classify). */
    private static TlsFatalAlert limit(short alert, String message) {
        return new TlsFatalAlert(alert, message, new LimitExceeded(message));
    }

    /** A TlsHash that only notes where BouncyCastle's message buffer is. */
    static final class MessageView implements TlsHash {
        byte[] buf;
        int off;
        int len;

        @Override
        public void update(byte[] input, int inOff, int length) {
            buf = input;
            off = inOff;
            len = length;
        }

        @Override
        public byte[] calculateHash() {
            throw new UnsupportedOperationException();
        }

        @Override
        public TlsHash cloneHash() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void reset() {
        }
    }
}
