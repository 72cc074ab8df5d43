package org.microssl.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;

import org.bouncycastle.asn1.x500.X500Name;
import org.junit.jupiter.api.Test;
import org.microssl.testing.TestPki;
import org.microssl.x509.Names;

/** getpeercert()'s names and the validator's RFC 4514 strings come from one table of attribute types. */
class PeerCertificatesTest {
    static final String SUBJECT = "C=NZ,ST=Otago,L=Dunedin,STREET=1 Main St,POSTALCODE=9016,O=microssl,OU=Devices,"
            + "T=Dr,SURNAME=Smith,GIVENNAME=Ann,SERIALNUMBER=42,ORGANIZATIONIDENTIFIER=NTRNZ-1,E=ops@example.com,"
            + "UID=u1,DC=example,CN=device,1.2.3.4=other";

    @Test
    void everyAttributeHasItsOpenSslLongName() {
        TestPki.Issued cert = TestPki.cert().subject(SUBJECT).build();
        List<?> subject = (List<?>) PeerCertificates.decode(cert.der).get("subject");
        String[] expected = {"countryName", "stateOrProvinceName", "localityName", "streetAddress", "postalCode",
            "organizationName", "organizationalUnitName", "title", "surname", "givenName", "serialNumber",
            "organizationIdentifier", "emailAddress", "userId", "domainComponent", "commonName", "1.2.3.4"};
        assertEquals(expected.length, subject.size());
        for (int i = 0; i < expected.length; i++) {
            List<?> pair = (List<?>) ((List<?>) subject.get(i)).get(0);
            assertEquals(expected[i], pair.get(0), "RDN " + i);
        }
        assertEquals(Arrays.asList("commonName", "device"), ((List<?>) subject.get(15)).get(0));
    }

    @Test
    void directoryNameInSubjectAltNameHasTheSubjectsForm() {
        TestPki.Issued cert = TestPki.cert().subject("CN=dir").extension(
                org.bouncycastle.asn1.x509.Extension.subjectAlternativeName, false,
                new org.bouncycastle.asn1.x509.GeneralNames(new org.bouncycastle.asn1.x509.GeneralName[] {
                    new org.bouncycastle.asn1.x509.GeneralName(new X500Name("C=NZ,CN=Device 7"))})).build();
        Object san = PeerCertificates.decode(cert.der).get("subjectAltName");
        assertEquals(Arrays.asList(Arrays.asList("DirName", Arrays.asList(
                Arrays.asList(Arrays.asList("countryName", "NZ")),
                Arrays.asList(Arrays.asList("commonName", "Device 7"))))), san);
    }

    @Test
    void rfc4514UsesShortNamesWhereRfc4514HasThem() {
        assertEquals("1.2.3.4=other,CN=device,DC=example,UID=u1,emailAddress=ops@example.com,2.5.4.97=NTRNZ-1,"
                + "SERIALNUMBER=42,2.5.4.42=Ann,2.5.4.4=Smith,2.5.4.12=Dr,OU=Devices,O=microssl,2.5.4.17=9016,"
                + "STREET=1 Main St,L=Dunedin,ST=Otago,C=NZ", Names.rfc4514(new X500Name(SUBJECT)));
    }

    @Test
    void rfc4514WritesAValueThatIsNotValidForItsTypeAsHex() throws Exception {
        // a UTF8String holding C3 28, which is not UTF-8: shown as '#' and its DER, as RFC 4514 section 2.4 allows
        org.bouncycastle.asn1.ASN1Encodable bad = org.bouncycastle.asn1.ASN1Primitive.fromByteArray(
                new byte[] {0x0c, 0x02, (byte) 0xc3, 0x28});
        X500Name name = new X500Name(new org.bouncycastle.asn1.x500.RDN[] {
            new org.bouncycastle.asn1.x500.RDN(org.bouncycastle.asn1.x500.style.BCStyle.O,
                    new org.bouncycastle.asn1.DERUTF8String("Org, Ltd")),
            new org.bouncycastle.asn1.x500.RDN(org.bouncycastle.asn1.x500.style.BCStyle.CN, bad)});
        assertEquals("CN=#0c02c328,O=Org\\, Ltd", Names.rfc4514(name));
    }
}
