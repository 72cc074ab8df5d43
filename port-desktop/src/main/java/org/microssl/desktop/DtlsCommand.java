package org.microssl.desktop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import org.microssl.DatagramSocketTransport;
import org.microssl.DtlsServer;
import org.microssl.DtlsSocket;
import org.microssl.SSLContext;
import org.microssl.Ssl;

/** {@code client HOST PORT --dtls} and {@code server PORT --dtls}: DTLS 1.2 over UDP (issue 15). */
final class DtlsCommand {
    private DtlsCommand() {}

    static void checkOptions(CliOptions o) throws CliOptions.UsageException {
        if (!o.dtls) throw new CliOptions.UsageException("--mtu goes with --dtls");
        if (o.mtu < 256 || o.mtu > 65507) throw new CliOptions.UsageException("--mtu must be between 256 and 65507");
        if (o.tls != null) throw new CliOptions.UsageException("--tls does not go with --dtls (DTLS 1.2 only)");
    }

    /** The TLS options apply as they are (certificates, trust, --psk-identity/--psk, --ciphers with DTLS names). */
    private static SSLContext context(CliOptions o, boolean server) throws IOException {
        SSLContext ctx = new SSLContext(server ? Ssl.PROTOCOL_DTLS_SERVER : Ssl.PROTOCOL_DTLS_CLIENT);
        Main.configureCommon(ctx, o);
        return ctx;
    }

    static int client(CliOptions o, InputStream in, PrintStream out, PrintStream err) throws IOException {
        SSLContext ctx = context(o, false);
        boolean psk = o.psk != null;
        if (!psk && o.cafile == null && o.cadata == null && ctx.getVerifyMode() != Ssl.CERT_NONE) ctx.loadDefaultCerts();
        String serverName = o.servername != null ? o.servername : o.host;
        ctx.setHandshakeTimeout(o.timeout * 1000L);
        DatagramSocketTransport udp = DatagramSocketTransport.open(new InetSocketAddress(o.host, o.port), o.mtu);
        try (DtlsSocket s = ctx.wrapDatagram(udp, false, true, psk ? null : serverName, null)) {
            out.println("protocol=" + s.version() + " cipher=" + s.cipher()[0]);
            out.println("peer=" + Main.subjectOf((byte[]) s.getpeercert(true)));
            if (o.showcerts) Main.printChain(s.getPeerCertChain(), out);
            out.flush();
            if (!psk && ctx.getVerifyMode() == Ssl.CERT_NONE) {
                err.println("warning: --verify none: the server's certificate was NOT checked");
            }
            if (o.send != null) {
                s.write(o.send.getBytes(StandardCharsets.UTF_8));
            } else {
                forwardLines(in, s, err);
            }
            s.setTimeout(o.timeout * 1000);
            try {
                byte[] d;
                while ((d = s.recv()).length > 0) {
                    out.write(d, 0, d.length);
                    out.flush();
                }
            } catch (SocketTimeoutException quiet) {
                // no datagram for --timeout: done (UDP has no end of stream)
            }
            return 0;
        }
    }

    /** Each line of stdin, with its newline, as one datagram. */
    private static void forwardLines(InputStream in, final DtlsSocket s, final PrintStream err) {
        final BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        Thread forwarder = new Thread(() -> {
            try {
                String line;
                while ((line = lines.readLine()) != null) s.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                err.println("warning: " + e.getMessage());
            } catch (IOException e) {
                // the connection failed or closed: the reading side reports it
            }
        }, "microssl-stdin");
        forwarder.setDaemon(true);
        forwarder.start();
    }

    static int server(CliOptions o, PrintStream out, PrintStream err) throws IOException {
        SSLContext ctx = context(o, true);
        if (ctx.getVerifyMode() != Ssl.CERT_NONE && o.cafile == null && o.cadata == null) {
            throw new IllegalArgumentException("--verify " + o.verify + " needs --cafile or --cadata");
        }
        ctx.setHandshakeTimeout(o.handshakeTimeout * 1000L);
        DatagramSocket socket = new DatagramSocket(null);
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), o.port));
        try (DtlsServer server = new DtlsServer(ctx, socket, o.mtu)) {
            server.setMaxAssociations(o.maxConns);
            out.println("listening port=" + server.getLocalPort() + " protocol=DTLSv1.2");
            out.flush();
            if (o.once) return serveOne(server.accept(), o.idleTimeout, out, err) ? 0 : 1;
            final AtomicInteger clients = new AtomicInteger();
            while (true) {
                final DtlsSocket s = server.accept();
                Thread t = new Thread(() -> serveOne(s, o.idleTimeout, out, err),
                        "microssl-dtls-client-" + clients.incrementAndGet());
                t.setDaemon(true);
                t.start();
            }
        }
    }

    private static boolean serveOne(DtlsSocket s, int idleTimeoutSeconds, PrintStream out, PrintStream err) {
        String who = clientAddress(s.clientId());
        int echoed = 0;
        try (DtlsSocket c = s) {
            c.doHandshake();
            out.println("client=" + who + " protocol=" + c.version() + " cipher=" + c.cipher()[0] + " peer="
                    + Main.subjectOf((byte[]) c.getpeercert(true)));
            out.flush();
            c.setTimeout(idleTimeoutSeconds * 1000);
            byte[] d;
            while ((d = c.recv()).length > 0) {
                c.write(d);
                echoed += d.length;
            }
            out.println("closed client=" + who + " echoed=" + echoed);
            out.flush();
            return true;
        } catch (SocketTimeoutException e) {
            err.println("error: IDLE_TIMEOUT: the client sent nothing for " + idleTimeoutSeconds + " s (client "
                    + who + ")");
            return false;
        } catch (IOException | RuntimeException e) {
            err.println(Main.errorLine(e) + " (client " + who + ")");
            return false;
        }
    }

    /** clientId is the address bytes then the port, as DtlsServer binds its cookies. */
    static String clientAddress(byte[] id) {
        if (id == null || id.length < 6) return "?";
        try {
            byte[] ip = java.util.Arrays.copyOf(id, id.length - 2);
            int port = ((id[id.length - 2] & 0xff) << 8) | (id[id.length - 1] & 0xff);
            String host = InetAddress.getByAddress(ip).getHostAddress();
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        } catch (IOException e) {
            return "?";
        }
    }
}
