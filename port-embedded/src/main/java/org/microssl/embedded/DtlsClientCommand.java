package org.microssl.embedded;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;

import org.microssl.DatagramSocketTransport;
import org.microssl.DtlsSocket;
import org.microssl.SSLContext;

/** {@code client HOST PORT --dtls}: DTLS 1.2 over UDP, with certificates or a pre-shared key (issue 15). */
final class DtlsClientCommand {
    private DtlsClientCommand() {
    }

    static void mtu(Main.Options o, String value) throws Main.UsageException {
        try {
            o.mtu = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            o.mtu = -1;
        }
        if (o.mtu < 256 || o.mtu > 65507) {
            throw new Main.UsageException("--mtu must be between 256 and 65507, not " + value);
        }
    }

    static void check(Main.Options o) throws Main.UsageException {
        if (!o.dtls && o.mtu != 1232) {
            throw new Main.UsageException("--mtu goes with --dtls");
        }
        if (o.dtls && o.stdio) {
            throw new Main.UsageException("--stdio is a byte stream: it does not go with --dtls");
        }
    }

    /** ctx has the client's options already (trust, --psk-identity/--psk, --alpn, clock, entropy). */
    static void run(SSLContext ctx, Main.Options o, PrintStream out) throws IOException {
        boolean psk = o.psk != null;
        ctx.setHandshakeTimeout(o.timeout * 1000L);
        DatagramSocketTransport udp = DatagramSocketTransport.open(new InetSocketAddress(o.host, o.port), o.mtu);
        DtlsSocket s;
        try {
            s = ctx.wrapDatagram(udp, false, true, psk ? null : o.servername, null);
        } catch (IOException | RuntimeException e) {
            udp.close();
            throw e;
        }
        try {
            out.println("protocol=" + s.version() + " cipher=" + s.cipher()[0]);
            byte[] peer = (byte[]) s.getpeercert(true);
            out.println("peer=" + (peer == null ? "none"
                : org.bouncycastle.asn1.x509.Certificate.getInstance(peer).getSubject().toString()));
            out.flush();
            if (o.send != null) {
                s.write(o.send.getBytes("UTF-8"));
            }
            s.setTimeout(o.timeout * 1000);
            try {
                byte[] d;
                while ((d = s.recv()).length > 0) {
                    out.write(d, 0, d.length);
                    out.flush();
                }
            } catch (SocketTimeoutException quiet) {
                // UDP has no end of stream: --timeout without a datagram ends the session
            }
        } finally {
            s.close();
        }
    }
}
