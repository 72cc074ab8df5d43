package org.microssl.fuzz;

import org.microssl.SSLSocket;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * A microssl client fed a mutated server flight. Seeds ({@code ClientFlightFuzzTestInputs/clientFedServerFlight/})
 * are whole server flights recorded from real handshakes with the same client ({@link FuzzPeers#client()}), TLS
 * 1.2 and 1.3, ECDSA P-256/P-384, RSA and Ed25519 servers, with and without a CertificateRequest, so an unmutated
 * seed completes the handshake and reads "pong"; plus the 2^24-1 Certificate message. Byte 0 configures
 * the transport ({@link FuzzPeers}); the rest is what the server sends, then end of stream.
 */
class ClientFlightFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void clientFedServerFlight(byte[] input) {
        PeerInputChecks.check(input, () -> {
            if (input.length == 0) return;
            FlightTransport transport = new FlightTransport(input, 1, FuzzPeers.chunk(input[0]));
            SSLSocket s = FuzzPeers.client().wrapSocket(transport, false, true, FuzzPeers.HOSTNAME);
            FuzzPeers.converse(s);
        });
    }
}
