package org.microssl.spi;

import java.io.IOException;
import java.util.List;

/**
 * Where a platform keeps the CA certificates it trusts: what {@code SSLContext.loadDefaultCerts()} (CPython's
 * {@code load_default_certs}) loads. Without one, microssl reads the operating system's PEM bundle
 * ({@code $SSL_CERT_FILE}, then the usual distribution paths, then the JDK's {@code cacerts}). A device whose
 * anchors live elsewhere (flash, a resource in its firmware image) registers its own through
 * {@link java.util.ServiceLoader}: a file {@code META-INF/services/org.microssl.spi.TrustAnchorSource} naming the
 * implementing class, which needs a public no-argument constructor. The first one found is used.
 */
public interface TrustAnchorSource {

    /**
     * @return the trusted CA certificates, each DER-encoded; never empty
     * @throws IOException if they cannot be read (the message names where it looked)
     */
    List<byte[]> trustAnchors() throws IOException;

    /** Where the anchors come from, for messages and the CLI ("/etc/ssl/certs/ca-certificates.crt"). */
    String describe();
}
