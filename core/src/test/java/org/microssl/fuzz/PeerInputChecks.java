package org.microssl.fuzz;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import org.microssl.SslException;
import org.microssl.x509.CertificateRejectedException;

/**
 * What every fuzz target asserts about one input, whatever it is: only {@link IOException} and
 * {@link IllegalArgumentException} may escape; an {@link SslException} never blames microssl for a peer's bytes
 * ({@code INTERNAL_ERROR}) and never says "null"; and the input costs at most a bounded number of bytes of
 * allocation and at most {@value #DEADLINE_SECONDS} seconds. Anything else (a {@code RuntimeException}, an
 * {@code Error} such as {@code OutOfMemoryError}, a failed assertion) propagates: Jazzer reports it as a finding
 * and keeps the input.
 */
final class PeerInputChecks {

    /**
     * Bytes one input may make us allocate, whatever it holds, measured on the thread that runs it (so it does not
     * depend on the garbage collector, and bounds the peak heap an input can need). A whole recorded handshake,
     * contexts included, allocates 0.3 to 3.3 MB (a client verifying RSA signatures the most); the 3-byte
     * Certificate message that claims 2^24-1 bytes made BouncyCastle allocate 17 MB.
     */
    static final long ALLOCATION_BUDGET = 8L << 20;

    /** Allocation allowed per input byte on top of the budget (PEM and DER decoding copy their input a few times). */
    static final long ALLOCATION_PER_INPUT_BYTE = 64;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /**
     * How long one input may run. Not JUnit's {@code @Timeout}: in fuzzing mode that would time the whole run of
     * many inputs. Far above any real input (a handshake takes milliseconds), so a slow machine never trips it.
     */
    static final long DEADLINE_SECONDS = 10;

    private static Thread workerThread;
    private static ExecutorService worker = newWorker();

    /** One run of a target on one input. */
    interface Body {
        void run() throws IOException;
    }

    private PeerInputChecks() {}

    /**
     * Runs {@code body} on one input of {@code inputLength} bytes and asserts what every target asserts, on a
     * worker thread, so that an input that never ends fails its run instead of hanging the build.
     */
    static void check(int inputLength, Body body) {
        check(inputLength, body, DEADLINE_SECONDS * 1000);
    }

    /**
     * {@link #check(int, Body)}, naming the input in a failure by its SHA-1, as Jazzer names the files it saves
     * ({@code sha1sum} finds a committed seed; JUnit's report only numbers the invocations).
     */
    static void check(byte[] input, Body body) {
        try {
            check(input.length, body);
        } catch (AssertionError e) {
            AssertionError named = new AssertionError(e.getMessage() + " [input sha1 " + sha1(input) + "]", e.getCause());
            named.setStackTrace(e.getStackTrace());
            throw named;
        }
    }

    private static String sha1(byte[] input) {
        try {
            StringBuilder hex = new StringBuilder();
            for (byte b : java.security.MessageDigest.getInstance("SHA-1").digest(input)) {
                hex.append(String.format("%02x", b & 0xff));
            }
            return hex.toString();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static synchronized void check(int inputLength, Body body, long deadlineMillis) {
        Future<?> run = worker.submit(() -> checkHere(inputLength, body));
        try {
            run.get(deadlineMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            Throwable where = new Throwable("where the input's thread was after " + deadlineMillis + " ms");
            where.setStackTrace(workerThread.getStackTrace());
            worker.shutdownNow(); // the stuck thread is a daemon; the next input gets a new one
            worker = newWorker();
            throw new AssertionError("one input of " + inputLength + " bytes ran for more than " + deadlineMillis
                    + " ms", where);
        } catch (ExecutionException e) {
            // the input's own exception, with its own stack (Jazzer tells findings apart by it)
            Throwable cause = e.getCause();
            if (cause instanceof Error) throw (Error) cause;
            if (cause instanceof RuntimeException) throw (RuntimeException) cause;
            throw new AssertionError(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-input");
            t.setDaemon(true);
            workerThread = t;
            return t;
        });
    }

    private static void checkHere(int inputLength, Body body) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        Outcome first = Outcome.of(body);
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        long limit = ALLOCATION_BUDGET + ALLOCATION_PER_INPUT_BYTE * inputLength;
        if (allocated > limit) {
            // The first run of an input may load classes (and Jazzer instruments each): charge the input only with
            // what a second run allocates. Every target builds its peers afresh, so a second run is the same run.
            before = THREADS.getCurrentThreadAllocatedBytes();
            Outcome.of(body);
            allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        }
        if (allocated > limit) {
            // the exception the input ended with is the cause: Jazzer tells findings apart by its stack
            throw new AssertionError("one input of " + inputLength + " bytes allocated " + allocated + " bytes (limit "
                    + limit + ")" + (first.problem != null ? "; and " + first.problem.getMessage() : ""), first.ended);
        }
        if (first.problem != null) throw first.problem;
    }

    /** How one run ended: the allowed exception it threw, if any, and what is wrong with it, if anything. */
    private static final class Outcome {
        Exception ended;
        AssertionError problem;

        static Outcome of(Body body) {
            Outcome o = new Outcome();
            try {
                body.run();
            } catch (IllegalArgumentException e) {
                o.ended = e;
                o.problem = messageProblem(e, e.getMessage());
            } catch (IOException e) {
                o.ended = e;
                o.problem = problem(e);
            }
            return o;
        }
    }

    /** {@link #problem}, thrown. */
    static void checkAllowed(IOException e) {
        AssertionError problem = problem(e);
        if (problem != null) throw problem;
    }

    /**
     * An {@link IOException} that reached the caller: an {@link SslException} must not blame microssl, and a
     * rejection must say what was wrong. A plain IOException (e.g. from a stream) needs nothing more.
     *
     * @return what is wrong with {@code e}, or null
     */
    private static AssertionError problem(IOException e) {
        if (e instanceof SslException && ((SslException) e).failure() == SslException.Failure.INTERNAL_ERROR) {
            return new AssertionError("a peer's bytes ended as INTERNAL_ERROR (a microssl bug): " + e, e);
        }
        // a rejection's detail, also where an SslException carries it as its cause
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof CertificateRejectedException) {
                AssertionError p = messageProblem(e, ((CertificateRejectedException) c).detail());
                if (p != null) return p;
            }
            if (c.getCause() == c) break;
        }
        return e instanceof SslException ? messageProblem(e, e.getMessage()) : null;
    }

    /** A "null" where a detail belongs: "null", "...: null", "...: null; sent alert ...". */
    private static final Pattern NULL_DETAIL = Pattern.compile("(^|: )null($|[;,)\\]])");

    /** The message must say what was wrong: never null, never "null" in place of a detail. */
    private static AssertionError messageProblem(Exception e, String message) {
        if (message == null || message.isEmpty() || NULL_DETAIL.matcher(message).find()) {
            return new AssertionError("exception without a message: " + e, e);
        }
        return null;
    }
}
