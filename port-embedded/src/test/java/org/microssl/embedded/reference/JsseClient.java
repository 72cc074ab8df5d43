package org.microssl.embedded.reference;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.Collections;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * The SunJSSE reference for the device figures (issue 14): the JDK's TLS client doing what
 * {@code microssl-embedded.jar client} does (TLS 1.3, the chain verified up to the given root with the JDK's
 * PKIX validator and HTTPS endpoint identification, one reading sent, the answer printed until the server
 * closes). Over a {@code Socket} only: SunJSSE's socket is its API.
 *
 * <p>Usage: {@code JsseClient HOST PORT ROOT.der}
 */
public final class JsseClient {
    private JsseClient() {
    }

    public static void main(String[] args) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("root", CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(Paths.get(args[2])))));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLSv1.3");
        ctx.init(null, tmf.getTrustManagers(), null);
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(args[0], Integer.parseInt(args[1]))) {
            SSLParameters p = s.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            p.setServerNames(Collections.singletonList(new SNIHostName(args[0])));
            s.setSSLParameters(p);
            s.startHandshake();
            System.out.println("protocol=" + s.getSession().getProtocol() + " verified");
            OutputStream out = s.getOutputStream();
            out.write("reading 21.5\nCLOSE\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[2048];
            int n;
            try {
                while ((n = in.read(buf)) > 0) System.out.write(buf, 0, n);
            } catch (java.io.IOException e) {
                // the server closed without close_notify
            }
            System.out.flush();
        }
    }
}
