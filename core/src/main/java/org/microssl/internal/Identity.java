package org.microssl.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Vector;

import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.microssl.internal.crypto.DeviceCurves;
import org.microssl.internal.crypto.Profile;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.signers.PlainDSAEncoding;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateEntry;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.SignatureScheme;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.DefaultTlsCredentialedSigner;
import org.bouncycastle.tls.NamedGroup;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCrypto;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.TlsSigner;
import org.bouncycastle.tls.crypto.TlsStreamSigner;
import org.microssl.spi.KeySigner;
import org.microssl.x509.KeyType;

/**
 * Our own certificate chain and the {@link KeySigner} holding its key (software or a secure element), turned into
 * BouncyCastle credentials for one handshake.
 */
public final class Identity {

    /** Thrown (as the cause of a TlsFatalAlert) when the KeySigner fails. */
    public static final class SignerFailure extends IOException {
        private static final long serialVersionUID = 1L;

        SignerFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final List<byte[]> chainDer;
    private final KeySigner signer;
    private final KeyType type;
    private volatile Object[] parsed; // {TlsCrypto, TlsCertificate[]}

    /**
     * @param chainDer leaf first
     * @throws IllegalArgumentException if the signer offers no scheme that fits the certificate's key
     */
    public Identity(List<byte[]> chainDer, KeySigner signer) {
        this.chainDer = Collections.unmodifiableList(new ArrayList<byte[]>(chainDer));
        this.signer = signer;
        AsymmetricKeyParameter pub = Keys.certificatePublicKey(chainDer.get(0));
        this.type = Keys.keyType(pub, "invalid cert: ");
        int[] schemes = signer.supportedSchemes();
        boolean any = false;
        if (schemes != null) {
            for (int s : schemes) any |= fits(s, type, true);
        }
        if (!any) {
            throw new IllegalArgumentException("invalid key: the signer supports no signature scheme for the "
                    + "certificate's " + type + " key");
        }
    }

    public KeyType keyType() {
        return type;
    }

    public List<byte[]> chainDer() {
        return chainDer;
    }

    /** The NamedGroup of an ECDSA certificate's curve (RFC 8422 section 5.1.1), or -1 for RSA and Ed25519 keys. */
    int ecdsaCurve() {
        switch (type) {
            case EC_P256:
                return NamedGroup.secp256r1;
            case EC_P384:
                return NamedGroup.secp384r1;
            default:
                return -1;
        }
    }

    /**
     * @param peerSigAlgs the peer's signature_algorithms (RFC 8446 section 4.2.3)
     * @param certificateRequestContext TLS 1.3 only: empty for a server, the CertificateRequest's for a client
     * @return credentials, or null if no scheme of ours is acceptable to the peer
     */
    public TlsCredentialedSigner credentials(TlsContext context, TlsCrypto crypto, Vector<?> peerSigAlgs,
            byte[] certificateRequestContext) throws IOException {
        boolean tls13 = TlsUtils.isTLSv13(context);
        int scheme = chooseScheme(peerSigAlgs, tls13);
        if (scheme < 0) return null;
        TlsCertificate[] certs = parsedChain(crypto);
        Certificate certificate;
        if (tls13) {
            CertificateEntry[] entries = new CertificateEntry[certs.length];
            for (int i = 0; i < certs.length; i++) entries[i] = new CertificateEntry(certs[i], null);
            certificate = new Certificate(certificateRequestContext, entries);
        } else {
            certificate = new Certificate(certs);
        }
        SignatureAndHashAlgorithm alg = SignatureScheme.getSignatureAndHashAlgorithm(scheme);
        return new DefaultTlsCredentialedSigner(new TlsCryptoParameters(context), new HookTlsSigner(scheme), certificate,
                alg);
    }

    /** The chain parsed by {@code crypto}, kept for the next handshake with the same crypto (one per context). */
    private TlsCertificate[] parsedChain(TlsCrypto crypto) throws IOException {
        Object[] cached = parsed;
        if (cached != null && cached[0] == crypto) return ((TlsCertificate[]) cached[1]).clone();
        TlsCertificate[] certs = new TlsCertificate[chainDer.size()];
        for (int i = 0; i < certs.length; i++) certs[i] = crypto.createCertificate(chainDer.get(i));
        parsed = new Object[] {crypto, certs.clone()};
        return certs;
    }

    /** TLS 1.2 CertificateRequest certificate_types (RFC 5246 section 7.4.4; Ed25519 is ecdsa_sign, RFC 8422). */
    public boolean fitsCertificateTypes(short[] types) {
        if (types == null) return true;
        short wanted = type == KeyType.RSA ? ClientCertificateType.rsa_sign : ClientCertificateType.ecdsa_sign;
        for (short t : types) {
            if (t == wanted) return true;
        }
        return false;
    }

    /** Whether a scheme of ours is among {@code peerSigAlgs}. */
    boolean canSign(Vector<?> peerSigAlgs, boolean tls13) {
        return chooseScheme(peerSigAlgs, tls13) >= 0;
    }

    private int chooseScheme(Vector<?> peerSigAlgs, boolean tls13) {
        if (peerSigAlgs == null) return -1;
        for (int s : signer.supportedSchemes()) {
            if (!fits(s, type, tls13)) continue;
            // RFC 8446 section 4.4.3: no PKCS#1 v1.5 in TLS 1.3 CertificateVerify.
            if (tls13 && isPkcs1(s)) continue;
            if (peerSigAlgs.contains(SignatureScheme.getSignatureAndHashAlgorithm(s))) return s;
        }
        return -1;
    }

    private static boolean isEcdsa(int s) {
        return s == KeySigner.ECDSA_SECP256R1_SHA256 || s == KeySigner.ECDSA_SECP384R1_SHA384
                || s == KeySigner.ECDSA_SECP521R1_SHA512;
    }

    private static boolean isPkcs1(int s) {
        return s == KeySigner.RSA_PKCS1_SHA256 || s == KeySigner.RSA_PKCS1_SHA384 || s == KeySigner.RSA_PKCS1_SHA512;
    }

    private static boolean isPss(int s) {
        return s == KeySigner.RSA_PSS_RSAE_SHA256 || s == KeySigner.RSA_PSS_RSAE_SHA384
                || s == KeySigner.RSA_PSS_RSAE_SHA512;
    }

    /**
     * Whether {@code scheme} can sign with a {@code type} key. TLS 1.3 binds an ECDSA scheme to its curve (RFC 8446
     * section 4.2.3); TLS 1.2 names only the hash, and any ECDSA hash goes with any curve (RFC 8422 section 5.1.1,
     * tlsfuzzer's test-ecdsa-sig-flexibility), so a P-256 key may sign SHA-384 for a client that offers nothing else.
     */
    static boolean fits(int scheme, KeyType type, boolean tls13) {
        switch (type) {
            case EC_P256:
                return scheme == KeySigner.ECDSA_SECP256R1_SHA256 || !tls13 && isEcdsa(scheme);
            case EC_P384:
                return scheme == KeySigner.ECDSA_SECP384R1_SHA384 || !tls13 && isEcdsa(scheme);
            case EC_P521:
                return scheme == KeySigner.ECDSA_SECP521R1_SHA512 || !tls13 && isEcdsa(scheme);
            case ED25519:
                return scheme == KeySigner.ED25519;
            default:
                return isPkcs1(scheme) || isPss(scheme);
        }
    }

    /** Calls the KeySigner with a digest (ECDSA, RSA) or the whole message (Ed25519), as its contract says. */
    private final class HookTlsSigner implements TlsSigner {
        private final int scheme;

        HookTlsSigner(int scheme) {
            this.scheme = scheme;
        }

        @Override
        public byte[] generateRawSignature(SignatureAndHashAlgorithm algorithm, byte[] hash) throws IOException {
            return sign(hash);
        }

        @Override
        public TlsStreamSigner getStreamSigner(SignatureAndHashAlgorithm algorithm) {
            // BouncyCastle hashes for us only where the scheme names a separate hash; RSA-PSS ("intrinsic" hash in
            // BouncyCastle's model) and Ed25519 get the message as a stream.
            if (scheme == KeySigner.ED25519) {
                final ByteArrayOutputStream message = new ByteArrayOutputStream(256);
                return new TlsStreamSigner() {
                    @Override
                    public OutputStream getOutputStream() {
                        return message;
                    }

                    @Override
                    public byte[] getSignature() throws IOException {
                        return sign(message.toByteArray());
                    }
                };
            }
            if (isPss(scheme)) {
                final Digest digest = SoftwareKeySigner.digestFor(scheme);
                final OutputStream out = new OutputStream() {
                    @Override
                    public void write(int b) {
                        digest.update((byte) b);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) {
                        digest.update(b, off, len);
                    }
                };
                return new TlsStreamSigner() {
                    @Override
                    public OutputStream getOutputStream() {
                        return out;
                    }

                    @Override
                    public byte[] getSignature() throws IOException {
                        byte[] hash = new byte[digest.getDigestSize()];
                        digest.doFinal(hash, 0);
                        return sign(hash);
                    }
                };
            }
            return null;
        }

        private byte[] sign(byte[] input) throws IOException {
            byte[] sig;
            try {
                sig = signer.sign(scheme, input);
            } catch (IOException | RuntimeException e) {
                throw new TlsFatalAlert(AlertDescription.internal_error, "key signer failed",
                        new SignerFailure("key signer " + signer + " failed: " + e, e));
            }
            if (sig == null || sig.length == 0) {
                throw new TlsFatalAlert(AlertDescription.internal_error, "key signer returned no signature",
                        new SignerFailure("key signer " + signer + " returned no signature", null));
            }
            if (type == KeyType.EC_P256 || type == KeyType.EC_P384) {
                return derEcdsa(sig, type == KeyType.EC_P256 ? 32 : 48);
            }
            return sig;
        }
    }

    /** Keeps a DER Ecdsa-Sig-Value; re-encodes the raw {@code r || s} most secure elements return (SEC1 4.1.3). */
    static byte[] derEcdsa(byte[] sig, int fieldLength) throws IOException {
        // the device jar (Profile.device()) has no curve tables
        BigInteger order = Profile.device() ? (fieldLength == 32 ? DeviceCurves.p256() : DeviceCurves.p384()).getN()
                : CustomNamedCurves.getByName(fieldLength == 32 ? "secp256r1" : "secp384r1").getN();
        try {
            StandardDSAEncoding.INSTANCE.decode(order, sig); // strict: DER only, r and s in [1, n-1]
            return sig;
        } catch (IOException | RuntimeException notDer) {
            // not a DER Ecdsa-Sig-Value: try r || s
        }
        try {
            BigInteger[] rs = PlainDSAEncoding.INSTANCE.decode(order, sig);
            return StandardDSAEncoding.INSTANCE.encode(order, rs[0], rs[1]);
        } catch (IllegalArgumentException e) {
            throw new TlsFatalAlert(AlertDescription.internal_error, "ECDSA signature is neither DER nor r||s",
                    new SignerFailure("key signer returned a " + sig.length
                            + "-byte ECDSA signature, neither DER nor raw r||s", null));
        }
    }
}
