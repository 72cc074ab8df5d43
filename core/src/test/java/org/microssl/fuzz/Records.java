package org.microssl.fuzz;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** TLS record framing for making seeds by hand (RFC 8446 section 5.1): nothing here parses what a peer sends. */
final class Records {
    static final int HANDSHAKE = 22;

    private Records() {}

    /** One TLS record of {@code type} carrying {@code body}, with record version {@code version}. */
    static byte[] record(int type, int version, byte[] body) {
        byte[] r = new byte[5 + body.length];
        r[0] = (byte) type;
        r[1] = (byte) (version >> 8);
        r[2] = (byte) version;
        r[3] = (byte) (body.length >> 8);
        r[4] = (byte) body.length;
        System.arraycopy(body, 0, r, 5, body.length);
        return r;
    }

    /** The record version of the first record of {@code stream}. */
    static int firstRecordVersion(byte[] stream) {
        return ((stream[1] & 0xff) << 8) | (stream[2] & 0xff);
    }

    /**
     * The plaintext handshake messages at the start of a recorded flight (each with its 4-byte header), up to the
     * first record that is not a handshake record.
     */
    static List<byte[]> leadingHandshakeMessages(byte[] stream) {
        ByteArrayOutputStream bodies = new ByteArrayOutputStream();
        int at = 0;
        while (at + 5 <= stream.length && (stream[at] & 0xff) == HANDSHAKE) {
            int len = ((stream[at + 3] & 0xff) << 8) | (stream[at + 4] & 0xff);
            bodies.write(stream, at + 5, len);
            at += 5 + len;
        }
        byte[] all = bodies.toByteArray();
        List<byte[]> messages = new ArrayList<>();
        int m = 0;
        while (m + 4 <= all.length) {
            int len = ((all[m + 1] & 0xff) << 16) | ((all[m + 2] & 0xff) << 8) | (all[m + 3] & 0xff);
            if (m + 4 + len > all.length) break;
            messages.add(Arrays.copyOfRange(all, m, m + 4 + len));
            m += 4 + len;
        }
        return messages;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.write(p, 0, p.length);
        return out.toByteArray();
    }

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) b[i] = (byte) values[i];
        return b;
    }
}
