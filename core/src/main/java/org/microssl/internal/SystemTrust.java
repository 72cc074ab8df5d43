package org.microssl.internal;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

import org.microssl.spi.TrustAnchorSource;
import org.microssl.x509.Pem;

/**
 * The platform's trust anchors: a {@link TrustAnchorSource} registered through {@link ServiceLoader} if there is
 * one, else the operating system's, looked for where OpenSSL and Go look: {@code $SSL_CERT_FILE}, then the
 * distributions' PEM bundles, then the JDK's own {@code cacerts}. A bundle read once is kept (as DER, checked) until
 * its file changes size or date, so a second context pays for no file reading or parsing.
 */
public final class SystemTrust implements TrustAnchorSource {

    /** PEM bundles of the common distributions, in the order Go's crypto/x509 (root_linux.go) tries them. */
    public static final List<String> BUNDLES = Collections.unmodifiableList(Arrays.asList(
            "/etc/ssl/certs/ca-certificates.crt",                // Debian, Ubuntu, Gentoo, Arch
            "/etc/pki/tls/certs/ca-bundle.crt",                  // Fedora, RHEL 6
            "/etc/ssl/ca-bundle.pem",                            // openSUSE
            "/etc/pki/tls/cacert.pem",                           // OpenELEC
            "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem", // CentOS, RHEL 7
            "/etc/ssl/cert.pem"));                               // Alpine, macOS

    /** The largest bundle read (Debian's is about 220 KB); a file beyond it is not a CA bundle. */
    static final long MAX_BUNDLE_BYTES = 16L << 20;

    /** The last bundle read: path, size and date it had, and its certificates. */
    private static final class Cached {
        final String path;
        final long size;
        final long modified;
        final List<byte[]> certificates;

        Cached(String path, long size, long modified, List<byte[]> certificates) {
            this.path = path;
            this.size = size;
            this.modified = modified;
            this.certificates = certificates;
        }
    }

    private static volatile Cached cached;

    private volatile String source;

    /** Forgets the bundle kept from the last read, so the next read parses it again (for measurements). */
    public static void dropCached() {
        cached = null;
    }

    /**
     * The registered source (looked up through the thread's context class loader, then microssl's own), or the
     * operating system's.
     */
    public static TrustAnchorSource platform() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        ClassLoader own = SystemTrust.class.getClassLoader();
        try {
            for (ClassLoader loader : new ClassLoader[] {context, own}) {
                if (loader == null) continue;
                Iterator<TrustAnchorSource> registered = ServiceLoader.load(TrustAnchorSource.class, loader).iterator();
                if (registered.hasNext()) return registered.next();
                if (context == own) break;
            }
        } catch (ServiceConfigurationError e) {
            throw new IllegalStateException("the registered TrustAnchorSource cannot be loaded: " + e.getMessage(), e);
        }
        return new SystemTrust();
    }

    /**
     * @return the first non-empty source among {@code $SSL_CERT_FILE}, the known bundles and the JDK's cacerts
     * @throws IOException if none holds a certificate, or {@code $SSL_CERT_FILE} is set but unreadable
     */
    @Override
    public List<byte[]> trustAnchors() throws IOException {
        String env = System.getenv("SSL_CERT_FILE");
        if (env != null && !env.isEmpty()) {
            // an explicit choice is never silently replaced by another source
            List<byte[]> certs = readPemBundle(new File(env));
            if (certs.isEmpty()) throw new IOException(env + " ($SSL_CERT_FILE) holds no CERTIFICATE block");
            source = env;
            return certs;
        }
        for (String bundle : BUNDLES) {
            File f = new File(bundle);
            if (!f.isFile() || !f.canRead()) continue;
            List<byte[]> certs = readPemBundle(f);
            if (!certs.isEmpty()) {
                source = bundle;
                return certs;
            }
        }
        File cacerts = jdkCacerts();
        List<byte[]> certs = readJdkCacerts(cacerts);
        if (certs.isEmpty()) {
            throw new IOException("no system trust anchors found (tried $SSL_CERT_FILE, " + BUNDLES + " and "
                    + cacerts + "); load CA certificates with loadVerifyLocations, or register a TrustAnchorSource");
        }
        source = cacerts.getPath();
        return certs;
    }

    @Override
    public String describe() {
        String s = source;
        return s != null ? s : "the system trust store";
    }

    /**
     * Every CERTIFICATE block of a PEM bundle, as DER; other blocks are ignored. Kept until the file changes. The
     * certificates are not parsed here: the validator parses each once, when a context first connects, and names
     * one it cannot parse (parsing them twice was half the cost of a JVM's first default context).
     *
     * @throws IOException naming the file if it cannot be read, or a block in it is broken
     */
    public static List<byte[]> readPemBundle(File file) throws IOException {
        long size = file.length();
        long modified = file.lastModified();
        Cached c = cached;
        if (c != null && c.path.equals(file.getPath()) && c.size == size && c.modified == modified && size > 0) {
            return c.certificates;
        }
        if (size > MAX_BUNDLE_BYTES) throw new IOException(file + ": " + size + " bytes is too large for a CA bundle");
        byte[] text = read(file);
        List<byte[]> certs = new ArrayList<byte[]>();
        try {
            for (Pem.Block b : Pem.decode(text)) {
                if ("CERTIFICATE".equals(b.label) || "TRUSTED CERTIFICATE".equals(b.label)) certs.add(b.der);
            }
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        List<byte[]> result = Collections.unmodifiableList(certs);
        cached = new Cached(file.getPath(), size, modified, result);
        return result;
    }

    private static byte[] read(File file) throws IOException {
        try (InputStream in = new FileInputStream(file)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.max(16, file.length()));
            byte[] buf = new byte[16384];
            int n;
            while ((n = in.read(buf)) > 0) {
                if (out.size() + n > MAX_BUNDLE_BYTES) throw new IOException(file + ": too large for a CA bundle");
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        }
    }

    public static File jdkCacerts() {
        return new File(new File(new File(System.getProperty("java.home"), "lib"), "security"), "cacerts");
    }

    /** The trusted certificate entries of the JDK's cacerts keystore (read only; no path building). */
    public static List<byte[]> readJdkCacerts(File cacerts) throws IOException {
        List<byte[]> certs = new ArrayList<byte[]>();
        if (!cacerts.isFile() || !cacerts.canRead()) return certs;
        try (InputStream in = new FileInputStream(cacerts)) {
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
