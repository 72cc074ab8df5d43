package org.microssl.internal.crypto;

import java.io.IOException;
import java.security.GeneralSecurityException;

import org.bouncycastle.tls.EncryptionAlgorithm;
import org.bouncycastle.tls.crypto.TlsCipher;
import org.bouncycastle.tls.crypto.TlsCryptoException;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;

/**
 * microssl's record layer ({@link AeadRecordCipher}: no per-record output, nonce or AAD allocation, in-place
 * open) over the platform's JCA AES-GCM (AES-NI), and over our own ChaCha20-Poly1305, for a JCA-based
 * {@code TlsCrypto} to return from {@code createCipher}.
 * java.base only ({@code javax.crypto}).
 */
public final class JcaRecordCiphers {
    private JcaRecordCiphers() {}

    /**
     * @return the record cipher for AES-128/256-GCM or ChaCha20-Poly1305 under TLS 1.2/1.3, or null when this
     *     class does not handle the algorithm or connection (DTLS, connection IDs): use the crypto's own then
     */
    public static TlsCipher create(TlsCryptoParameters cryptoParams, int encryptionAlgorithm) throws IOException {
        if (!FastBcTlsCrypto.handlesRecordLayer(cryptoParams)) {
            return null;
        }
        try {
            switch (encryptionAlgorithm) {
                case EncryptionAlgorithm.AES_128_GCM:
                case EncryptionAlgorithm.AES_256_GCM:
                    return new AeadRecordCipher(cryptoParams, new JcaAead("AES/GCM/NoPadding", "AES"),
                            new JcaAead("AES/GCM/NoPadding", "AES"),
                            encryptionAlgorithm == EncryptionAlgorithm.AES_128_GCM ? 16 : 32, true);
                case EncryptionAlgorithm.CHACHA20_POLY1305:
                    // Our own ChaCha20-Poly1305, not SunJCE's: the JDK has no intrinsic for it, so ours is faster
                    // (105 vs 84 MB/s at 16 KiB), and SunJCE's buffers every record it opens (37 KB allocated per
                    // 16 KiB record; ours nothing). See benchmarks/RESULTS.md.
                    return new AeadRecordCipher(cryptoParams, new ChaCha20Poly1305(), new ChaCha20Poly1305(), 32,
                            false);
                default:
                    return null;
            }
        } catch (GeneralSecurityException e) {
            throw new TlsCryptoException("JCA cipher unavailable: " + e.getMessage(), e);
        }
    }
}
