package org.microssl.internal;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.util.encoders.Hex;
import org.microssl.x509.Asn1Time;
import org.microssl.x509.IpAddress;
import org.microssl.x509.Names;

/**
 * CPython's decoded {@code getpeercert()} form, in Java collections: a map with {@code subject} and
 * {@code issuer} (a list of RDNs, each a list of {@code [name, value]} pairs with OpenSSL's long attribute
 * names), {@code version}, {@code serialNumber} (upper-case hex), {@code notBefore} / {@code notAfter}
 * ({@code "Jan  5 09:34:43 2018 GMT"}) and {@code subjectAltName} (a list of {@code [type, value]}:
 * "DNS", "IP Address", "email", "URI", "DirName" (its value a name in the subject's form), "Registered ID").
 */
public final class PeerCertificates {

    private PeerCertificates() {}

    public static Map<String, Object> decode(byte[] der) {
        Certificate cert = Certificate.getInstance(der);
        Map<String, Object> out = new LinkedHashMap<String, Object>();
        out.put("subject", name(cert.getSubject()));
        out.put("issuer", name(cert.getIssuer()));
        out.put("version", cert.getVersionNumber());
        out.put("serialNumber", serial(cert.getSerialNumber().getValue()));
        out.put("notBefore", Asn1Time.formatOpenSsl(cert.getStartDate()));
        out.put("notAfter", Asn1Time.formatOpenSsl(cert.getEndDate()));
        if (cert.getTBSCertificate().getExtensions() != null) {
            Extension san = cert.getTBSCertificate().getExtensions().getExtension(Extension.subjectAlternativeName);
            if (san != null) out.put("subjectAltName", altNames(GeneralNames.getInstance(san.getParsedValue())));
        }
        return Collections.unmodifiableMap(out);
    }

    private static List<List<List<String>>> name(X500Name name) {
        List<List<List<String>>> rdns = new ArrayList<List<List<String>>>();
        for (RDN rdn : name.getRDNs()) {
            List<List<String>> pairs = new ArrayList<List<String>>();
            for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                pairs.add(pair(Names.longName(atv.getType().getId()), value(atv.getValue())));
            }
            rdns.add(Collections.unmodifiableList(pairs));
        }
        return Collections.unmodifiableList(rdns);
    }

    private static String value(ASN1Encodable v) {
        if (v instanceof ASN1String) return ((ASN1String) v).getString();
        try {
            return "#" + Hex.toHexString(v.toASN1Primitive().getEncoded());
        } catch (java.io.IOException e) {
            return "#";
        }
    }

    private static List<List<?>> altNames(GeneralNames names) {
        List<List<?>> out = new ArrayList<List<?>>();
        for (GeneralName n : names.getNames()) {
            switch (n.getTagNo()) {
                case GeneralName.dNSName:
                    out.add(pair("DNS", ((ASN1String) n.getName()).getString()));
                    break;
                case GeneralName.iPAddress:
                    out.add(pair("IP Address", ip(ASN1OctetString.getInstance(n.getName()).getOctets())));
                    break;
                case GeneralName.rfc822Name:
                    out.add(pair("email", ((ASN1String) n.getName()).getString()));
                    break;
                case GeneralName.uniformResourceIdentifier:
                    out.add(pair("URI", ((ASN1String) n.getName()).getString()));
                    break;
                case GeneralName.directoryName:
                    // CPython: the name in the same nested form as subject and issuer
                    out.add(Collections.unmodifiableList(Arrays.<Object>asList("DirName",
                            name(X500Name.getInstance(n.getName())))));
                    break;
                case GeneralName.registeredID:
                    out.add(pair("Registered ID", n.getName().toString()));
                    break;
                default:
                    out.add(pair("othername", "<unsupported>"));
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** IPv4 dotted; IPv6 as OpenSSL prints it: eight upper-case hex groups, uncompressed. */
    private static String ip(byte[] b) {
        String s = IpAddress.formatOpenSsl(b);
        return s != null ? s : "<invalid>";
    }

    private static String serial(BigInteger serial) {
        String hex = serial.toString(16).toUpperCase(Locale.ROOT);
        return hex.length() % 2 == 0 ? hex : "0" + hex;
    }

    private static List<String> pair(String a, String b) {
        return Collections.unmodifiableList(Arrays.asList(a, b));
    }
}
