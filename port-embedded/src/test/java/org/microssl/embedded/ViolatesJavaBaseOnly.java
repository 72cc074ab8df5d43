package org.microssl.embedded;

import java.security.cert.CertPathValidator;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;

/** Test fixture for {@link JavaBaseOnlyTest}: everything main code must not use. Never called. */
final class ViolatesJavaBaseOnly {

    private ViolatesJavaBaseOnly() {
    }

    static Object[] uses() throws Exception {
        return new Object[] {Logger.getLogger("x"), SSLContext.getDefault(), CertPathValidator.getInstance("PKIX")};
    }
}
