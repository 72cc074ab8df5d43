package org.microssl.embedded;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * microssl's public API as compiled, found by reflection: every public type in a package under {@code org.microssl}
 * that has no {@code internal} segment, with its declared public and protected constructors, methods and fields.
 * {@link #probeSource} turns it into a Java program that links every member the way a caller's bytecode does, for
 * {@link ShrunkJarApiIT} to compile against the unshrunk classes and run on the shrunk jar.
 */
final class PublicApi {

    static final String PROBE_CLASS = "microsslapiprobe.ApiProbe";

    final List<Class<?>> types;

    private PublicApi(List<Class<?>> types) {
        this.types = types;
    }

    /** The public types in the given class directories or jars, loaded (not initialised) by this class's loader. */
    static PublicApi of(Path... locations) throws IOException, ClassNotFoundException {
        List<Class<?>> types = new ArrayList<>();
        for (Path location : locations) {
            for (String name : classNames(location)) {
                if (!isPublicPackage(name)) {
                    continue;
                }
                Class<?> c = Class.forName(name, false, PublicApi.class.getClassLoader());
                if (isAccessible(c)) {
                    types.add(c);
                }
            }
        }
        types.sort(Comparator.comparing(Class::getName));
        return new PublicApi(types);
    }

    /** The same rule as proguard.pro's keep rule: all of org.microssl except packages with an "internal" segment. */
    static boolean isPublicPackage(String className) {
        String pkg = className.substring(0, Math.max(0, className.lastIndexOf('.')));
        return (pkg + ".").startsWith("org.microssl.") && !Arrays.asList(pkg.split("\\.")).contains("internal");
    }

    private static boolean isAccessible(Class<?> c) {
        if (c.isAnonymousClass() || c.isLocalClass() || c.isSynthetic()) {
            return false;
        }
        for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
            if (!Modifier.isPublic(k.getModifiers())) {
                return false;
            }
        }
        return true;
    }

    private static List<String> classNames(Path location) throws IOException {
        Stream<String> entries;
        if (Files.isDirectory(location)) {
            try (Stream<Path> walk = Files.walk(location)) {
                entries = walk.map(p -> location.relativize(p).toString().replace('\\', '/'))
                    .collect(Collectors.toList()).stream();
            }
        } else {
            try (JarFile jar = new JarFile(location.toFile())) {
                entries = jar.stream().map(e -> e.getName()).collect(Collectors.toList()).stream();
            }
        }
        return entries.filter(n -> n.endsWith(".class") && !n.endsWith("package-info.class")
                && !n.endsWith("module-info.class"))
            .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
            .sorted().collect(Collectors.toList());
    }

    /** Public or protected, and written in the source (no bridges, no compiler-made members). */
    static boolean isApi(Member m) {
        boolean bridge = m instanceof Method && ((Method) m).isBridge();
        return (m.getModifiers() & (Modifier.PUBLIC | Modifier.PROTECTED)) != 0 && !m.isSynthetic() && !bridge;
    }

    static List<Member> members(Class<?> c) {
        List<Member> all = new ArrayList<>();
        all.addAll(Arrays.asList(c.getDeclaredConstructors()));
        all.addAll(Arrays.asList(c.getDeclaredMethods()));
        all.addAll(Arrays.asList(c.getDeclaredFields()));
        List<Member> api = all.stream().filter(PublicApi::isApi).collect(Collectors.toList());
        api.sort(Comparator.comparing(PublicApi::describe));
        return api;
    }

    /** e.g. {@code org.microssl.x509.CertificateRejectedException.depth()}, as the probe reports it. */
    static String describe(Member m) {
        String owner = m.getDeclaringClass().getName();
        if (m instanceof Field) {
            return owner + "." + m.getName();
        }
        String params = Arrays.stream(((Executable) m).getParameterTypes()).map(Class::getTypeName)
            .collect(Collectors.joining(","));
        return owner + "." + (m instanceof Constructor ? "<init>" : m.getName()) + "(" + params + ")";
    }

    /** Every jar or directory the probe needs on its compile class path: ours and those of the types we expose. */
    Set<Path> compileClassPath() throws URISyntaxException {
        Set<Class<?>> used = new LinkedHashSet<>(types);
        for (Class<?> c : types) {
            for (Member m : members(c)) {
                if (m instanceof Field) {
                    used.add(((Field) m).getType());
                } else {
                    used.addAll(Arrays.asList(((Executable) m).getParameterTypes()));
                    if (m instanceof Method) {
                        used.add(((Method) m).getReturnType());
                    }
                }
            }
        }
        Set<Path> path = new LinkedHashSet<>();
        for (Class<?> c : used) {
            while (c.isArray()) {
                c = c.getComponentType();
            }
            CodeSource source = c.isPrimitive() ? null : c.getProtectionDomain().getCodeSource();
            if (source != null) {
                path.add(Paths.get(source.getLocation().toURI()));
            }
        }
        return path;
    }

    /**
     * A program that makes the JVM resolve each member as a caller's bytecode would, without running any of them:
     * an instance method or field is used on a {@code null} receiver (resolution comes before the null check, JVMS
     * section 6.5 invokevirtual), a static method or a constructor through a method reference (its method handle
     * constant is resolved when the call site is linked, JVMS section 5.4.3.5), a type through its class literal.
     * A member that fails to link (NoSuchMethodError, NoSuchFieldError, NoClassDefFoundError, ...) is printed as
     * {@code MISSING <member>: <error>}; the exit status is the number of them. What no bytecode links (compile-time
     * constants are inlined by javac; protected members; constructors of abstract or inner classes) is left to the
     * reflective comparison of {@link ShrunkJarApiIT}.
     */
    String probeSource() {
        StringBuilder interfaces = new StringBuilder();
        StringBuilder body = new StringBuilder();
        int linked = 0;
        for (int t = 0; t < types.size(); t++) {
            Class<?> c = types.get(t);
            String type = c.getCanonicalName();
            body.append("    static void type").append(t).append("() {\n");
            body.append(probe(type, "sink = " + type + ".class;", false));
            linked++;
            for (Member m : members(c)) {
                String statement = linkingStatement(c, m, interfaces);
                if (statement != null) {
                    body.append(probe(describe(m), statement, !Modifier.isStatic(m.getModifiers())
                        && !(m instanceof Constructor)));
                    linked++;
                }
            }
            body.append("    }\n\n");
        }
        StringBuilder main = new StringBuilder();
        for (int t = 0; t < types.size(); t++) {
            main.append("        type").append(t).append("();\n");
        }
        String pkg = PROBE_CLASS.substring(0, PROBE_CLASS.lastIndexOf('.'));
        String simple = PROBE_CLASS.substring(PROBE_CLASS.lastIndexOf('.') + 1);
        return "package " + pkg + ";\n\n"
            + "/** Generated by " + PublicApi.class.getName() + ": links every member of microssl's public API. */\n"
            + "@SuppressWarnings({\"rawtypes\", \"unchecked\"})\n"
            + "public final class " + simple + " {\n"
            + "    static Object sink;\n"
            + "    static int missing;\n\n"
            + interfaces
            + "\n    static void missing(String member, Throwable e) {\n"
            + "        missing++;\n"
            + "        System.out.println(\"MISSING \" + member + \": \" + e);\n"
            + "    }\n\n"
            + body
            + "    public static void main(String[] args) {\n"
            + main
            + "        System.out.println(\"linked " + linked + " references, \" + missing + \" missing\");\n"
            + "        System.exit(Math.min(missing, 100));\n"
            + "    }\n"
            + "}\n";
    }

    private static String probe(String member, String statement, boolean nullReceiver) {
        String quoted = '"' + member.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
        return "        try {\n"
            + "            " + statement + "\n"
            + "        }" + (nullReceiver ? " catch (NullPointerException linked) {\n        }" : "")
            + " catch (LinkageError e) {\n"
            + "            missing(" + quoted + ", e);\n"
            + "        } catch (Throwable e) {\n"
            + "            missing(" + quoted + ", new AssertionError(\"a probe ran the member\", e));\n"
            + "        }\n";
    }

    /** The statement that links {@code m}, or null where only reflection can see it. */
    private static String linkingStatement(Class<?> c, Member m, StringBuilder interfaces) {
        if (Modifier.isProtected(m.getModifiers())) {
            return null;
        }
        String type = c.getCanonicalName();
        if (m instanceof Field) {
            Field f = (Field) m;
            return "sink = " + (Modifier.isStatic(f.getModifiers()) ? type : "((" + type + ") null)") + "."
                + f.getName() + ";";
        }
        Executable e = (Executable) m;
        if (m instanceof Method && !Modifier.isStatic(m.getModifiers())) {
            String args = Arrays.stream(e.getParameterTypes()).map(PublicApi::dummy).collect(Collectors.joining(", "));
            String call = "((" + type + ") null)." + m.getName() + "(" + args + ");";
            return ((Method) m).getReturnType() == void.class ? call : "sink = " + call;
        }
        boolean inner = c.getEnclosingClass() != null && !Modifier.isStatic(c.getModifiers());
        if (m instanceof Constructor && (Modifier.isAbstract(c.getModifiers()) || inner)) {
            return null;
        }
        String name = "Ref" + interfaces.toString().split("\n", -1).length;
        String returns = m instanceof Constructor ? type : ((Method) m).getReturnType().getCanonicalName();
        String params = "";
        Class<?>[] types = e.getParameterTypes();
        for (int i = 0; i < types.length; i++) {
            params += (i == 0 ? "" : ", ") + types[i].getCanonicalName() + " a" + i;
        }
        interfaces.append("    interface ").append(name).append(" { ").append(returns).append(" call(").append(params)
            .append(") throws Throwable; }\n");
        return name + " ref = " + type + "::" + (m instanceof Constructor ? "new" : m.getName()) + ";\n"
            + "            sink = ref;";
    }

    /** A typed dummy argument, so overload resolution picks exactly this member. */
    private static String dummy(Class<?> p) {
        if (!p.isPrimitive()) {
            return "(" + p.getCanonicalName() + ") null";
        }
        return p == boolean.class ? "false" : "(" + p.getName() + ") 0";
    }
}
