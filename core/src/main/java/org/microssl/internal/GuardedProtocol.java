package org.microssl.internal;

import java.io.IOException;

/** What the Engine needs of its protocol object beyond BouncyCastle's public API. */
interface GuardedProtocol {
    /** Fails the connection for a reason found outside BouncyCastle: queues the fatal alert and closes. */
    void abort(short alert, String message, Throwable cause) throws IOException;
}
