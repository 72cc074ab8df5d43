package org.microssl.internal.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;

import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.junit.jupiter.api.Test;

/** The device profile's curves are BouncyCastle's P-256 and P-384; other curves are refused by name. */
class DeviceCurvesTest {

    @Test
    void domainsEqualBouncyCastlesTables() {
        check(DeviceCurves.p256(), CustomNamedCurves.getByName("secp256r1"));
        check(DeviceCurves.p384(), CustomNamedCurves.getByName("secp384r1"));
    }

    private static void check(ECDomainParameters ours, X9ECParameters theirs) {
        assertTrue(ours.getCurve().equals(theirs.getCurve()));
        assertEquals(theirs.getG().normalize(), ours.getG().normalize());
        assertEquals(theirs.getN(), ours.getN());
        assertEquals(theirs.getH(), ours.getH());
    }

    @Test
    void keysDecodeOnTheProfilesCurvesOnly() throws Exception {
        assertInstanceOf(ECPublicKeyParameters.class, DeviceKeys.publicKey(spki("secp384r1")));
        IOException e = assertThrows(IOException.class, () -> DeviceKeys.publicKey(spki("secp521r1")));
        assertTrue(e.getMessage().contains("P-256 and P-384 only"), e.getMessage());
    }

    private static SubjectPublicKeyInfo spki(String curve) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec(curve));
        return SubjectPublicKeyInfo.getInstance(g.generateKeyPair().getPublic().getEncoded());
    }
}
