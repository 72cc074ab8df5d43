package org.microssl.embedded.reference;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.util.Date;

import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.signers.DSADigestSigner;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.ServerOnlyTlsAuthentication;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsClientProtocol;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * The reference for the device figures (issue 14): a client written directly on BouncyCastle's TLS API with its
 * pure-Java {@code BcTlsCrypto}, shrunk by ProGuard like microssl's jar ({@code reference-clients.pro}). It does
 * what {@code microssl-embedded.jar client} does for the measurement: TLS 1.3, a verified chain (each ECDSA
 * P-256/SHA-256 signature up to the given root, the dates, the leaf's DNS name), one reading sent, the answer
 * printed until the server closes. {@code --stdio}: the TLS stream is stdin/stdout, report lines on stderr.
 *
 * <p>Usage: {@code RawBcClient HOST PORT ROOT.der [--stdio] [--send TEXT]}
 */
public final class RawBcClient {
    private RawBcClient() {
    }

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        final Certificate root = Certificate.getInstance(Files.readAllBytes(Paths.get(args[2])));
        boolean stdio = false;
        String send = "reading 21.5\nCLOSE\n";
        for (int i = 3; i < args.length; i++) {
            if (args[i].equals("--stdio")) stdio = true;
            if (args[i].equals("--send")) send = args[++i].replace("\\n", "\n");
        }
        InputStream in;
        OutputStream out;
        java.io.PrintStream report = stdio ? System.err : System.out;
        if (stdio) {
            in = new FileInputStream(FileDescriptor.in);
            out = new FileOutputStream(FileDescriptor.out);
        } else {
            Socket s = new Socket(host, port);
            in = s.getInputStream();
            out = s.getOutputStream();
        }
        final BcTlsCrypto crypto = new BcTlsCrypto(new SecureRandom());
        TlsClientProtocol protocol = new TlsClientProtocol(in, out);
        final String name = host;
        protocol.connect(new DefaultTlsClient(crypto) {
            @Override
            protected ProtocolVersion[] getSupportedVersions() {
                return ProtocolVersion.TLSv13.only();
            }

            @Override
            public TlsAuthentication getAuthentication() {
                return new ServerOnlyTlsAuthentication() {
                    @Override
                    public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                        org.bouncycastle.tls.crypto.TlsCertificate[] chain =
                            serverCertificate.getCertificate().getCertificateList();
                        Certificate[] certs = new Certificate[chain.length + 1];
                        for (int i = 0; i < chain.length; i++) certs[i] = Certificate.getInstance(chain[i].getEncoded());
                        certs[chain.length] = root;
                        Date now = new Date();
                        for (int i = 0; i < chain.length; i++) {
                            Certificate c = certs[i];
                            Certificate issuer = certs[i + 1];
                            if (now.before(c.getStartDate().getDate()) || now.after(c.getEndDate().getDate())) {
                                throw new TlsFatalAlert(AlertDescription.certificate_expired);
                            }
                            DSADigestSigner v = new DSADigestSigner(new ECDSASigner(), new SHA256Digest());
                            v.init(false, PublicKeyFactory.createKey(issuer.getSubjectPublicKeyInfo()));
                            byte[] tbs = c.getTBSCertificate().getEncoded("DER");
                            v.update(tbs, 0, tbs.length);
                            if (!v.verifySignature(c.getSignature().getOctets())) {
                                throw new TlsFatalAlert(AlertDescription.bad_certificate);
                            }
                        }
                        GeneralNames sans = GeneralNames.fromExtensions(
                            certs[0].getTBSCertificate().getExtensions(), Extension.subjectAlternativeName);
                        boolean match = false;
                        for (GeneralName n : sans == null ? new GeneralName[0] : sans.getNames()) {
                            match |= n.getTagNo() == GeneralName.dNSName && n.getName().toString().equalsIgnoreCase(name);
                        }
                        if (!match) throw new TlsFatalAlert(AlertDescription.bad_certificate);
                    }
                };
            }
        });
        report.println("protocol=TLSv1.3 verified");
        OutputStream tls = protocol.getOutputStream();
        tls.write(send.getBytes(StandardCharsets.UTF_8));
        tls.flush();
        InputStream tin = protocol.getInputStream();
        byte[] buf = new byte[2048];
        int n;
        try {
            while ((n = tin.read(buf)) > 0) {
                report.write(buf, 0, n);
            }
        } catch (IOException e) {
            // the server closed without close_notify: the reading was answered
        }
        report.flush();
        protocol.close();
    }
}
