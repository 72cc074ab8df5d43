package org.microssl.embedded;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.PrintStream;

import org.microssl.StreamTransport;

/**
 * The TLS stream of {@code client --stdio}: standard input and output, connected by whoever started the process
 * ({@code socat TCP:host:443 EXEC:'java -jar microssl-embedded.jar client --stdio host'}, inetd, a shell's
 * {@code /dev/tcp}), as a device's modem or vendor socket API hands over bytes. No {@code java.net} class is
 * loaded, nor the lambda bootstrap the JDK's socket code brings (about 1.4 MB of Metaspace on Zero).
 *
 * <p>A pipe has no read timeout, so a watchdog thread holds each wait to its deadline: when a deadline armed with
 * {@link #arm} passes before {@link #arm} or {@link #disarm} is called again, it prints the error line and ends
 * the process with exit code 1 (the CLI's failure code).
 */
final class StdioConnection {

    private final long timeoutMillis;
    private final StreamTransport transport;
    private final Watchdog watchdog = new Watchdog();

    private StdioConnection(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
        // the raw descriptors, not System.in/System.out: no buffering between the records and the peer
        this.transport = new StreamTransport(new FileInputStream(FileDescriptor.in),
            new FileOutputStream(FileDescriptor.out));
    }

    static StdioConnection open(long timeoutMillis) {
        StdioConnection c = new StdioConnection(timeoutMillis);
        c.watchdog.setDaemon(true);
        c.watchdog.start();
        return c;
    }

    StreamTransport transport() {
        return transport;
    }

    /** The next wait (the handshake, a read) must end within the timeout. */
    void arm() {
        watchdog.set(System.currentTimeMillis() + timeoutMillis);
    }

    /** No wait is under way. */
    void disarm() {
        watchdog.set(0);
    }

    private final class Watchdog extends Thread {
        /** Epoch millis; 0 when disarmed. Guarded by this. */
        private long deadline;

        Watchdog() {
            super("stdio-deadline");
        }

        synchronized void set(long newDeadline) {
            deadline = newDeadline;
            notifyAll();
        }

        @Override
        public synchronized void run() {
            try {
                while (true) {
                    long left = deadline == 0 ? 0 : deadline - System.currentTimeMillis();
                    if (deadline != 0 && left <= 0) break;
                    wait(left);
                }
            } catch (InterruptedException e) {
                return;
            }
            PrintStream err = System.err;
            err.println("error: IO: no data from the peer on stdin within " + timeoutMillis / 1000 + " s (--timeout)");
            err.flush();
            Runtime.getRuntime().halt(1);
        }
    }
}
