package org.microssl.desktop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.microssl.testing.Peer;

/**
 * Debian's nginx ({@code nginx-light}) as a TLS server for a test: its own instance, in the foreground, on a free
 * loopback port, with a configuration written here (no /etc/nginx, no /var/log); the calling test is skipped where
 * nginx is not installed ({@code .ci/run} installs it).
 */
final class Nginx {
    private Nginx() {}

    /**
     * Serves {@code certChain} (leaf first, PEM) with {@code key} over TLS 1.2 and 1.3; {@code GET /} answers
     * "hello from nginx".
     */
    static Peer start(Path dir, Path certChain, Path key) throws IOException {
        Peer.assumeInstalled("nginx");
        Path home = Files.createTempDirectory(dir, "nginx-");
        return Peer.server("nginx", home, port -> {
            String conf = String.join("\n",
                    "daemon off;",
                    "master_process off;",
                    "worker_processes 1;",
                    "error_log " + home.resolve("error.log") + " info;",
                    "pid " + home.resolve("nginx.pid") + ";",
                    "events { worker_connections 64; }",
                    "http {",
                    "  access_log off;",
                    "  client_body_temp_path " + home.resolve("body") + ";",
                    "  proxy_temp_path " + home.resolve("proxy") + ";",
                    "  fastcgi_temp_path " + home.resolve("fastcgi") + ";",
                    "  uwsgi_temp_path " + home.resolve("uwsgi") + ";",
                    "  scgi_temp_path " + home.resolve("scgi") + ";",
                    "  server {",
                    "    listen 127.0.0.1:" + port + " ssl;",
                    "    ssl_protocols TLSv1.2 TLSv1.3;",
                    "    ssl_certificate " + certChain.toAbsolutePath() + ";",
                    "    ssl_certificate_key " + key.toAbsolutePath() + ";",
                    "    location / { default_type text/plain; return 200 \"hello from nginx\\n\"; }",
                    "  }",
                    "}",
                    "");
            try {
                Files.write(home.resolve("nginx.conf"), conf.getBytes(StandardCharsets.US_ASCII));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Peer.cmd("nginx", "-e", home.resolve("error.log").toString(), "-p", home.toString(), "-c",
                    home.resolve("nginx.conf").toString());
        });
    }
}
