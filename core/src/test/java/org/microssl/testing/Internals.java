package org.microssl.testing;

import java.lang.reflect.Method;

import org.microssl.SSLSocket;

/** What tests outside {@code org.microssl} may look at that is not API. */
public final class Internals {
    private Internals() {}

    /** {@code SSLSocket.transferBufferSize()}: the input transfer buffer's size in bytes. */
    public static int transferBufferSize(SSLSocket socket) {
        try {
            Method m = SSLSocket.class.getDeclaredMethod("transferBufferSize");
            m.setAccessible(true);
            return (Integer) m.invoke(socket);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("SSLSocket.transferBufferSize() is gone", e);
        }
    }
}
