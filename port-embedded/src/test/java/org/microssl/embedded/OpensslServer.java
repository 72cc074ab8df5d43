package org.microssl.embedded;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * An {@code openssl s_server} child process on a free loopback port, started when its port accepts connections
 * and killed on close. {@code -rev} mode: it answers every line with the line reversed, and closes (with
 * close_notify) on a line "CLOSE".
 */
final class OpensslServer implements AutoCloseable {

    final int port;
    private final Process process;
    private final Path log;

    static void assumeOpenssl() {
        Assumptions.assumeTrue(new File("/usr/bin/openssl").canExecute() || onPath("openssl"),
            "openssl is not installed: skipping interop test (.ci/run installs it)");
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (new File(dir, tool).canExecute()) {
                return true;
            }
        }
        return false;
    }

    /** @param args s_server arguments after {@code -accept}, e.g. -cert/-key/-rev */
    OpensslServer(Path workDir, String... args) throws IOException, InterruptedException {
        assumeOpenssl();
        port = freePort();
        List<String> cmd = new ArrayList<>(Arrays.asList("openssl", "s_server", "-accept", "127.0.0.1:" + port,
            "-quiet"));
        cmd.addAll(Arrays.asList(args));
        log = Files.createTempFile(workDir, "s_server", ".log");
        process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("openssl s_server exited: " + output());
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                break;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    close();
                    throw new IllegalStateException("openssl s_server never listened on " + port + ": " + output());
                }
                Thread.sleep(20);
            }
        }
    }

    String output() throws IOException {
        return new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
