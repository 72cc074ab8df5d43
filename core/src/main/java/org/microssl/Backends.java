package org.microssl;

import org.microssl.internal.crypto.JcaBackend;
import org.microssl.internal.crypto.LightweightBackend;
import org.microssl.spi.CryptoBackend;

/**
 * The crypto backends that ship with microssl, for {@link SSLContext#setCryptoBackend}. Both need only
 * {@code java.base} and BouncyCastle; a port may bring its own {@link CryptoBackend} (a secure element, say).
 */
public final class Backends {
    private Backends() {}

    /**
     * Pure Java, every primitive from BouncyCastle's lightweight API: runs on any JVM, including one without JCA
     * providers. The default of every {@link SSLContext}.
     */
    public static CryptoBackend lightweight() {
        return new LightweightBackend();
    }

    /**
     * The platform's JCA providers (on a desktop JDK: SunEC, SunRsaSign and SunJCE, with AES-NI) for the handshake,
     * certificate signatures and AES-GCM records; BouncyCastle's ChaCha20-Poly1305 (the JCA's is slower).
     */
    public static CryptoBackend jca() {
        return new JcaBackend();
    }
}
