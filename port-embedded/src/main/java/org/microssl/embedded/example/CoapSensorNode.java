package org.microssl.embedded.example;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;

import org.microssl.DatagramSocketTransport;
import org.microssl.DtlsSocket;
import org.microssl.SSLContext;
import org.microssl.Ssl;
import org.microssl.spi.EntropySource;

/**
 * The second device example: a constrained sensor that speaks UDP only (as a CoAP/LwM2M device does) sends its
 * reading over DTLS 1.2 with a pre-shared key, {@code TLS_PSK_WITH_AES_128_CCM_8} (CoAP's mandatory suite,
 * RFC 7252 section 9.1.3.1), in datagrams of at most 512 bytes. No certificate, so no clock is needed.
 *
 * <pre>
 * openssl s_server -dtls1_2 -accept 5684 -nocert -psk 000102030405060708090a0b0c0d0e0f \
 *     -psk_identity sensor-0042 -cipher PSK-AES128-CCM8
 * java -cp microssl-embedded.jar org.microssl.embedded.example.CoapSensorNode 127.0.0.1 5684 sensor-0042 \
 *     000102030405060708090a0b0c0d0e0f
 * </pre>
 */
public final class CoapSensorNode {
    /** A datagram a 6LoWPAN or NB-IoT link carries without IP fragmentation, with room to spare. */
    static final int MTU = 512;

    private final String identity;
    private final byte[] psk;
    private final EntropySource trng;

    /**
     * @param identity the PSK identity provisioned with the device
     * @param psk the pre-shared key (16 bytes here), provisioned at manufacture
     * @param trng the device's TRNG
     */
    public CoapSensorNode(String identity, byte[] psk, EntropySource trng) {
        this.identity = identity;
        this.psk = psk.clone();
        this.trng = trng;
    }

    /**
     * Sends {@code reading} as one datagram and waits up to {@code replyMillis} for one datagram back.
     *
     * @return the reply, or null if none came in time
     */
    public String sendReading(String host, int port, String reading, int replyMillis) throws IOException {
        SSLContext ctx = new SSLContext(Ssl.PROTOCOL_DTLS_CLIENT);
        ctx.setEntropySource(trng);
        ctx.setPskIdentity(identity);
        ctx.setPskKey(psk);
        ctx.setCiphers("TLS_PSK_WITH_AES_128_CCM_8");
        ctx.setHandshakeTimeout(15_000); // lost flights are resent after 1 s, 2 s, 4 s, 8 s
        DatagramSocketTransport udp = DatagramSocketTransport.open(new InetSocketAddress(host, port), MTU);
        try (DtlsSocket dtls = ctx.wrapDatagram(udp, null)) {
            dtls.write(reading.getBytes("UTF-8"));
            dtls.setTimeout(replyMillis);
            try {
                byte[] reply = dtls.recv();
                return reply.length == 0 ? null : new String(reply, "UTF-8");
            } catch (SocketTimeoutException e) {
                return null;
            }
        }
    }

    /** {@code CoapSensorNode HOST PORT IDENTITY HEXKEY [READING]}: one reading, then the reply if one comes. */
    public static void main(String[] args) throws IOException {
        if (args.length < 4) {
            System.err.println("usage: CoapSensorNode HOST PORT IDENTITY HEXKEY [READING]");
            System.exit(2);
        }
        byte[] key = new byte[args[3].length() / 2];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) Integer.parseInt(args[3].substring(2 * i, 2 * i + 2), 16);
        }
        String reading = args.length > 4 ? args[4] : "{\"sensor\":\"" + args[2] + "\",\"temp_c\":21.5}\n";
        CoapSensorNode node = new CoapSensorNode(args[2], key, SensorNode.defaultTrng());
        String reply = node.sendReading(args[0], Integer.parseInt(args[1]), reading, 3000);
        System.out.println("device: reading sent over DTLS 1.2 PSK (TLS_PSK_WITH_AES_128_CCM_8)");
        System.out.println("device: reply " + (reply == null ? "none" : reply.trim()));
    }
}
