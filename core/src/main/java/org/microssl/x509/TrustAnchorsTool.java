package org.microssl.x509;

import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Both ports' {@code ta BUNDLE} command: the compact trust anchors of a PEM bundle (or one DER certificate), as
 * BearSSL's {@code brssl ta}, written to standard output for {@code SSLContext.loadTrustAnchors}. Standard error gets
 * a line for each certificate kept whole and a summary with the sizes.
 */
public final class TrustAnchorsTool {
    private TrustAnchorsTool() {
    }

    /**
     * @param args {@code ta BUNDLE}
     * @param usage the port's usage line, printed after a usage error
     * @return the exit status: 0, or 1 with an error line
     */
    public static int run(String[] args, PrintStream out, PrintStream err, String usage) throws IOException {
        if (args.length != 2) {
            err.println("error: USAGE: ta takes one file, the PEM bundle");
            err.println(usage);
            return 1;
        }
        byte[] data;
        try (InputStream in = new FileInputStream(args[1])) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            byte[] b = new byte[8192];
            int n;
            while ((n = in.read(b)) > 0) buf.write(b, 0, n);
            data = buf.toByteArray();
        } catch (IOException e) {
            err.println("error: IO: cannot read " + args[1] + ": " + e.getMessage());
            return 1;
        }
        List<byte[]> certs = new ArrayList<byte[]>();
        int derBytes = 0;
        List<Pem.Block> blocks = Pem.decode(data);
        for (Pem.Block block : blocks) {
            if ("CERTIFICATE".equals(block.label) || "TRUSTED CERTIFICATE".equals(block.label)) {
                certs.add(block.der);
                derBytes += block.der.length;
            }
        }
        if (blocks.isEmpty() && data.length > 0 && data[0] == 0x30) { // one DER certificate
            certs.add(data);
            derBytes = data.length;
        }
        if (certs.isEmpty()) {
            err.println("error: INVALID_CERT: no certificate in " + args[1]);
            return 1;
        }
        List<String> notes = new ArrayList<String>();
        byte[] encoded;
        try {
            encoded = TrustAnchors.encode(certs, notes);
        } catch (IllegalArgumentException e) {
            String m = String.valueOf(e.getMessage());
            err.println("error: INVALID_CERT: " + (m.startsWith("invalid cert: ") ? m.substring(14) : m));
            return 1;
        }
        for (String note : notes) err.println("note: " + note);
        err.println(certs.size() + " certificates (" + derBytes + " bytes of DER) -> " + TrustAnchors.check(encoded)
            + " anchors, " + notes.size() + " kept whole: " + encoded.length + " bytes");
        out.write(encoded, 0, encoded.length);
        out.flush();
        return 0;
    }
}
