package org.microssl.desktop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.microssl.testing.Peer;

/**
 * Debian's mosquitto as an MQTT-over-TLS broker for a test: its own instance on a free loopback port, with a
 * configuration written here; the calling test is skipped where mosquitto is not installed ({@code .ci/run}
 * installs it).
 */
final class Mosquitto {
    private Mosquitto() {}

    /** A TLS listener with {@code certChain}/{@code key}, requiring client certificates issued under {@code clientCa}. */
    static Peer requiringClientCertificates(Path dir, Path certChain, Path key, Path clientCa, String tlsVersion)
            throws IOException {
        Peer.assumeInstalled("mosquitto");
        Path home = Files.createTempDirectory(dir, "mosquitto-");
        return Peer.server("mosquitto", home, port -> {
            String conf = String.join("\n",
                    "user root", // as root it would switch to the mosquitto user, who cannot read the test's files
                    "persistence false",
                    "log_dest stderr",
                    "log_type error",
                    "log_type warning",
                    "listener " + port + " 127.0.0.1",
                    "certfile " + certChain.toAbsolutePath(),
                    "keyfile " + key.toAbsolutePath(),
                    "cafile " + clientCa.toAbsolutePath(),
                    "require_certificate true",
                    "tls_version " + tlsVersion,
                    "allow_anonymous true",
                    "");
            try {
                Files.write(home.resolve("mosquitto.conf"), conf.getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Peer.cmd("mosquitto", "-c", home.resolve("mosquitto.conf").toString());
        });
    }

    /** MQTT 3.1.1 CONNECT (clean session, keep-alive 60 s) for {@code clientId}. */
    static byte[] connect(String clientId) {
        byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
        byte[] p = new byte[2 + 10 + 2 + id.length];
        p[0] = 0x10;
        p[1] = (byte) (10 + 2 + id.length);
        byte[] variable = {0, 4, 'M', 'Q', 'T', 'T', 4, 0x02, 0, 60};
        System.arraycopy(variable, 0, p, 2, variable.length);
        p[12] = (byte) (id.length >> 8);
        p[13] = (byte) id.length;
        System.arraycopy(id, 0, p, 14, id.length);
        return p;
    }

    /** CONNACK, session not present, connection accepted. */
    static final byte[] CONNACK_ACCEPTED = {0x20, 0x02, 0x00, 0x00};
}
