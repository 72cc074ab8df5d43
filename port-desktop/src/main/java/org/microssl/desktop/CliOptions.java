package org.microssl.desktop;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The command line of {@code microssl.jar client|server|gateway|x509|check}, parsed strictly: an unknown option, a missing value or a
 * malformed number is a {@link UsageException} naming it, never ignored.
 */
final class CliOptions {

    /** Bad command-line input; the CLI prints {@code error: USAGE: <message>} and exits 1. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /** {@code COMMAND --help}: the command's usage goes to stdout and the tool exits 0. */
    static final class HelpRequested extends Exception {
        private static final long serialVersionUID = 1L;
        final String usage;

        HelpRequested(String usage) {
            super(usage);
            this.usage = usage;
        }
    }

    static final String CLIENT_USAGE = String.join("\n",
            "usage: java -jar microssl.jar client HOST PORT [--cafile F] [--cadata F.der]",
            "           [--cert F --key F [--password P] | --p12 F --password P] [--verify none|optional|required]",
            "           [--servername NAME] [--time EPOCH_SECONDS] [--ciphers A,B] [--tls 1.2|1.3] [--send TEXT]",
            "           [--showcerts] [--backend jca|lightweight] [--timeout S] [--session-in F] [--session-out F]",
            "           [--alpn A,B] [--psk-identity ID --psk HEX]",
            "  Connects, prints protocol=..., cipher and peer=SUBJECT, then sends --send TEXT (\\n, \\r, \\t, \\\\",
            "  escapes) or, without --send, what arrives on stdin (as openssl s_client), and prints everything the",
            "  server sends until it closes. --verify defaults to required, --servername to HOST; without --cafile",
            "  or --cadata the system's trust anchors are used. --showcerts prints the peer's chain as validated,",
            "  as PEM. --password P (or env:VAR, file:PATH, pass:P) decrypts an encrypted --key or a PKCS#12 --p12.",
            "  --timeout S (default 30) bounds the connect, the handshake and each wait for the server's data. A",
            "  server that ends without close_notify after sending data is a warning (exit 0), not an error.",
            "  --alpn A,B offers application protocols and prints alpn=X (none if the server chose none).",
            "  --psk-identity ID --psk HEX: an external pre-shared key (TLS 1.3 psk_dhe_ke, TLS 1.2 ECDHE_PSK),",
            "  no certificate needed; --psk also takes env:VAR or file:PATH (hex), to keep the key off the command line.",
            "  --dtls: DTLS 1.2 over UDP instead; each stdin line (or --send) is one datagram, and what arrives is",
            "  printed until the server closes or --timeout passes without a datagram. With --psk-identity/--psk",
            "  TLS_PSK_WITH_AES_128_CCM_8 (CoAP's suite) is offered first; --mtu N (default 1232) bounds each datagram.",
            "  --session-in F offers the session saved in F (a missing F: none yet) and prints resumed=yes|no;",
            "  --session-out F saves this connection's session to F (mode 600: it holds the session's secret).",
            "  The same F for both keeps a device's session from one run to the next.");
    static final String SERVER_USAGE = String.join("\n",
            "usage: java -jar microssl.jar server PORT (--cert F --key F [--password P] | --p12 F --password P)",
            "           [--cafile F] [--cadata F.der] [--verify none|optional|required] [--tls 1.2|1.3]",
            "           [--ciphers A,B] [--time EPOCH_SECONDS] [--backend jca|lightweight] [--once]",
            "           [--max-conns N] [--handshake-timeout S] [--idle-timeout S] [--no-tickets]",
            "           [--alpn A,B] [--psk-identity ID --psk HEX]",
            "  Echoes what each client sends, clients served concurrently, at most --max-conns (default 64) at a",
            "  time: more are refused. --handshake-timeout S (default 10) bounds a whole handshake, --idle-timeout S",
            "  (default 60) each wait for an established client's data. --verify defaults to none (no client",
            "  certificate asked), optional asks for one and validates it if sent, required demands one. --once:",
            "  exit after the first client (status 1 if it failed). --alpn A,B: the application protocols accepted,",
            "  first preferred (a client offering none of them is refused). --psk-identity ID --psk HEX: accept",
            "  that pre-shared key; with it --cert/--key are optional (a PSK-only server).",
            "  --dtls: DTLS 1.2 over UDP, every client on one socket after a stateless cookie exchange; each",
            "  datagram is echoed. --mtu N (default 1232) bounds each datagram.",
            "  Session tickets are issued and accepted by default (--no-tickets: none); a resumed client's line",
            "  says resumed=yes.");
    static final String GATEWAY_USAGE = String.join("\n",
            "usage: java -jar microssl.jar gateway PORT (--cert F --key F [--password P] | --p12 F --password P)",
            "           [--cafile F] [--cadata F.der] [--verify none|optional|required] [--tls 1.2|1.3]",
            "           [--ciphers A,B] [--backend jca|lightweight] [--max-conns N] [--handshake-timeout S]",
            "           [--idle-timeout S] [--threads N]",
            "  A TLS gateway for many devices: non-blocking, on one selector thread per core (--threads), it holds",
            "  up to --max-conns (default 10000) connections and echoes what each sends. A silent or slow client",
            "  holds no thread: it is cut at --handshake-timeout S (default 10) or, once connected, after",
            "  --idle-timeout S (default 300) without a byte. A client that does not read its answers is not read",
            "  from until they have gone out. --verify as for server (default none). Runs until stopped.");
    static final String X509_USAGE = String.join("\n",
            "usage: java -jar microssl.jar x509 FILE",
            "  Prints each certificate of FILE (PEM or DER; one, a chain or a CA bundle): subject, issuer, serial,",
            "  validity with the days left, subjectAltNames, key type and size, signature algorithm, SHA-256",
            "  fingerprint and whether it is a CA. Exit 0, or 1 if FILE holds no certificate.");
    static final String CHECK_USAGE = String.join("\n",
            "usage: java -jar microssl.jar check HOST PORT [--cafile F] [--servername NAME] [--warn-days N]",
            "           [--crit-days N] [--timeout S]",
            "  Connects, validates the server's chain for NAME (default HOST), prints one line of Nagios/Icinga",
            "  plugin output, then each certificate served with its expiry. Exit status: 0 OK, 1 WARNING (a",
            "  certificate of the path expires within --warn-days, default 30), 2 CRITICAL (invalid, expired, or",
            "  within --crit-days, default 7), 3 UNKNOWN (could not connect). Without --cafile the system's trust",
            "  anchors are used.");
    static final String USAGE = String.join("\n",
            CLIENT_USAGE.substring(0, CLIENT_USAGE.indexOf("\n  Connects")),
            SERVER_USAGE.substring(0, SERVER_USAGE.indexOf("\n  Echoes")).replace("usage: ", "       "),
            GATEWAY_USAGE.substring(0, GATEWAY_USAGE.indexOf("\n  A TLS")).replace("usage: ", "       "),
            "       java -jar microssl.jar x509 FILE",
            "       java -jar microssl.jar check HOST PORT [--cafile F] [--servername NAME] [--warn-days N]",
            "           [--crit-days N] [--timeout S]",
            "       java -jar microssl.jar demo",
            "       java -jar microssl.jar limbo < limbo.json > results.json",
            "       java -jar microssl.jar ta BUNDLE.pem > anchors.bin   (compact trust anchors, SSLContext.loadTrustAnchors)",
            "",
            "  COMMAND --help says more about each. --backend picks the crypto: jca (default; the JDK's providers)",
            "  or lightweight (pure Java, as on a device). Failures print one line, error: <REASON>: <detail>, on",
            "  stderr and exit 1 (check: the plugin exit codes).");

    private static final Set<String> CLIENT_OPTIONS = new HashSet<String>(Arrays.asList("--cafile", "--cadata",
            "--cert", "--key", "--password", "--p12", "--verify", "--servername", "--time", "--ciphers", "--tls",
            "--send", "--backend", "--timeout", "--showcerts", "--dtls", "--mtu", "--session-in", "--session-out"));
    private static final Set<String> SERVER_OPTIONS = new HashSet<String>(Arrays.asList("--cafile", "--cadata",
            "--cert", "--key", "--password", "--p12", "--verify", "--time", "--ciphers", "--tls", "--once",
            "--backend", "--max-conns", "--handshake-timeout", "--idle-timeout", "--dtls", "--mtu", "--no-tickets"));
    private static final Set<String> GATEWAY_OPTIONS = new HashSet<String>(Arrays.asList("--cafile", "--cadata",
            "--cert", "--key", "--password", "--p12", "--verify", "--ciphers", "--tls", "--backend", "--max-conns",
            "--handshake-timeout", "--idle-timeout", "--threads"));
    private static final Set<String> X509_OPTIONS = Collections.emptySet();
    private static final Set<String> CHECK_OPTIONS = new HashSet<String>(Arrays.asList("--cafile", "--servername",
            "--warn-days", "--crit-days", "--timeout", "--backend"));
    static {
        // ALPN and external PSKs (issue 11)
        CLIENT_OPTIONS.addAll(Arrays.asList("--alpn", "--psk-identity", "--psk"));
        SERVER_OPTIONS.addAll(Arrays.asList("--alpn", "--psk-identity", "--psk"));
    }
    private static final Set<String> FLAGS = new HashSet<String>(Arrays.asList("--once", "--showcerts", "--dtls",
            "--no-tickets"));

    final String command;
    final boolean server;
    String host;
    int port;
    /** x509: the file to print. */
    String file;
    String cafile;
    String cadata;
    String cert;
    String key;
    /** --password as given (P, pass:P, env:VAR or file:PATH); see {@link #password()}. */
    String password;
    String p12;
    /** "none", "optional" or "required"; null = the side's default. */
    String verify;
    String servername;
    /** Seconds since the epoch for a fixed clock, or null for the system clock. */
    Long time;
    List<String> ciphers;
    /** "1.2" or "1.3", or null for both. */
    String tls;
    String send;
    boolean once;
    boolean showcerts;
    /** Client: the file a session is read from / written to (issue 11); server: --no-tickets. */
    String sessionIn;
    String sessionOut;
    boolean noTickets;
    /** "jca" (default: the JDK's providers) or "lightweight" (core's pure-Java crypto). */
    String backend = "jca";
    /** Client and check: connect, handshake and each read, in seconds. */
    int timeout = 30;
    /** Server: concurrent clients, whole-handshake deadline and per-read idle limit (seconds). */
    int maxConns = 64;
    int handshakeTimeout = 10;
    int idleTimeout = 60;
    /** Gateway: selector threads. */
    int threads = Runtime.getRuntime().availableProcessors();
    /** check: WARNING / CRITICAL when a certificate of the path expires within this many days. */
    int warnDays = 30;
    int critDays = 7;
    /** --alpn: application protocols, first preferred; null for no ALPN. */
    List<String> alpn;
    String pskIdentity;
    /** --psk as given (HEX, env:VAR or file:PATH); see {@link #pskKey()}. */
    String psk;
    /** DTLS 1.2 over UDP instead of TLS over TCP (issue 15), and its MTU. */
    boolean dtls;
    int mtu = 1232;

    private CliOptions(String command) {
        this.command = command;
        this.server = command.equals("server") || command.equals("gateway");
    }

    /** {@code client} (server false) or {@code server} (true). */
    static CliOptions parse(boolean server, String[] args, int from) throws UsageException {
        try {
            return parse(server ? "server" : "client", args, from);
        } catch (HelpRequested e) {
            throw new UsageException("--help");
        }
    }

    static String usage(String command) {
        switch (command) {
            case "client": return CLIENT_USAGE;
            case "server": return SERVER_USAGE;
            case "gateway": return GATEWAY_USAGE;
            case "x509": return X509_USAGE;
            case "check": return CHECK_USAGE;
            default: return USAGE;
        }
    }

    /** @param command client, server, x509 or check */
    static CliOptions parse(String command, String[] args, int from) throws UsageException, HelpRequested {
        CliOptions o = new CliOptions(command);
        List<String> positional = new ArrayList<String>();
        Set<String> allowed = command.equals("server") ? SERVER_OPTIONS : command.equals("gateway") ? GATEWAY_OPTIONS
                : command.equals("x509") ? X509_OPTIONS
                : command.equals("check") ? CHECK_OPTIONS : CLIENT_OPTIONS;
        Set<String> seen = new HashSet<String>();
        for (int i = from; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) throw new HelpRequested(usage(command));
            if (!a.startsWith("--")) {
                positional.add(a);
                continue;
            }
            if (!allowed.contains(a)) throw new UsageException("unknown option " + a + " for " + command);
            if (!seen.add(a)) throw new UsageException(a + " given twice");
            if (FLAGS.contains(a)) {
                if (a.equals("--once")) o.once = true;
                else if (a.equals("--dtls")) o.dtls = true;
                else if (a.equals("--no-tickets")) o.noTickets = true;
                else o.showcerts = true;
                continue;
            }
            if (i + 1 >= args.length) throw new UsageException(a + " needs a value");
            o.set(a, args[++i]);
        }
        String takes;
        int expected;
        switch (command) {
            case "server": takes = "server takes PORT"; expected = 1; break;
            case "gateway": takes = "gateway takes PORT"; expected = 1; break;
            case "x509": takes = "x509 takes FILE"; expected = 1; break;
            case "check": takes = "check takes HOST PORT"; expected = 2; break;
            default: takes = "client takes HOST PORT"; expected = 2;
        }
        if (positional.size() != expected) {
            throw new UsageException(takes + ", got " + (positional.isEmpty() ? "nothing" : String.join(" ", positional)));
        }
        if (command.equals("x509")) {
            o.file = positional.get(0);
            return o;
        }
        if (expected == 2) o.host = positional.get(0);
        o.port = parsePort(positional.get(positional.size() - 1));
        if (o.p12 != null && (o.cert != null || o.key != null)) {
            throw new UsageException("--p12 holds the key and certificates: give it instead of --cert/--key");
        }
        if ((o.cert == null) != (o.key == null)) {
            throw new UsageException(o.cert == null ? "--key needs --cert" : "--cert needs --key");
        }
        if (o.password != null && o.key == null && o.p12 == null) {
            throw new UsageException("--password goes with --key or --p12");
        }
        if ((o.pskIdentity == null) != (o.psk == null)) {
            throw new UsageException(o.psk == null ? "--psk-identity needs --psk" : "--psk needs --psk-identity");
        }
        if (o.dtls || o.mtu != 1232) DtlsCommand.checkOptions(o);
        if (o.server && o.cert == null && o.p12 == null && o.psk == null) {
            throw new UsageException(command + " needs --cert and --key, or --p12"
                    + (command.equals("server") ? ", or --psk-identity and --psk" : ""));
        }
        if (command.equals("gateway")) {
            if (!seen.contains("--max-conns")) o.maxConns = 10_000;
            if (!seen.contains("--idle-timeout")) o.idleTimeout = 300;
        }
        if (command.equals("check") && o.critDays > o.warnDays) {
            throw new UsageException("--crit-days (" + o.critDays + ") must not exceed --warn-days (" + o.warnDays + ")");
        }
        return o;
    }

    /**
     * The password: {@code pass:P} or plain text as given, {@code env:VAR} from the environment, {@code file:PATH}
     * from the first line of a file (as openssl's {@code -passin}); keeps it off the command line.
     *
     * @return null without --password
     * @throws IllegalArgumentException naming the variable or file (never the password) if it cannot be read
     */
    char[] password() {
        if (password == null) return null;
        if (password.startsWith("pass:")) return password.substring(5).toCharArray();
        if (password.startsWith("env:")) {
            String v = System.getenv(password.substring(4));
            if (v == null) throw new IllegalArgumentException("--password env:" + password.substring(4) + ": no such variable");
            return v.toCharArray();
        }
        if (password.startsWith("file:")) {
            String path = password.substring(5);
            try {
                List<String> lines = java.nio.file.Files.readAllLines(java.nio.file.Paths.get(path),
                        java.nio.charset.StandardCharsets.UTF_8);
                return lines.isEmpty() ? new char[0] : lines.get(0).toCharArray();
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("--password file:" + path + ": cannot read it: " + e.getMessage());
            }
        }
        return password.toCharArray();
    }

    /**
     * The key of --psk: hex as given, or from {@code env:VAR} or the first line of {@code file:PATH}. Messages
     * never quote the key.
     *
     * @return null without --psk
     * @throws IllegalArgumentException if it cannot be read or is not hex
     */
    byte[] pskKey() {
        if (psk == null) return null;
        String hex = psk;
        String from = "--psk";
        if (psk.startsWith("env:")) {
            hex = System.getenv(psk.substring(4));
            from = "--psk " + psk;
            if (hex == null) throw new IllegalArgumentException(from + ": no such variable");
        } else if (psk.startsWith("file:")) {
            from = "--psk " + psk;
            try {
                List<String> lines = java.nio.file.Files.readAllLines(java.nio.file.Paths.get(psk.substring(5)),
                        java.nio.charset.StandardCharsets.US_ASCII);
                hex = lines.isEmpty() ? "" : lines.get(0);
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException(from + ": cannot read it: " + e.getMessage());
            }
        }
        hex = hex.trim();
        if (hex.startsWith("0x") || hex.startsWith("0X")) hex = hex.substring(2);
        if (hex.isEmpty() || hex.length() % 2 != 0) {
            throw new IllegalArgumentException(from + ": the key must be an even number of hex digits, at least 2 ("
                    + hex.length() + " given)");
        }
        byte[] key = new byte[hex.length() / 2];
        for (int i = 0; i < hex.length(); i++) {
            int d = Character.digit(hex.charAt(i), 16);
            if (d < 0) throw new IllegalArgumentException(from + ": the key has a character that is not a hex digit "
                    + "at position " + (i + 1));
            key[i / 2] |= (byte) (i % 2 == 0 ? d << 4 : d);
        }
        return key;
    }

    private void set(String option, String value) throws UsageException {
        switch (option) {
            case "--cafile": cafile = value; break;
            case "--cadata": cadata = value; break;
            case "--cert": cert = value; break;
            case "--key": key = value; break;
            case "--password": password = value; break;
            case "--p12": p12 = value; break;
            case "--servername": servername = value; break;
            case "--send": send = unescape(value); break;
            case "--session-in": sessionIn = value; break;
            case "--session-out": sessionOut = value; break;
            case "--backend":
                if (!value.equals("jca") && !value.equals("lightweight")) {
                    throw new UsageException("--backend must be jca or lightweight, not " + value);
                }
                backend = value;
                break;
            case "--verify":
                verify = value.toLowerCase(Locale.ROOT);
                if (!verify.equals("none") && !verify.equals("optional") && !verify.equals("required")) {
                    throw new UsageException("--verify must be none, optional or required, not " + value);
                }
                break;
            case "--tls":
                if (!value.equals("1.2") && !value.equals("1.3")) {
                    throw new UsageException("--tls must be 1.2 or 1.3, not " + value);
                }
                tls = value;
                break;
            case "--time":
                try {
                    time = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw new UsageException("--time takes seconds since 1970-01-01T00:00:00Z, not " + value);
                }
                if (time < 0) throw new UsageException("--time must not be negative: " + value);
                break;
            case "--ciphers":
                ciphers = new ArrayList<String>();
                for (String c : value.split(",")) {
                    String name = c.trim();
                    if (name.isEmpty()) throw new UsageException("--ciphers has an empty name: " + value);
                    ciphers.add(name);
                }
                break;
            case "--alpn":
                alpn = new ArrayList<String>();
                for (String name : value.split(",", -1)) {
                    if (name.isEmpty()) throw new UsageException("--alpn has an empty name: " + value);
                    alpn.add(name);
                }
                break;
            case "--psk-identity": pskIdentity = value; break;
            case "--psk": psk = value; break;
            case "--timeout": timeout = positive(option, value); break;
            case "--mtu": mtu = positive(option, value); break;
            case "--max-conns": maxConns = positive(option, value); break;
            case "--handshake-timeout": handshakeTimeout = positive(option, value); break;
            case "--idle-timeout": idleTimeout = positive(option, value); break;
            case "--threads": threads = positive(option, value); break;
            case "--warn-days": warnDays = nonNegative(option, value); break;
            case "--crit-days": critDays = nonNegative(option, value); break;
            default:
                throw new AssertionError(option);
        }
    }

    private static int positive(String option, String value) throws UsageException {
        try {
            int n = Integer.parseInt(value);
            if (n > 0 && n <= 86400 * 365) return n;
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new UsageException(option + " takes a positive whole number, not " + value);
    }

    private static int nonNegative(String option, String value) throws UsageException {
        try {
            int n = Integer.parseInt(value);
            if (n >= 0 && n <= 36500) return n;
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new UsageException(option + " takes a whole number of days, not " + value);
    }

    private static int parsePort(String s) throws UsageException {
        try {
            int p = Integer.parseInt(s);
            if (p >= 0 && p <= 65535) return p;
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new UsageException("port must be a number from 0 to 65535, not " + s);
    }

    /** The escapes a shell makes awkward to type: \n, \r, \t and \\. */
    static String unescape(String s) throws UsageException {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            if (++i == s.length()) throw new UsageException("--send ends with a lone backslash");
            char e = s.charAt(i);
            switch (e) {
                case 'n': sb.append('\n'); break;
                case 'r': sb.append('\r'); break;
                case 't': sb.append('\t'); break;
                case '\\': sb.append('\\'); break;
                default: throw new UsageException("--send has an unknown escape \\" + e);
            }
        }
        return sb.toString();
    }
}
