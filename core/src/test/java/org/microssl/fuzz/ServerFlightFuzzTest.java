package org.microssl.fuzz;

import org.microssl.SSLSocket;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * A microssl server (asking for a client certificate) fed a mutated client flight. Seeds
 * ({@code ServerFlightFuzzTestInputs/serverFedClientFlight/}) are whole client flights recorded from real
 * handshakes with the same server ({@link FuzzPeers#server}), TLS 1.2 and 1.3, each server identity, without and
 * with an ECDSA or RSA client certificate, so an unmutated seed completes the handshake and reads "ping"; plus the
 * issue's 2^24-1 Certificate message. Byte 0 picks the server's identity and the transport ({@link FuzzPeers});
 * the rest is what the client sends, then end of stream.
 */
class ServerFlightFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void serverFedClientFlight(byte[] input) {
        PeerInputChecks.check(input, () -> {
            if (input.length == 0) return;
            FlightTransport transport = new FlightTransport(input, 1, FuzzPeers.chunk(input[0]));
            SSLSocket s = FuzzPeers.server(FuzzPeers.serverKey(input[0])).wrapSocket(transport, true, true, null);
            FuzzPeers.converse(s);
        });
    }
}
