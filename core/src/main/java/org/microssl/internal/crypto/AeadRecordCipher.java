package org.microssl.internal.crypto;

import java.io.IOException;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.ContentType;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SecurityParameters;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.crypto.TlsCipher;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.TlsCryptoUtils;
import org.bouncycastle.tls.crypto.TlsDecodeResult;
import org.bouncycastle.tls.crypto.TlsEncodeResult;
import org.bouncycastle.tls.crypto.TlsSecret;
import org.bouncycastle.tls.crypto.impl.TlsImplUtils;

/**
 * The TLS 1.2 / TLS 1.3 AEAD record protection (RFC 5246 section 6.2.3.3, RFC 5288, RFC 7905, RFC 8446
 * section 5.2-5.3) over a {@link RecordAead} that keeps its key schedule for the life of the traffic key.
 *
 * <p>Per record it allocates only the two small result objects BouncyCastle's {@link TlsCipher} contract
 * returns: the nonce and additional data live in fields, received records are opened in place, and sealed
 * records are built in one output buffer that is reused, encrypted straight into it from the caller's data (BouncyCastle's record layer hands it straight to
 * its output stream, which copies it, before the next record is encoded). A record-sized output buffer is
 * pooled and given back, with the GHASH tables, when the connection's engine finds a half idle
 * ({@link ConnectionCiphers}).
 */
final class AeadRecordCipher implements TlsCipher {

    private static final int TLS12_AAD_LENGTH = 13;
    private static final int TLS13_AAD_LENGTH = 5;
    /** RFC 8446 section 5.2: TLSCiphertext.length may exceed the plaintext limit by up to 256 (type, padding, tag). */
    private static final int TLS13_CIPHERTEXT_EXPANSION = 256;
    /** Records up to this size (max_fragment_length ones, alerts) are sealed in an array of the cipher's own. */
    private static final int SMALL_OUTPUT = 4096 + 5 + 8 + 1 + 16;

    private final TlsCryptoParameters cryptoParams;
    final RecordAead encryptAead, decryptAead; // package-private for tests
    private final int keySize;
    private final boolean isTLSv13;
    /** 4 (RFC 5288 salt) or 12 (RFC 7905 / RFC 8446 per-record nonce mask). */
    private final int fixedIvLength;
    /** 8 for TLS 1.2 AES-GCM (nonce_explicit on the wire), else 0. */
    private final int explicitNonceLength;

    private final byte[] encryptIv = new byte[12], decryptIv = new byte[12];
    private final byte[] encryptNonce = new byte[12], decryptNonce = new byte[12];
    private final byte[] encryptAad = new byte[TLS12_AAD_LENGTH], decryptAad = new byte[TLS12_AAD_LENGTH];
    private byte[] output = new byte[0];
    /** output is a {@link RecordBuffers} array, given back by {@link #trimEncrypt}. */
    private boolean pooledOutput;

    AeadRecordCipher(TlsCryptoParameters cryptoParams, RecordAead encryptAead, RecordAead decryptAead, int keySize,
            boolean explicitNonce) throws IOException {
        SecurityParameters securityParameters = cryptoParams.getSecurityParametersHandshake();
        ProtocolVersion version = securityParameters.getNegotiatedVersion();
        this.cryptoParams = cryptoParams;
        this.encryptAead = encryptAead;
        this.decryptAead = decryptAead;
        this.keySize = keySize;
        this.isTLSv13 = TlsImplUtils.isTLSv13(version);
        boolean rfc5288 = explicitNonce && !isTLSv13;
        this.fixedIvLength = rfc5288 ? 4 : 12;
        this.explicitNonceLength = rfc5288 ? 8 : 0;

        ConnectionCiphers.created(this);
        boolean isServer = cryptoParams.isServer();
        if (isTLSv13) {
            setup13(securityParameters, encryptAead, encryptIv, isServer);
            setup13(securityParameters, decryptAead, decryptIv, !isServer);
            return;
        }
        // RFC 5246 section 6.3: client_write_key, server_write_key, client_write_IV, server_write_IV
        byte[] keyBlock = TlsImplUtils.calculateKeyBlock(cryptoParams, 2 * keySize + 2 * fixedIvLength);
        try {
            int clientKey = 0, serverKey = keySize, clientIv = 2 * keySize, serverIv = 2 * keySize + fixedIvLength;
            encryptAead.setKey(keyBlock, isServer ? serverKey : clientKey, keySize);
            decryptAead.setKey(keyBlock, isServer ? clientKey : serverKey, keySize);
            System.arraycopy(keyBlock, isServer ? serverIv : clientIv, encryptIv, 0, fixedIvLength);
            System.arraycopy(keyBlock, isServer ? clientIv : serverIv, decryptIv, 0, fixedIvLength);
        } finally {
            java.util.Arrays.fill(keyBlock, (byte) 0);
        }
    }

    /** RFC 8446 section 7.3: [sender]_write_key and _iv from the current traffic secret. */
    private void setup13(SecurityParameters securityParameters, RecordAead aead, byte[] iv, boolean serverSecret)
            throws IOException {
        TlsSecret secret = serverSecret ? securityParameters.getTrafficSecretServer()
                : securityParameters.getTrafficSecretClient();
        if (secret == null) {
            throw new TlsFatalAlert(AlertDescription.internal_error, "no traffic secret for the record cipher");
        }
        int hash = securityParameters.getPRFCryptoHashAlgorithm();
        byte[] key = TlsCryptoUtils.hkdfExpandLabel(secret, hash, "key", new byte[0], keySize).extract();
        byte[] ivBytes = TlsCryptoUtils.hkdfExpandLabel(secret, hash, "iv", new byte[0], 12).extract();
        try {
            aead.setKey(key, 0, keySize);
            System.arraycopy(ivBytes, 0, iv, 0, 12);
        } finally {
            java.util.Arrays.fill(key, (byte) 0);
            java.util.Arrays.fill(ivBytes, (byte) 0);
        }
    }

    /** Lets go of the sealed-record buffer (if pooled) and the sealing GHASH tables; both come back when needed. */
    void trimEncrypt() {
        if (pooledOutput) {
            RecordBuffers.give(output);
            output = new byte[0];
            pooledOutput = false;
        }
        encryptAead.trim();
    }

    void trimDecrypt() {
        decryptAead.trim();
    }

    @Override
    public int getCiphertextDecodeLimit(int plaintextLimit) {
        return isTLSv13 ? plaintextLimit + TLS13_CIPHERTEXT_EXPANSION
                : plaintextLimit + explicitNonceLength + RecordAead.TAG_LENGTH;
    }

    @Override
    public int getCiphertextEncodeLimit(int plaintextLimit) {
        // we never pad TLSInnerPlaintext: content type byte + tag
        return plaintextLimit + (isTLSv13 ? 1 : 0) + explicitNonceLength + RecordAead.TAG_LENGTH;
    }

    @Override
    public int getPlaintextDecodeLimit(int ciphertextLimit) {
        return ciphertextLimit - (isTLSv13 ? 1 : 0) - explicitNonceLength - RecordAead.TAG_LENGTH;
    }

    @Override
    public int getPlaintextEncodeLimit(int ciphertextLimit) {
        return getPlaintextDecodeLimit(ciphertextLimit);
    }

    @Override
    public TlsEncodeResult encodePlaintext(long seqNo, short contentType, ProtocolVersion recordVersion,
            int headerAllocation, byte[] plaintext, int plaintextOffset, int plaintextLength) throws IOException {
        int innerLength = plaintextLength + (isTLSv13 ? 1 : 0);
        int ciphertextLength = explicitNonceLength + innerLength + RecordAead.TAG_LENGTH;
        int total = headerAllocation + ciphertextLength;
        byte[] out = output;
        if (out.length < total) {
            // a large record (a full one, a certificate flight) is sealed in a pooled array, held until idle
            boolean pool = total > SMALL_OUTPUT && total <= RecordBuffers.SIZE;
            if (pooledOutput) RecordBuffers.give(out);
            out = output = pool ? RecordBuffers.take() : new byte[total];
            pooledOutput = pool;
        }
        byte[] nonce = encryptNonce;
        makeNonce(encryptIv, seqNo, nonce);
        int pos = headerAllocation;
        if (explicitNonceLength != 0) {
            // RFC 5288 section 3: nonce_explicit, here the sequence number (unique per key, as RFC 5116 asks)
            System.arraycopy(nonce, fixedIvLength, out, pos, explicitNonceLength);
            pos += explicitNonceLength;
        }
        // Whole 64-byte blocks are encrypted straight from the caller's buffer; only the tail is copied first.
        int fromSrc = plaintext == out ? 0 : plaintextLength & ~63;
        System.arraycopy(plaintext, plaintextOffset + fromSrc, out, pos + fromSrc, plaintextLength - fromSrc);
        short recordType = contentType;
        int aadLength;
        if (isTLSv13) {
            out[pos + plaintextLength] = (byte) contentType; // TLSInnerPlaintext.type, no padding
            recordType = ContentType.application_data;
            aadLength = aad13(encryptAad, recordType, recordVersion, ciphertextLength);
        } else {
            aadLength = aad12(encryptAad, seqNo, contentType, recordVersion, plaintextLength);
        }
        encryptAead.seal(nonce, encryptAad, aadLength, plaintext, plaintextOffset, fromSrc, out, pos, innerLength);
        return new TlsEncodeResult(out, 0, total, recordType);
    }

    @Override
    public TlsDecodeResult decodeCiphertext(long seqNo, short recordType, ProtocolVersion recordVersion,
            byte[] ciphertext, int ciphertextOffset, int ciphertextLength) throws IOException {
        int innerLength = ciphertextLength - explicitNonceLength - RecordAead.TAG_LENGTH;
        if (innerLength < (isTLSv13 ? 1 : 0)) {
            // too short to hold a tag: it cannot authenticate, which is bad_record_mac (RFC 8446 section 5.2)
            throw new TlsFatalAlert(AlertDescription.bad_record_mac, "an AEAD record shorter than its tag");
        }
        if (isTLSv13 && innerLength > (1 << 14) + 1) {
            // RFC 8446 section 5.4: TLSInnerPlaintext (content, type and padding) is at most 2^14 + 1 bytes.
            throw new TlsFatalAlert(AlertDescription.record_overflow,
                    "a TLS 1.3 record's plaintext with its padding is " + innerLength + " bytes, over 2^14 + 1");
        }
        byte[] nonce = decryptNonce;
        if (explicitNonceLength != 0) {
            System.arraycopy(decryptIv, 0, nonce, 0, fixedIvLength);
            System.arraycopy(ciphertext, ciphertextOffset, nonce, fixedIvLength, explicitNonceLength);
        } else {
            makeNonce(decryptIv, seqNo, nonce);
        }
        int aadLength = isTLSv13 ? aad13(decryptAad, recordType, recordVersion, ciphertextLength)
                : aad12(decryptAad, seqNo, recordType, recordVersion, innerLength);
        int pos = ciphertextOffset + explicitNonceLength;
        if (!decryptAead.open(nonce, decryptAad, aadLength, ciphertext, pos, innerLength)) {
            throw new TlsFatalAlert(AlertDescription.bad_record_mac);
        }
        short contentType = recordType;
        int plaintextLength = innerLength;
        if (isTLSv13) {
            // RFC 8446 section 5.4: strip zero padding; the last non-zero byte is the real content type
            do {
                if (--plaintextLength < 0) {
                    throw new TlsFatalAlert(AlertDescription.unexpected_message, "TLSInnerPlaintext has no content type");
                }
            } while (ciphertext[pos + plaintextLength] == 0);
            contentType = (short) (ciphertext[pos + plaintextLength] & 0xff);
            if (plaintextLength == 0 && contentType != ContentType.application_data) {
                // RFC 8446 section 5.4: no zero-length handshake or alert fragments (BouncyCastle would say
                // illegal_parameter)
                throw new TlsFatalAlert(AlertDescription.unexpected_message,
                        "an empty " + ContentType.getText(contentType) + " record");
            }
        }
        return new TlsDecodeResult(ciphertext, pos, plaintextLength, contentType);
    }

    /**
     * TLS 1.2 AES-GCM: salt || seq (RFC 5288); ChaCha20-Poly1305 and TLS 1.3: iv xor padded seq (RFC 7905
     * section 2, RFC 8446 section 5.3).
     */
    private void makeNonce(byte[] iv, long seqNo, byte[] nonce) {
        if (explicitNonceLength != 0) {
            System.arraycopy(iv, 0, nonce, 0, 4);
            for (int i = 0; i < 8; i++) {
                nonce[4 + i] = (byte) (seqNo >>> (56 - 8 * i));
            }
        } else {
            for (int i = 0; i < 4; i++) {
                nonce[i] = iv[i];
            }
            for (int i = 0; i < 8; i++) {
                nonce[4 + i] = (byte) (iv[4 + i] ^ (seqNo >>> (56 - 8 * i)));
            }
        }
    }

    /** RFC 5246 section 6.2.3.3: seq_num + type + version + length (of the plaintext). */
    private static int aad12(byte[] aad, long seqNo, short type, ProtocolVersion version, int plaintextLength) {
        for (int i = 0; i < 8; i++) {
            aad[i] = (byte) (seqNo >>> (56 - 8 * i));
        }
        aad[8] = (byte) type;
        aad[9] = (byte) version.getMajorVersion();
        aad[10] = (byte) version.getMinorVersion();
        aad[11] = (byte) (plaintextLength >>> 8);
        aad[12] = (byte) plaintextLength;
        return TLS12_AAD_LENGTH;
    }

    /** RFC 8446 section 5.2: opaque_type + legacy_record_version + length (of the ciphertext). */
    private static int aad13(byte[] aad, short type, ProtocolVersion version, int ciphertextLength) {
        aad[0] = (byte) type;
        aad[1] = (byte) version.getMajorVersion();
        aad[2] = (byte) version.getMinorVersion();
        aad[3] = (byte) (ciphertextLength >>> 8);
        aad[4] = (byte) ciphertextLength;
        return TLS13_AAD_LENGTH;
    }

    @Override
    public void rekeyDecoder() throws IOException {
        rekey(decryptAead, decryptIv, !cryptoParams.isServer());
    }

    @Override
    public void rekeyEncoder() throws IOException {
        rekey(encryptAead, encryptIv, cryptoParams.isServer());
    }

    /** RFC 8446 section 4.6.3: after KeyUpdate the traffic secret has already been advanced by BouncyCastle. */
    private void rekey(RecordAead aead, byte[] iv, boolean serverSecret) throws IOException {
        if (!isTLSv13) {
            throw new TlsFatalAlert(AlertDescription.internal_error, "KeyUpdate outside TLS 1.3");
        }
        setup13(cryptoParams.getSecurityParametersConnection(), aead, iv, serverSecret);
    }

    @Override
    public boolean usesOpaqueRecordTypeDecode() {
        return isTLSv13;
    }

    @Override
    public boolean usesOpaqueRecordTypeEncode() {
        return isTLSv13;
    }
}
