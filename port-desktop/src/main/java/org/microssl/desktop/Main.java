package org.microssl.desktop;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Semaphore;

import org.bouncycastle.asn1.x509.Certificate;
import org.microssl.Backends;
import org.microssl.Clocks;
import org.microssl.SSLContext;
import org.microssl.SSLSocket;
import org.microssl.Session;
import org.microssl.Ssl;
import org.microssl.SslException;
import org.microssl.desktop.CliOptions.UsageException;
import org.microssl.desktop.limbo.LimboHarness;
import org.microssl.x509.CertificateRejectedException;
import org.microssl.x509.Names;

/**
 * {@code java -jar microssl.jar client|server|x509|check|demo|limbo}. Success output goes to stdout; every failure
 * is one line {@code error: <REASON>: <detail>} on stderr and exit status 1, where REASON is the validator's
 * {@link org.microssl.x509.Reason} for a rejected certificate, the {@link SslException.Failure} for a TLS failure,
 * or one of {@code USAGE}, {@code INVALID_CERT}, {@code INVALID_KEY}, {@code INVALID_CRL}, {@code CONFIG},
 * {@code CONNECT}, {@code IO}, {@code INTERNAL}. {@code check} exits with the Nagios plugin codes instead.
 */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        int status = run(args, System.in, System.out, System.err);
        System.out.flush();
        System.exit(status);
    }

    /** The whole tool, testable in-process. @return the exit status */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        if (args.length == 0) return usageError(err, "no command given", CliOptions.USAGE);
        try {
            switch (args[0]) {
                case "client":
                    return client(CliOptions.parse("client", args, 1), in, out, err);
                case "server":
                    return server(CliOptions.parse("server", args, 1), out, err);
                case "gateway":
                    return GatewayCommand.run(CliOptions.parse("gateway", args, 1), out, err);
                case "x509":
                    return X509Command.run(CliOptions.parse("x509", args, 1), out, err);
                case "check":
                    return CheckCommand.run(CliOptions.parse("check", args, 1), out);
                case "demo":
                    if (args.length != 1) throw new UsageException("demo takes no arguments");
                    return Demo.run(out);
                case "ta":
                    return TaCommand.run(args, out, err);
                case "limbo":
                    return LimboHarness.run(java.util.Arrays.copyOfRange(args, 1, args.length), in, out);
                case "help": case "-h": case "--help":
                    out.println(CliOptions.USAGE);
                    return 0;
                default:
                    return usageError(err, "unknown command " + args[0], CliOptions.USAGE);
            }
        } catch (CliOptions.HelpRequested e) {
            out.println(e.usage);
            return 0;
        } catch (UsageException e) {
            if (args[0].equals("check")) {
                // a monitoring system shows the first line: keep the plugin convention even for a bad command line
                out.println("SSL UNKNOWN - " + e.getMessage());
                err.println(CliOptions.usage("check"));
                return CheckCommand.UNKNOWN;
            }
            return usageError(err, e.getMessage(), CliOptions.usage(args[0]));
        } catch (Exception e) {
            err.println(errorLine(e));
            return 1;
        }
    }

    private static int usageError(PrintStream err, String message, String usage) {
        err.println("error: USAGE: " + message);
        err.println(usage);
        return 1;
    }

    /** {@code error: <REASON>: <detail>} for any failure. */
    static String errorLine(Throwable e) {
        if (e instanceof SslException && ((SslException) e).rejection() != null) e = ((SslException) e).rejection();
        if (e instanceof CertificateRejectedException) {
            CertificateRejectedException c = (CertificateRejectedException) e;
            return "error: " + c.reason().name() + ": " + withoutPrefix(c.getMessage(), c.reason().name());
        }
        if (e instanceof SslException) {
            SslException s = (SslException) e;
            return "error: " + s.failure().name() + ": " + withoutPrefix(s.getMessage(), s.failure().name());
        }
        if (e instanceof IllegalArgumentException) {
            String m = String.valueOf(e.getMessage());
            if (m.startsWith("invalid cert: ")) return "error: INVALID_CERT: " + m.substring("invalid cert: ".length());
            if (m.startsWith("invalid key: ")) return "error: INVALID_KEY: " + m.substring("invalid key: ".length());
            if (m.startsWith("invalid crl: ")) return "error: INVALID_CRL: " + m.substring("invalid crl: ".length());
            return "error: CONFIG: " + m;
        }
        if (e instanceof java.io.UncheckedIOException) return "error: IO: " + e.getMessage();
        if (e instanceof ConnectFailure) return "error: CONNECT: " + e.getMessage();
        if (e instanceof IOException) return "error: IO: " + e.getMessage();
        return "error: INTERNAL: " + e; // a bug: the class name helps the report
    }

    private static String withoutPrefix(String message, String reason) {
        String prefix = reason + ": ";
        return message != null && message.startsWith(prefix) ? message.substring(prefix.length()) : String.valueOf(message);
    }

    /** The TCP connection could not be made (no TLS was spoken). */
    static final class ConnectFailure extends IOException {
        private static final long serialVersionUID = 1L;

        ConnectFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    // ------------------------------------------------------------------------------------------ client

    private static int client(CliOptions o, InputStream in, PrintStream out, PrintStream err) throws IOException {
        if (o.dtls) return DtlsCommand.client(o, in, out, err);
        SSLContext ctx = new SSLContext(Ssl.PROTOCOL_TLS_CLIENT);
        configureCommon(ctx, o);
        if (o.cafile == null && o.cadata == null && ctx.getVerifyMode() != Ssl.CERT_NONE) ctx.loadDefaultCerts();
        String serverName = o.servername != null ? o.servername : o.host;
        if (serverName.isEmpty() && ctx.getVerifyMode() == Ssl.CERT_REQUIRED) {
            // as MicroPython: refuse before any I/O rather than connect to a server we could not check
            throw new IllegalArgumentException("CERT_REQUIRED requires serverHostname (--servername)");
        }

        Socket sock = new Socket();
        try {
            try {
                sock.connect(new InetSocketAddress(o.host, o.port), o.timeout * 1000);
            } catch (IOException e) {
                throw new ConnectFailure(o.host + ":" + o.port + ": " + e.getMessage(), e);
            }
            sock.setSoTimeout(o.timeout * 1000); // each wait for the server's data
            ctx.setHandshakeTimeout(o.timeout * 1000L);
            Session offered = o.sessionIn == null ? null : SessionFiles.read(o.sessionIn, err);
            SSLSocket tls = ctx.wrapSocket(sock, serverName, offered);
            String[] cipher = tls.cipher();
            out.println("protocol=" + tls.version() + " cipher=" + cipher[0]);
            if (o.sessionIn != null) SessionFiles.printResumed(tls, out, err);
            out.println("peer=" + subjectOf((byte[]) tls.getpeercert(true)));
            if (o.alpn != null) {
                String alpn = tls.selectedAlpnProtocol();
                out.println("alpn=" + (alpn == null ? "none" : alpn));
            }
            if (o.showcerts) printChain(tls.getPeerCertChain(), out);
            out.flush();
            if (ctx.getVerifyMode() == Ssl.CERT_NONE) {
                err.println("warning: --verify none: the server's certificate was NOT checked; anyone could be on "
                        + "the other end");
            }
            if (o.send != null) {
                tls.write(o.send.getBytes(StandardCharsets.UTF_8));
            } else {
                forwardStdin(in, tls, err);
            }
            // RFC 8446 section 6.1: the server's close_notify is the end; EOF without it is TRUNCATED (an error),
            // but after data, a warning: many servers (MicroPython's mbedTLS port among them) never send it
            long received = 0;
            try {
                byte[] chunk;
                while ((chunk = tls.recv(16384)).length > 0) {
                    out.write(chunk, 0, chunk.length);
                    out.flush();
                    received += chunk.length;
                }
            } catch (SslException e) {
                if (!isRaggedEnd(e) || received == 0) throw e;
                err.println("warning: the server closed the connection without close_notify after " + received
                        + " bytes: the data may be incomplete (RFC 8446 section 6.1)");
                if (o.sessionOut != null) SessionFiles.write(tls, o.sessionOut, err);
                return 0;
            }
            if (o.sessionOut != null) SessionFiles.write(tls, o.sessionOut, err);
            tls.close();
            return 0;
        } finally {
            sock.close();
        }
    }

    /** A TCP end without close_notify between records after the handshake (not in the middle of a record). */
    static boolean isRaggedEnd(SslException e) {
        return e.failure() == SslException.Failure.TRUNCATED
                && !String.valueOf(e.getMessage()).contains("during the handshake")
                && !String.valueOf(e.getMessage()).contains("in the middle of a record");
    }

    /**
     * As openssl s_client: what arrives on stdin goes to the server, from a thread of its own, while this one
     * prints what the server sends. At the end of stdin nothing more is sent; the connection ends when the server
     * closes it (or --timeout passes without data).
     */
    private static void forwardStdin(InputStream in, SSLSocket tls, PrintStream err) {
        Thread forwarder = new Thread(() -> {
            byte[] buf = new byte[4096];
            try {
                int n;
                while ((n = in.read(buf)) > 0) tls.write(buf, 0, n);
            } catch (SslException e) {
                // the connection failed: the reading side reports it
            } catch (IOException e) {
                err.println("warning: reading stdin failed: " + e.getMessage());
            }
        }, "microssl-stdin");
        forwarder.setDaemon(true);
        forwarder.start();
    }

    /** Each certificate as openssl s_client -showcerts prints them: depth, subject, issuer, then the PEM. */
    static void printChain(List<byte[]> chain, PrintStream out) {
        if (chain == null) {
            out.println("no peer certificate");
            return;
        }
        for (int i = 0; i < chain.size(); i++) {
            Certificate c = Certificate.getInstance(chain.get(i));
            out.println(i + " s:" + Names.rfc4514(c.getSubject()));
            out.println("  i:" + Names.rfc4514(c.getIssuer()));
            out.print(pem(chain.get(i)));
        }
    }

    static String pem(byte[] der) {
        return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END CERTIFICATE-----\n";
    }

    /** The subject as RFC 4514 text, or "none" if the peer sent no certificate. */
    static String subjectOf(byte[] der) {
        return der == null ? "none" : Certificate.getInstance(der).getSubject().toString();
    }

    static void configureCommon(SSLContext ctx, CliOptions o) throws IOException {
        if (o.backend.equals("jca")) ctx.setCryptoBackend(Backends.jca());
        if (o.verify != null) ctx.setVerifyMode(verifyMode(o.verify));
        if (o.cafile != null) ctx.loadVerifyLocations(o.cafile, null);
        if (o.cadata != null) {
            byte[] data;
            try {
                data = Files.readAllBytes(Paths.get(o.cadata));
            } catch (IOException e) {
                throw new IllegalArgumentException("invalid cert: cannot read --cadata file " + o.cadata + ": " + e.getMessage());
            }
            ctx.loadVerifyLocations(null, data);
        }
        if (o.cert != null) ctx.loadCertChain(o.cert, o.key, o.password());
        if (o.p12 != null) ctx.loadPkcs12(o.p12, o.password());
        if (o.time != null) ctx.setClock(Clocks.fixed(o.time * 1000L));
        if (o.ciphers != null) ctx.setCiphers(o.ciphers.toArray(new String[0]));
        if (o.alpn != null) ctx.setAlpnProtocols(o.alpn.toArray(new String[0]));
        if (o.psk != null) {
            ctx.setPskIdentity(o.pskIdentity);
            ctx.setPskKey(o.pskKey());
        }
        if (o.tls != null) {
            int v = o.tls.equals("1.2") ? Ssl.TLSv1_2 : Ssl.TLSv1_3;
            ctx.setMinimumVersion(v);
            ctx.setMaximumVersion(v);
        }
    }

    private static int verifyMode(String name) {
        switch (name) {
            case "none": return Ssl.CERT_NONE;
            case "optional": return Ssl.CERT_OPTIONAL;
            default: return Ssl.CERT_REQUIRED;
        }
    }

    // ------------------------------------------------------------------------------------------ server

    private static int server(CliOptions o, PrintStream out, PrintStream err) throws IOException {
        if (o.dtls) return DtlsCommand.server(o, out, err);
        SSLContext ctx = new SSLContext(Ssl.PROTOCOL_TLS_SERVER);
        configureCommon(ctx, o);
        if (o.noTickets) ctx.setSessionTickets(false);
        if (ctx.getVerifyMode() != Ssl.CERT_NONE && o.cafile == null && o.cadata == null) {
            // the system's web CAs do not issue client certificates: a server must name the CAs it accepts
            throw new IllegalArgumentException("--verify " + o.verify + " needs --cafile or --cadata: the CAs that "
                    + "issue client certificates");
        }
        ctx.setHandshakeTimeout(o.handshakeTimeout * 1000L);
        try (ServerSocket listener = new ServerSocket()) {
            listener.setReuseAddress(true);
            listener.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), o.port), 128);
            out.println("listening port=" + listener.getLocalPort());
            out.flush();
            if (o.once) {
                try (Socket sock = listener.accept()) {
                    return serveOne(ctx, sock, o.idleTimeout, out, err) ? 0 : 1;
                }
            }
            // One thread per client, at most --max-conns of them: a client that stalls its handshake is cut at its
            // deadline, an idle one at --idle-timeout, and neither delays the others. Beyond the bound a new
            // connection is closed at once rather than queued behind the stalled ones.
            final Semaphore slots = new Semaphore(o.maxConns);
            while (true) {
                final Socket sock = listener.accept();
                if (!slots.tryAcquire()) {
                    err.println("refused client=" + sock.getRemoteSocketAddress() + ": " + o.maxConns
                            + " connections already (--max-conns)");
                    err.flush();
                    sock.close();
                    continue;
                }
                Thread worker = new Thread(() -> {
                    try (Socket s = sock) {
                        serveOne(ctx, s, o.idleTimeout, out, err);
                    } catch (IOException e) {
                        // closing a finished client's socket; nothing to report
                    } finally {
                        slots.release();
                    }
                }, "microssl-client-" + sock.getRemoteSocketAddress());
                worker.setDaemon(true);
                worker.start();
            }
        }
    }

    /**
     * After a fatal alert, reads what the client still sends for a moment before closing: closing a socket with
     * unread bytes makes the kernel send a reset, which can overtake the alert (RFC 8446 section 6.2). Bounded
     * in time and bytes; it holds only this client's thread.
     */
    private static void linger(Socket sock) {
        try {
            sock.shutdownOutput();
            sock.setSoTimeout(2000);
            java.io.InputStream in = sock.getInputStream();
            byte[] discard = new byte[16384];
            long total = 0;
            int n;
            while (total < (1 << 20) && (n = in.read(discard)) > 0) total += n;
        } catch (IOException e) {
            // gone, or quiet: either way, done
        }
    }

    /** Handshake, then echo until the client's close_notify; a failure is reported and ends this client only. */
    private static boolean serveOne(SSLContext ctx, Socket sock, int idleTimeoutSeconds, PrintStream out,
            PrintStream err) {
        String who = sock.getRemoteSocketAddress().toString();
        try {
            sock.setSoTimeout(idleTimeoutSeconds * 1000); // the handshake has its own deadline within this
            SSLSocket tls = ctx.wrapSocket(sock, true, true, null);
            // one println per report: clients are served concurrently
            out.println("client=" + who + " protocol=" + tls.version() + " cipher=" + tls.cipher()[0]
                    + (tls.serverHostname() != null ? " sni=" + tls.serverHostname() : "")
                    + (tls.selectedAlpnProtocol() != null ? " alpn=" + tls.selectedAlpnProtocol() : "")
                    + (tls.sessionReused() ? " resumed=yes" : "") + System.lineSeparator()
                    + "peer=" + subjectOf((byte[]) tls.getpeercert(true)));
            out.flush();
            byte[] chunk;
            long echoed = 0;
            while ((chunk = tls.recv(16384)).length > 0) {
                tls.write(chunk);
                echoed += chunk.length;
            }
            tls.close();
            out.println("closed client=" + who + " echoed=" + echoed);
            out.flush();
            return true;
        } catch (SocketTimeoutException e) {
            err.println("error: IDLE_TIMEOUT: the client sent nothing for " + idleTimeoutSeconds
                    + " s (--idle-timeout) (client " + who + ")");
            err.flush();
            return false;
        } catch (Exception e) {
            if (e instanceof SocketException && sock.isClosed()) return false;
            if (e instanceof SslException) linger(sock);
            err.println(errorLine(e) + " (client " + who + ")");
            err.flush();
            return false;
        }
    }
}
