package org.microssl.internal;

/** A peer's bytes (a PSK identity, an ALPN name) shown in a message: quoted text if printable ASCII, else hex. */
final class Printable {
    private Printable() {}

    /** At most {@code max} bytes are shown; the rest is counted. */
    static String text(byte[] bytes, int max) {
        int shown = Math.min(bytes.length, max);
        boolean printable = true;
        for (int i = 0; i < shown; i++) printable &= bytes[i] >= 0x20 && bytes[i] < 0x7f;
        StringBuilder sb = new StringBuilder();
        if (printable) {
            sb.append('\'');
            for (int i = 0; i < shown; i++) sb.append((char) bytes[i]);
            sb.append('\'');
        } else {
            sb.append("0x");
            for (int i = 0; i < shown; i++) sb.append(String.format("%02x", bytes[i] & 0xff));
        }
        if (shown < bytes.length) sb.append("... (").append(bytes.length).append(" bytes)");
        return sb.toString();
    }
}
