package org.microssl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.microssl.Fixtures.Backend;
import org.microssl.testing.MemoryTransport;
import org.microssl.testing.TestPki;
import org.microssl.testing.TlsPair;
import org.microssl.x509.Reason;

/** getpeercert in both forms, in CPython's decoded shape; CERT_OPTIONAL on the client. */
class PeerCertTest {
    private static final TestPki.Issued ROOT = TestPki.cert().subject("CN=PeerCert Root,O=microssl,C=NZ").ca(-1)
            .build();
    private static final TestPki.Issued LEAF = TestPki.cert().subject("CN=localhost,O=microssl,C=NZ")
            .issuer(ROOT).validity(Instant.parse("2026-01-05T09:34:43Z"), Instant.parse("2036-11-25T23:05:09Z"))
            .san("DNS:localhost").san("IP:127.0.0.1").san("IP:2001:db8::1").san("EMAIL:ops@example.com")
            .eku(org.bouncycastle.asn1.x509.KeyPurposeId.id_kp_serverAuth).build();

    private static SSLContext server() {
        SSLContext ctx = new SSLContext(Ssl.PROTOCOL_TLS_SERVER);
        ctx.loadCertChain(LEAF.pem().getBytes(StandardCharsets.US_ASCII), LEAF.keyPkcs8());
        return ctx;
    }

    @Test
    void decodedFormIsCPythons() throws Exception {
        TlsPair p = TlsPair.connect(Fixtures.client(ROOT, Backend.LIGHTWEIGHT), "localhost", server());
        assertArrayEquals(LEAF.der, (byte[]) p.client.getpeercert(true));
        Map<String, Object> cert = p.client.getpeercert();
        assertEquals(Arrays.asList(Arrays.asList(Arrays.asList("commonName", "localhost")),
                Arrays.asList(Arrays.asList("organizationName", "microssl")),
                Arrays.asList(Arrays.asList("countryName", "NZ"))), cert.get("subject"));
        assertEquals(Arrays.asList(Arrays.asList(Arrays.asList("commonName", "PeerCert Root")),
                Arrays.asList(Arrays.asList("organizationName", "microssl")),
                Arrays.asList(Arrays.asList("countryName", "NZ"))), cert.get("issuer"));
        assertEquals(3, cert.get("version"));
        // OpenSSL's ASN1_TIME_print, space-padded day: what CPython shows.
        assertEquals("Jan  5 09:34:43 2026 GMT", cert.get("notBefore"));
        assertEquals("Nov 25 23:05:09 2036 GMT", cert.get("notAfter"));
        String serial = LEAF.holder().getSerialNumber().toString(16).toUpperCase();
        assertEquals(serial.length() % 2 == 0 ? serial : "0" + serial, cert.get("serialNumber"));
        assertEquals(Arrays.asList(Arrays.asList("DNS", "localhost"), Arrays.asList("IP Address", "127.0.0.1"),
                Arrays.asList("IP Address", "2001:DB8:0:0:0:0:0:1"), Arrays.asList("email", "ops@example.com")),
                cert.get("subjectAltName"));
    }

    @Test
    void beforeTheHandshakeThereIsNoPeerCertificate() throws Exception {
        SSLContext client = Fixtures.client(ROOT, Backend.LIGHTWEIGHT);
        MemoryTransport[] t = MemoryTransport.nonBlockingPair(1000, false);
        SSLSocket c = client.wrapSocket(t[0], false, false, "localhost");
        assertNull(c.getpeercert(true));
        assertNull(c.cipher());
        assertNull(c.version());
    }

    @Test
    void clientCertOptionalValidatesWithoutHostname() throws Exception {
        SSLContext client = Fixtures.client(ROOT, Backend.LIGHTWEIGHT);
        client.setVerifyMode(Ssl.CERT_OPTIONAL);
        TlsPair ok = TlsPair.connect(client, null, server());
        assertEquals("localhost", ((List<?>) ((List<?>) ((List<?>) ok.client.getpeercert().get("subject")).get(0))
                .get(0)).get(1));
        SSLContext stranger = Fixtures.client(TestPki.cert().subject("CN=Other").ca(-1).build(), Backend.LIGHTWEIGHT);
        stranger.setVerifyMode(Ssl.CERT_OPTIONAL);
        TlsPair bad = TlsPair.attempt(stranger, null, server());
        assertEquals(Reason.UNKNOWN_ISSUER,
                Fixtures.rejection(bad.clientError).reason());
    }
}
