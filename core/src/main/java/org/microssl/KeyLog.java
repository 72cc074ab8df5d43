package org.microssl;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * <b>DANGEROUS: for development only.</b> Receives each connection's secrets as NSS key log lines (the
 * {@code SSLKEYLOGFILE} format: {@code CLIENT_RANDOM ...}, {@code CLIENT_TRAFFIC_SECRET_0 ...}), so that Wireshark
 * can decrypt a capture. Anyone who reads these lines can decrypt the connections they belong to, recorded or
 * live; never set one in production. See {@link SSLContext#setDangerousKeyLog}.
 */
public interface KeyLog {

    /** One line, without its line terminator. */
    void log(String line);

    /**
     * Appends each line to {@code path} (created if absent), as CPython's {@code keylog_filename} and curl's
     * {@code SSLKEYLOGFILE} do; Wireshark reads it under Preferences, Protocols, TLS, (Pre)-Master-Secret log.
     */
    static KeyLog appendingTo(final String path) {
        if (path == null) throw new IllegalArgumentException("key log path is null");
        return new KeyLog() {
            @Override
            public synchronized void log(String line) {
                try (OutputStream out = new FileOutputStream(path, true)) {
                    out.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot append to the key log " + path + ": " + e.getMessage(), e);
                }
            }

            @Override
            public String toString() {
                return "KeyLog(" + path + ")";
            }
        };
    }
}
