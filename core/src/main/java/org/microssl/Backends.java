package org.microssl;

import org.microssl.internal.crypto.DeviceBackend;
import org.microssl.internal.crypto.LightweightBackend;
import org.microssl.internal.crypto.Profile;
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
        // the device jar (port-embedded) assumes Profile.device(): there this is the device profile, and the full
        // set is unreachable code that ProGuard removes
        return Profile.device() ? new DeviceBackend() : new LightweightBackend();
    }

    /**
     * The device profile of {@link #lightweight()}: key exchange on X25519 and P-256; AES-128-GCM and
     * ChaCha20-Poly1305; ECDSA P-256/P-384, RSA and Ed25519 signatures, in TLS and in certificates. No ML-KEM, no
     * post-quantum signatures, no other curves, no finite-field DH, no CBC. What {@code lightweight()} is in the
     * device jar (microssl-embedded.jar), where the rest is left out; anywhere else, to try a device's set.
     */
    public static CryptoBackend device() {
        return new DeviceBackend();
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
        if (Profile.device()) throw new UnsupportedOperationException("the JCA backend is not in the device build");
        String name = LightweightBackend.class.getName().replace("Lightweight", "Jca");
        try {
            return (CryptoBackend) Class.forName(name).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new UnsupportedOperationException("the JCA backend is not in this build of microssl", e);
        }
    }
}
