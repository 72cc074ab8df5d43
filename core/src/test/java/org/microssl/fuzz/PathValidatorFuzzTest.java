package org.microssl.fuzz;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.microssl.internal.crypto.LightweightSignatureVerifier;
import org.microssl.x509.PathValidator;
import org.microssl.x509.Purpose;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The validator fed a mutated chain, as a peer would send it: byte 0 configures (bit 0: the peer is a client, not
 * a server; bit 1: no host name check), then certificates as [2-byte length][DER]... (a last one may run to the
 * end). Trust anchors are the roots of {@code pki/}, the clock is fixed. Seeds: the leaf/intermediate/root chains
 * of every key type, in order, with the root, shuffled, leaf only.
 */
class PathValidatorFuzzTest {

    private static final List<byte[]> ROOTS = FuzzPeers.allRoots();

    @FuzzTest(maxDuration = "60s")
    void verify(byte[] input) {
        PeerInputChecks.check(input, () -> {
            if (input.length == 0) return;
            // a fresh validator per input: its cache of verified signatures would make runs depend on earlier ones
            PathValidator validator = new PathValidator(ROOTS, new LightweightSignatureVerifier(), FuzzPeers.CLOCK);
            Purpose purpose = (input[0] & 1) == 0 ? Purpose.SERVER_AUTH : Purpose.CLIENT_AUTH;
            String name = (input[0] & 2) == 0 ? FuzzPeers.HOSTNAME : null;
            validator.verify(decode(input), purpose, name);
        });
    }

    static List<byte[]> decode(byte[] input) {
        List<byte[]> chain = new ArrayList<>();
        int at = 1;
        while (at < input.length) {
            int len = at + 2 <= input.length ? ((input[at] & 0xff) << 8) | (input[at + 1] & 0xff) : 0;
            int start = Math.min(at + 2, input.length);
            int end = Math.min(start + len, input.length);
            chain.add(Arrays.copyOfRange(input, start, end));
            at = end == start ? input.length : end;
        }
        return chain;
    }

    static byte[] encode(int config, byte[]... certs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(config);
        for (byte[] c : certs) {
            out.write(c.length >> 8);
            out.write(c.length);
            out.write(c, 0, c.length);
        }
        return out.toByteArray();
    }
}
