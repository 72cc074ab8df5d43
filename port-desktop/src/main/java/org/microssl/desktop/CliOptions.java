package org.microssl.desktop;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The command line of {@code microssl.jar client|server}, parsed strictly: an unknown option, a missing value or a
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

    static final String USAGE = String.join("\n",
            "usage: java -jar microssl.jar client HOST PORT [--cafile F] [--cadata F.der] [--cert F --key F]",
            "                              [--verify none|optional|required] [--servername NAME]",
            "                              [--time EPOCH_SECONDS] [--ciphers A,B] [--tls 1.2|1.3] [--send TEXT]",
            "                              [--backend jca|lightweight] [--timeout S]",
            "       java -jar microssl.jar server PORT --cert F --key F [--cafile F] [--cadata F.der]",
            "                              [--verify none|optional|required] [--tls 1.2|1.3] [--ciphers A,B]",
            "                              [--time EPOCH_SECONDS] [--backend jca|lightweight] [--once]",
            "                              [--max-conns N] [--handshake-timeout S] [--idle-timeout S]",
            "       java -jar microssl.jar demo",
            "       java -jar microssl.jar limbo < limbo.json > results.json",
            "",
            "client: --verify defaults to required, --servername to HOST; without --cafile/--cadata the system's",
            "        trust anchors are used. --send TEXT is sent after the handshake (\\n, \\r, \\t, \\\\ escapes),",
            "        then everything the server sends is printed until it closes. --timeout S (default 30) bounds",
            "        the connect, the handshake and each wait for the server's data.",
            "server: echoes what each client sends, clients served concurrently, at most --max-conns (default",
            "        64) at a time: more are refused. --handshake-timeout S (default 10) bounds a whole handshake,",
            "        --idle-timeout S (default 60) each wait for an established client's data. --verify defaults",
            "        to none (no client certificate asked), optional asks for one and validates it if sent,",
            "        required demands one. --once: exit after the first client (status 1 if it failed).",
            "both:   --backend picks the crypto: jca (default; the JDK's providers) or lightweight (pure Java, as on",
            "        a device). Failures print one line, error: <REASON>: <detail>, on stderr and exit 1.");

    private static final Set<String> CLIENT_OPTIONS = new HashSet<String>(Arrays.asList("--cafile", "--cadata",
            "--cert", "--key", "--verify", "--servername", "--time", "--ciphers", "--tls", "--send", "--backend",
            "--timeout"));
    private static final Set<String> SERVER_OPTIONS = new HashSet<String>(Arrays.asList("--cafile", "--cadata",
            "--cert", "--key", "--verify", "--time", "--ciphers", "--tls", "--once", "--backend", "--max-conns",
            "--handshake-timeout", "--idle-timeout"));
    private static final Set<String> FLAGS = Collections.singleton("--once");

    final boolean server;
    String host;
    int port;
    String cafile;
    String cadata;
    String cert;
    String key;
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
    /** "jca" (default: the JDK's providers) or "lightweight" (core's pure-Java crypto). */
    String backend = "jca";
    /** Client: connect, handshake and each read, in seconds. */
    int timeout = 30;
    /** Server: concurrent clients, whole-handshake deadline and per-read idle limit (seconds). */
    int maxConns = 64;
    int handshakeTimeout = 10;
    int idleTimeout = 60;

    private CliOptions(boolean server) {
        this.server = server;
    }

    static CliOptions parse(boolean server, String[] args, int from) throws UsageException {
        CliOptions o = new CliOptions(server);
        List<String> positional = new ArrayList<String>();
        Set<String> allowed = server ? SERVER_OPTIONS : CLIENT_OPTIONS;
        Set<String> seen = new HashSet<String>();
        for (int i = from; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                positional.add(a);
                continue;
            }
            if (!allowed.contains(a)) {
                throw new UsageException("unknown option " + a + " for " + (server ? "server" : "client"));
            }
            if (!seen.add(a)) throw new UsageException(a + " given twice");
            if (FLAGS.contains(a)) {
                o.once = true;
                continue;
            }
            if (i + 1 >= args.length) throw new UsageException(a + " needs a value");
            o.set(a, args[++i]);
        }
        int expected = server ? 1 : 2;
        if (positional.size() != expected) {
            throw new UsageException((server ? "server takes PORT" : "client takes HOST PORT") + ", got "
                    + (positional.isEmpty() ? "nothing" : String.join(" ", positional)));
        }
        if (!server) o.host = positional.get(0);
        o.port = parsePort(positional.get(positional.size() - 1));
        if ((o.cert == null) != (o.key == null)) {
            throw new UsageException(o.cert == null ? "--key needs --cert" : "--cert needs --key");
        }
        if (server && o.cert == null) throw new UsageException("server needs --cert and --key");
        return o;
    }

    private void set(String option, String value) throws UsageException {
        switch (option) {
            case "--cafile": cafile = value; break;
            case "--cadata": cadata = value; break;
            case "--cert": cert = value; break;
            case "--key": key = value; break;
            case "--servername": servername = value; break;
            case "--send": send = unescape(value); break;
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
            case "--timeout": timeout = positive(option, value); break;
            case "--max-conns": maxConns = positive(option, value); break;
            case "--handshake-timeout": handshakeTimeout = positive(option, value); break;
            case "--idle-timeout": idleTimeout = positive(option, value); break;
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
