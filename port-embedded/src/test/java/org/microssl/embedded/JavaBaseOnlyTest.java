package org.microssl.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.microssl.spi.Transport;

/**
 * The build check of issue 4: {@code core} and {@code port-embedded} main code use only {@code java.base} (and no
 * JSSE, no certpath builder, no bcpkix). A violation fails {@code mvn verify}.
 */
class JavaBaseOnlyTest {

    static Path codeSourceOf(Class<?> c) throws Exception {
        return Paths.get(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    @Test
    void coreMainCodeUsesOnlyJavaBase() throws Exception {
        Path core = codeSourceOf(Transport.class);
        assertEquals(Collections.emptyList(), JavaBaseOnlyCheck.violations(core), "in " + core);
    }

    @Test
    void embeddedMainCodeUsesOnlyJavaBase() throws Exception {
        Path embedded = codeSourceOf(RtcClock.class);
        assertTrue(embedded.endsWith("classes"), "expected port-embedded's target/classes, got " + embedded);
        assertEquals(Collections.emptyList(), JavaBaseOnlyCheck.violations(embedded), "in " + embedded);
    }

    /** The check can fail: a class using java.logging, JSSE and the certpath validator is caught on each. */
    @Test
    void checkCatchesViolations(@TempDir Path dir) throws Exception {
        String name = ViolatesJavaBaseOnly.class.getName().replace('.', '/') + ".class";
        Path compiled = codeSourceOf(ViolatesJavaBaseOnly.class).resolve(name);
        Path copy = dir.resolve(name);
        Files.createDirectories(copy.getParent());
        Files.copy(compiled, copy);
        List<String> v = JavaBaseOnlyCheck.violations(dir);
        String from = ViolatesJavaBaseOnly.class.getName();
        assertEquals(Arrays.asList(
            from + " -> java.security.cert.CertPathValidator (java.base)",
            from + " -> java.util.logging.Logger (java.logging)",
            from + " -> javax.net.ssl.SSLContext (java.base)"), v);
    }
}
