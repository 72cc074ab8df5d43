package org.microssl.internal.crypto;

import java.io.IOException;
import java.math.BigInteger;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCertificate;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsRawKeyCertificate;
import org.bouncycastle.util.Properties;

/**
 * A peer's X.509 certificate as BouncyCastle's TLS engine needs it for the life of a connection: the DER, the
 * SubjectPublicKeyInfo and a few small facts, instead of {@link BcTlsCertificate}'s whole parsed ASN.1 tree
 * (about 3 KiB for a small ECDSA certificate). What is asked rarely (serial number, signature algorithm
 * parameters, extensions by OID) is read again from the DER when asked.
 *
 * <p>Parsing is BouncyCastle's own ({@link BcTlsCertificate#parseCertificate}), so a malformed certificate fails
 * exactly as with {@code BcTlsCertificate}: {@code TlsFatalAlert(bad_certificate)} for a structure that is not a
 * certificate, {@code decode_error} for trailing bytes, an {@code IOException} for truncated input.
 *
 * <p>The encoding is adopted, not copied, and {@link #getEncoded()} returns it without copying: BouncyCastle hands
 * each peer certificate a fresh array ({@code Certificate.parse}), microssl's {@code Identity} its own chain, which
 * it never writes, and every reader of {@code getEncoded()} only reads (BouncyCastle's {@code Certificate.encode}
 * and certificate comparison, microssl's peer chain, whose users clone before parsing or handing bytes out).
 * Nobody may write to it.
 */
final class LeanTlsCertificate extends BcTlsRawKeyCertificate {

    private static final int KEY_USAGE_ABSENT = -1;
    /** The keyUsage extension cannot be decoded: asked, it fails the way BcTlsCertificate fails (re-read). */
    private static final int KEY_USAGE_UNREADABLE = -2;

    /** Signature algorithm OIDs seen every day, so a certificate shares the constant instead of its own String. */
    private static final String[] COMMON_SIG_ALG_OIDS = {
        X9ObjectIdentifiers.ecdsa_with_SHA256.getId(), X9ObjectIdentifiers.ecdsa_with_SHA384.getId(),
        X9ObjectIdentifiers.ecdsa_with_SHA512.getId(), X9ObjectIdentifiers.ecdsa_with_SHA1.getId(),
        PKCSObjectIdentifiers.sha256WithRSAEncryption.getId(), PKCSObjectIdentifiers.sha384WithRSAEncryption.getId(),
        PKCSObjectIdentifiers.sha512WithRSAEncryption.getId(), PKCSObjectIdentifiers.sha1WithRSAEncryption.getId(),
        PKCSObjectIdentifiers.id_RSASSA_PSS.getId(), EdECObjectIdentifiers.id_Ed25519.getId(),
        EdECObjectIdentifiers.id_Ed448.getId(),
    };

    private final byte[] der;
    private final PeerKeyCache keyCache;
    private final String sigAlgOid;
    private final boolean hasSigAlgParams;
    /** The first octet of the keyUsage bits (what BouncyCastle consults), or KEY_USAGE_ABSENT / _UNREADABLE. */
    private final int keyUsage;

    /**
     * @param encoding adopted, not copied: nobody may write to it afterwards
     * @param keyCache decoded public keys shared by the connections of one crypto; null for none
     * @throws IOException as {@link BcTlsCertificate#BcTlsCertificate(org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto,
     *     byte[])} throws for the same bytes
     */
    static LeanTlsCertificate parse(FastBcTlsCrypto crypto, byte[] encoding, PeerKeyCache keyCache)
            throws IOException {
        return new LeanTlsCertificate(crypto, encoding, BcTlsCertificate.parseCertificate(encoding), keyCache);
    }

    private LeanTlsCertificate(FastBcTlsCrypto crypto, byte[] der, Certificate parsed, PeerKeyCache keyCache) {
        super(crypto, parsed.getSubjectPublicKeyInfo());
        this.der = der;
        this.keyCache = keyCache;
        this.sigAlgOid = common(parsed.getSignatureAlgorithm().getAlgorithm().getId());
        this.hasSigAlgParams = parsed.getSignatureAlgorithm().getParameters() != null;
        int bits;
        try {
            bits = keyUsageOctet(parsed);
        } catch (RuntimeException e) {
            bits = KEY_USAGE_UNREADABLE;
        }
        this.keyUsage = bits;
    }

    private static String common(String oid) {
        for (String c : COMMON_SIG_ALG_OIDS) {
            if (c.equals(oid)) return c;
        }
        return oid;
    }

    /** The certificate parsed again; it parsed once, so failing now means someone wrote to the adopted array. */
    private Certificate reparse() {
        try {
            return BcTlsCertificate.parseCertificate(der);
        } catch (IOException e) {
            throw new IllegalStateException("a certificate's encoding changed after it was parsed", e);
        }
    }

    /** -1 without a keyUsage extension; throws (unchecked) as BouncyCastle does when it cannot be decoded. */
    private static int keyUsageOctet(Certificate c) {
        Extensions exts = c.getTBSCertificate().getExtensions();
        if (exts == null) return KEY_USAGE_ABSENT;
        KeyUsage ku = KeyUsage.fromExtensions(exts);
        return ku == null ? KEY_USAGE_ABSENT : ku.getBytes()[0] & 0xff;
    }

    @Override
    public byte[] getEncoded() {
        return der;
    }

    @Override
    public byte[] getExtension(ASN1ObjectIdentifier extensionOID) throws IOException {
        // An extension's extnID is the OID's content octets verbatim (BouncyCastle accepts only minimal OID
        // encodings unless told otherwise), so where they do not occur the answer is null without a parse: BC's
        // TLS client asks every handshake for the RFC 7633 TLS feature, which hardly any certificate has.
        byte[] contents = oidContents(extensionOID);
        if (contents != null && !Properties.isOverrideSet("org.bouncycastle.asn1.allow_wrong_oid_enc")
                && indexOf(der, contents) < 0) {
            return null;
        }
        Extensions extensions = reparse().getTBSCertificate().getExtensions();
        if (extensions == null) return null;
        Extension extension = extensions.getExtension(extensionOID);
        return extension == null ? null : extension.getExtnValue().getOctets().clone();
    }

    @Override
    public BigInteger getSerialNumber() {
        return reparse().getSerialNumber().getValue(); // BC's TLS engine never asks (its JSSE layer does)
    }

    @Override
    public String getSigAlgOID() {
        return sigAlgOid;
    }

    @Override
    public ASN1Encodable getSigAlgParams() {
        return hasSigAlgParams ? reparse().getSignatureAlgorithm().getParameters() : null;
    }

    @Override
    protected boolean supportsKeyUsage(int keyUsageBits) {
        int bits = keyUsage == KEY_USAGE_UNREADABLE ? keyUsageOctet(reparse()) : keyUsage;
        return bits == KEY_USAGE_ABSENT || (bits & keyUsageBits) == keyUsageBits;
    }

    /**
     * The public key, from the crypto's cache when this key was decoded before: BouncyCastle keeps its EC point
     * precomputation on the decoded point, so a server key seen again verifies faster. Only a key that decoded
     * successfully is cached; a key that does not decode fails as in BouncyCastle (unsupported_certificate).
     */
    @Override
    protected AsymmetricKeyParameter getPublicKey() throws IOException {
        if (keyCache == null) return super.getPublicKey();
        // The cache's key is the SubjectPublicKeyInfo's DER: equal encodings decode to equal keys.
        byte[] spki = keyInfo.getEncoded(ASN1Encoding.DER);
        AsymmetricKeyParameter key = keyCache.get(spki);
        if (key != null) return key;
        key = super.getPublicKey();
        boolean worthKeeping = key instanceof ECPublicKeyParameters || key instanceof Ed25519PublicKeyParameters
                || key instanceof RSAKeyParameters;
        return worthKeeping ? keyCache.put(spki, key) : key;
    }

    /** The content octets of {@code oid}'s DER encoding, or null if it is too long for a one-byte length. */
    private static byte[] oidContents(ASN1ObjectIdentifier oid) throws IOException {
        byte[] tlv = oid.getEncoded(ASN1Encoding.DER);
        if (tlv.length < 2 || (tlv[1] & 0x80) != 0) return null;
        byte[] contents = new byte[tlv.length - 2];
        System.arraycopy(tlv, 2, contents, 0, contents.length);
        return contents;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) continue outer;
            }
            return i;
        }
        return -1;
    }
}
