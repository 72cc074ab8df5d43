package org.microssl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.nio.file.Path;

import org.bouncycastle.tls.AlertDescription;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.microssl.Fixtures.Backend;
import org.microssl.SslException.Failure;
import org.microssl.testing.Peer;
import org.microssl.testing.TestPki;
import org.microssl.testing.TlsPair;

/**
 * ALPN (RFC 7301): CPython's set_alpn_protocols and selected_alpn_protocol, between two microssl ends, against
 * {@code openssl s_server -alpn} and {@code openssl s_client -alpn}; a server with no common name refuses with
 * no_application_protocol.
 */
class AlpnTest {
    static final TestPki.Chain CHAIN = TestPki.chain(TestPki.KeyType.EC_P256);

    @TempDir
    static Path dir;

    @BeforeAll
    static void write() throws Exception {
        CHAIN.writeTo(dir, "ec-");
    }

    @ParameterizedTest(name = "{0} TLS 0x{1}")
    @CsvSource({"LIGHTWEIGHT, 0304", "LIGHTWEIGHT, 0303", "JCA, 0304", "JCA, 0303"})
    void serverPreferenceBetweenMicrosslEnds(Backend backend, String version) throws Exception {
        SSLContext client = Fixtures.client(CHAIN.root, backend);
        client.setMaximumVersion(Integer.parseInt(version, 16));
        client.setAlpnProtocols("mqtt", "http/1.1");
        SSLContext server = Fixtures.server(CHAIN, backend);
        server.setAlpnProtocols("http/1.1", "mqtt");
        TlsPair p = TlsPair.connect(client, "localhost", server);
        assertEquals("http/1.1", p.client.selectedAlpnProtocol());
        assertEquals("http/1.1", p.server.selectedAlpnProtocol());
    }

    @Test
    void noAlpnOnEitherSideOrOnlyOneIsNull() throws Exception {
        SSLContext client = Fixtures.client(CHAIN.root, Backend.LIGHTWEIGHT);
        TlsPair p = TlsPair.connect(client, "localhost", Fixtures.server(CHAIN, Backend.LIGHTWEIGHT));
        assertNull(p.client.selectedAlpnProtocol());
        assertNull(p.server.selectedAlpnProtocol());

        client.setAlpnProtocols("mqtt"); // a server without ALPN ignores the offer
        p = TlsPair.connect(client, "localhost", Fixtures.server(CHAIN, Backend.LIGHTWEIGHT));
        assertNull(p.client.selectedAlpnProtocol());

        SSLContext server = Fixtures.server(CHAIN, Backend.LIGHTWEIGHT);
        server.setAlpnProtocols("mqtt"); // a client that offers none is accepted
        p = TlsPair.connect(Fixtures.client(CHAIN.root, Backend.LIGHTWEIGHT), "localhost", server);
        assertNull(p.server.selectedAlpnProtocol());
    }

    @ParameterizedTest(name = "{0} TLS 0x{1}")
    @CsvSource({"LIGHTWEIGHT, 0304", "JCA, 0303"})
    void noOverlapIsNoApplicationProtocol(Backend backend, String version) throws Exception {
        SSLContext client = Fixtures.client(CHAIN.root, backend);
        client.setMaximumVersion(Integer.parseInt(version, 16));
        client.setAlpnProtocols("h2", "http/1.1");
        SSLContext server = Fixtures.server(CHAIN, backend);
        server.setAlpnProtocols("mqtt");
        TlsPair p = TlsPair.attempt(client, "localhost", server);
        SslException s = assertInstanceOf(SslException.class, p.serverError, String.valueOf(p.serverError));
        assertEquals(Failure.HANDSHAKE_FAILURE, s.failure());
        assertEquals(AlertDescription.no_application_protocol, s.alert());
        assertEquals("HANDSHAKE_FAILURE: sent alert no_application_protocol(120): no common application protocol: the client offered "
                + "['h2', 'http/1.1'], this server accepts ['mqtt'] (RFC 7301 section 3.2)", s.getMessage());
        SslException c = assertInstanceOf(SslException.class, p.clientError, String.valueOf(p.clientError));
        assertEquals(Failure.ALERT_RECEIVED, c.failure());
        assertEquals(AlertDescription.no_application_protocol, c.alert());
    }

    @Test
    void namesAreChecked() {
        SSLContext ctx = new SSLContext(Ssl.PROTOCOL_TLS_CLIENT);
        assertEquals("ALPN protocols: the list is empty (give at least one name)",
                assertThrows(IllegalArgumentException.class, ctx::setAlpnProtocols).getMessage());
        assertEquals("ALPN protocols must be 1 to 255 bytes long; entry 1 is 0 bytes",
                assertThrows(IllegalArgumentException.class, () -> ctx.setAlpnProtocols("mqtt", "")).getMessage());
        String longName = new String(new char[256]).replace('\0', 'a');
        assertEquals("ALPN protocols must be 1 to 255 bytes long; entry 0 is 256 bytes",
                assertThrows(IllegalArgumentException.class, () -> ctx.setAlpnProtocols(longName)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> ctx.setAlpnProtocols("a", null));
        assertNull(ctx.getAlpnProtocols(), "a refused list leaves the old one");
        ctx.setAlpnProtocols(longName.substring(1));
        assertEquals(255, ctx.getAlpnProtocols()[0].length());
    }

    @ParameterizedTest(name = "TLS {0}")
    @CsvSource({"-tls1_3", "-tls1_2"})
    void againstOpensslServer(String version) throws Exception {
        try (Peer server = Peer.opensslServer(dir, "-cert", "ec-leaf.pem", "-key", "ec-leaf.key", "-cert_chain",
                "ec-int.pem", version, "-alpn", "h2,mqtt")) {
            SSLContext client = Fixtures.client(CHAIN.root, Backend.LIGHTWEIGHT);
            client.setAlpnProtocols("mqtt", "http/1.1");
            try (SSLSocket s = client.wrapSocket(new Socket("127.0.0.1", server.port()), "localhost")) {
                assertEquals("mqtt", s.selectedAlpnProtocol());
            }
            // OpenSSL 3's server refuses a client with no common name, as ours does
            client.setAlpnProtocols("http/1.1");
            SslException e = assertThrows(SslException.class,
                    () -> client.wrapSocket(new Socket("127.0.0.1", server.port()), "localhost"));
            assertEquals(Failure.ALERT_RECEIVED, e.failure());
            assertEquals(AlertDescription.no_application_protocol, e.alert());
        }
    }

    @Test
    void againstOpensslClient() throws Exception {
        SSLContext server = Fixtures.server(CHAIN, Backend.LIGHTWEIGHT);
        server.setAlpnProtocols("mqtt", "http/1.1");
        OneConnection c = OneConnection.serve(server, dir, "hello\n", "openssl", "s_client", "-alpn", "http/1.1,mqtt",
                "-CAfile", "ec-root.pem", "-verify_return_error");
        assertTrue(c.clientOutput.contains("ALPN protocol: mqtt"), c.clientOutput);
        assertEquals("mqtt", c.server.selectedAlpnProtocol());
        assertEquals("hello\n", c.serverRead);
    }

    @Test
    void opensslClientWithNoCommonNameGetsTheAlert() throws Exception {
        SSLContext server = Fixtures.server(CHAIN, Backend.JCA);
        server.setAlpnProtocols("mqtt");
        OneConnection c = OneConnection.serve(server, dir, "", "openssl", "s_client", "-alpn", "h2",
                "-CAfile", "ec-root.pem");
        assertTrue(c.clientOutput.contains("no application protocol") && c.clientOutput.contains("alert number 120"),
                c.clientOutput);
        SslException s = assertInstanceOf(SslException.class, c.serverError, String.valueOf(c.serverError));
        assertEquals(AlertDescription.no_application_protocol, s.alert());
        assertTrue(s.getMessage().contains("the client offered ['h2'], this server accepts ['mqtt']"), s.getMessage());
    }
}
