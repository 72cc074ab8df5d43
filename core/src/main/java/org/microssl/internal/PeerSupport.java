package org.microssl.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Vector;

import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.NamedGroup;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SignatureAndHashAlgorithm;
import org.bouncycastle.tls.SignatureScheme;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.TlsContext;
import org.microssl.x509.CertificateRejectedException;
import org.microssl.x509.KeyType;
import org.microssl.x509.PathValidator;
import org.microssl.x509.Purpose;
import org.microssl.x509.Reason;

/** What the client and server peers share: versions, groups, signature schemes, peer certificate checks. */
final class PeerSupport {

    /** X25519 first (RFC 8446 section 9.1 makes it a SHOULD; constant time in pure Java), then the NIST curves. */
    static final int[] GROUPS = {NamedGroup.x25519, NamedGroup.secp256r1, NamedGroup.secp384r1};

    /**
     * Handshake signature schemes we accept and offer (RFC 8446 section 4.2.3), strongest-cheapest first. No
     * SHA-1, no DSA. rsa_pss_pss_* is absent: the validator accepts PSS signatures by rsaEncryption keys only.
     */
    static final int[] SIGNATURE_SCHEMES = {
        SignatureScheme.ed25519,
        SignatureScheme.ecdsa_secp256r1_sha256,
        SignatureScheme.ecdsa_secp384r1_sha384,
        SignatureScheme.ecdsa_secp521r1_sha512,
        SignatureScheme.rsa_pss_rsae_sha256,
        SignatureScheme.rsa_pss_rsae_sha384,
        SignatureScheme.rsa_pss_rsae_sha512,
        SignatureScheme.rsa_pkcs1_sha256,
        SignatureScheme.rsa_pkcs1_sha384,
        SignatureScheme.rsa_pkcs1_sha512,
    };

    private PeerSupport() {}

    /** {@link #GROUPS} that {@code crypto} implements, in that order. */
    static int[] groups(org.bouncycastle.tls.crypto.TlsCrypto crypto) {
        int[] out = new int[GROUPS.length];
        int n = 0;
        for (int g : GROUPS) {
            if (crypto.hasNamedGroup(g)) out[n++] = g;
        }
        int[] result = new int[n];
        System.arraycopy(out, 0, result, 0, n);
        return result;
    }

    static Vector<SignatureAndHashAlgorithm> signatureAlgorithms() {
        Vector<SignatureAndHashAlgorithm> v = new Vector<SignatureAndHashAlgorithm>(SIGNATURE_SCHEMES.length);
        for (int s : SIGNATURE_SCHEMES) v.addElement(SignatureScheme.getSignatureAndHashAlgorithm(s));
        return v;
    }

    /**
     * The versions in the configured range for which a cipher suite is configured: offering TLS 1.3 with only
     * TLS 1.2 suites would let the peer pick a version we cannot complete.
     */
    static ProtocolVersion[] versions(Settings settings) {
        boolean has13 = false;
        boolean has12 = false;
        for (int suite : PskSupport.configured(settings)) {
            if (CipherSuites.isTls13(suite)) has13 = true; else has12 = true;
        }
        List<ProtocolVersion> out = new ArrayList<ProtocolVersion>(2);
        if (has13 && settings.maxVersion >= Settings.TLS13 && settings.minVersion <= Settings.TLS13) {
            out.add(ProtocolVersion.TLSv13);
        }
        if (has12 && settings.maxVersion >= Settings.TLS12 && settings.minVersion <= Settings.TLS12) {
            out.add(ProtocolVersion.TLSv12);
        }
        return out.toArray(new ProtocolVersion[0]);
    }

    /**
     * The configured suites usable within the version range and, for a server, with its key (TLS 1.2 suites name
     * the certificate's key type; Ed25519 goes with ECDSA, RFC 8422 section 5.1.1).
     */
    static int[] suites(Settings settings, KeyType serverKey) {
        boolean tls13 = settings.maxVersion >= Settings.TLS13;
        boolean tls12 = settings.minVersion <= Settings.TLS12;
        int[] configured = PskSupport.configured(settings);
        int[] out = new int[configured.length];
        int n = 0;
        for (int suite : configured) {
            if (CipherSuites.isTls13(suite)) {
                if (!tls13) continue;
            } else {
                if (!tls12) continue;
                if (PskSupport.isPskSuite(suite)) {
                    if (settings.psk == null) continue;
                } else if (settings.server && serverKey == null) {
                    continue; // a server with PSKs and no certificate
                } else if (serverKey != null) {
                    boolean rsa = serverKey == KeyType.RSA;
                    if (rsa ? !CipherSuites.isRsaSuite(suite) : !CipherSuites.isEcdsaSuite(suite)) continue;
                }
            }
            out[n++] = suite;
        }
        int[] result = new int[n];
        System.arraycopy(out, 0, result, 0, n);
        return result;
    }

    /**
     * The peer's chain as DER. With the pure-Java crypto these are the certificates' own arrays, not copies
     * (LeanTlsCertificate hands out the one it holds, so a connection keeps each certificate once): read them,
     * never write; whoever hands bytes out or parses them to keep clones first (getpeercert, PathValidator).
     */
    static List<byte[]> chainDer(Certificate certificate) throws java.io.IOException {
        List<byte[]> out = new ArrayList<byte[]>();
        if (certificate == null) return out;
        for (TlsCertificate c : certificate.getCertificateList()) out.add(c.getEncoded());
        return out;
    }

    /**
     * Validates the peer's chain; a rejection becomes the fatal alert of {@link Alerts}, with the validator's
     * exception as its cause (unwrapped again by the Engine for the user).
     *
     * @return true (validated) or throws
     */
    static boolean verify(TlsContext context, PathValidator validator, List<byte[]> chain, Purpose purpose,
            String expectedName) throws TlsFatalAlert {
        boolean tls13 = TlsUtils.isTLSv13(context);
        try {
            if (chain.isEmpty()) {
                throw new CertificateRejectedException(Reason.NO_CERTIFICATE, -1, null,
                        "the peer sent no certificate");
            }
            if (validator == null) {
                throw new CertificateRejectedException(Reason.UNKNOWN_ISSUER, 0, null,
                        "no trust anchors are loaded: call loadVerifyLocations(cafile, cadata) first");
            }
            validator.verify(chain, purpose, expectedName);
            return true;
        } catch (CertificateRejectedException e) {
            throw new TlsFatalAlert(Alerts.forReason(e.reason(), tls13), e.getMessage(), e);
        } catch (RuntimeException e) {
            // A bug of ours, not the peer's bytes: said so, so that HandshakeGuard does not call it decode_error.
            throw new TlsFatalAlert(AlertDescription.internal_error, "the validator failed: " + e, e);
        }
    }
}
