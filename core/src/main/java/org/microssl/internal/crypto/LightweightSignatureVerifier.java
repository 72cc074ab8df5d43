package org.microssl.internal.crypto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.CipherParameters;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.Signer;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.engines.RSAEngine;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.signers.DSADigestSigner;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.signers.PSSSigner;
import org.bouncycastle.crypto.signers.RSADigestSigner;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.microssl.spi.SignatureScheme;
import org.microssl.spi.SignatureVerifier;

/**
 * Certificate signature verification in pure Java with BouncyCastle's lightweight API: no JCA provider, so it
 * runs on any JVM. Parsed public keys are kept in a small cache because the same CA keys verify chain after
 * chain.
 */
public final class LightweightSignatureVerifier implements SignatureVerifier {

    /** The device profile: keys decoded by {@link DeviceKeys} (RSA, EC P-256/P-384, Ed25519) only. */
    private final boolean deviceKeys;

    public LightweightSignatureVerifier() {
        this(false);
    }

    private LightweightSignatureVerifier(boolean deviceKeys) {
        this.deviceKeys = deviceKeys;
    }

    /** The device profile's verifier: what {@link DeviceKeys} decodes, without BouncyCastle's PublicKeyFactory. */
    static LightweightSignatureVerifier device() {
        return new LightweightSignatureVerifier(true);
    }

    /** Enough for a device's trust store working set and a few intermediates. */
    private static final int KEY_CACHE_SIZE = 64;

    private final Map<ByteBuffer, AsymmetricKeyParameter> keys =
            new LinkedHashMap<ByteBuffer, AsymmetricKeyParameter>(16, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<ByteBuffer, AsymmetricKeyParameter> eldest) {
                    return size() > KEY_CACHE_SIZE;
                }
            };

    @Override
    public boolean verify(SignatureScheme scheme, byte[] subjectPublicKeyInfo, byte[] signedData, byte[] signature) {
        AsymmetricKeyParameter key = key(subjectPublicKeyInfo);
        Signer signer;
        CipherParameters params = key;
        switch (scheme) {
            case RSA_PKCS1_SHA256: signer = new RSADigestSigner(new SHA256Digest()); requireRsa(key, scheme); break;
            case RSA_PKCS1_SHA384: signer = new RSADigestSigner(new SHA384Digest()); requireRsa(key, scheme); break;
            case RSA_PKCS1_SHA512: signer = new RSADigestSigner(new SHA512Digest()); requireRsa(key, scheme); break;
            case RSA_PSS_SHA256: signer = pss(new SHA256Digest(), new SHA256Digest()); requireRsa(key, scheme); break;
            case RSA_PSS_SHA384: signer = pss(new SHA384Digest(), new SHA384Digest()); requireRsa(key, scheme); break;
            case RSA_PSS_SHA512: signer = pss(new SHA512Digest(), new SHA512Digest()); requireRsa(key, scheme); break;
            case ECDSA_SHA256: signer = ecdsa(new SHA256Digest()); requireEc(key, scheme); break;
            case ECDSA_SHA384: signer = ecdsa(new SHA384Digest()); requireEc(key, scheme); break;
            case ECDSA_SHA512: signer = ecdsa(new SHA512Digest()); requireEc(key, scheme); break;
            case ED25519:
                if (!(key instanceof Ed25519PublicKeyParameters)) throw wrongKey(key, scheme);
                signer = new Ed25519Signer();
                break;
            default:
                throw new IllegalArgumentException("unsupported scheme " + scheme);
        }
        try {
            signer.init(false, params);
            signer.update(signedData, 0, signedData.length);
            return signer.verifySignature(signature);
        } catch (RuntimeException e) {
            // a signature that cannot even be decoded (wrong length, bad DER) is a signature that does not verify
            return false;
        }
    }

    private static Signer pss(Digest content, Digest mgf) {
        // RFC 8017 / CA/B BR 7.1.3.2.1: MGF1 with the same hash, salt length = hash length, trailer 0xBC
        return new PSSSigner(new RSAEngine(), content, mgf, content.getDigestSize(), PSSSigner.TRAILER_IMPLICIT);
    }

    private static Signer ecdsa(Digest digest) {
        // StandardDSAEncoding rejects non-DER Ecdsa-Sig-Value encodings
        return new DSADigestSigner(new ECDSASigner(), digest, StandardDSAEncoding.INSTANCE);
    }

    private static void requireRsa(AsymmetricKeyParameter key, SignatureScheme s) {
        if (!(key instanceof RSAKeyParameters)) throw wrongKey(key, s);
    }

    private static void requireEc(AsymmetricKeyParameter key, SignatureScheme s) {
        if (!(key instanceof ECPublicKeyParameters)) throw wrongKey(key, s);
    }

    private static IllegalArgumentException wrongKey(AsymmetricKeyParameter key, SignatureScheme s) {
        return new IllegalArgumentException(s + " needs another key type than " + key.getClass().getSimpleName());
    }

    private AsymmetricKeyParameter key(byte[] spki) {
        ByteBuffer k = ByteBuffer.wrap(spki.clone());
        synchronized (keys) {
            AsymmetricKeyParameter cached = keys.get(k);
            if (cached != null) return cached;
        }
        AsymmetricKeyParameter parsed;
        try {
            SubjectPublicKeyInfo info = SubjectPublicKeyInfo.getInstance(spki);
            if (deviceKeys || Profile.device()) {
                parsed = DeviceKeys.publicKey(info);
            } else if (PKCSObjectIdentifiers.rsaEncryption.equals(info.getAlgorithm().getAlgorithm())) {
                // BouncyCastle's default RSA key constructor runs Miller-Rabin rounds to prove the modulus composite:
                // hundreds of milliseconds per 4096-bit key, and pointless for verification with a key that is an
                // anchor or certified by one ("internal" skips it)
                RSAPublicKey rsa = RSAPublicKey.getInstance(info.parsePublicKey());
                parsed = new RSAKeyParameters(false, rsa.getModulus(), rsa.getPublicExponent(), true);
            } else {
                parsed = PublicKeyFactory.createKey(info);
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("public key cannot be decoded: " + e.getMessage());
        }
        if (parsed.isPrivate()) throw new IllegalArgumentException("not a public key");
        synchronized (keys) {
            keys.put(k, parsed);
        }
        return parsed;
    }
}
