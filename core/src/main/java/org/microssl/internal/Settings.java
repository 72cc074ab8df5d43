package org.microssl.internal;

import java.util.ArrayList;
import java.util.List;

import org.microssl.spi.Clock;
import org.microssl.spi.CryptoBackend;
import org.microssl.spi.EntropySource;

/** What an SSLContext was configured with; each connection takes a copy when it is wrapped. */
public final class Settings implements Cloneable {
    public static final int CERT_NONE = 0;
    public static final int CERT_OPTIONAL = 1;
    public static final int CERT_REQUIRED = 2;
    public static final int TLS12 = 0x0303;
    public static final int TLS13 = 0x0304;

    public boolean server;
    public int verifyMode;
    public int minVersion = TLS12;
    public int maxVersion = TLS13;
    public int[] cipherSuites = CipherSuites.defaults();
    public List<byte[]> trustAnchors = new ArrayList<byte[]>();
    public Identity identity;
    public Clock clock;
    public EntropySource entropy;
    public CryptoBackend backend;
    /** 512..4096, or 0 for none (RFC 6066 section 4). */
    public int maxFragmentLength;

    /**
     * @return why no handshake could succeed with these settings (no cipher suite for the version range, or for
     *     a server's key), or null if one can
     */
    public String configurationProblem() {
        if (minVersion > maxVersion) return "the minimum version is above the maximum version";
        if (PeerSupport.versions(this).length == 0) {
            return "no enabled cipher suite belongs to a version between the minimum and maximum versions";
        }
        if (server && identity != null) {
            if (PeerSupport.suites(this, identity.keyType()).length == 0) {
                return "no enabled cipher suite can be used with the server's " + identity.keyType() + " key";
            }
        }
        return null;
    }

    public Settings copy() {
        try {
            Settings s = (Settings) super.clone();
            s.cipherSuites = cipherSuites.clone();
            s.trustAnchors = new ArrayList<byte[]>(trustAnchors);
            return s;
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }
}
