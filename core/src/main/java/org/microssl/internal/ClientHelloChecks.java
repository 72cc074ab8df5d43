package org.microssl.internal;

import java.io.IOException;
import java.util.Arrays;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.ExtensionType;
import org.bouncycastle.tls.TlsFatalAlert;

/**
 * Checks of a ClientHello that BouncyCastle does not make, on its raw bytes before BouncyCastle parses it.
 *
 * <p>RFC 8446 section 4.1.2: the ClientHello that answers a HelloRetryRequest is the first one, except that key_share
 * is replaced, early_data removed, a cookie added, pre_shared_key updated and padding changed. BouncyCastle checks
 * only the key share, so we compare the rest; any other change is illegal_parameter (as OpenSSL does and
 * tlsfuzzer's test-tls13-shuffled-extentions expects). Hand-written because BouncyCastle's parsed ClientHello
 * loses the extensions' order; it walks lengths BouncyCastle has already checked.
 */
final class ClientHelloChecks {
    private ClientHelloChecks() {}

    /** The first ClientHello's body (no 4-byte header), kept until the second arrives. */
    static byte[] copy(HandshakeGuard.MessageView hello) {
        return Arrays.copyOfRange(hello.buf, hello.off + 4, hello.off + hello.len);
    }

    static void check(byte[] first, HandshakeGuard.MessageView second) throws IOException {
        if (first == null) return;
        try {
            compare(first, second);
        } catch (Truncated e) {
            // a malformed second ClientHello: BouncyCastle's parse refuses it with decode_error
        }
    }

    private static void compare(byte[] first, HandshakeGuard.MessageView second) throws IOException {
        byte[] b = second.buf;
        int start = second.off + 4;
        int end = second.off + second.len;
        int firstFixed = fixedPartLength(first, 0, first.length);
        int secondFixed = fixedPartLength(b, start, end);
        if (firstFixed > first.length || start + secondFixed > end) throw new Truncated();
        // legacy_version, random, legacy_session_id, cipher_suites, legacy_compression_methods
        if (firstFixed != secondFixed || !equal(first, 0, b, start, firstFixed)) {
            throw changed("its version, random, session id, cipher suites or compression methods");
        }
        if (!sameExtensions(first, firstFixed, first.length, b, start + secondFixed, end)) {
            throw changed("its extensions (other than key_share, cookie, early_data, pre_shared_key, padding), or "
                    + "their order");
        }
    }

    private static TlsFatalAlert changed(String what) {
        return new TlsFatalAlert(AlertDescription.illegal_parameter,
                "the ClientHello after our HelloRetryRequest changed " + what + " (RFC 8446 section 4.1.2)");
    }

    /**
     * RFC 8446 appendix D.5: a ClientHello whose legacy_version is SSL 3.0 or lower is refused with
     * protocol_version, whatever supported_versions says.
     */
    static void checkVersion(HandshakeGuard.MessageView hello) throws IOException {
        byte[] m = hello.buf;
        int start = hello.off + 4;
        if (start + 2 > hello.off + hello.len) return; // left to BouncyCastle's parse
        int version = ((m[start] & 0xff) << 8) | (m[start + 1] & 0xff);
        if (version <= 0x0300) {
            throw new TlsFatalAlert(AlertDescription.protocol_version, String.format(
                    "the ClientHello's legacy_version is 0x%04x, SSL 3.0 or older (RFC 8446 appendix D.5)", version));
        }
    }

    /**
     * Whether a ClientHello that BouncyCastle has parsed lacks the null compression method (RFC 8446 section
     * 4.1.2, RFC 5246 section 7.4.1.2): BouncyCastle then says handshake_failure, where the value is the
     * peer's illegal_parameter. Asked only after its parse succeeded, so a malformed hello stays decode_error.
     */
    static boolean lacksNullCompression(HandshakeGuard.MessageView hello) {
        byte[] m = hello.buf;
        int start = hello.off + 4;
        int end = hello.off + hello.len;
        try {
            int pos = start + 2 + 32;
            pos = skip8(m, pos, end);
            pos = skip16(m, pos, end);
            if (pos >= end) return false;
            int count = m[pos] & 0xff;
            if (pos + 1 + count > end) return false;
            for (int i = 0; i < count; i++) {
                if (m[pos + 1 + i] == 0) return false;
            }
            return true;
        } catch (IOException e) {
            return false; // a length runs past the message
        }
    }

    /**
     * Whether every length of the ClientHello, down to each extension, ends exactly where its container does.
     * BouncyCastle's parse tolerates some that do not, then fails on the values it misread.
     */
    static boolean wellFormed(HandshakeGuard.MessageView hello) {
        byte[] m = hello.buf;
        int start = hello.off + 4;
        int end = hello.off + hello.len;
        try {
            int pos = start + 2 + 32;
            pos = skip8(m, pos, end);
            int suites = u16(m, pos, end);
            if (suites % 2 != 0) return false;
            pos = skip16(m, pos, end);
            pos = skip8(m, pos, end);
            if (pos == end) return true;
            if (pos + 2 + u16(m, pos, end) != end) return false;
            for (pos += 2; pos < end; pos += 4 + u16(m, pos + 2, end)) {
                if (pos + 4 > end) return false;
            }
            return pos == end;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * RFC 8446 section 4.2.8: a key_share entry with an empty key_exchange is a bad value (OpenSSL, tlsfuzzer:
     * illegal_parameter), where BouncyCastle's parse would say decode_error. Malformed lengths are left to it.
     */
    static void checkKeyShares(HandshakeGuard.MessageView hello) throws IOException {
        byte[] m = hello.buf;
        int start = hello.off + 4;
        int end = hello.off + hello.len;
        try {
            int pos = start + fixedPartLength(m, start, end);
            if (pos >= end) return;
            pos += 2;
            while (pos + 4 <= end) {
                int type = u16(m, pos, end);
                int length = u16(m, pos + 2, end);
                if (type == ExtensionType.key_share && hasEmptyShare(m, pos + 4, Math.min(end, pos + 4 + length))) {
                    throw new TlsFatalAlert(AlertDescription.illegal_parameter,
                            "a key_share entry with an empty key_exchange (RFC 8446 section 4.2.8)");
                }
                pos += 4 + length;
            }
        } catch (Truncated e) {
            // left to BouncyCastle's parse
        }
    }

    /**
     * The server_name extension's first host_name (RFC 6066 section 3), or null: BouncyCastle chooses a TLS 1.3
     * PSK before it parses the extensions, and a ticket is bound to the name (ServerResumption). Malformed
     * lengths give null and are left to BouncyCastle's parse.
     */
    static String serverName(HandshakeGuard.MessageView hello) {
        byte[] m = hello.buf;
        int start = hello.off + 4;
        int end = hello.off + hello.len;
        try {
            int pos = start + fixedPartLength(m, start, end);
            if (pos >= end) return null;
            pos += 2;
            while (pos + 4 <= end) {
                int type = u16(m, pos, end);
                int length = u16(m, pos + 2, end);
                int extEnd = Math.min(end, pos + 4 + length);
                if (type == ExtensionType.server_name) {
                    int p = pos + 4 + 2; // server_name_list length
                    while (p + 3 <= extEnd) {
                        int nameType = m[p] & 0xff;
                        int nameLength = u16(m, p + 1, extEnd);
                        if (p + 3 + nameLength > extEnd) return null;
                        if (nameType == 0) {
                            return new String(m, p + 3, nameLength, java.nio.charset.StandardCharsets.US_ASCII);
                        }
                        p += 3 + nameLength;
                    }
                    return null;
                }
                pos += 4 + length;
            }
        } catch (IOException e) {
            // left to BouncyCastle's parse
        }
        return null;
    }

    private static boolean hasEmptyShare(byte[] m, int pos, int end) {
        pos += 2; // client_shares length
        while (pos + 4 <= end) {
            int length = ((m[pos + 2] & 0xff) << 8) | (m[pos + 3] & 0xff);
            if (length == 0) return true;
            pos += 4 + length;
        }
        return false;
    }

    /** Length of the fields before the extensions block; the extensions' own length is checked by the walk. */
    private static int fixedPartLength(byte[] m, int from, int end) throws IOException {
        int pos = from + 2 + 32;
        pos = skip8(m, pos, end);
        pos = skip16(m, pos, end);
        pos = skip8(m, pos, end);
        return pos - from;
    }

    private static boolean sameExtensions(byte[] a, int aPos, int aEnd, byte[] b, int bPos, int bEnd)
            throws IOException {
        aPos = extensionsStart(a, aPos, aEnd);
        bPos = extensionsStart(b, bPos, bEnd);
        while (true) {
            aPos = nextKept(a, aPos, aEnd);
            bPos = nextKept(b, bPos, bEnd);
            if (aPos >= aEnd || bPos >= bEnd) return aPos >= aEnd && bPos >= bEnd;
            int aLen = 4 + u16(a, aPos + 2, aEnd);
            int bLen = 4 + u16(b, bPos + 2, bEnd);
            if (aPos + aLen > aEnd || bPos + bLen > bEnd) throw new Truncated();
            if (aLen != bLen || !equal(a, aPos, b, bPos, aLen)) return false;
            aPos += aLen;
            bPos += bLen;
        }
    }

    private static int extensionsStart(byte[] m, int pos, int end) throws IOException {
        return pos >= end ? end : pos + 2; // no extensions block, or past its length
    }

    /** The position of the next extension that must not change, or {@code end}. */
    private static int nextKept(byte[] m, int pos, int end) throws IOException {
        while (pos < end) {
            int type = u16(m, pos, end);
            if (!mayChange(type)) return pos;
            pos += 4 + u16(m, pos + 2, end);
        }
        return end;
    }

    private static boolean mayChange(int type) {
        return type == ExtensionType.key_share || type == ExtensionType.cookie || type == ExtensionType.early_data
                || type == ExtensionType.pre_shared_key || type == ExtensionType.padding;
    }

    private static int skip8(byte[] m, int pos, int end) throws IOException {
        if (pos >= end) throw new Truncated();
        return pos + 1 + (m[pos] & 0xff);
    }

    private static int skip16(byte[] m, int pos, int end) throws IOException {
        return pos + 2 + u16(m, pos, end);
    }

    private static int u16(byte[] m, int pos, int end) throws IOException {
        if (pos + 2 > end) throw new Truncated();
        return ((m[pos] & 0xff) << 8) | (m[pos + 1] & 0xff);
    }

    /** A length runs past the message: left to BouncyCastle's parser, which says decode_error. */
    private static final class Truncated extends IOException {
        private static final long serialVersionUID = 1L;
    }

    private static boolean equal(byte[] a, int aOff, byte[] b, int bOff, int len) {
        if (aOff + len > a.length || bOff + len > b.length) return false;
        for (int i = 0; i < len; i++) {
            if (a[aOff + i] != b[bOff + i]) return false;
        }
        return true;
    }
}
