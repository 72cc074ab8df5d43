package org.microssl;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.microssl.testing.Peer;

/**
 * Our server for one connection, against a client process ({@code openssl s_client ...}): what the client printed,
 * and what our side saw (its socket's view, or its exception). The client may fail; its output tells how.
 */
final class OneConnection {
    final String clientOutput;
    final SSLSocket server;
    final Exception serverError;
    /** What the server read before the client closed (its application data). */
    final String serverRead;

    private OneConnection(String clientOutput, SSLSocket server, Exception serverError, String serverRead) {
        this.clientOutput = clientOutput;
        this.server = server;
        this.serverError = serverError;
        this.serverRead = serverRead;
    }

    /**
     * @param clientArgs the client's command after {@code -connect 127.0.0.1:PORT} is appended to
     *     {@code clientArgs[0..1]} (e.g. "openssl", "s_client", ...)
     * @param stdin what the client sends after the handshake
     */
    static OneConnection serve(SSLContext ctx, Path dir, String stdin, String... clientArgs) throws Exception {
        Peer.assumeInstalled(clientArgs[0]);
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            final SSLSocket[] held = new SSLSocket[1];
            CompletableFuture<String> served = CompletableFuture.supplyAsync(() -> {
                try {
                    SSLSocket s = ctx.wrapSocket(listener.accept(), true, true, null);
                    held[0] = s;
                    StringBuilder got = new StringBuilder();
                    byte[] b;
                    while ((b = s.read(1024)).length > 0) got.append(new String(b, java.nio.charset.StandardCharsets.UTF_8));
                    s.close();
                    return got.toString();
                } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            });
            List<String> cmd = new ArrayList<>();
            cmd.add(clientArgs[0]);
            cmd.add(clientArgs[1]);
            cmd.add("-connect");
            cmd.add("127.0.0.1:" + listener.getLocalPort());
            for (int i = 2; i < clientArgs.length; i++) cmd.add(clientArgs[i]);
            String out;
            try (Peer client = Peer.client(clientArgs[0] + " " + clientArgs[1], dir, cmd, stdin)) {
                client.closeStdin();
                client.waitFor(30_000);
                out = client.output();
            }
            try {
                String read = served.get(30, TimeUnit.SECONDS);
                return new OneConnection(out, held[0], null, read);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                return new OneConnection(out, held[0], cause instanceof Exception ? (Exception) cause
                        : new RuntimeException(cause), null);
            }
        }
    }

    static List<String> list(String... parts) {
        List<String> l = new ArrayList<>();
        Collections.addAll(l, parts);
        return l;
    }
}
