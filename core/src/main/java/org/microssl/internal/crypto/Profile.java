package org.microssl.internal.crypto;

/**
 * Which build of microssl this is. In core (and the desktop port) {@link #device()} is false and every algorithm
 * BouncyCastle offers is reachable. The device jars' ProGuard rules (port-embedded/proguard-device.pro) assume it
 * returns true, so the optimiser folds every {@code if (Profile.device())} and the full set becomes unreachable code
 * that the shrinker removes: no class is patched, the choice is made where a device jar is built.
 */
public final class Profile {
    private Profile() {}

    /** True only in the device jars, where ProGuard assumes it (see the class comment). */
    public static boolean device() {
        return false;
    }

    /**
     * Whether this build has the server side. True in core, the desktop port and the device library jar; a
     * firmware image that only connects assumes false in its ProGuard rules (port-embedded/proguard-sensor-node.pro),
     * which leaves the TLS and DTLS server protocols, BouncyCastle's and ours, out.
     */
    public static boolean serverSide() {
        return true;
    }

    /** What a client-only build throws where the server side would start. */
    public static UnsupportedOperationException clientOnly() {
        return new UnsupportedOperationException("this build of microssl is client-only (no server side)");
    }
}
