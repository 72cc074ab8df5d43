package org.microssl.desktop;

import java.io.IOException;
import java.io.PrintStream;

import org.microssl.x509.TrustAnchorsTool;

/** {@code ta BUNDLE}: {@link TrustAnchorsTool}, as BearSSL's {@code brssl ta}. */
final class TaCommand {
    static final String USAGE = "usage: java -jar microssl.jar ta BUNDLE.pem > anchors.bin";

    private TaCommand() {
    }

    /** @return the exit status: 0, or 1 with an error line */
    static int run(String[] args, PrintStream out, PrintStream err) throws IOException {
        return TrustAnchorsTool.run(args, out, err, USAGE);
    }
}
