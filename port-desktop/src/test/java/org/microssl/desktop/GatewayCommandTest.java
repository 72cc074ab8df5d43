package org.microssl.desktop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.microssl.SSLContext;
import org.microssl.SSLSocket;
import org.microssl.Ssl;
import org.microssl.SslException;
import org.microssl.desktop.interop.InteropPki;
import org.microssl.testing.TestPki.KeyType;

/** {@code microssl.jar gateway PORT ...}, in-process: mutual TLS required, echo, stopped by interrupting it. */
class GatewayCommandTest {
    private static final InteropPki PKI = InteropPki.get();
    private static final Pattern LISTENING = Pattern.compile("listening port=(\\d+)");

    @Test
    void gatewayEchoesForAClientWithACertificateAndRefusesOneWithout() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        AtomicInteger status = new AtomicInteger(-1);
        String[] args = {"gateway", "0", "--cert", PKI.path(KeyType.EC_P256, "chain.pem"), "--key",
            PKI.path(KeyType.EC_P256, "leaf.key"), "--cafile", PKI.clientFile("root.pem").toString(), "--verify",
            "required", "--max-conns", "50", "--threads", "1"};
        Thread cli = new Thread(() -> status.set(Main.run(args, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))));
        cli.start();
        try {
            long deadline = System.currentTimeMillis() + 20_000;
            Matcher m;
            while (!(m = LISTENING.matcher(out.toString(StandardCharsets.UTF_8))).find()) {
                if (!cli.isAlive() || System.currentTimeMillis() > deadline) {
                    throw new AssertionError("gateway did not start: " + out + err);
                }
                Thread.sleep(10);
            }
            int port = Integer.parseInt(m.group(1));
            assertTrue(out.toString(StandardCharsets.UTF_8).contains("max-conns=50"), out.toString());

            SSLContext device = new SSLContext(Ssl.PROTOCOL_TLS_CLIENT);
            device.loadVerifyLocations(PKI.path(KeyType.EC_P256, "root.pem"), null);
            device.loadCertChain(PKI.clientFile("chain.pem").toString(), PKI.clientFile("leaf.key").toString());
            try (SSLSocket s = device.wrapSocket(new Socket("127.0.0.1", port), "localhost")) {
                s.write("sensor 21.5C\n".getBytes(StandardCharsets.US_ASCII));
                assertArrayEquals("sensor 21.5C\n".getBytes(StandardCharsets.US_ASCII), s.read(13));
            }

            SSLContext anonymous = new SSLContext(Ssl.PROTOCOL_TLS_CLIENT);
            anonymous.loadVerifyLocations(PKI.path(KeyType.EC_P256, "root.pem"), null);
            SSLSocket s = anonymous.wrapSocket(new Socket("127.0.0.1", port), "localhost");
            SslException e = assertThrows(SslException.class, () -> s.read(1));
            assertEquals(116, e.alert(), "certificate_required: " + e.getMessage());
            s.close();
        } finally {
            cli.interrupt();
            cli.join(10_000);
        }
        assertEquals(0, status.get(), err.toString());
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("stopped open="), out.toString());
    }

    @Test
    void usageNamesTheCommand() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(new String[] {"gateway", "8883", "--once"}, new ByteArrayInputStream(new byte[0]),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(1, status);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown option --once for gateway"), err.toString());
        err.reset();
        Main.run(new String[] {"gateway", "8883"}, new ByteArrayInputStream(new byte[0]),
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("gateway needs --cert and --key"), err.toString());
    }
}
