package org.microssl.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.AlertLevel;

/**
 * TLS records as bytes on the wire (RFC 8446 section 5.1), for scripted peers: framing what they send and reading
 * back what microssl answered, in particular its alerts in the clear ({@code 15 03 0x 00 02 LL DD}).
 */
public final class Wire {
    public static final int CHANGE_CIPHER_SPEC = 20;
    public static final int ALERT = 21;
    public static final int HANDSHAKE = 22;
    public static final int APPLICATION_DATA = 23;
    /** The record version of a first ClientHello (RFC 8446 section 5.1 allows 0x0301 there). */
    public static final int TLS10 = 0x0301;
    public static final int TLS12 = 0x0303;

    private Wire() {}

    /** One record as received. */
    public static final class Record {
        public final int type;
        public final int version;
        public final byte[] body;

        Record(int type, int version, byte[] body) {
            this.type = type;
            this.version = version;
            this.body = body;
        }

        @Override
        public String toString() {
            return "record(type " + type + ", version " + Integer.toHexString(version) + ", " + body.length
                    + " bytes)";
        }
    }

    /** An alert: level and description (RFC 8446 section 6). */
    public static final class Alert {
        public final int level;
        public final int description;

        public Alert(int level, int description) {
            this.level = level;
            this.description = description;
        }

        public static Alert fatal(int description) {
            return new Alert(AlertLevel.fatal, description);
        }

        public static Alert warning(int description) {
            return new Alert(AlertLevel.warning, description);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Alert && ((Alert) o).level == level && ((Alert) o).description == description;
        }

        @Override
        public int hashCode() {
            return level * 256 + description;
        }

        @Override
        public String toString() {
            return (level == AlertLevel.fatal ? "fatal " : level == AlertLevel.warning ? "warning " : "level " + level
                    + " ") + AlertDescription.getText((short) description);
        }
    }

    /** One record: 5-byte header then {@code body}. */
    public static byte[] record(int type, int version, byte[] body) {
        byte[] r = new byte[5 + body.length];
        r[0] = (byte) type;
        r[1] = (byte) (version >>> 8);
        r[2] = (byte) version;
        r[3] = (byte) (body.length >>> 8);
        r[4] = (byte) body.length;
        System.arraycopy(body, 0, r, 5, body.length);
        return r;
    }

    /** {@code body} split into records of at most 2^14 bytes, as a TLS stack fragments a large message. */
    public static byte[] records(int type, int version, byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 5 * (body.length / 16384 + 1));
        int off = 0;
        do {
            int n = Math.min(16384, body.length - off);
            byte[] fragment = new byte[n];
            System.arraycopy(body, off, fragment, 0, n);
            out.write(record(type, version, fragment), 0, n + 5);
            off += n;
        } while (off < body.length);
        return out.toByteArray();
    }

    /** A handshake message: type, 24-bit length, body (RFC 8446 section 4). */
    public static byte[] handshake(int type, byte[] body) {
        byte[] m = new byte[4 + body.length];
        m[0] = (byte) type;
        m[1] = (byte) (body.length >>> 16);
        m[2] = (byte) (body.length >>> 8);
        m[3] = (byte) body.length;
        System.arraycopy(body, 0, m, 4, body.length);
        return m;
    }

    public static byte[] hex(String hex) {
        String h = hex.replace(" ", "");
        byte[] b = new byte[h.length() / 2];
        for (int i = 0; i < b.length; i++) b[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
        return b;
    }

    /** Whole records in {@code stream}, in order; a trailing partial record is left out. */
    public static List<Record> parse(byte[] stream) {
        List<Record> out = new ArrayList<>();
        int off = 0;
        while (off + 5 <= stream.length) {
            int length = (stream[off + 3] & 0xff) << 8 | (stream[off + 4] & 0xff);
            if (off + 5 + length > stream.length) break;
            byte[] body = new byte[length];
            System.arraycopy(stream, off + 5, body, 0, length);
            out.add(new Record(stream[off] & 0xff, (stream[off + 1] & 0xff) << 8 | (stream[off + 2] & 0xff), body));
            off += 5 + length;
        }
        return out;
    }

    /**
     * The alerts sent in the clear: records of type alert with a 2-byte body (an encrypted TLS 1.2 alert has a
     * longer body; a TLS 1.3 one travels as application_data).
     */
    public static List<Alert> plaintextAlerts(byte[] stream) {
        List<Alert> out = new ArrayList<>();
        for (Record r : parse(stream)) {
            if (r.type == ALERT && r.body.length == 2) out.add(new Alert(r.body[0] & 0xff, r.body[1] & 0xff));
        }
        return out;
    }

    /**
     * Reads until end of stream, a reset, or {@code timeoutMs} (the socket's read timeout is changed); returns all
     * bytes read. A reset after the peer's last bytes loses nothing already received.
     */
    public static byte[] readToEnd(Socket socket, long timeoutMs) throws IOException {
        return read(socket, Integer.MAX_VALUE, timeoutMs);
    }

    /** As {@link #readToEnd}, but stops as soon as {@code records} whole records have arrived. */
    public static byte[] read(Socket socket, int records, long timeoutMs) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        InputStream in = socket.getInputStream();
        byte[] buf = new byte[4096];
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) return got.toByteArray();
            socket.setSoTimeout((int) Math.max(1, left));
            int n;
            try {
                n = in.read(buf);
            } catch (SocketTimeoutException e) {
                return got.toByteArray();
            } catch (SocketException e) {
                return got.toByteArray(); // reset by peer: what arrived before it is all there is
            }
            if (n < 0) return got.toByteArray();
            got.write(buf, 0, n);
            if (records != Integer.MAX_VALUE && parse(got.toByteArray()).size() >= records) return got.toByteArray();
        }
    }
}
