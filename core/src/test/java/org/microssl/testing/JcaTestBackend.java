package org.microssl.testing;

import java.security.SecureRandom;

import org.bouncycastle.tls.crypto.TlsCrypto;
import org.bouncycastle.jcajce.util.ProviderJcaJceHelper;
import org.bouncycastle.tls.crypto.TlsECConfig;
import org.bouncycastle.tls.crypto.TlsECDomain;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;
import org.microssl.internal.crypto.X25519Shares;
import org.microssl.spi.CryptoBackend;
import org.microssl.spi.SignatureVerifier;
import org.microssl.x509.LightweightSignatureVerifier;

/**
 * Test scope only: BouncyCastle's JCA TlsCrypto over the JDK's providers, so protocol tests run under a second
 * crypto implementation (the desktop port has the real JCA backend).
 */
public final class JcaTestBackend implements CryptoBackend {
    @Override
    public TlsCrypto createTlsCrypto(SecureRandom random) {
        // BouncyCastle's provider underneath: the JDK's providers lack "SHA256withRSAandMGF1" (RSA-PSS by that name),
        // which BouncyCastle's JCA TlsCrypto asks for.
        return new JcaTlsCrypto(new ProviderJcaJceHelper(TestPki.BC), random, random) {
            @Override
            public TlsECDomain createECDomain(TlsECConfig ecConfig) {
                return X25519Shares.checked(ecConfig, super.createECDomain(ecConfig));
            }
        };
    }

    @Override
    public SignatureVerifier signatureVerifier() {
        return new LightweightSignatureVerifier();
    }

    @Override
    public String name() {
        return "jca-test";
    }
}
