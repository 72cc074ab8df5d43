package org.microssl.desktop;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.List;

import org.bouncycastle.asn1.x509.Certificate;
import org.microssl.Clocks;
import org.microssl.SSLContext;
import org.microssl.SSLSocket;
import org.microssl.Ssl;
import org.microssl.SslException;
import org.microssl.internal.Keys;
import org.microssl.Backends;
import org.microssl.internal.SystemTrust;
import org.microssl.spi.CryptoBackend;
import org.microssl.x509.CertificateRejectedException;
import org.microssl.x509.Names;
import org.microssl.x509.PathValidator;
import org.microssl.x509.Purpose;

/**
 * {@code microssl.jar check HOST PORT}: a Nagios/Icinga plugin (Monitoring Plugins Development Guidelines: one line
 * of output first, {@code STATUS - text | perfdata}, then details; exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN).
 * The handshake takes whatever chain the server serves; the chain is then validated for the host name by the same
 * validator a connection uses, so that an invalid chain is reported (CRITICAL) together with what was served and
 * when each certificate expires. The expiry that counts is the earliest of the validated path, trust anchor
 * included.
 */
final class CheckCommand {
    static final int OK = 0;
    static final int WARNING = 1;
    static final int CRITICAL = 2;
    static final int UNKNOWN = 3;
    private static final String[] STATUS = {"OK", "WARNING", "CRITICAL", "UNKNOWN"};
    private static final long DAY = 86400;

    private CheckCommand() {}

    static int run(CliOptions o, PrintStream out) {
        String target = o.host + ":" + o.port;
        String name = o.servername != null ? o.servername : o.host;
        CryptoBackend backend = o.backend.equals("jca") ? Backends.jca() : Backends.lightweight();
        List<byte[]> anchors;
        try {
            anchors = o.cafile != null ? Keys.parseCertificates(Files.readAllBytes(Paths.get(o.cafile)), "cafile")
                    : SystemTrust.platform().trustAnchors();
        } catch (IOException | RuntimeException e) {
            return plugin(out, UNKNOWN, target + ": cannot load the trust anchors: " + e.getMessage(), null);
        }

        SSLContext ctx = new SSLContext(Ssl.PROTOCOL_TLS_CLIENT);
        // The chain is validated below, with its result reported; the handshake itself still checks that the
        // server holds the key of the certificate it serves.
        ctx.setVerifyMode(Ssl.CERT_NONE);
        ctx.setCryptoBackend(backend);
        ctx.setHandshakeTimeout(o.timeout * 1000L);
        List<byte[]> served;
        String protocol;
        try (Socket sock = new Socket()) {
            try {
                sock.connect(new InetSocketAddress(o.host, o.port), o.timeout * 1000);
                sock.setSoTimeout(o.timeout * 1000);
            } catch (IOException e) {
                return plugin(out, UNKNOWN, target + ": cannot connect: " + e.getMessage(), null);
            }
            SSLSocket tls = ctx.wrapSocket(sock, false, true, name);
            served = tls.getPeerCertChain();
            protocol = tls.version() + " " + tls.cipher()[0];
            tls.close();
        } catch (SslException e) {
            return plugin(out, CRITICAL, target + ": TLS handshake failed: " + e.getMessage(), null);
        } catch (IOException | RuntimeException e) {
            return plugin(out, UNKNOWN, target + ": " + e, null);
        }
        if (served == null) return plugin(out, CRITICAL, target + ": the server sent no certificate", null);

        long now = System.currentTimeMillis() / 1000;
        List<byte[]> path = null;
        CertificateRejectedException rejected = null;
        try {
            path = new PathValidator(anchors, backend.signatureVerifier(), Clocks.system())
                    .verify(served, Purpose.SERVER_AUTH, name);
        } catch (CertificateRejectedException e) {
            rejected = e;
        }

        // the certificate that expires first: of the validated path, or of what was served
        List<byte[]> counted = path != null ? path : served;
        Certificate first = null;
        for (byte[] der : counted) {
            Certificate c = Certificate.getInstance(der);
            if (first == null || notAfter(c) < notAfter(first)) first = c;
        }
        long daysLeft = Math.floorDiv(notAfter(first) - now, DAY);
        String perf = "days_left=" + daysLeft + ";" + o.warnDays + ";" + o.critDays;
        String leaf = Names.rfc4514(Certificate.getInstance(served.get(0)).getSubject());
        int status;
        String text;
        if (rejected != null) {
            status = CRITICAL;
            text = target + ": " + rejected.getMessage();
        } else {
            String which = sameCertificate(first, counted.get(0)) ? ""
                    : ", the first of its path to expire: " + Names.rfc4514(first.getSubject());
            String expiry = "expires in " + daysLeft + (daysLeft == 1 ? " day" : " days") + " ("
                    + Instant.ofEpochSecond(notAfter(first)) + which + ")";
            status = daysLeft < o.critDays ? CRITICAL : daysLeft < o.warnDays ? WARNING : OK;
            text = target + ": " + leaf + " valid for " + name + ", " + expiry;
        }
        plugin(out, status, text, perf);
        out.println("protocol: " + protocol);
        out.println("served chain:");
        printChain(served, now, out);
        if (path != null) {
            out.println("validated path (trust anchor last):");
            printChain(path, now, out);
        }
        out.flush();
        return status;
    }

    private static boolean sameCertificate(Certificate a, byte[] der) {
        return java.util.Arrays.equals(der, encoded(a));
    }

    private static byte[] encoded(Certificate c) {
        try {
            return c.getEncoded(org.bouncycastle.asn1.ASN1Encoding.DER);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    private static void printChain(List<byte[]> chain, long now, PrintStream out) {
        for (int i = 0; i < chain.size(); i++) {
            Certificate c = Certificate.getInstance(chain.get(i));
            out.println("  " + i + " s:" + Names.rfc4514(c.getSubject()));
            out.println("    i:" + Names.rfc4514(c.getIssuer()));
            out.println("    notAfter=" + Instant.ofEpochSecond(notAfter(c)) + " ("
                    + X509Command.remaining(now, notAfter(c)) + ")");
        }
    }

    private static long notAfter(Certificate c) {
        return c.getEndDate().getDate().getTime() / 1000;
    }

    /** The plugin line: {@code SSL STATUS - text | perfdata}. */
    private static int plugin(PrintStream out, int status, String text, String perf) {
        // '|' starts the performance data: it must not appear in the text (Monitoring Plugins guidelines)
        out.println("SSL " + STATUS[status] + " - " + text.replace('|', '/').replace('\n', ' ')
                + (perf != null ? " | " + perf : ""));
        out.flush();
        return status;
    }
}
