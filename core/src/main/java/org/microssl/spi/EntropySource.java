package org.microssl.spi;

import java.io.IOException;

/**
 * A device's true random number generator. It seeds and reseeds microssl's NIST SP 800-90A DRBG; it is never
 * used directly for keys. An exception here fails the handshake.
 */
public interface EntropySource {

    /** Fills {@code out} with full-entropy bytes, or throws if the source has failed (health test, hardware). */
    void getEntropy(byte[] out) throws IOException;
}
