package org.microssl.internal.crypto;

/**
 * Which build of microssl this is. In core (and the desktop port) {@link #device()} is false and every algorithm
 * BouncyCastle offers is reachable. The device jar's ProGuard rules (port-embedded/proguard.pro) assume it returns
 * true, so the optimiser folds every {@code if (Profile.device())} and the full set becomes unreachable code that
 * the shrinker removes: no class is patched, the choice is made where the device jar is built.
 */
public final class Profile {
    private Profile() {}

    /** True only in the device jar, where ProGuard assumes it (see the class comment). */
    public static boolean device() {
        return false;
    }

    /**
     * Whether this build has the server side. True in core and the desktop port; a device build that only
     * connects may assume false in its ProGuard rules, which leaves BouncyCastle's server protocol out.
     */
    public static boolean serverSide() {
        return true;
    }

    /** What a client-only build throws where the server side would start. */
    public static UnsupportedOperationException clientOnly() {
        return new UnsupportedOperationException("this build of microssl is client-only (no server side)");
    }
}
