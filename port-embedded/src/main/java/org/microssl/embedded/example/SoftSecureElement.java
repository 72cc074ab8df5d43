package org.microssl.embedded.example;

import java.io.IOException;

import org.bouncycastle.crypto.digests.NullDigest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.DSADigestSigner;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.microssl.spi.KeySigner;

/** The device's secure element, in software for the examples: the key never leaves this object. */
final class SoftSecureElement implements KeySigner {
    private final ECPrivateKeyParameters slot;

    SoftSecureElement(ECPrivateKeyParameters slot) {
        this.slot = slot;
    }

    @Override
    public int[] supportedSchemes() {
        return new int[] {ECDSA_SECP256R1_SHA256};
    }

    @Override
    public byte[] sign(int scheme, byte[] digest) throws IOException {
        if (scheme != ECDSA_SECP256R1_SHA256) {
            throw new IOException("secure element: unsupported scheme " + scheme);
        }
        // the digest is signed as given (NullDigest), deterministic k (RFC 6979); BouncyCastle DER-encodes (r, s)
        DSADigestSigner signer =
            new DSADigestSigner(new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest())), new NullDigest());
        signer.init(true, slot);
        signer.update(digest, 0, digest.length);
        return signer.generateSignature();
    }
}
