package org.microssl.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.microssl.Ssl;

/**
 * The shrunk {@code microssl-embedded.jar} keeps microssl's public API: a program compiled against the unshrunk
 * classes (core and this port) that links every public type, constructor, method and field runs on the jar alone
 * without a {@code NoSuchMethodError}, and each of those members keeps its name, signature and modifiers.
 * The API is found by reflection ({@link PublicApi}), so new API is covered without editing this test.
 * Runs after {@code package} (failsafe).
 */
class ShrunkJarApiIT {

    @TempDir
    static Path dir;
    static PublicApi api;
    static Path probeClasses;

    @BeforeAll
    static void compileTheProbeAgainstTheUnshrunkClasses() throws Exception {
        assertTrue(Files.isRegularFile(ShrunkJarIT.JAR), "run after package: no " + ShrunkJarIT.JAR);
        api = PublicApi.of(JavaBaseOnlyTest.codeSourceOf(Ssl.class), JavaBaseOnlyTest.codeSourceOf(Main.class));
        List<String> names = api.types.stream().map(Class::getName).collect(Collectors.toList());
        assertTrue(names.containsAll(Arrays.asList("org.microssl.SSLContext", "org.microssl.spi.Transport",
            "org.microssl.x509.CertificateRejectedException", "org.microssl.embedded.RtcClock")), names.toString());

        Path source = dir.resolve("src").resolve(PublicApi.PROBE_CLASS.replace('.', '/') + ".java");
        Files.createDirectories(source.getParent());
        Files.write(source, api.probeSource().getBytes(StandardCharsets.UTF_8));
        probeClasses = Files.createDirectories(dir.resolve("probe"));
        String classPath = api.compileClassPath().stream().map(Path::toString)
            .collect(Collectors.joining(File.pathSeparator));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter diagnostics = new StringWriter();
        // Java 8 bytecode, as a device application's would be
        boolean compiled = javac.getTask(diagnostics, null, null, Arrays.asList("--release", "8", "-nowarn",
                "-cp", classPath, "-d", probeClasses.toString()), null,
            javac.getStandardFileManager(null, null, StandardCharsets.UTF_8).getJavaFileObjects(source.toFile()))
            .call();
        assertTrue(compiled, "the generated probe " + source + " does not compile:\n" + diagnostics);
    }

    /**
     * Runs the probe with the shrunk jar as its only microssl/BouncyCastle code, on the class path or appended to
     * the boot class path (the device deployment, README); returns its MISSING lines.
     */
    static List<String> missingOn(List<String> jvmOptions, boolean bootClassPath) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(ShrunkJarIT.JAVA);
        cmd.addAll(jvmOptions);
        if (bootClassPath) cmd.add("-Xbootclasspath/a:" + ShrunkJarIT.JAR);
        cmd.addAll(Arrays.asList("-Xverify:all", "-cp",
            bootClassPath ? probeClasses.toString() : ShrunkJarIT.JAR + File.pathSeparator + probeClasses,
            PublicApi.PROBE_CLASS));
        ShrunkJarIT.Run r = ShrunkJarIT.run(dir, cmd, 180);
        List<String> missing = Arrays.stream(r.out.split("\n")).filter(l -> l.startsWith("MISSING "))
            .collect(Collectors.toList());
        assertTrue(r.out.contains(" references, " + missing.size() + " missing"), "the probe did not finish: "
            + r.out + r.err);
        assertEquals(missing.size(), r.exit, r.out + r.err);
        return missing;
    }

    @Test
    void everyPublicMemberLinksOnTheShrunkJar() throws Exception {
        assertEquals(Collections.emptyList(), missingOn(Collections.emptyList(), false));
    }

    @Test
    void everyPublicMemberLinksOnTheShrunkJarOnZero() throws Exception {
        ShrunkJarIT.assumeZero(dir);
        assertEquals(Collections.emptyList(), missingOn(Arrays.asList("-zero", "-Xmx16m"), false));
    }

    @Test
    void everyPublicMemberLinksWithTheJarOnTheBootClassPathOnZero() throws Exception {
        ShrunkJarIT.assumeZero(dir);
        assertEquals(Collections.emptyList(), missingOn(Arrays.asList("-zero", "-Xmx16m"), true));
    }

    private static final int SHAPE = Modifier.PUBLIC | Modifier.PROTECTED | Modifier.PRIVATE | Modifier.STATIC
        | Modifier.FINAL | Modifier.ABSTRACT | Modifier.INTERFACE;

    /**
     * What linking cannot show: modifiers (a class made final, a method made static), supertypes (a dropped
     * {@code implements Closeable}), the values of compile-time constants (javac inlines them, so no bytecode
     * refers to them), protected members.
     */
    @Test
    void everyPublicMemberKeepsItsShape() throws Exception {
        List<String> differences = new ArrayList<>();
        int members = 0;
        try (URLClassLoader shrunk = new URLClassLoader(new URL[] {ShrunkJarIT.JAR.toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            for (Class<?> compiled : api.types) {
                Class<?> kept;
                try {
                    kept = Class.forName(compiled.getName(), false, shrunk);
                } catch (ClassNotFoundException e) {
                    differences.add("missing type " + compiled.getName());
                    continue;
                }
                compare(compiled.getName(), modifiers(compiled.getModifiers()), modifiers(kept.getModifiers()),
                    differences);
                compare(compiled.getName() + " supertypes", supertypes(compiled), supertypes(kept), differences);
                Map<String, Member> keptMembers = new HashMap<>();
                for (Member m : declaredMembers(kept)) {
                    keptMembers.put(PublicApi.describe(m), m);
                }
                for (Member m : PublicApi.members(compiled)) {
                    members++;
                    String name = PublicApi.describe(m);
                    Member k = keptMembers.get(name);
                    if (k == null) {
                        differences.add("missing " + name);
                        continue;
                    }
                    // ProGuard marks the methods of a final class final: binary compatible (JLS 13.4.17), as no
                    // subclass can override them
                    int ignored = Modifier.isFinal(compiled.getModifiers()) && m instanceof Method ? Modifier.FINAL : 0;
                    compare(name, modifiers(m.getModifiers() & ~ignored), modifiers(k.getModifiers() & ~ignored),
                        differences);
                    compare(name + " type", typeOf(m), typeOf(k), differences);
                    if (m instanceof Field && isConstant((Field) m)) {
                        compare(name + " value", ((Field) m).get(null), ((Field) k).get(null), differences);
                    }
                }
            }
        }
        assertTrue(members > 200, "only " + members + " members found");
        assertEquals(Collections.emptyList(), differences);
    }

    private static List<Member> declaredMembers(Class<?> c) {
        List<Member> all = new ArrayList<>();
        all.addAll(Arrays.asList(c.getDeclaredConstructors()));
        all.addAll(Arrays.asList(c.getDeclaredMethods()));
        all.addAll(Arrays.asList(c.getDeclaredFields()));
        return all;
    }

    private static List<String> supertypes(Class<?> c) {
        List<String> names = Arrays.stream(c.getInterfaces()).map(Class::getName).sorted()
            .collect(Collectors.toList());
        names.add(0, c.getSuperclass() == null ? "-" : c.getSuperclass().getName());
        return names;
    }

    private static String typeOf(Member m) {
        if (m instanceof Field) {
            return ((Field) m).getType().getName();
        }
        return m instanceof Method ? ((Method) m).getReturnType().getName() : "";
    }

    private static boolean isConstant(Field f) {
        int constant = Modifier.STATIC | Modifier.FINAL;
        return (f.getModifiers() & constant) == constant
            && (f.getType().isPrimitive() || f.getType() == String.class);
    }

    private static void compare(String what, Object compiled, Object kept, List<String> differences) {
        if (!Objects.equals(compiled, kept)) {
            differences.add(what + ": " + compiled + " in core, " + kept + " in the shrunk jar");
        }
    }

    private static String modifiers(int flags) {
        return "[" + Modifier.toString(flags & SHAPE) + "]";
    }
}
