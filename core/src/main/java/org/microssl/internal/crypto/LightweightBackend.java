package org.microssl.internal.crypto;

import java.security.SecureRandom;

import org.bouncycastle.tls.crypto.TlsCrypto;
import org.microssl.spi.CryptoBackend;
import org.microssl.spi.SignatureVerifier;

/**
 * The pure-Java backend and core's default: BouncyCastle's lightweight API ({@link FastBcTlsCrypto}, with
 * microssl's record layer over BouncyCastle's AES-GCM and ChaCha20-Poly1305 engines) and
 * {@link LightweightSignatureVerifier}; nothing from the JCA, so it runs on any JVM with {@code java.base}.
 * Obtained through {@code org.microssl.Backends.lightweight()}.
 */
public final class LightweightBackend implements CryptoBackend {

    @Override
    public TlsCrypto createTlsCrypto(SecureRandom random) {
        return new FastBcTlsCrypto(random);
    }

    @Override
    public SignatureVerifier signatureVerifier() {
        return new LightweightSignatureVerifier();
    }

    @Override
    public String name() {
        return "lightweight";
    }

    @Override
    public String toString() {
        return name();
    }
}
