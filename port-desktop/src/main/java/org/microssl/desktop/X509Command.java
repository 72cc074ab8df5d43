package org.microssl.desktop;

import java.io.IOException;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.util.encoders.Hex;
import org.microssl.internal.Keys;
import org.microssl.x509.Names;
import org.microssl.x509.Pem;

/**
 * {@code microssl.jar x509 FILE}: what a person checking a certificate by hand wants from
 * {@code openssl x509 -noout -text}, one field a line, for each certificate of a PEM or DER file (one, a chain or a
 * CA bundle). Field values are as OpenSSL prints them (RFC 2253 names, uppercase hex, its algorithm names), so the
 * two can be compared.
 */
final class X509Command {
    private static final long DAY = 86400;

    private X509Command() {}

    static int run(CliOptions o, PrintStream out, PrintStream err) throws IOException {
        byte[] data;
        try {
            data = Files.readAllBytes(Paths.get(o.file));
        } catch (NoSuchFileException e) {
            throw new IOException("cannot read " + o.file + ": no such file", e);
        }
        List<byte[]> certs = certificates(data, o.file);
        long now = System.currentTimeMillis() / 1000;
        for (int i = 0; i < certs.size(); i++) {
            if (i > 0) out.println();
            if (certs.size() > 1) out.println("certificate " + (i + 1) + " of " + certs.size());
            describe(Certificate.getInstance(certs.get(i)), certs.get(i), now, out);
        }
        out.flush();
        return 0;
    }

    /** Every CERTIFICATE of a PEM file (other blocks ignored), or the DER certificates of a binary one. */
    static List<byte[]> certificates(byte[] data, String file) {
        if (Pem.isPem(data)) {
            List<byte[]> certs = new ArrayList<byte[]>();
            for (Pem.Block b : Pem.decode(data)) {
                if (b.label.equals("CERTIFICATE") || b.label.equals("TRUSTED CERTIFICATE")) certs.add(b.der);
            }
            if (certs.isEmpty()) throw new IllegalArgumentException("invalid cert: " + file + " holds no CERTIFICATE block");
            Keys.checkCertificates(certs, file);
            return certs;
        }
        return Keys.parseCertificates(data, file);
    }

    static void describe(Certificate c, byte[] der, long now, PrintStream out) {
        long notBefore = c.getStartDate().getDate().getTime() / 1000;
        long notAfter = c.getEndDate().getDate().getTime() / 1000;
        out.println("subject:     " + Names.rfc4514(c.getSubject()));
        out.println("issuer:      " + Names.rfc4514(c.getIssuer()));
        out.println("serial:      " + serial(c.getSerialNumber().getValue()));
        out.println("not before:  " + Instant.ofEpochSecond(notBefore) + (now < notBefore
                ? " (NOT YET VALID: starts in " + daysUntil(now, notBefore) + ")" : ""));
        out.println("not after:   " + Instant.ofEpochSecond(notAfter) + " (" + remaining(now, notAfter) + ")");
        List<String> sans = subjectAltNames(c.getTBSCertificate().getExtensions());
        out.println("alt names:   " + (sans.isEmpty() ? "none" : String.join(", ", sans)));
        out.println("key:         " + keyDescription(c.getSubjectPublicKeyInfo()));
        out.println("signature:   " + signatureName(c.getSignatureAlgorithm().getAlgorithm()));
        out.println("sha256:      " + fingerprint(der));
        out.println("ca:          " + caDescription(c.getTBSCertificate().getExtensions()));
    }

    /** "89 days left", "expires today", "EXPIRED 3 days ago". */
    static String remaining(long now, long notAfter) {
        if (now > notAfter) {
            long ago = (now - notAfter) / DAY;
            return "EXPIRED " + (ago == 0 ? "today" : ago + (ago == 1 ? " day ago" : " days ago"));
        }
        long left = (notAfter - now) / DAY;
        return left == 0 ? "expires within a day" : left + (left == 1 ? " day left" : " days left");
    }

    private static String daysUntil(long now, long when) {
        long d = (when - now) / DAY;
        return d == 0 ? "less than a day" : d + (d == 1 ? " day" : " days");
    }

    /** As {@code openssl x509 -serial}: the INTEGER's content octets in uppercase hex (a leading 00 kept). */
    static String serial(BigInteger serial) {
        if (serial.signum() < 0) return "-" + Hex.toHexString(serial.negate().toByteArray()).toUpperCase(Locale.ROOT);
        return Hex.toHexString(serial.toByteArray()).toUpperCase(Locale.ROOT);
    }

    /** As {@code openssl x509 -fingerprint -sha256}: uppercase hex pairs joined by colons. */
    static String fingerprint(byte[] der) {
        SHA256Digest d = new SHA256Digest();
        d.update(der, 0, der.length);
        byte[] h = new byte[32];
        d.doFinal(h, 0);
        String hex = Hex.toHexString(h).toUpperCase(Locale.ROOT);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < hex.length(); i += 2) {
            if (i > 0) sb.append(':');
            sb.append(hex, i, i + 2);
        }
        return sb.toString();
    }

    /** As OpenSSL prints them: "DNS:example.com", "IP Address:192.0.2.1", "email:a@b". */
    static List<String> subjectAltNames(Extensions extensions) {
        List<String> out = new ArrayList<String>();
        if (extensions == null || extensions.getExtension(Extension.subjectAlternativeName) == null) return out;
        GeneralName[] names = GeneralNames.getInstance(extensions.getExtensionParsedValue(
                Extension.subjectAlternativeName)).getNames();
        for (GeneralName n : names) {
            switch (n.getTagNo()) {
                case GeneralName.dNSName: out.add("DNS:" + n.getName()); break;
                case GeneralName.iPAddress: out.add("IP Address:" + ip(ASN1OctetString.getInstance(n.getName()).getOctets())); break;
                case GeneralName.rfc822Name: out.add("email:" + n.getName()); break;
                case GeneralName.uniformResourceIdentifier: out.add("URI:" + n.getName()); break;
                case GeneralName.directoryName: out.add("DirName:" + n.getName()); break;
                default: out.add("othername:<unsupported>");
            }
        }
        return out;
    }

    private static String ip(byte[] a) {
        if (a.length == 4) return (a[0] & 0xff) + "." + (a[1] & 0xff) + "." + (a[2] & 0xff) + "." + (a[3] & 0xff);
        if (a.length != 16) return "<invalid>";
        // OpenSSL prints every group, uppercase, without compression
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 16; i += 2) {
            if (i > 0) sb.append(':');
            sb.append(Integer.toHexString(((a[i] & 0xff) << 8) | (a[i + 1] & 0xff)).toUpperCase(Locale.ROOT));
        }
        return sb.toString();
    }

    static String keyDescription(SubjectPublicKeyInfo spki) {
        String oid = spki.getAlgorithm().getAlgorithm().getId();
        try {
            switch (oid) {
                case "1.2.840.113549.1.1.1":
                    return "RSA " + RSAPublicKey.getInstance(spki.parsePublicKey()).getModulus().bitLength() + " bits";
                case "1.2.840.113549.1.1.10":
                    return "RSA-PSS " + RSAPublicKey.getInstance(spki.parsePublicKey()).getModulus().bitLength() + " bits";
                case "1.2.840.10045.2.1":
                    return "EC " + curveName(spki.getAlgorithm().getParameters());
                case "1.3.101.112": return "Ed25519 (256 bits)";
                case "1.3.101.113": return "Ed448 (456 bits)";
                default: return oid;
            }
        } catch (IOException | RuntimeException e) {
            return oid + " (malformed key)";
        }
    }

    private static String curveName(Object params) {
        if (!(params instanceof ASN1ObjectIdentifier)) return "explicit parameters";
        switch (((ASN1ObjectIdentifier) params).getId()) {
            case "1.2.840.10045.3.1.7": return "P-256 (256 bits)";
            case "1.3.132.0.34": return "P-384 (384 bits)";
            case "1.3.132.0.35": return "P-521 (521 bits)";
            case "1.3.132.0.10": return "secp256k1 (256 bits)";
            default: return ((ASN1ObjectIdentifier) params).getId();
        }
    }

    /** OpenSSL's short names for the signature algorithms certificates use. */
    static String signatureName(ASN1ObjectIdentifier oid) {
        switch (oid.getId()) {
            case "1.2.840.113549.1.1.4": return "md5WithRSAEncryption";
            case "1.2.840.113549.1.1.5": return "sha1WithRSAEncryption";
            case "1.2.840.113549.1.1.11": return "sha256WithRSAEncryption";
            case "1.2.840.113549.1.1.12": return "sha384WithRSAEncryption";
            case "1.2.840.113549.1.1.13": return "sha512WithRSAEncryption";
            case "1.2.840.113549.1.1.10": return "rsassaPss";
            case "1.2.840.10045.4.1": return "ecdsa-with-SHA1";
            case "1.2.840.10045.4.3.2": return "ecdsa-with-SHA256";
            case "1.2.840.10045.4.3.3": return "ecdsa-with-SHA384";
            case "1.2.840.10045.4.3.4": return "ecdsa-with-SHA512";
            case "1.3.101.112": return "ED25519";
            case "1.3.101.113": return "ED448";
            default: return oid.getId();
        }
    }

    static String caDescription(Extensions extensions) {
        if (extensions == null || extensions.getExtension(Extension.basicConstraints) == null) {
            return "no (no basicConstraints)";
        }
        BasicConstraints bc = BasicConstraints.getInstance(extensions.getExtensionParsedValue(Extension.basicConstraints));
        if (!bc.isCA()) return "no";
        return bc.getPathLenConstraint() != null ? "yes (pathlen " + bc.getPathLenConstraint() + ")" : "yes";
    }
}
