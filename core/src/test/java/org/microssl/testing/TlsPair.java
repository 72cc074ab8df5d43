package org.microssl.testing;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.microssl.SSLContext;
import org.microssl.SSLSocket;

/**
 * A client and a server connected in memory. {@link #attempt} runs both handshakes (the server on another thread)
 * and keeps each side's socket or exception, so a test can assert what each end saw.
 */
public final class TlsPair {
    public final SSLSocket client;
    public final SSLSocket server;
    public final Exception clientError;
    public final Exception serverError;
    public final MemoryTransport clientTransport;
    public final MemoryTransport serverTransport;

    private TlsPair(SSLSocket client, SSLSocket server, Exception clientError, Exception serverError,
            MemoryTransport[] t) {
        this.client = client;
        this.server = server;
        this.clientError = clientError;
        this.serverError = serverError;
        this.clientTransport = t[0];
        this.serverTransport = t[1];
    }

    /** Both handshakes over a blocking in-memory pair; never throws for a handshake failure. */
    public static TlsPair attempt(SSLContext client, String serverHostname, SSLContext server) throws Exception {
        MemoryTransport[] t = MemoryTransport.blockingPair();
        CompletableFuture<SSLSocket> serverSide = CompletableFuture.supplyAsync(() -> {
            try {
                return server.wrapSocket(t[1], true, true, null);
            } catch (IOException e) {
                // Let a client waiting for our flight see end of stream, but keep accepting what it still
                // sends (a TLS 1.3 compatibility change_cipher_spec may be on its way): closing both ways
                // raced with it and turned the alert the client should read into a transport error.
                t[1].shutdownOutput();
                throw new WrappedException(e);
            }
        });
        SSLSocket c = null;
        Exception clientError = null;
        try {
            c = client.wrapSocket(t[0], false, true, serverHostname);
        } catch (IOException | IllegalArgumentException e) {
            clientError = e;
            t[0].shutdownOutput(); // let the server waiting for our flight see end of stream (see above)
        }
        SSLSocket s = null;
        Exception serverError = null;
        try {
            s = serverSide.get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            serverError = cause instanceof WrappedException ? (Exception) cause.getCause() : (Exception) cause;
        }
        return new TlsPair(c, s, clientError, serverError, t);
    }

    /** Both handshakes, which must succeed. */
    public static TlsPair connect(SSLContext client, String serverHostname, SSLContext server) throws Exception {
        TlsPair p = attempt(client, serverHostname, server);
        if (p.clientError != null || p.serverError != null) {
            AssertionError e = new AssertionError("handshake failed: client: " + p.clientError + "; server: "
                    + p.serverError);
            if (p.clientError != null) e.addSuppressed(p.clientError);
            if (p.serverError != null) e.addSuppressed(p.serverError);
            throw e;
        }
        return p;
    }

    /**
     * Drives two non-blocking sockets' handshakes in one thread, as a poll loop would, until both complete.
     *
     * @return the number of rounds it took
     */
    public static int pumpHandshake(SSLSocket a, SSLSocket b, int maxRounds) throws IOException {
        boolean doneA = false;
        boolean doneB = false;
        for (int round = 1; round <= maxRounds; round++) {
            doneA = a.doHandshake(); // after completion it still flushes what the transport refused
            doneB = b.doHandshake();
            if (doneA && doneB && !a.wantsWrite() && !b.wantsWrite()) return round;
        }
        throw new AssertionError("handshake did not complete in " + maxRounds + " rounds");
    }

    private static final class WrappedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        WrappedException(Exception cause) {
            super(cause);
        }
    }
}
