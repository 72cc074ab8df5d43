package org.microssl.internal;

import java.io.IOException;
import java.math.BigInteger;
import java.security.SecureRandom;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.DigestInfo;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.encodings.PKCS1Encoding;
import org.bouncycastle.crypto.engines.RSABlindedEngine;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.signers.PSSSigner;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.microssl.spi.KeySigner;
import org.microssl.x509.KeyType;

/**
 * A {@link KeySigner} over a private key held in the Java heap (loaded with {@code loadCertChain(cert, key)}):
 * the same path a secure element takes, so both are tested by every handshake.
 */
public final class SoftwareKeySigner implements KeySigner {

    /** Where RSA blinding and PSS salts draw randomness: the context's DRBG, known only once it is created. */
    public interface RandomSource {
        SecureRandom random();
    }

    private final AsymmetricKeyParameter key;
    private final KeyType type;
    private final RandomSource randomSource;

    public SoftwareKeySigner(AsymmetricKeyParameter key, RandomSource randomSource) {
        this.key = key;
        this.type = Keys.keyType(key, "invalid key: ");
        this.randomSource = randomSource;
    }

    @Override
    public int[] supportedSchemes() {
        switch (type) {
            // The curve's own scheme first; the other hashes serve TLS 1.2 peers that offer only them (RFC 8422).
            case EC_P256:
                return new int[] {ECDSA_SECP256R1_SHA256, ECDSA_SECP384R1_SHA384, ECDSA_SECP521R1_SHA512};
            case EC_P384:
                return new int[] {ECDSA_SECP384R1_SHA384, ECDSA_SECP256R1_SHA256, ECDSA_SECP521R1_SHA512};
            case EC_P521:
                return new int[] {ECDSA_SECP521R1_SHA512, ECDSA_SECP256R1_SHA256, ECDSA_SECP384R1_SHA384};
            case ED25519:
                return new int[] {ED25519};
            default:
                // PSS first: RFC 8446 section 4.2.3 forbids PKCS#1 v1.5 in TLS 1.3 handshake signatures.
                return new int[] {RSA_PSS_RSAE_SHA256, RSA_PSS_RSAE_SHA384, RSA_PSS_RSAE_SHA512,
                    RSA_PKCS1_SHA256, RSA_PKCS1_SHA384, RSA_PKCS1_SHA512};
        }
    }

    @Override
    public byte[] sign(int scheme, byte[] input) throws IOException {
        try {
            switch (scheme) {
                case ECDSA_SECP256R1_SHA256:
                case ECDSA_SECP384R1_SHA384:
                case ECDSA_SECP521R1_SHA512:
                    return signEcdsa(scheme, input);
                case RSA_PKCS1_SHA256:
                case RSA_PKCS1_SHA384:
                case RSA_PKCS1_SHA512:
                    return signPkcs1(scheme, input);
                case RSA_PSS_RSAE_SHA256:
                case RSA_PSS_RSAE_SHA384:
                case RSA_PSS_RSAE_SHA512:
                    return signPss(scheme, input);
                case ED25519:
                    Ed25519Signer ed = new Ed25519Signer();
                    ed.init(true, (Ed25519PrivateKeyParameters) key);
                    ed.update(input, 0, input.length);
                    return ed.generateSignature();
                default:
                    throw new IOException(String.format("signature scheme 0x%04X is not supported", scheme));
            }
        } catch (ClassCastException e) {
            throw new IOException(String.format("signature scheme 0x%04X does not fit a %s key", scheme, type));
        } catch (CryptoException e) {
            throw new IOException("signing failed: " + e.getMessage(), e);
        }
    }

    private byte[] signEcdsa(int scheme, byte[] digest) throws IOException {
        // Deterministic nonces (RFC 6979): a weak or failing RNG can then never leak the key through k.
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(digestFor(scheme)));
        signer.init(true, (ECPrivateKeyParameters) key);
        BigInteger[] rs = signer.generateSignature(digest);
        return StandardDSAEncoding.INSTANCE.encode(((ECPrivateKeyParameters) key).getParameters().getN(), rs[0], rs[1]);
    }

    private byte[] signPkcs1(int scheme, byte[] digest) throws IOException, CryptoException {
        // RFC 8017 section 9.2: EMSA-PKCS1-v1_5 signs the DER DigestInfo of the hash.
        ASN1ObjectIdentifier oid = scheme == RSA_PKCS1_SHA256 ? NISTObjectIdentifiers.id_sha256
                : scheme == RSA_PKCS1_SHA384 ? NISTObjectIdentifiers.id_sha384 : NISTObjectIdentifiers.id_sha512;
        byte[] digestInfo = new DigestInfo(new AlgorithmIdentifier(oid, DERNull.INSTANCE), digest)
                .getEncoded(ASN1Encoding.DER);
        PKCS1Encoding rsa = new PKCS1Encoding(new RSABlindedEngine());
        rsa.init(true, new ParametersWithRandom(key, randomSource.random()));
        return rsa.processBlock(digestInfo, 0, digestInfo.length);
    }

    private byte[] signPss(int scheme, byte[] digest) throws CryptoException {
        // RFC 8446 section 4.2.3: MGF1 with the scheme's hash, salt as long as the hash.
        Digest content = digestFor(scheme);
        PSSSigner pss = PSSSigner.createRawSigner(new RSABlindedEngine(), content, digestFor(scheme),
                content.getDigestSize(), PSSSigner.TRAILER_IMPLICIT);
        pss.init(true, new ParametersWithRandom(key, randomSource.random()));
        pss.update(digest, 0, digest.length);
        return pss.generateSignature();
    }

    static Digest digestFor(int scheme) {
        switch (scheme) {
            case ECDSA_SECP384R1_SHA384:
            case RSA_PKCS1_SHA384:
            case RSA_PSS_RSAE_SHA384:
                return new SHA384Digest();
            case ECDSA_SECP521R1_SHA512:
            case RSA_PKCS1_SHA512:
            case RSA_PSS_RSAE_SHA512:
                return new SHA512Digest();
            default:
                return new SHA256Digest();
        }
    }

    @Override
    public String toString() {
        return "software " + type + " key"; // never the key itself
    }
}
