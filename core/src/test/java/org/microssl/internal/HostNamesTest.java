package org.microssl.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.microssl.Backends;
import org.microssl.SSLContext;
import org.microssl.Ssl;
import org.microssl.testing.TestPki;
import org.microssl.testing.TestPki.Issued;
import org.microssl.testing.TestPki.KeyType;
import org.microssl.testing.TlsPair;
import org.microssl.x509.CertificateRejectedException;
import org.microssl.x509.PathValidator;
import org.microssl.x509.Purpose;
import org.microssl.x509.Reason;

/**
 * One rule for a serverHostname: the SNI we send (RFC 6066 section 3) is exactly the DNS name the validator checks
 * the certificate against, and a name the validator reads as an IP address, or refuses, sends no SNI.
 */
class HostNamesTest {
    private static final Issued ROOT = TestPki.cert().subject("CN=HostNames Root").key(KeyType.EC_P256).ca(-1).build();
    /**
     * Names a careless parser could confuse: dNSName "1.2.3.4" (what "1.2.3.4." would match as a DNS name) and
     * "01.2.3.4", beside iPAddress 1.2.3.4 and ::1.
     */
    private static final Issued LEAF = TestPki.cert().subject("CN=example.com").key(KeyType.EC_P256).issuer(ROOT)
            .san("DNS:example.com").san("DNS:1.2.3.4").san("DNS:01.2.3.4").san("DNS:foo_bar.example")
            .san("IP:1.2.3.4").san("IP:::1").eku(KeyPurposeId.id_kp_serverAuth).build();
    private static final PathValidator VALIDATOR = new PathValidator(Collections.singletonList(ROOT.der),
            Backends.lightweight().signatureVerifier(), System::currentTimeMillis);

    /** serverHostname | SNI sent ("-": none) | validator: DNS (matched a dNSName), IP (an iPAddress), or refused. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "example.com      | example.com     | DNS",
        "EXAMPLE.Com      | EXAMPLE.Com     | DNS",
        "example.com.     | example.com     | DNS",
        "other.example    | other.example   | MISMATCH",
        "1.2.3.4.example  | 1.2.3.4.example | MISMATCH",
        "1.2.3.4          | -               | IP",
        "::1              | -               | IP",
        "[::1]            | -               | IP",
        "0:0:0:0:0:0:0:1  | -               | IP",
        "1.2.3.4.         | -               | MISMATCH",
        "01.2.3.4         | -               | MISMATCH",
        "[1.2.3.4]        | -               | MISMATCH",
        "1.2.3            | -               | MISMATCH",
        "1.2.3.4.5        | -               | MISMATCH",
        "256.1.1.1        | -               | MISMATCH",
        "example.0x1f     | -               | MISMATCH",
        "foo_bar.example  | -               | MISMATCH",
        "fe80::1%eth0     | -               | MISMATCH",
        ".                | -               | MISMATCH",
        "example..com     | -               | MISMATCH",
    })
    void sniAndValidatorAgree(String serverHostname, String sni, String validatorReading) throws Exception {
        String expectedSni = sni.equals("-") ? null : sni;
        assertEquals(expectedSni, HostNames.sniHostName(serverHostname));

        List<byte[]> chain = Arrays.asList(LEAF.der);
        if (validatorReading.equals("MISMATCH")) {
            CertificateRejectedException e = assertThrows(CertificateRejectedException.class,
                    () -> VALIDATOR.verify(chain, Purpose.SERVER_AUTH, serverHostname));
            assertEquals(Reason.HOSTNAME_MISMATCH, e.reason(), e.getMessage());
        } else {
            VALIDATOR.verify(chain, Purpose.SERVER_AUTH, serverHostname);
            // the name matched as DNS is the SNI we send; an IP literal is never sent
            assertEquals(validatorReading.equals("DNS"), expectedSni != null);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"1.2.3.4.", "01.2.3.4", "example.0x1f"})
    void refusalExplainsNumericLastLabel(String serverHostname) {
        CertificateRejectedException e = assertThrows(CertificateRejectedException.class,
                () -> VALIDATOR.verify(Arrays.asList(LEAF.der), Purpose.SERVER_AUTH, serverHostname));
        assertTrue(e.getMessage().contains("neither a valid DNS name nor an IP address"), e.getMessage());
        assertTrue(e.getMessage().contains("a numeric last label reads as IPv4"), e.getMessage());
    }

    /** What the server receives, and what the client reports as sent, over a real handshake. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"example.com., example.com", "1.2.3.4., -", "::1, -"})
    void serverReceivesTheSameName(String serverHostname, String sni) throws Exception {
        String expected = sni.equals("-") ? null : sni;
        TestPki.Chain chain = TestPki.chain(KeyType.EC_P256);
        SSLContext server = new SSLContext(Ssl.PROTOCOL_TLS_SERVER);
        server.loadCertChain(chain.chainPem().getBytes("US-ASCII"), chain.leaf.keyPkcs8());
        SSLContext client = new SSLContext(Ssl.PROTOCOL_TLS_CLIENT);
        client.setVerifyMode(Ssl.CERT_NONE); // the name check is the table's job; this is about the bytes sent
        TlsPair pair = TlsPair.connect(client, serverHostname, server);
        assertEquals(expected, pair.server.serverHostname());
        assertEquals(expected, pair.client.serverHostname());
        pair.client.close();
        assertEquals(0, pair.server.read(10).length);
        pair.server.close();
    }
}
