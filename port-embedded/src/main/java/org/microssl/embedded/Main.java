package org.microssl.embedded;

import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;

import org.microssl.Clocks;
import org.microssl.SSLContext;
import org.microssl.SSLSocket;
import org.microssl.Session;
import org.microssl.Ssl;
import org.microssl.SslException;
import org.microssl.DatagramSocketTransport;
import org.microssl.StreamTransport;
import org.microssl.x509.CertificateRejectedException;

/**
 * The embedded command-line client: {@code java -jar microssl-embedded.jar client HOST PORT ...}. It prints what
 * the desktop tool's client prints ({@code protocol=… cipher=…}, {@code peer=<subject>}, then what the server
 * sends; {@code error: <REASON>: <detail>} on stderr and exit 1 on failure), but uses only the embedded port's
 * pieces: a {@link StreamTransport} over the socket's streams, an {@link RtcClock} (set by {@code --time}, by
 * {@code --sntp}, or from the system clock if that reads after microssl's build date), the device entropy adapter
 * over {@code /dev/urandom} where there is one, and the pure-Java crypto backend.
 */
public final class Main {

    static final String USAGE = "usage: java -jar microssl-embedded.jar client HOST PORT [--cadata F.der] [--anchors F] "
        + "[--cert F --key F]\n"
        + "           [--servername NAME] [--time EPOCH_SECONDS | --sntp HOST[:PORT]] [--mfl 512|1024|2048|4096]\n"
        + "           [--verify none|optional|required] [--send TEXT] [--timeout S] [--session-in F] [--session-out F]\n"
        + "           [--alpn A,B] [--psk-identity ID --psk HEX]\n"
        + "       java -jar microssl-embedded.jar client --stdio [HOST] [--servername NAME] [same options]\n"
        + "       java -jar microssl-embedded.jar ta BUNDLE.pem > anchors.bin\n"
        + "--verify defaults to required (with the CAs of --cadata, or the compact anchors of --anchors as ta writes\n"
        + "them: a device has no system trust store), --servername\n"
        + "to HOST. --send TEXT is sent after the handshake (\\n, \\r, \\t, \\\\ escapes), then everything the server\n"
        + "sends is printed until it closes. --timeout S (default 30) bounds the connect, the handshake and each\n"
        + "wait for the server's data. --alpn A,B offers application protocols and prints alpn=X. --psk-identity ID\n"
        + "--psk HEX: an external pre-shared key (TLS 1.3 psk_dhe_ke, TLS 1.2 ECDHE_PSK): no certificate needed.\n"
        + "--session-in F offers the session saved in F (none if F does not exist) and prints resumed=yes|no;\n"
        + "--session-out F saves this connection's session there (secret: it holds the session's key). The same\n"
        + "F for both carries a device's session from one wake-up to the next.\n"
        + "--stdio: the TLS stream is stdin/stdout, connected by the caller (socat, inetd, a shell's /dev/tcp); HOST\n"
        + "then only names the server (as --servername does), and every report line goes to stderr.\n"
        + "--dtls: DTLS 1.2 over UDP; --send TEXT is one datagram, then what arrives is printed until the server\n"
        + "closes or --timeout passes without a datagram; with --psk-identity/--psk, TLS_PSK_WITH_AES_128_CCM_8\n"
        + "(CoAP's suite) is offered first. --mtu N (default 1232) bounds each datagram.";

    private Main() {
    }

    public static void main(String[] args) {
        int rc = run(args, System.out, System.err);
        System.out.flush();
        System.exit(rc);
    }

    /** Bad command-line input: {@code error: USAGE: <message>}. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            if (args.length > 0 && "ta".equals(args[0])) {
                return TaCommand.run(args, out, err);
            }
            if (args.length == 0 || !"client".equals(args[0])) {
                throw new UsageException(args.length == 0 ? "no command" : "unknown command " + args[0]);
            }
            Options o = parse(args);
            if (o.stdio) {
                // stdout carries TLS records: every line for the person goes to stderr
                out = err;
            }
            client(o, out);
            return 0;
        } catch (UsageException e) {
            err.println("error: USAGE: " + e.getMessage());
            err.println(USAGE);
        } catch (SntpException e) {
            // the RTC could not be set, so no certificate date can be checked
            err.println("error: CLOCK_NOT_SET: " + e.getMessage());
        } catch (Exception e) {
            err.println(errorLine(e));
        }
        return 1;
    }

    /**
     * {@code error: <REASON>: <detail>}, with the desktop tool's reasons: the validator's Reason, the TLS Failure,
     * or INVALID_CERT, INVALID_KEY, CONFIG, CONNECT, IO, INTERNAL.
     */
    static String errorLine(Exception e) {
        if (e instanceof SslException && ((SslException) e).rejection() != null) e = ((SslException) e).rejection();
        if (e instanceof CertificateRejectedException) {
            CertificateRejectedException c = (CertificateRejectedException) e;
            return "error: " + c.reason() + ": " + withoutPrefix(c.getMessage(), c.reason().name());
        }
        if (e instanceof SslException) {
            SslException s = (SslException) e;
            return "error: " + s.failure() + ": " + withoutPrefix(s.getMessage(), s.failure().name());
        }
        if (e instanceof IllegalArgumentException) {
            String m = String.valueOf(e.getMessage());
            if (m.startsWith("invalid cert: ")) {
                return "error: INVALID_CERT: " + m.substring("invalid cert: ".length());
            }
            if (m.startsWith("invalid key: ")) {
                return "error: INVALID_KEY: " + m.substring("invalid key: ".length());
            }
            return "error: CONFIG: " + m;
        }
        if (e instanceof ConnectFailure) {
            return "error: CONNECT: " + e.getMessage();
        }
        if (e instanceof IOException) {
            return "error: IO: " + e.getMessage();
        }
        return "error: INTERNAL: " + e;
    }

    /** The TCP connection could not be made (no TLS was spoken). */
    static final class ConnectFailure extends IOException {
        private static final long serialVersionUID = 1L;

        ConnectFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The exceptions' messages start with their reason; the error line names it once. */
    private static String withoutPrefix(String message, String reason) {
        String prefix = reason + ": ";
        return message != null && message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }

    static final class Options {
        String host;
        int port;
        String cadata;
        /** Compact trust anchors, as the ta command writes them. */
        String anchors;
        String cert;
        String key;
        String servername;
        Long time;
        String sntp;
        int mfl;
        int verify = Ssl.CERT_REQUIRED;
        String send;
        int timeout = 30;
        String sessionIn;
        String sessionOut;
        String[] alpn;
        String pskIdentity;
        byte[] psk;
        /** The TLS stream is stdin/stdout ({@link StdioConnection}): no java.net at all. */
        boolean stdio;
        /** DTLS 1.2 over UDP (issue 15), and its MTU. */
        boolean dtls;
        int mtu = 1232;
    }

    static Options parse(String[] args) throws UsageException {
        Options o = new Options();
        java.util.List<String> positional = new java.util.ArrayList<String>();
        java.util.Set<String> seen = new java.util.HashSet<String>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                positional.add(a);
                continue;
            }
            if (!seen.add(a)) {
                throw new UsageException(a + " given twice");
            }
            if ("--dtls".equals(a)) {
                o.dtls = true;
                continue;
            }
            if ("--stdio".equals(a)) {
                o.stdio = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new UsageException(a + " needs a value");
            }
            String v = args[++i];
            if ("--cadata".equals(a)) {
                o.cadata = v;
            } else if ("--anchors".equals(a)) {
                o.anchors = v;
            } else if ("--cert".equals(a)) {
                o.cert = v;
            } else if ("--key".equals(a)) {
                o.key = v;
            } else if ("--servername".equals(a)) {
                o.servername = v;
            } else if ("--mtu".equals(a)) {
                DtlsClientCommand.mtu(o, v);
            } else if ("--send".equals(a)) {
                o.send = unescape(v);
            } else if ("--session-in".equals(a)) {
                o.sessionIn = v;
            } else if ("--session-out".equals(a)) {
                o.sessionOut = v;
            } else if ("--sntp".equals(a)) {
                o.sntp = v;
            } else if ("--time".equals(a)) {
                try {
                    o.time = Long.parseLong(v);
                } catch (NumberFormatException e) {
                    throw new UsageException("--time takes seconds since 1970-01-01T00:00:00Z, not " + v);
                }
                if (o.time < 0) {
                    throw new UsageException("--time must not be negative: " + v);
                }
            } else if ("--timeout".equals(a)) {
                try {
                    o.timeout = Integer.parseInt(v);
                } catch (NumberFormatException e) {
                    o.timeout = -1;
                }
                if (o.timeout <= 0) throw new UsageException("--timeout takes a positive whole number, not " + v);
            } else if ("--mfl".equals(a)) {
                if (!"512".equals(v) && !"1024".equals(v) && !"2048".equals(v) && !"4096".equals(v)) {
                    throw new UsageException("--mfl must be 512, 1024, 2048 or 4096, not " + v);
                }
                o.mfl = Integer.parseInt(v);
            } else if ("--verify".equals(a)) {
                if ("none".equals(v)) {
                    o.verify = Ssl.CERT_NONE;
                } else if ("optional".equals(v)) {
                    o.verify = Ssl.CERT_OPTIONAL;
                } else if ("required".equals(v)) {
                    o.verify = Ssl.CERT_REQUIRED;
                } else {
                    throw new UsageException("--verify must be none, optional or required, not " + v);
                }
            } else if ("--alpn".equals(a)) {
                o.alpn = v.split(",", -1);
            } else if ("--psk-identity".equals(a)) {
                o.pskIdentity = v;
            } else if ("--psk".equals(a)) {
                o.psk = hexKey(v);
            } else {
                throw new UsageException("unknown option " + a + " for client");
            }
        }
        if (o.stdio) {
            if (positional.size() > 1) {
                throw new UsageException("client --stdio takes at most HOST (the caller connects), got "
                    + join(positional));
            }
            if (o.sntp != null) {
                throw new UsageException("--sntp needs the network; with --stdio set the clock with --time");
            }
            o.host = positional.isEmpty() ? o.servername : positional.get(0);
            if (o.host == null && o.verify == Ssl.CERT_REQUIRED) {
                throw new UsageException("client --stdio needs HOST or --servername: the name to verify");
            }
        } else if (positional.size() != 2) {
            throw new UsageException("client takes HOST PORT, got "
                + (positional.isEmpty() ? "nothing" : join(positional)));
        } else {
            o.host = positional.get(0);
            o.port = parsePort(positional.get(1));
        }
        if ((o.cert == null) != (o.key == null)) {
            throw new UsageException(o.cert == null ? "--key needs --cert" : "--cert needs --key");
        }
        if ((o.pskIdentity == null) != (o.psk == null)) {
            throw new UsageException(o.psk == null ? "--psk-identity needs --psk" : "--psk needs --psk-identity");
        }
        if (o.time != null && o.sntp != null) {
            throw new UsageException("--time and --sntp both set the clock: give one");
        }
        if (o.servername == null) {
            o.servername = o.host;
        }
        DtlsClientCommand.check(o);
        return o;
    }

    static void client(Options o, PrintStream out) throws IOException, UsageException {
        RtcClock rtc = new RtcClock();
        SSLContext ctx = new SSLContext(o.dtls ? Ssl.PROTOCOL_DTLS_CLIENT : Ssl.PROTOCOL_TLS_CLIENT);
        ctx.setClock(rtc);
        ctx.setVerifyMode(o.verify);
        Session offered = readSession(o.sessionIn); // bad input is refused before any I/O
        InputStreamEntropySource trng = deviceEntropy();
        if (trng != null) {
            ctx.setEntropySource(trng);
        }
        if (o.cadata != null) {
            ctx.loadVerifyLocations(readFile(o.cadata, "--cadata"));
        }
        if (o.anchors != null) {
            ctx.loadTrustAnchors(readFile(o.anchors, "--anchors"));
        }
        if (o.cert != null) {
            ctx.loadCertChain(o.cert, o.key);
        }
        if (o.mfl != 0) {
            ctx.setMaxFragmentLength(o.mfl);
        }
        if (o.alpn != null) {
            ctx.setAlpnProtocols(o.alpn);
        }
        if (o.psk != null) {
            ctx.setPskIdentity(o.pskIdentity);
            ctx.setPskKey(o.psk);
        }
        if (o.time != null) {
            rtc.setEpochMillis(o.time * 1000L);
        } else if (o.sntp != null) {
            syncClock(rtc, o.sntp, trng);
        } else if (Clocks.system().currentTimeMillis() != org.microssl.spi.Clock.TIME_UNKNOWN) {
            rtc.setEpochMillis(System.currentTimeMillis());
        }
        if (o.dtls) {
            DtlsClientCommand.run(ctx, o, out);
            return;
        }
        ctx.setHandshakeTimeout(o.timeout * 1000L);
        // java.net is touched in Tcp only, so a --stdio run never loads it (nor the JDK's lambda bootstrap it brings)
        StdioConnection stdio = o.stdio ? StdioConnection.open(o.timeout * 1000L) : null;
        StreamTransport transport = stdio != null ? stdio.transport() : Tcp.connect(o);
        SSLSocket tls;
        try {
            if (stdio != null) stdio.arm(); // the handshake, within --timeout
            tls = ctx.wrapSocket(transport, o.servername, offered);
        } catch (IOException | RuntimeException e) {
            transport.close();
            throw e;
        }
        try {
            String[] cipher = tls.cipher();
            out.println("protocol=" + tls.version() + " cipher=" + cipher[0]);
            if (o.sessionIn != null) {
                out.println("resumed=" + (tls.sessionReused() ? "yes" : "no"));
            }
            byte[] peer = (byte[]) tls.getpeercert(true);
            // as the desktop client prints it (BouncyCastle's X500Name form)
            out.println("peer=" + (peer == null ? "none"
                : org.bouncycastle.asn1.x509.Certificate.getInstance(peer).getSubject().toString()));
            if (o.alpn != null) {
                String alpn = tls.selectedAlpnProtocol();
                out.println("alpn=" + (alpn == null ? "none" : alpn));
            }
            out.flush();
            if (o.send != null) {
                tls.write(o.send.getBytes("UTF-8"));
            }
            byte[] buf = new byte[2048];
            while (true) {
                if (stdio != null) stdio.arm(); // each wait for the server's data, within --timeout
                Integer n = tls.recvInto(buf); // print what arrives as it arrives
                if (n == null || n == 0) {
                    break;
                }
                out.write(buf, 0, n);
                out.flush();
            }
            if (o.sessionOut != null) {
                writeSession(tls.session(), o.sessionOut);
            }
        } finally {
            if (stdio != null) stdio.disarm();
            tls.close();
        }
    }

    /** The session saved in {@code path}, or null if there is none yet (the first wake-up). */
    private static Session readSession(String path) throws UsageException {
        if (path == null || !new File(path).exists()) {
            return null;
        }
        try {
            return Session.fromBytes(readFile(path, "--session-in"));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--session-in " + path + ": " + e.getMessage());
        }
    }

    /** Writes the session's bytes (secret) beside {@code path}, then renames: a power cut keeps one or the other. */
    private static void writeSession(Session session, String path) throws IOException {
        if (session == null) {
            return; // the server gave nothing resumable: the next wake-up does a full handshake
        }
        File target = new File(path);
        File tmp = new File(target.getPath() + ".tmp");
        FileOutputStream out = new FileOutputStream(tmp);
        try {
            out.write(session.toBytes());
        } finally {
            out.close();
        }
        tmp.setReadable(false, false);
        tmp.setReadable(true, true);
        tmp.setWritable(false, false);
        tmp.setWritable(true, true);
        if (!tmp.renameTo(target)) {
            tmp.delete();
            throw new IOException("cannot write the session file " + path);
        }
    }

    /** --psk: the key in hex; the message never quotes it. */
    static byte[] hexKey(String hex) throws UsageException {
        if (hex.isEmpty() || hex.length() % 2 != 0) {
            throw new UsageException("--psk must be an even number of hex digits, at least 2 (" + hex.length()
                + " given)");
        }
        byte[] key = new byte[hex.length() / 2];
        for (int i = 0; i < hex.length(); i++) {
            int d = Character.digit(hex.charAt(i), 16);
            if (d < 0) {
                throw new UsageException("--psk has a character that is not a hex digit at position " + (i + 1));
            }
            key[i / 2] |= (byte) (i % 2 == 0 ? d << 4 : d);
        }
        return key;
    }

    /** The TCP connection of the plain (not --stdio) client: the only code that touches java.net. */
    static final class Tcp {
        private Tcp() {
        }

        static StreamTransport connect(Options o) throws IOException {
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(o.host, o.port), o.timeout * 1000);
            } catch (IOException e) {
                socket.close();
                throw new ConnectFailure("cannot connect to " + o.host + ":" + o.port + ": " + e.getMessage(), e);
            }
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(o.timeout * 1000); // each wait for the server's data
            return new StreamTransport(socket);
        }
    }

    private static InputStreamEntropySource deviceEntropy() throws IOException {
        File urandom = new File("/dev/urandom");
        return urandom.canRead() ? InputStreamEntropySource.open(urandom.getPath()) : null;
    }

    private static void syncClock(RtcClock rtc, String server, InputStreamEntropySource trng) throws IOException {
        int colon = server.lastIndexOf(':');
        String host = colon > 0 ? server.substring(0, colon) : server;
        int port = SntpClient.NTP_PORT;
        if (colon > 0) {
            try {
                port = Integer.parseInt(server.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
        }
        if (port < 1 || port > 65535 || trng == null) {
            throw new SntpException(trng == null ? "no entropy source for the SNTP nonce"
                : "bad SNTP server " + server);
        }
        try (DatagramSocketTransport udp = DatagramSocketTransport.open(host, port)) {
            new SntpClient(udp, trng).sync(rtc);
        }
    }

    private static byte[] readFile(String path, String option) throws UsageException {
        try (InputStream in = new FileInputStream(path)) {
            return org.bouncycastle.util.io.Streams.readAll(in);
        } catch (IOException e) {
            throw new UsageException(option + ": cannot read " + path + ": " + e.getMessage());
        }
    }

    private static int parsePort(String s) throws UsageException {
        try {
            int p = Integer.parseInt(s);
            if (p >= 1 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("PORT must be 1..65535, not " + s);
    }

    private static String join(java.util.List<String> parts) {
        StringBuilder sb = new StringBuilder();
        for (String p : parts) {
            sb.append(sb.length() == 0 ? "" : " ").append(p);
        }
        return sb.toString();
    }

    static String unescape(String s) throws UsageException {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (++i >= s.length()) {
                throw new UsageException("--send ends with a lone backslash");
            }
            char e = s.charAt(i);
            if (e == 'n') {
                sb.append('\n');
            } else if (e == 'r') {
                sb.append('\r');
            } else if (e == 't') {
                sb.append('\t');
            } else if (e == '\\') {
                sb.append('\\');
            } else {
                throw new UsageException("--send has an unknown escape \\" + e);
            }
        }
        return sb.toString();
    }
}
