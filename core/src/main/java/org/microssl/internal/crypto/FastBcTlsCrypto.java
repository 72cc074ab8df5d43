package org.microssl.internal.crypto;

import java.io.IOException;
import java.security.SecureRandom;

import org.bouncycastle.tls.CertificateType;
import org.bouncycastle.tls.EncryptionAlgorithm;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SecurityParameters;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCipher;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.TlsECConfig;
import org.bouncycastle.tls.crypto.TlsECDomain;
import org.bouncycastle.tls.crypto.TlsNonceGenerator;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * microssl's pure-Java {@code TlsCrypto}: BouncyCastle's lightweight {@link BcTlsCrypto}, except that AES-128/256-GCM
 * and ChaCha20-Poly1305 records go through {@link AeadRecordCipher} over BouncyCastle's engines
 * ({@link AesGcmAead}, {@link ChaCha20Poly1305Aead}), which keep key schedules and buffers for the life of the
 * traffic key instead of re-keying and allocating per record.
 *
 * <p>DTLS and connection IDs (RFC 9146) are left to BouncyCastle's own ciphers.
 *
 * <p>Per connection it also keeps less: X.509 certificates are {@link LeanTlsCertificate}s (DER, key and a few
 * facts, not a parsed ASN.1 tree), whose decoded public keys a small {@link PeerKeyCache} shares between
 * connections, and nonces come from one generator per crypto instead of one per connection.
 */
public class FastBcTlsCrypto extends BcTlsCrypto {

    private final PeerKeyCache peerKeys = new PeerKeyCache();
    private final TlsNonceGenerator nonces;

    public FastBcTlsCrypto(SecureRandom random) {
        super(random);
        this.nonces = new RandomNonces(random);
    }

    @Override
    public TlsCertificate createCertificate(short type, byte[] encoding) throws IOException {
        if (type == CertificateType.X509) return LeanTlsCertificate.parse(this, encoding, peerKeys);
        return super.createCertificate(type, encoding);
    }

    /**
     * One nonce generator for all connections instead of a SHA-256 generator per connection (about 780 bytes each).
     * It is still its own generator, seeded once from the crypto's SecureRandom: public values (randoms, nonces)
     * never come from the generator that makes private keys, as RFC 8446 Appendix C.1 advises against a broken
     * or observable generator. BC's per-connection seed material (a counter, the time) is public and adds nothing.
     */
    @Override
    public TlsNonceGenerator createNonceGenerator(byte[] additionalSeedMaterial) {
        return nonces;
    }

    @Override
    public TlsECDomain createECDomain(TlsECConfig ecConfig) {
        return X25519Shares.checked(ecConfig, super.createECDomain(ecConfig));
    }

    PeerKeyCache peerKeyCache() {
        return peerKeys;
    }

    @Override
    public TlsCipher createCipher(TlsCryptoParameters cryptoParams, int encryptionAlgorithm, int macAlgorithm)
            throws IOException {
        if (handlesRecordLayer(cryptoParams)) {
            // A connection that negotiated max_fragment_length is saving memory: table-free GHASH throughout.
            // TLS 1.3 handshake keys are made before EncryptedExtensions says; they carry only a few records.
            boolean compact = cryptoParams.getSecurityParametersHandshake().getMaxFragmentLength() > 0;
            switch (encryptionAlgorithm) {
                case EncryptionAlgorithm.AES_128_GCM:
                    return new AeadRecordCipher(cryptoParams, new AesGcmAead(compact), new AesGcmAead(compact), 16,
                            true);
                case EncryptionAlgorithm.AES_256_GCM:
                    return new AeadRecordCipher(cryptoParams, new AesGcmAead(compact), new AesGcmAead(compact), 32,
                            true);
                case EncryptionAlgorithm.CHACHA20_POLY1305:
                    return new AeadRecordCipher(cryptoParams, new ChaCha20Poly1305Aead(), new ChaCha20Poly1305Aead(),
                            32, false);
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
