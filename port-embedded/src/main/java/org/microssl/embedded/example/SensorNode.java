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

    /**
     * The firmware's entry point, one wake-up: {@code SensorNode FLASH_DIR HOST PORT [SNTP_HOST SNTP_PORT]}.
     * FLASH_DIR holds what the factory provisioned: {@code ca.der} (the server's CA), {@code device.der} (this
     * device's certificate) and {@code device.key} (PKCS#8: the key of the examples' software secure element). It
     * stands in for the RTC memory too: {@code rtc-memory.session} is offered for resumption when present and is
     * rewritten after each post. With an SNTP server the RTC is set first, as after a cold start; without one it is
     * taken as still counting through deep sleep. {@code port-embedded/proguard-sensor-node.pro} shrinks this class
     * with microssl into a client-only firmware image. The exit status is 0 only if the server answered 2xx.
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 3 && args.length != 5) {
            System.err.println("usage: SensorNode FLASH_DIR HOST PORT [SNTP_HOST SNTP_PORT]");
            System.exit(2);
        }
        java.io.File flash = new java.io.File(args[0]);
        java.io.File rtcMemory = new java.io.File(flash, "rtc-memory.session");
        // the device profile's key decoding: BouncyCastle's PrivateKeyFactory would pull every curve table into the
        // image (about 350 KB)
        org.bouncycastle.crypto.params.ECPrivateKeyParameters key =
            (org.bouncycastle.crypto.params.ECPrivateKeyParameters) org.microssl.internal.crypto.DeviceKeys.privateKey(
                org.bouncycastle.asn1.pkcs.PrivateKeyInfo.getInstance(read(new java.io.File(flash, "device.key"))));
        SensorNode node = new SensorNode(defaultTrng(), read(new java.io.File(flash, "ca.der")),
            read(new java.io.File(flash, "device.der")), new SoftSecureElement(key));
        if (args.length == 5) {
            node.syncClock(args[3], Integer.parseInt(args[4]));
        } else {
            node.rtc().setEpochMillis(System.currentTimeMillis()); // the RTC kept counting through deep sleep
        }
        if (rtcMemory.isFile()) {
            node.resumeFrom(Session.fromBytes(read(rtcMemory)));
        }
        String status = node.postReading(args[1], Integer.parseInt(args[2]),
            "{\"sensor\":\"sensor-0042\",\"temperature_c\":21.7}");
        System.out.println("device: wake-up, resumed=" + (node.lastResumed() ? "yes" : "no") + ", handshake "
            + node.lastHandshakeMillis() + " ms, server answered " + status);
        if (node.session() != null) {
            try (java.io.FileOutputStream out = new java.io.FileOutputStream(rtcMemory)) {
                out.write(node.session().toBytes()); // secret: RTC memory is the device's own
            }
        }
        boolean ok = status.startsWith("HTTP/1.") && status.length() > 9 && status.charAt(9) == '2';
        System.exit(ok ? 0 : 1);
    }

    private static byte[] read(java.io.File file) throws IOException {
        try (java.io.FileInputStream in = new java.io.FileInputStream(file)) {
            return org.bouncycastle.util.io.Streams.readAll(in);
        }
    }

    /** The device TRNG of this example: the OS generator, health-tested as a hardware source would be. */
    public static EntropySource defaultTrng() throws IOException {
        return InputStreamEntropySource.open("/dev/urandom");
    }
}
