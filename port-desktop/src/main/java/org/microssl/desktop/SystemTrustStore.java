package org.microssl.desktop;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

import org.microssl.internal.SystemTrust;
import org.microssl.spi.TrustAnchorSource;

/**
 * The operating system's trust anchors, where {@link org.microssl.SSLContext#loadDefaultCerts()} finds them on a
 * desktop or server: {@code $SSL_CERT_FILE} if set (an explicit choice is never replaced by another source), else
 * the first readable PEM bundle of {@link #BUNDLES} (where OpenSSL and Go look: Debian's
 * {@code /etc/ssl/certs/ca-certificates.crt} first), else the JDK's {@code cacerts}. To trust them, call
 * {@code ctx.loadDefaultCerts()} (or {@code SSLContext.createDefault()}); this class says what that loads and from
 * where, for tools that print it.
 */
public final class SystemTrustStore {

    /** PEM bundles of the common distributions, in the order Go's crypto/x509 (root_linux.go) tries them. */
    public static final List<String> BUNDLES = SystemTrust.BUNDLES;

    /** The anchors, and the file they came from. */
    public static final class Anchors {
        /** The trusted certificates, DER, in the order of the file. */
        public final List<byte[]> certificates;
        /** The file they were read from ("/etc/ssl/certs/ca-certificates.crt"). */
        public final String source;

        Anchors(List<byte[]> certificates, String source) {
            this.certificates = Collections.unmodifiableList(certificates);
            this.source = source;
        }
    }

    private SystemTrustStore() {}

    /**
     * @return the first non-empty source among {@code $SSL_CERT_FILE}, the known bundles and the JDK's cacerts
     * @throws IOException if none holds a certificate, or {@code $SSL_CERT_FILE} is set but unreadable
     */
    public static Anchors load() throws IOException {
        SystemTrust system = new SystemTrust();
        List<byte[]> certs = system.trustAnchors();
        return new Anchors(certs, system.describe());
    }

    /** The operating system's anchors as a {@link TrustAnchorSource}. */
    public static TrustAnchorSource source() {
        return new SystemTrust();
    }

    /** Every CERTIFICATE block of a PEM bundle, as DER; other blocks are ignored. */
    static List<byte[]> readPemBundle(Path file) throws IOException {
        return SystemTrust.readPemBundle(file.toFile());
    }

    static Path jdkCacertsPath() {
        return SystemTrust.jdkCacerts().toPath();
    }

    /** The trusted certificate entries of the JDK's cacerts keystore (read only; no path building). */
    static List<byte[]> readJdkCacerts(Path cacerts) throws IOException {
        return SystemTrust.readJdkCacerts(cacerts.toFile());
    }
}
