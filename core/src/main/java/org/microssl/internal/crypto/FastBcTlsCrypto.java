package org.microssl.internal.crypto;

import java.io.IOException;
import java.security.SecureRandom;

import org.bouncycastle.tls.EncryptionAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SecurityParameters;
import org.bouncycastle.tls.crypto.TlsCipher;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * microssl's pure-Java {@code TlsCrypto}: BouncyCastle's lightweight {@link BcTlsCrypto} for everything but the
 * record ciphers, where AES-128/256-GCM and ChaCha20-Poly1305 go through {@link AeadRecordCipher}, which keeps
 * key schedules and buffers for the life of the traffic key instead of re-keying and allocating per record.
 *
 * <p>DTLS and connection IDs (RFC 9146) are left to BouncyCastle's own ciphers.
 */
public class FastBcTlsCrypto extends BcTlsCrypto {

    public FastBcTlsCrypto(SecureRandom random) {
        super(random);
    }

    @Override
    public TlsCipher createCipher(TlsCryptoParameters cryptoParams, int encryptionAlgorithm, int macAlgorithm)
            throws IOException {
        if (handlesRecordLayer(cryptoParams)) {
            // A connection that negotiated max_fragment_length is saving memory: table-free GHASH (48 bytes a key
            // instead of 4 KiB). TLS 1.3 handshake keys are made before EncryptedExtensions says; they carry
            // only a few records.
            boolean compact = cryptoParams.getSecurityParametersHandshake().getMaxFragmentLength() > 0;
            switch (encryptionAlgorithm) {
                case EncryptionAlgorithm.AES_128_GCM:
                    return new AeadRecordCipher(cryptoParams, new AesGcm(compact), new AesGcm(compact), 16, true);
                case EncryptionAlgorithm.AES_256_GCM:
                    return new AeadRecordCipher(cryptoParams, new AesGcm(compact), new AesGcm(compact), 32, true);
                case EncryptionAlgorithm.CHACHA20_POLY1305:
                    return new AeadRecordCipher(cryptoParams, new ChaCha20Poly1305(), new ChaCha20Poly1305(), 32,
                            false);
                default:
                    break;
            }
        }
        return super.createCipher(cryptoParams, encryptionAlgorithm, macAlgorithm);
    }

    static boolean handlesRecordLayer(TlsCryptoParameters cryptoParams) {
        SecurityParameters sp = cryptoParams.getSecurityParametersHandshake();
        ProtocolVersion version = sp.getNegotiatedVersion();
        if (version == null || version.isDTLS() || !ProtocolVersion.TLSv12.isEqualOrEarlierVersionOf(version)) {
            return false;
        }
        return isEmpty(sp.getConnectionIDLocal()) && isEmpty(sp.getConnectionIDPeer());
    }

    private static boolean isEmpty(byte[] b) {
        return b == null || b.length == 0;
    }
}
