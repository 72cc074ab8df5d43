package org.microssl.desktop;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;

import org.microssl.SSLContext;
import org.microssl.Ssl;
import org.microssl.desktop.gateway.Gateway;
import org.microssl.desktop.gateway.MicrosslSessions;

/** {@code microssl.jar gateway PORT ...}: the {@link Gateway} with its echo handler, until stopped. */
final class GatewayCommand {
    private GatewayCommand() {}

    static int run(CliOptions o, PrintStream out, PrintStream err) throws IOException {
        SSLContext ctx = new SSLContext(Ssl.PROTOCOL_TLS_SERVER);
        Main.configureCommon(ctx, o);
        if (ctx.getVerifyMode() != Ssl.CERT_NONE && o.cafile == null && o.cadata == null) {
            throw new IllegalArgumentException("--verify " + o.verify + " needs --cafile or --cadata: the CAs that "
                    + "issue client certificates");
        }
        ctx.setHandshakeTimeout(o.handshakeTimeout * 1000L);
        Gateway.Config config = new Gateway.Config().bindAddress(InetAddress.getByName("0.0.0.0")).port(o.port)
                .maxConnections(o.maxConns).handshakeTimeoutMillis(o.handshakeTimeout * 1000L)
                .idleTimeoutMillis(o.idleTimeout * 1000L).threads(o.threads).log(line -> {
                    synchronized (err) {
                        err.println(line);
                        err.flush();
                    }
                });
        try (Gateway gateway = Gateway.start(new MicrosslSessions(ctx), config)) {
            out.println("listening port=" + gateway.port() + " threads=" + o.threads + " max-conns=" + o.maxConns);
            out.flush();
            Thread hook = new Thread(() -> {
                try {
                    gateway.close();
                } catch (IOException e) {
                    // exiting anyway
                }
            }, "microssl-gateway-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                while (true) Thread.sleep(60_000);
            } catch (InterruptedException stopped) {
                // in-process use (tests): interrupting the thread stops the gateway
                Thread.currentThread().interrupt();
            } finally {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException exiting) {
                    // the JVM is already shutting down: the hook closes it
                }
            }
            out.println("stopped " + gateway.stats());
            return 0;
        }
    }
}
