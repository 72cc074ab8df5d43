package org.microssl.desktop;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import org.microssl.x509.Pem;

/**
 * The operating system's trust anchors, as DER certificates, for the CLI when no {@code --cafile}/{@code --cadata}
 * is given. Looks where OpenSSL and Go look: {@code $SSL_CERT_FILE}, then the distributions' PEM bundles, then the
 * JDK's own {@code cacerts}.
 */
public final class SystemTrustStore {

    /** PEM bundles of the common distributions, in the order Go's crypto/x509 (root_linux.go) tries them. */
    static final List<String> BUNDLES = Collections.unmodifiableList(java.util.Arrays.asList(
            "/etc/ssl/certs/ca-certificates.crt",                // Debian, Ubuntu, Gentoo, Arch
            "/etc/pki/tls/certs/ca-bundle.crt",                  // Fedora, RHEL 6
            "/etc/ssl/ca-bundle.pem",                            // openSUSE
            "/etc/pki/tls/cacert.pem",                           // OpenELEC
            "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem", // CentOS, RHEL 7
            "/etc/ssl/cert.pem"));                               // Alpine, macOS

    /** Anchors and where they came from (printed by the CLI so the user knows what was trusted). */
    public static final class Anchors {
        public final List<byte[]> certificates;
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
        String env = System.getenv("SSL_CERT_FILE");
        if (env != null && !env.isEmpty()) {
            // an explicit choice is never silently replaced by another source
            return new Anchors(readPemBundle(Paths.get(env)), env);
        }
        for (String bundle : BUNDLES) {
            Path p = Paths.get(bundle);
            if (!Files.isReadable(p)) continue;
            List<byte[]> certs = readPemBundle(p);
            if (!certs.isEmpty()) return new Anchors(certs, bundle);
        }
        Path cacerts = jdkCacertsPath();
        List<byte[]> certs = readJdkCacerts(cacerts);
        if (certs.isEmpty()) throw new IOException("no system trust anchors found (tried " + BUNDLES + " and " + cacerts + ")");
        return new Anchors(certs, cacerts.toString());
    }

    /** Every CERTIFICATE block of a PEM bundle, as DER; other blocks are ignored. */
    static List<byte[]> readPemBundle(Path file) throws IOException {
        byte[] text = Files.readAllBytes(file);
        List<byte[]> certs = new ArrayList<byte[]>();
        try {
            for (Pem.Block b : Pem.decode(text)) {
                if ("CERTIFICATE".equals(b.label)) certs.add(b.der);
            }
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        return certs;
    }

    static Path jdkCacertsPath() {
        return Paths.get(System.getProperty("java.home"), "lib", "security", "cacerts");
    }

    /** The trusted certificate entries of the JDK's cacerts keystore (read only; no path building). */
    static List<byte[]> readJdkCacerts(Path cacerts) throws IOException {
        List<byte[]> certs = new ArrayList<byte[]>();
        if (!Files.isReadable(cacerts)) return certs;
        try (InputStream in = Files.newInputStream(cacerts)) {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(in, null); // cacerts' trusted entries need no password to read
            for (Enumeration<String> aliases = ks.aliases(); aliases.hasMoreElements(); ) {
                String alias = aliases.nextElement();
                if (!ks.isCertificateEntry(alias)) continue;
                Certificate c = ks.getCertificate(alias);
                if (c != null) certs.add(c.getEncoded());
            }
        } catch (GeneralSecurityException e) {
            throw new IOException(cacerts + ": cannot read keystore: " + e.getMessage(), e);
        }
        return certs;
    }
}
