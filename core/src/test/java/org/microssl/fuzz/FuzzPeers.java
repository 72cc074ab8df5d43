package org.microssl.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.microssl.SSLContext;
import org.microssl.SSLSocket;
import org.microssl.Ssl;
import org.microssl.spi.Clock;
import org.microssl.testing.TestPki;
import org.microssl.testing.TestPki.KeyType;

/**
 * The fixed peers of the handshake targets. A recorded flight can only drive a handshake to its end if the peer
 * that replays it says exactly what the recorded one said, so both ends draw their randomness from a seeded
 * {@link Random} (a fresh one per context: microssl's DRBG then yields the same bytes every run), check dates
 * against a fixed clock, and use keys and certificates committed under {@code pki/} (made once by
 * {@link FlightRecorder}). Every flight in the corpus was recorded from these very contexts.
 *
 * <p>The first byte of a flight input configures the run: bits 0-1 pick the server's identity
 * ({@link #SERVER_KEYS}), bits 2-3 how many bytes the transport hands over per read ({@link #CHUNKS}).
 */
final class FuzzPeers {

    /** The server identities, one per key type microssl signs with. */
    static final KeyType[] SERVER_KEYS = {KeyType.EC_P256, KeyType.RSA_2048, KeyType.EC_P384, KeyType.ED25519};

    /** The client identities a server may be shown. */
    static final KeyType[] CLIENT_KEYS = {KeyType.EC_P256, KeyType.RSA_2048};

    /** Bytes per transport read: all at once, one at a time (Okio's OneByteAtATimeSource), odd sizes. */
    static final int[] CHUNKS = {Integer.MAX_VALUE, 1, 7, 300};

    /** Every certificate is valid from 2025 to 2045; the clock says mid-2026. */
    static final Instant NOT_BEFORE = Instant.parse("2025-01-01T00:00:00Z");
    static final Instant NOT_AFTER = Instant.parse("2045-01-01T00:00:00Z");
    static final long NOW_MILLIS = Instant.parse("2026-06-01T00:00:00Z").toEpochMilli();
    static final Clock CLOCK = () -> NOW_MILLIS;

    static final String HOSTNAME = "localhost";
    static final String RESOURCES = "/org/microssl/fuzz/pki/";

    private FuzzPeers() {}

    static KeyType serverKey(byte config) {
        return SERVER_KEYS[config & 3];
    }

    static int chunk(byte config) {
        return CHUNKS[(config >> 2) & 3];
    }

    /** The client of the client target: verifies the server (CERT_REQUIRED, "localhost"), has a certificate. */
    static SSLContext client() {
        SSLContext ctx = new SSLContext(Ssl.PROTOCOL_TLS_CLIENT);
        ctx.setEntropySource(seeded(1));
        ctx.setClock(CLOCK);
        for (KeyType k : SERVER_KEYS) ctx.loadVerifyLocations(resource("server-" + name(k) + "-root.der"));
        ctx.loadCertChain(resource("client-" + name(KeyType.EC_P256) + "-chain.pem"),
                resource("client-" + name(KeyType.EC_P256) + "-key.der"));
        return ctx;
    }

    /** The server of the server target: identity {@code key}, asks for a client certificate (CERT_OPTIONAL). */
    static SSLContext server(KeyType key) {
        SSLContext ctx = new SSLContext(Ssl.PROTOCOL_TLS_SERVER);
        ctx.setEntropySource(seeded(2));
        ctx.setClock(CLOCK);
        ctx.loadCertChain(resource("server-" + name(key) + "-chain.pem"), resource("server-" + name(key) + "-key.der"));
        for (KeyType k : CLIENT_KEYS) ctx.loadVerifyLocations(resource("client-" + name(k) + "-root.der"));
        ctx.setVerifyMode(Ssl.CERT_OPTIONAL);
        return ctx;
    }

    /** The trust anchors of the validator target: every root of {@code pki/}. */
    static List<byte[]> allRoots() {
        List<byte[]> roots = new ArrayList<>();
        for (KeyType k : SERVER_KEYS) roots.add(resource("server-" + name(k) + "-root.der"));
        for (KeyType k : CLIENT_KEYS) roots.add(resource("client-" + name(k) + "-root.der"));
        return roots;
    }

    /**
     * After the handshake: reads until the peer's close_notify, an error or end of stream, then writes and
     * closes, so post-handshake messages, alerts and the closed state get fuzzed too. Every exception is checked.
     */
    static byte[] converse(SSLSocket s) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        IOException failure = null;
        try {
            // each read consumes at least one record of a finite flight: the bound is never reached
            for (int i = 0; i < 100_000; i++) {
                byte[] b = s.read(4096);
                if (b == null || b.length == 0) break;
                received.write(b, 0, b.length);
            }
            s.write("bye\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            failure = e;
        }
        try {
            s.close();
        } catch (IOException e) {
            PeerInputChecks.checkAllowed(e);
        }
        if (failure != null) throw failure;
        return received.toByteArray();
    }

    /** A TRNG stand-in that gives the same bytes for every context built with the same seed. */
    static org.microssl.spi.EntropySource seeded(long seed) {
        Random r = new Random(seed);
        return out -> {
            synchronized (r) {
                r.nextBytes(out);
            }
        };
    }

    static String name(KeyType k) {
        return k.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    static byte[] resource(String name) {
        try (InputStream in = FuzzPeers.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + RESOURCES + name
                        + " (made by FlightRecorder: see core/fuzz.sh)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------------------------------ making pki/

    /** Writes a fresh root -> intermediate -> leaf for every identity into {@code dir} (FlightRecorder only). */
    static void writePki(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (KeyType k : SERVER_KEYS) writeChain(dir, "server-" + name(k), k, true);
        for (KeyType k : CLIENT_KEYS) writeChain(dir, "client-" + name(k), k, false);
    }

    private static void writeChain(Path dir, String prefix, KeyType k, boolean server) throws IOException {
        TestPki.Issued root = TestPki.cert().subject("CN=microssl Fuzz Root " + k).key(k).ca(-1)
                .validity(NOT_BEFORE, NOT_AFTER).build();
        TestPki.Issued intermediate = TestPki.cert().subject("CN=microssl Fuzz Intermediate " + k).key(k).ca(0)
                .issuer(root).validity(NOT_BEFORE, NOT_AFTER).build();
        TestPki.Builder leaf = TestPki.cert().subject("CN=" + (server ? HOSTNAME : "fuzz client")).key(k)
                .issuer(intermediate).validity(NOT_BEFORE, NOT_AFTER);
        if (server) {
            leaf.san("DNS:" + HOSTNAME).san("IP:127.0.0.1").eku(KeyPurposeId.id_kp_serverAuth);
        } else {
            leaf.san("DNS:fuzz-client.test").eku(KeyPurposeId.id_kp_clientAuth);
        }
        TestPki.Issued l = leaf.build();
        Files.write(dir.resolve(prefix + "-root.der"), root.der);
        Files.write(dir.resolve(prefix + "-int.der"), intermediate.der);
        Files.write(dir.resolve(prefix + "-leaf.der"), l.der);
        Files.write(dir.resolve(prefix + "-chain.pem"), (l.pem() + intermediate.pem()).getBytes(StandardCharsets.US_ASCII));
        Files.write(dir.resolve(prefix + "-key.der"), l.keyPkcs8());
        if (k != KeyType.ED25519) Files.write(dir.resolve(prefix + "-key-traditional.der"), l.keyTraditional());
    }
}
