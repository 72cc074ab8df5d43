package org.microssl.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

import org.junit.jupiter.api.Test;

/** A connection's settings are its own: built once, never changed by configuring the context again. */
class SettingsTest {

    /** Guards fields added later: every instance field of Settings is final. */
    @Test
    void everyFieldIsFinal() {
        for (Field f : Settings.class.getDeclaredFields()) {
            if (f.isSynthetic()) continue;
            assertTrue(Modifier.isFinal(f.getModifiers()), f.getName() + " is not final");
        }
    }

    /** Guards fields added later: every Builder field reaches Settings under the same name and type. */
    @Test
    void everyBuilderFieldIsASetting() throws Exception {
        for (Field f : Settings.Builder.class.getDeclaredFields()) {
            if (f.isSynthetic() || Modifier.isStatic(f.getModifiers())) continue;
            assertEquals(f.getType(), Settings.class.getField(f.getName()).getType(), f.getName());
        }
    }

    @Test
    void laterChangesToTheBuilderDoNotReachABuiltConnection() {
        Settings.Builder b = new Settings.Builder();
        b.trustAnchors.add(new byte[] {1});
        b.maxFragmentLength = 512;
        AlertObserver observer = (sent, level, description) -> { };
        Settings s = b.build(observer);
        int[] suites = s.cipherSuites.clone();

        b.cipherSuites[0] = 0;
        b.trustAnchors.add(new byte[] {2});
        b.crls.add(new byte[] {3});
        b.maxFragmentLength = 0;

        assertArrayEquals(suites, s.cipherSuites);
        assertEquals(1, s.trustAnchors.size());
        assertTrue(s.crls.isEmpty());
        assertEquals(512, s.maxFragmentLength);
        assertSame(observer, s.alertObserver);
        assertNull(b.build(null).alertObserver);
        assertThrows(UnsupportedOperationException.class, () -> s.trustAnchors.add(new byte[0]));
        assertThrows(UnsupportedOperationException.class, () -> s.crls.add(new byte[0]));
    }

    @Test
    void defaultsAndDerivedValuesMatch() {
        Settings.Builder b = new Settings.Builder();
        assertEquals(Settings.DEFAULT_MAX_HANDSHAKE_MESSAGE_CLIENT, b.handshakeMessageLimit());
        b.server = true;
        assertEquals(Settings.DEFAULT_MAX_HANDSHAKE_MESSAGE_SERVER, b.build(null).handshakeMessageLimit());
        b.minVersion = Settings.TLS13;
        b.maxVersion = Settings.TLS12;
        assertEquals("the minimum version is above the maximum version", b.configurationProblem());
    }
}
