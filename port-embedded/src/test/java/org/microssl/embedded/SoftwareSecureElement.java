package org.microssl.embedded;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.microssl.spi.KeySigner;

/**
 * A software stand-in for an ATECC608-style secure element: it makes its P-256 key inside and never gives it out;
 * it signs 32-byte digests and answers the raw {@code r || s} such chips return. Tests certify its public key.
 */
final class SoftwareSecureElement implements KeySigner {

    private final PrivateKey slot0;
    private final PublicKey publicKey;
    final List<Integer> schemesUsed = new ArrayList<>();

    SoftwareSecureElement() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = g.generateKeyPair();
        slot0 = pair.getPrivate();
        publicKey = pair.getPublic();
    }

    /** The public half only, for a certificate request: the private key stays in "slot 0". */
    KeyPair publicOnly() {
        return new KeyPair(publicKey, null);
    }

    @Override
    public int[] supportedSchemes() {
        return new int[] {ECDSA_SECP256R1_SHA256};
    }

    @Override
    public synchronized byte[] sign(int scheme, byte[] digest) throws IOException {
        schemesUsed.add(scheme);
        if (scheme != ECDSA_SECP256R1_SHA256 || digest.length != 32) {
            throw new IOException("secure element: unsupported scheme 0x" + Integer.toHexString(scheme)
                + " or digest length " + digest.length);
        }
        try {
            Signature ecdsa = Signature.getInstance("NONEwithECDSA");
            ecdsa.initSign(slot0);
            ecdsa.update(digest);
            ASN1Sequence der = ASN1Sequence.getInstance(ecdsa.sign());
            byte[] raw = new byte[64];
            fixed(ASN1Integer.getInstance(der.getObjectAt(0)).getValue(), raw, 0);
            fixed(ASN1Integer.getInstance(der.getObjectAt(1)).getValue(), raw, 32);
            return raw;
        } catch (GeneralSecurityException e) {
            throw new IOException("secure element failed: " + e, e);
        }
    }

    private static void fixed(BigInteger v, byte[] out, int off) {
        byte[] b = v.toByteArray();
        int len = Math.min(b.length, 32);
        System.arraycopy(b, b.length - len, out, off + 32 - len, len);
    }
}
