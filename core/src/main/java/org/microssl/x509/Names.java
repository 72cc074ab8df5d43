package org.microssl.x509;

import java.util.HashMap;
import java.util.Map;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Object;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x500.style.RFC4519Style;

/**
 * Distinguished names as RFC 4514 strings (BouncyCastle's {@link RFC4519Style} with RFC 4514's attribute names),
 * and the attribute-type names shared with {@code getpeercert()}. Public only for {@code org.microssl.internal};
 * not API.
 */
public final class Names {
    private Names() {}

    /** Attribute type OID -> OpenSSL's long name, which CPython's getpeercert() uses as keys. */
    private static final Map<String, String> LONG_NAMES = new HashMap<String, String>();
    /** RFC 4514 section 3's short names, plus the ones people see in certificates every day. */
    private static final Style STYLE = new Style();

    private static void attribute(String oid, String shortName, String longName) {
        if (shortName != null) STYLE.symbol(new ASN1ObjectIdentifier(oid), shortName);
        LONG_NAMES.put(oid, longName);
    }

    static {
        attribute("2.5.4.3", "CN", "commonName");
        attribute("2.5.4.4", null, "surname");
        attribute("2.5.4.5", "SERIALNUMBER", "serialNumber");
        attribute("2.5.4.6", "C", "countryName");
        attribute("2.5.4.7", "L", "localityName");
        attribute("2.5.4.8", "ST", "stateOrProvinceName");
        attribute("2.5.4.9", "STREET", "streetAddress");
        attribute("2.5.4.10", "O", "organizationName");
        attribute("2.5.4.11", "OU", "organizationalUnitName");
        attribute("2.5.4.12", null, "title");
        attribute("2.5.4.17", null, "postalCode");
        attribute("2.5.4.42", null, "givenName");
        attribute("2.5.4.97", null, "organizationIdentifier");
        attribute("1.2.840.113549.1.9.1", "emailAddress", "emailAddress");
        attribute("0.9.2342.19200300.100.1.1", "UID", "userId");
        attribute("0.9.2342.19200300.100.1.25", "DC", "domainComponent");
    }

    /** BouncyCastle's RFC 4519 style (last RDN first, values escaped) with our table of short names. */
    private static final class Style extends RFC4519Style {
        Style() {
            defaultSymbols.clear();
        }

        @SuppressWarnings("unchecked")
        void symbol(ASN1ObjectIdentifier oid, String name) {
            defaultSymbols.put(oid, name);
        }
    }

    /** OpenSSL's long name of an attribute type ("commonName"), or the dotted OID for one without. */
    public static String longName(String oid) {
        String n = LONG_NAMES.get(oid);
        return n != null ? n : oid;
    }

    /**
     * RFC 4514: RDNs in reverse order of the encoding, comma-separated, values escaped; a value that is not a valid
     * string of its type (say, bad UTF-8) as "#" and its DER in hex.
     */
    public static String rfc4514(X500Name name) {
        try {
            return STYLE.toString(name);
        } catch (RuntimeException e) {
            return STYLE.toString(withUndecodableValuesAsHex(name));
        }
    }

    /** {@code name} with each value that cannot be read as its string type wrapped so that it prints as hex. */
    private static X500Name withUndecodableValuesAsHex(X500Name name) {
        RDN[] rdns = name.getRDNs();
        RDN[] out = new RDN[rdns.length];
        for (int i = 0; i < rdns.length; i++) {
            AttributeTypeAndValue[] avas = rdns[i].getTypesAndValues();
            AttributeTypeAndValue[] copy = new AttributeTypeAndValue[avas.length];
            for (int j = 0; j < avas.length; j++) {
                final ASN1Encodable value = avas[j].getValue();
                copy[j] = isValidString(value) ? avas[j] : new AttributeTypeAndValue(avas[j].getType(), new ASN1Object() {
                    // not an ASN1String, so IETFUtils writes "#" and the DER of the value it stands for
                    @Override
                    public ASN1Primitive toASN1Primitive() {
                        return value.toASN1Primitive();
                    }
                });
            }
            out[i] = new RDN(copy);
        }
        return new X500Name(out);
    }

    private static boolean isValidString(ASN1Encodable value) {
        try {
            IETFUtils.valueToString(value);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Caps a name for messages: a hostile certificate can carry thousands of attributes. */
    static String forMessage(String name) {
        return name.length() <= 200 ? name : name.substring(0, 200) + "...";
    }

    /** Whether every attribute value of {@code name} is a valid string of its declared type (e.g. UTF-8). */
    static boolean stringsAreValid(X500Name name) {
        for (RDN rdn : name.getRDNs()) {
            for (AttributeTypeAndValue ava : rdn.getTypesAndValues()) {
                if (!isValidString(ava.getValue())) return false;
            }
        }
        return true;
    }
}
