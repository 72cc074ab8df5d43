package org.microssl.embedded.example;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

import org.microssl.SSLContext;
import org.microssl.SSLSocket;
import org.microssl.Session;
import org.microssl.Ssl;
import org.microssl.DatagramSocketTransport;
import org.microssl.embedded.InputStreamEntropySource;
import org.microssl.embedded.RtcClock;
import org.microssl.embedded.SntpClient;
import org.microssl.StreamTransport;
import org.microssl.spi.EntropySource;
import org.microssl.spi.KeySigner;

/**
 * What runs on the device: set the RTC by SNTP (certificate dates cannot be checked before), then post one sensor
 * reading over TLS 1.3 with mutual TLS, the device key inside its secure element, records of at most 512 bytes.
 */
public final class SensorNode {

    private final RtcClock rtc = new RtcClock();
    private final EntropySource trng;
    private final byte[] trustedCa;
    private final byte[] deviceCertChain;
    private final KeySigner secureElement;
    /** The session kept for the next wake-up (in RTC memory or flash on a real device: {@link Session#toBytes()}). */
    private Session session;
    private boolean lastResumed;
    private long lastHandshakeMillis;

    /**
     * @param trng the device's TRNG (here {@code /dev/urandom} through the TRNG adapter)
     * @param trustedCa the server's CA, DER (provisioned at manufacture)
     * @param deviceCertChain this device's certificate (+ intermediates), PEM or DER
     * @param secureElement the signer holding the device key
     */
    public SensorNode(EntropySource trng, byte[] trustedCa, byte[] deviceCertChain, KeySigner secureElement) {
        this.trng = trng;
        this.trustedCa = trustedCa;
        this.deviceCertChain = deviceCertChain;
        this.secureElement = secureElement;
    }

    /** Step 1: the RTC boots unset; ask the time server. */
    public long syncClock(String ntpHost, int ntpPort) throws IOException {
        try (DatagramSocketTransport udp = DatagramSocketTransport.open(ntpHost, ntpPort)) {
            return new SntpClient(udp, trng).sync(rtc);
        }
    }

    /** Step 2: POST the reading; returns the server's HTTP status line. */
    public String postReading(String host, int port, String json) throws IOException {
        SSLContext ctx = new SSLContext(Ssl.PROTOCOL_TLS_CLIENT); // CERT_REQUIRED + hostname check
        ctx.setClock(rtc);
        ctx.setEntropySource(trng);
        ctx.setMinimumVersion(Ssl.TLSv1_3);
        ctx.setMaxFragmentLength(Ssl.MFL_512);
        ctx.loadVerifyLocations(trustedCa);
        ctx.loadCertChain(deviceCertChain, secureElement);

        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), 10_000);
        long start = System.nanoTime();
        // With a session from the last wake-up: no certificate, no signature by the secure element (issue 11)
        SSLSocket tls = ctx.wrapSocket(new StreamTransport(socket.getInputStream(), socket.getOutputStream(), socket),
            host, session);
        lastHandshakeMillis = (System.nanoTime() - start) / 1_000_000;
        lastResumed = tls.sessionReused();
        try {
            byte[] body = json.getBytes("UTF-8");
            String head = "POST /readings HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
            tls.write(head.getBytes("US-ASCII"));
            tls.write(body);
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            byte[] buf = new byte[512];
            int n;
            while ((n = tls.readinto(buf)) > 0) {
                response.write(buf, 0, n);
            }
            // TLS 1.3: the server's ticket came with its response; it is for one use, so the next is kept
            Session next = tls.session();
            session = next;
            String text = response.toString("UTF-8");
            int eol = text.indexOf("\r\n");
            return eol < 0 ? text : text.substring(0, eol);
        } finally {
            tls.close();
        }
    }

    /** The session to keep across deep sleep, or null if the server gave none. */
    public Session session() {
        return session;
    }

    /** A session kept from before deep sleep (read back from RTC memory or flash), offered by the next post. */
    public void resumeFrom(Session kept) {
        this.session = kept;
    }

    /** Whether the last post's handshake resumed the session, and how long that handshake took. */
    public boolean lastResumed() {
        return lastResumed;
    }

    public long lastHandshakeMillis() {
        return lastHandshakeMillis;
    }

    public RtcClock rtc() {
        return rtc;
    }

    /** The device TRNG of this example: the OS generator, health-tested as a hardware source would be. */
    public static EntropySource defaultTrng() throws IOException {
        return InputStreamEntropySource.open("/dev/urandom");
    }
}
