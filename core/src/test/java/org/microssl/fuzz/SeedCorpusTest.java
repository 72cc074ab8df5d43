package org.microssl.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.microssl.SSLSocket;

/**
 * The recorded flights still mean what they meant: replayed unmutated to the target's own peer, each completes
 * the handshake and delivers the recorded application data, so the fuzzer starts from whole handshakes. When the
 * engine's first flight changes (a new extension, another order), the recorded answers no longer fit and this
 * fails: re-record with {@code core/fuzz.sh record}.
 */
class SeedCorpusTest {
    private static final String STALE = " (the engine's flights changed: re-record the corpus with core/fuzz.sh record)";

    static Stream<String> serverFlights() throws Exception {
        return recorded("ClientFlightFuzzTestInputs/clientFedServerFlight");
    }

    static Stream<String> clientFlights() throws Exception {
        return recorded("ServerFlightFuzzTestInputs/serverFedClientFlight");
    }

    @ParameterizedTest
    @MethodSource("serverFlights")
    void clientCompletesTheRecordedHandshake(String seed) throws Exception {
        byte[] input = Files.readAllBytes(dir("ClientFlightFuzzTestInputs/clientFedServerFlight").resolve(seed));
        FlightTransport t = new FlightTransport(input, 1, FuzzPeers.chunk(input[0]));
        SSLSocket s = replay(() -> FuzzPeers.client().wrapSocket(t, false, true, FuzzPeers.HOSTNAME), seed);
        assertArrayEquals(FlightRecorder.PONG, s.readline(), seed + STALE);
        assertEquals(0, s.read(10).length, seed + ": the server's close_notify" + STALE);
        assertEquals(0, t.remaining(), seed);
    }

    @ParameterizedTest
    @MethodSource("clientFlights")
    void serverCompletesTheRecordedHandshake(String seed) throws Exception {
        byte[] input = Files.readAllBytes(dir("ServerFlightFuzzTestInputs/serverFedClientFlight").resolve(seed));
        FlightTransport t = new FlightTransport(input, 1, FuzzPeers.chunk(input[0]));
        SSLSocket s = replay(() -> FuzzPeers.server(FuzzPeers.serverKey(input[0])).wrapSocket(t, true, true, null), seed);
        assertArrayEquals(FlightRecorder.PING, s.readline(), seed + STALE);
        assertEquals(0, s.read(10).length, seed + ": the client's close_notify" + STALE);
        assertEquals(0, t.remaining(), seed);
    }

    interface Handshake {
        SSLSocket run() throws IOException;
    }

    private static SSLSocket replay(Handshake h, String seed) {
        try {
            return h.run();
        } catch (IOException e) {
            throw new AssertionError(seed + ": " + e + STALE, e);
        }
    }

    /** The whole recorded flights; the issue9-* seeds are hostile on purpose. */
    private static Stream<String> recorded(String d) throws Exception {
        List<String> names;
        try (Stream<Path> s = Files.list(dir(d))) {
            names = s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("tls")).sorted()
                    .collect(Collectors.toList());
        }
        assertTrue(names.size() >= 16, d + " has " + names.size() + " recorded flights");
        return names.stream();
    }

    private static Path dir(String d) throws URISyntaxException {
        return Paths.get(SeedCorpusTest.class.getResource(d).toURI());
    }
}
