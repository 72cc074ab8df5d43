package org.microssl.testing;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;

/**
 * A real TLS peer in a child process (openssl, gnutls, python3): started on a free ephemeral port, waited for by
 * polling, its output (stdout and stderr merged) collected, and always killed on {@link #close()}. Other engineers
 * run tests on this machine at the same time, so no port is fixed.
 */
public final class Peer implements AutoCloseable {
    private static final long READY_TIMEOUT_MS = 10_000;
    /** Every live child, killed by a shutdown hook if a test run is interrupted before its finally blocks. */
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly)));
    }

    private final String name;
    private final Process process;
    private final StringBuffer output = new StringBuffer();
    private final Thread drainer;
    private volatile int port;

    private Peer(String name, Process process, int port) {
        this.name = name;
        this.process = process;
        this.port = port;
        LIVE.add(process);
        this.drainer = new Thread(this::drain, "peer-output-" + name);
        drainer.setDaemon(true);
        drainer.start();
    }

    /**
     * Starts a server: {@code command} is given a free port, then the port is polled until it accepts a TCP
     * connection (the probe is closed at once; openssl, gnutls and our python script all survive it). A server
     * that dies at start (e.g. the port was taken in the meantime) is retried on another port.
     */
    public static Peer server(String name, Path dir, IntFunction<List<String>> command) throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = freePort();
            Peer peer = new Peer(name, start(command.apply(port), dir), port);
            try {
                peer.awaitAccepting();
                return peer;
            } catch (IOException e) {
                peer.close();
                last = e;
                if (!peer.output().contains("in use")) break;
            }
        }
        throw last;
    }

    /**
     * {@code openssl s_server -accept 127.0.0.1:PORT -quiet ARGS}, started as {@link #server} starts one; skips the
     * calling test where openssl is not installed.
     */
    public static Peer opensslServer(Path dir, String... args) throws IOException {
        assumeInstalled("openssl");
        return server("openssl s_server", dir, port -> {
            List<String> c = cmd("openssl", "s_server", "-accept", "127.0.0.1:" + port, "-quiet");
            Collections.addAll(c, args);
            return c;
        });
    }

    /** Skips the calling test where {@code tool} is not on the PATH. */
    public static void assumeInstalled(String tool) {
        boolean found = false;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            found |= new File(dir, tool).canExecute();
        }
        Assumptions.assumeTrue(found, tool + " is not installed: skipping interop test (.ci/run installs it)");
    }

    /**
     * Starts a server that binds port 0 itself and announces the port with a line matching {@code portLine}
     * (group 1 = the port): no race for a port at all.
     */
    public static Peer serverAnnouncingPort(String name, Path dir, List<String> command, Pattern portLine)
            throws IOException {
        Peer peer = new Peer(name, start(command, dir), -1);
        try {
            peer.port = Integer.parseInt(peer.awaitOutput(portLine, READY_TIMEOUT_MS));
            return peer;
        } catch (IOException | RuntimeException e) {
            peer.close();
            throw e;
        }
    }

    /** Starts a client process, writes {@code stdin} to it and closes its input (unless {@code keepStdinOpen}). */
    public static Peer client(String name, Path dir, List<String> command, String stdin) throws IOException {
        return client(name, dir, command, stdin, java.util.Collections.emptyMap());
    }

    /** As {@link #client(String, Path, List, String)}, with extra environment variables. */
    public static Peer client(String name, Path dir, List<String> command, String stdin,
            java.util.Map<String, String> environment) throws IOException {
        Peer peer = new Peer(name, start(command, dir, environment), -1);
        if (stdin != null) {
            OutputStream in = peer.process.getOutputStream();
            try {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
                in.flush();
            } catch (IOException e) {
                // a peer that refuses the handshake may exit before reading its input; what it printed decides
                peer.output.append("[microssl test: stdin not written: ").append(e.getMessage()).append("]\n");
            }
        }
        return peer;
    }

    /** Writes {@code text} to the child's standard input now (e.g. an interactive s_client command). */
    public void send(String text) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write(text.getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** Closes the child's standard input (e.g. to let gnutls-cli finish after its last line). */
    public void closeStdin() throws IOException {
        process.getOutputStream().close();
    }

    private static Process start(List<String> command, Path dir) throws IOException {
        return start(command, dir, java.util.Collections.emptyMap());
    }

    private static Process start(List<String> command, Path dir, java.util.Map<String, String> environment)
            throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(environment);
        try {
            return pb.start();
        } catch (IOException e) {
            throw new IOException("cannot start " + command.get(0) + " (is it installed? .ci/run installs openssl, "
                    + "gnutls-bin and python3): " + e.getMessage(), e);
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private void awaitAccepting() throws IOException {
        long deadline = System.currentTimeMillis() + READY_TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(name + " exited with " + process.exitValue() + " before accepting on port "
                        + port + ":\n" + output());
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                sleep(50);
            }
        }
        throw new IOException(name + " did not accept on port " + port + " within " + READY_TIMEOUT_MS + " ms:\n" + output());
    }

    private void drain() {
        byte[] buf = new byte[4096];
        try (InputStream in = process.getInputStream()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                output.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            }
        } catch (IOException ignored) {
            // the process was killed; what was read so far stays in the buffer
        }
    }

    public int port() {
        return port;
    }

    /** Everything the peer printed so far. */
    public String output() {
        return output.toString();
    }

    /** Waits until the output contains a match of {@code pattern}; returns group 1 if there is one, else the match. */
    public String awaitOutput(Pattern pattern, long timeoutMs) throws IOException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (true) {
            Matcher m = pattern.matcher(output());
            if (m.find()) return m.groupCount() >= 1 ? m.group(1) : m.group();
            if (System.currentTimeMillis() > deadline) {
                throw new IOException(name + ": no output matching /" + pattern + "/ within " + timeoutMs + " ms; "
                        + (process.isAlive() ? "still running" : "exited " + process.exitValue()) + ":\n" + output());
            }
            if (!process.isAlive()) {
                joinDrainer();
                if (pattern.matcher(output()).find()) continue;
                throw new IOException(name + " exited with " + process.exitValue() + " without printing /" + pattern
                        + "/:\n" + output());
            }
            sleep(20);
        }
    }

    public String awaitOutput(String literal, long timeoutMs) throws IOException {
        return awaitOutput(Pattern.compile(Pattern.quote(literal)), timeoutMs);
    }

    /** Waits for a client process to exit and returns its exit code (the output is complete afterwards). */
    public int waitFor(long timeoutMs) throws IOException {
        try {
            if (!process.waitFor(timeoutMs, TimeUnit.MILLISECONDS)) {
                throw new IOException(name + " still running after " + timeoutMs + " ms:\n" + output());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        joinDrainer();
        return process.exitValue();
    }

    private void joinDrainer() {
        try {
            drainer.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LIVE.remove(process);
    }

    @Override
    public String toString() {
        return name + (port > 0 ? " on port " + port : "");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Runs a command-line tool ({@code openssl pkcs8 ...}) to completion in {@code dir}, skipping the calling test
     * where it is not installed.
     *
     * @return its output (stdout and stderr merged)
     * @throws IOException with the output if it exits with a status other than 0 or runs for more than 60 s
     */
    public static String runTool(Path dir, String... command) throws IOException {
        assumeInstalled(command[0]);
        try (Peer p = client(command[0] + " " + command[1], dir, cmd(command), null)) {
            p.closeStdin();
            int status = p.waitFor(60_000);
            if (status != 0) throw new IOException(String.join(" ", command) + " exited " + status + ":\n" + p.output());
            return p.output();
        }
    }

    /** A command line, for readability at call sites. */
    public static List<String> cmd(String... parts) {
        List<String> l = new ArrayList<>();
        Collections.addAll(l, parts);
        return l;
    }
}
