package org.microssl.internal;

import java.io.IOException;

import org.bouncycastle.tls.ByteQueue;

/** What the Engine needs of its protocol object beyond BouncyCastle's public API. */
interface GuardedProtocol {
    /** Fails the connection for a reason found outside BouncyCastle: queues the fatal alert and closes. */
    void abort(short alert, String message, Throwable cause) throws IOException;

    /** Where received application data goes instead of BouncyCastle's never-shrunk queue. */
    PlaintextQueue plaintext();

    /** BouncyCastle's output queue (non-blocking mode), which we send from and shrink when it is idle. */
    ByteQueue outputQueue();
}
