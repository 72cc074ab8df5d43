package org.microssl;

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
     * certificate signatures and AES-GCM records; BouncyCastle's ChaCha20-Poly1305 (the JCA's allocates per record).
     *
     * @throws UnsupportedOperationException in a build without the JCA backend: the device jar of port-embedded
     *     (microssl-embedded.jar) is lightweight only
     */
    public static CryptoBackend jca() {
        // By a name made at run time (JcaBackend, next to LightweightBackend): a reference ProGuard can see would pull
        // bctls' JCA crypto, and through it BouncyCastle's JCA provider, into the device jar.
        String name = LightweightBackend.class.getName().replace("Lightweight", "Jca");
        try {
            return (CryptoBackend) Class.forName(name).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new UnsupportedOperationException("the JCA backend is not in this build of microssl", e);
        }
    }
}
