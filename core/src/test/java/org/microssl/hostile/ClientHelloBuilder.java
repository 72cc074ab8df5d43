package org.microssl.hostile;

import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;

import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * A ClientHello assembled by hand from RFC 8446 section 4.1.2 (and RFC 5246 section 7.4.1.2 for TLS 1.2), so a
 * test can cut or bend it at a field it names. {@link #layout()} gives the body and where each field starts.
 */
final class ClientHelloBuilder {
    static final int SERVER_NAME = 0;
    static final int SUPPORTED_GROUPS = 10;
    static final int EC_POINT_FORMATS = 11;
    static final int SIGNATURE_ALGORITHMS = 13;
    static final int PADDING = 21;
    static final int EXTENDED_MASTER_SECRET = 23;
    static final int SUPPORTED_VERSIONS = 43;
    static final int KEY_SHARE = 51;
    static final int RENEGOTIATION_INFO = 0xff01;

    static final int X25519_GROUP = 0x001d;
    static final int SECP256R1 = 0x0017;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] random = new byte[32];
    private final byte[] sessionId = new byte[32];
    private int[] suites;
    private final Map<Integer, byte[]> extensions = new LinkedHashMap<>();
    final boolean tls13;

    private ClientHelloBuilder(boolean tls13) {
        this.tls13 = tls13;
        RANDOM.nextBytes(random);
        RANDOM.nextBytes(sessionId);
    }

    /** A valid TLS 1.3 ClientHello (TLS 1.2 offered too) with a fresh X25519 key share. */
    static ClientHelloBuilder tls13() {
        ClientHelloBuilder b = new ClientHelloBuilder(true);
        b.suites = new int[] {0x1301, 0x1302, 0x1303, 0xc02b};
        b.standardExtensions();
        return b;
    }

    /** A valid TLS 1.2 ClientHello: no supported_versions, no key_share, ECDHE_ECDSA suites. */
    static ClientHelloBuilder tls12() {
        ClientHelloBuilder b = new ClientHelloBuilder(false);
        b.suites = new int[] {0xc02b, 0xc02c, 0xcca9};
        b.standardExtensions();
        return b;
    }

    private void standardExtensions() {
        extensions.put(SERVER_NAME, serverName("localhost"));
        extensions.put(SUPPORTED_GROUPS, u16List(X25519_GROUP, SECP256R1));
        // ecdsa_secp256r1_sha256, rsa_pss_rsae_sha256, ed25519, rsa_pkcs1_sha256
        extensions.put(SIGNATURE_ALGORITHMS, u16List(0x0403, 0x0804, 0x0807, 0x0401));
        if (tls13) {
            extensions.put(SUPPORTED_VERSIONS, new byte[] {4, 3, 4, 3, 3});
            byte[] priv = new byte[X25519.SCALAR_SIZE];
            byte[] pub = new byte[X25519.POINT_SIZE];
            X25519.generatePrivateKey(RANDOM, priv);
            X25519.generatePublicKey(priv, 0, pub, 0);
            keyShare(X25519_GROUP, pub);
        }
        extensions.put(EC_POINT_FORMATS, new byte[] {1, 0});
        extensions.put(EXTENDED_MASTER_SECRET, new byte[0]);
        extensions.put(RENEGOTIATION_INFO, new byte[] {0});
    }

    /** Replaces (or adds, in place) an extension's data. */
    ClientHelloBuilder ext(int type, byte[] data) {
        extensions.put(type, data);
        return this;
    }

    /** key_share with a single entry: {@code group} and {@code keyExchange} (RFC 8446 section 4.2.8). */
    ClientHelloBuilder keyShare(int group, byte[] keyExchange) {
        ByteArrayOutputStream entry = new ByteArrayOutputStream();
        u16(entry, group);
        u16(entry, keyExchange.length);
        entry.write(keyExchange, 0, keyExchange.length);
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        u16(data, entry.size());
        data.write(entry.toByteArray(), 0, entry.size());
        extensions.put(KEY_SHARE, data.toByteArray());
        return this;
    }

    ClientHelloBuilder supportedGroups(int... groups) {
        return ext(SUPPORTED_GROUPS, u16List(groups));
    }

    /** The handshake body (no 4-byte header) and the offset of each field in it. */
    Layout layout() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        Layout l = new Layout();
        u16(b, 0x0303); // legacy_version
        l.random = b.size();
        b.write(random, 0, 32);
        l.sessionId = b.size();
        b.write(sessionId.length);
        b.write(sessionId, 0, sessionId.length);
        l.suites = b.size();
        u16(b, 2 * suites.length);
        for (int s : suites) u16(b, s);
        l.compression = b.size();
        b.write(1);
        b.write(0); // null compression
        l.extensions = b.size();
        int total = 0;
        for (byte[] d : extensions.values()) total += 4 + d.length;
        u16(b, total);
        for (Map.Entry<Integer, byte[]> e : extensions.entrySet()) {
            l.ext.put(e.getKey(), b.size());
            l.last = b.size();
            u16(b, e.getKey());
            u16(b, e.getValue().length);
            b.write(e.getValue(), 0, e.getValue().length);
        }
        l.body = b.toByteArray();
        return l;
    }

    /** The whole ClientHello message (header + body). */
    byte[] message() {
        return Wire.handshake(1, layout().body);
    }

    /** The ClientHello in records of at most 2^14 bytes, record version 0x0301 as a first flight. */
    static byte[] records(byte[] body) {
        return Wire.records(Wire.HANDSHAKE, Wire.TLS10, Wire.handshake(1, body));
    }

    /** Where each field of a ClientHello body starts. */
    static final class Layout {
        byte[] body;
        int random;
        /** the legacy_session_id length byte */
        int sessionId;
        /** the cipher_suites length field */
        int suites;
        /** the compression_methods length byte */
        int compression;
        /** the extensions length field */
        int extensions;
        /** each extension's type field, by type */
        final Map<Integer, Integer> ext = new LinkedHashMap<>();
        /** the last extension's type field */
        int last;

        /** The extension's data starts here (after its type and length). */
        int data(int type) {
            return ext.get(type) + 4;
        }

        byte[] cut(int length) {
            return java.util.Arrays.copyOf(body, length);
        }

        /** A copy with the 16-bit field at {@code at} changed by {@code delta}. */
        byte[] adjust16(int at, int delta) {
            byte[] b = body.clone();
            int v = ((b[at] & 0xff) << 8 | (b[at + 1] & 0xff)) + delta;
            b[at] = (byte) (v >>> 8);
            b[at + 1] = (byte) v;
            return b;
        }

        byte[] adjust8(int at, int delta) {
            byte[] b = body.clone();
            b[at] = (byte) ((b[at] & 0xff) + delta);
            return b;
        }

        byte[] append(int n, int value) {
            byte[] b = java.util.Arrays.copyOf(body, body.length + n);
            java.util.Arrays.fill(b, body.length, b.length, (byte) value);
            return b;
        }
    }

    static byte[] u16List(int... values) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        u16(b, 2 * values.length);
        for (int v : values) u16(b, v);
        return b.toByteArray();
    }

    static byte[] serverName(String host) {
        byte[] name = host.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        u16(b, 3 + name.length);
        b.write(0); // host_name
        u16(b, name.length);
        b.write(name, 0, name.length);
        return b.toByteArray();
    }

    static void u16(ByteArrayOutputStream b, int v) {
        b.write(v >>> 8);
        b.write(v);
    }
}
