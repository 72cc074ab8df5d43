package org.microssl.internal.crypto;

import java.security.SecureRandom;

import org.bouncycastle.tls.crypto.TlsCrypto;
import org.microssl.spi.CryptoBackend;
import org.microssl.spi.SignatureVerifier;

/**
 * The device profile of the pure-Java backend: {@link DeviceTlsCrypto} (X25519 and P-256 key exchange,
 * AES-128-GCM and ChaCha20-Poly1305, ECDSA P-256/P-384, RSA and Ed25519 signatures) and
 * {@link LightweightSignatureVerifier#device()} (the same keys for certificates). What it leaves out is not referenced, so
 * ProGuard removes it from the device jar: ML-KEM, post-quantum and other signers, other curves, DH, CBC.
 * {@code Backends.lightweight()} in the device jar; {@code Backends.device()} anywhere.
 */
public final class DeviceBackend implements CryptoBackend {

    @Override
    public TlsCrypto createTlsCrypto(SecureRandom random) {
        return new DeviceTlsCrypto(random);
    }

    @Override
    public SignatureVerifier signatureVerifier() {
        return LightweightSignatureVerifier.device();
    }

    @Override
    public String name() {
        return "device";
    }

    @Override
    public String toString() {
        return name();
    }
}
