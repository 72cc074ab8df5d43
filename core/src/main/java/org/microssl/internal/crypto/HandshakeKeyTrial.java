package org.microssl.internal.crypto;

import java.io.IOException;

import org.bouncycastle.tls.EncryptionAlgorithm;
import org.bouncycastle.tls.SecurityParameters;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCryptoUtils;
import org.bouncycastle.tls.crypto.TlsSecret;

/**
 * Whether a TLS 1.3 record opens under the client's handshake traffic key, asked without touching the record or
 * BouncyCastle's record layer: the test a server that rejects 0-RTT uses to tell the client's early data, which it
 * cannot read, from the start of the client's second flight (RFC 8446 section 4.2.10).
 *
 * <p>It opens a copy, with sequence number 0: no record has been accepted under this key yet, so the first good one
 * is the one BouncyCastle will also read with sequence number 0. The AEAD is BouncyCastle's lightweight one under
 * either backend (BouncyCastle's record layer decrypts the record again with the connection's own cipher).
 */
public final class HandshakeKeyTrial {
    private final RecordAead aead;
    private final byte[] nonce = new byte[RecordAead.NONCE_LENGTH];
    private final byte[] aad = new byte[5];
    private byte[] scratch = new byte[0];

    private HandshakeKeyTrial(RecordAead aead) {
        this.aead = aead;
    }

    /**
     * The client handshake traffic key of a TLS 1.3 handshake whose ServerHello has been sent (RFC 8446 section
     * 7.3), or null for a cipher suite without a record cipher of ours (none of TLS 1.3's that microssl offers).
     */
    public static HandshakeKeyTrial clientHandshakeKey(SecurityParameters sp) throws IOException {
        RecordAead aead;
        int keySize;
        switch (TlsUtils.getEncryptionAlgorithm(sp.getCipherSuite())) {
            case EncryptionAlgorithm.AES_128_GCM:
                aead = new AesGcmAead(true);
                keySize = 16;
                break;
            case EncryptionAlgorithm.AES_256_GCM:
                aead = new AesGcmAead(true);
                keySize = 32;
                break;
            case EncryptionAlgorithm.CHACHA20_POLY1305:
                aead = new ChaCha20Poly1305Aead();
                keySize = 32;
                break;
            default:
                return null;
        }
        TlsSecret secret = sp.getBaseKeyClient(); // client_handshake_traffic_secret until the client's Finished
        if (secret == null) return null;
        int hash = sp.getPRFCryptoHashAlgorithm();
        byte[] key = TlsCryptoUtils.hkdfExpandLabel(secret, hash, "key", TlsUtils.EMPTY_BYTES, keySize).extract();
        byte[] iv = TlsCryptoUtils.hkdfExpandLabel(secret, hash, "iv", TlsUtils.EMPTY_BYTES, 12).extract();
        HandshakeKeyTrial trial = new HandshakeKeyTrial(aead);
        try {
            aead.setKey(key, 0, keySize);
            // sequence number 0: the nonce is the IV itself (RFC 8446 section 5.3)
            System.arraycopy(iv, 0, trial.nonce, 0, 12);
        } finally {
            java.util.Arrays.fill(key, (byte) 0);
            java.util.Arrays.fill(iv, (byte) 0);
        }
        return trial;
    }

    /**
     * Whether the whole record {@code record[off, off+len)} (5-byte header, then TLSCiphertext) authenticates. The
     * caller has checked its length against the record limit; the record itself is left as it was.
     */
    public boolean opens(byte[] record, int off, int len) {
        int cipherLength = len - 5;
        int innerLength = cipherLength - RecordAead.TAG_LENGTH;
        if (innerLength < 1) return false; // no room for a tag and a content type: it cannot be the client's
        if (scratch.length < cipherLength) scratch = new byte[cipherLength];
        System.arraycopy(record, off + 5, scratch, 0, cipherLength);
        System.arraycopy(record, off, aad, 0, 5); // RFC 8446 section 5.2: the record header is the AAD
        boolean opened = aead.open(nonce, aad, 5, scratch, 0, innerLength);
        java.util.Arrays.fill(scratch, 0, cipherLength, (byte) 0);
        return opened;
    }
}
