package org.microssl.embedded;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.spi.ToolProvider;

/**
 * Runs {@code jdeps -verbose:class} over compiled classes (a directory or a jar) and lists every dependency an
 * embedded JVM may not have: a JDK module other than {@code java.base}, or an API the team rules forbid in main
 * code even though it sits in java.base (JSSE, the java.security.cert path builder) or in a BouncyCastle jar we do
 * not ship (bcpkix, the BC JSSE provider).
 */
final class JavaBaseOnlyCheck {

    private static final String[] FORBIDDEN_PREFIXES = {
        "javax.net.ssl.",
        "java.security.cert.CertPath",
        "java.security.cert.PKIX",
        "org.bouncycastle.jsse.",
        "org.bouncycastle.jcajce.provider.",
        "org.bouncycastle.cert.",
        "org.bouncycastle.pkix.",
        "org.bouncycastle.operator.",
    };

    private JavaBaseOnlyCheck() {
    }

    /** @return one line per violating dependency, {@code "from -> to (module)"}; empty if clean */
    static List<String> violations(Path classes) {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps")
            .orElseThrow(() -> new IllegalStateException("jdeps is not in this JDK; run the build on a full JDK"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = jdeps.run(new PrintWriter(out), new PrintWriter(err), "--multi-release", "base",
            "-verbose:class", "--ignore-missing-deps", classes.toString());
        if (rc != 0) {
            throw new IllegalStateException("jdeps failed (" + rc + ") on " + classes + ": " + err + out);
        }
        List<String> violations = new ArrayList<>();
        for (String line : out.toString().split("\n")) {
            String[] f = line.trim().split("\\s+");
            // "   from.Class   -> to.Class   module-or-location"
            if (f.length < 4 || !"->".equals(f[1])) {
                continue;
            }
            String target = f[2];
            String where = f[3];
            boolean jdkModule = where.startsWith("java.") || where.startsWith("jdk.");
            boolean forbidden = jdkModule && !"java.base".equals(where);
            for (String p : FORBIDDEN_PREFIXES) {
                forbidden |= target.startsWith(p);
            }
            if (forbidden) {
                violations.add(f[0] + " -> " + target + " (" + where + ")");
            }
        }
        return violations;
    }
}
