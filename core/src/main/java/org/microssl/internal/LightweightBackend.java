package org.microssl.internal;

import java.security.SecureRandom;

import org.bouncycastle.tls.crypto.TlsCrypto;
import org.microssl.internal.crypto.FastBcTlsCrypto;
import org.microssl.spi.CryptoBackend;
import org.microssl.spi.SignatureVerifier;
import org.microssl.x509.LightweightSignatureVerifier;

/**
 * Core's default backend: pure Java (BouncyCastle's lightweight API), nothing from the JCA, so it runs on any
 * JVM with {@code java.base}. The one place core constructs its {@link TlsCrypto}: a faster crypto implementation
 * goes in {@link #createTlsCrypto}.
 */
public class LightweightBackend implements CryptoBackend {

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
}
