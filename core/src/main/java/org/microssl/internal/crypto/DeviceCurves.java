package org.microssl.internal.crypto;

import java.math.BigInteger;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.custom.sec.SecP256R1Curve;
import org.bouncycastle.math.ec.custom.sec.SecP384R1Curve;
import org.bouncycastle.util.encoders.Hex;

/**
 * P-256 and P-384 for the device profile, built from BouncyCastle's curve classes directly: BouncyCastle's
 * tables ({@code CustomNamedCurves}, {@code ECNamedCurveTable}) register all of their 30-odd curves when first
 * touched, which costs a device Metaspace for curves it never uses. The generators are those of SEC 2 v2 sections
 * 2.4.2 and 2.5.1 (FIPS 186-4 D.1.2.3/4); {@code DeviceCurvesTest} checks both domains against BouncyCastle's tables.
 */
public final class DeviceCurves {
    private DeviceCurves() {}

    /** Built on first use: a device that meets no P-384 key never builds it. */
    private static final class P256 {
        static final ECNamedDomainParameters DOMAIN = domain(SECObjectIdentifiers.secp256r1, new SecP256R1Curve(),
                "04"
                + "6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296"
                + "4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5");
    }

    private static final class P384 {
        static final ECNamedDomainParameters DOMAIN = domain(SECObjectIdentifiers.secp384r1, new SecP384R1Curve(),
                "04"
                + "AA87CA22BE8B05378EB1C71EF320AD746E1D3B628BA79B9859F741E082542A385502F25DBF55296C3A545E3872760AB7"
                + "3617DE4A96262C6F5D9E98BF9292DC29F8F41DBD289A147CE9DA3113B5F0B8C00A60B1CE1D7E819D7A431D7C90EA0E5F");
    }

    public static ECNamedDomainParameters p256() {
        return P256.DOMAIN;
    }

    public static ECNamedDomainParameters p384() {
        return P384.DOMAIN;
    }

    /** The domain a namedCurve OID names, or null for a curve the device profile does not have. */
    static ECDomainParameters byOid(ASN1ObjectIdentifier oid) {
        if (SECObjectIdentifiers.secp256r1.equals(oid)) return p256();
        if (SECObjectIdentifiers.secp384r1.equals(oid)) return p384();
        return null;
    }

    private static ECNamedDomainParameters domain(ASN1ObjectIdentifier oid, ECCurve curve, String generator) {
        BigInteger n = curve.getOrder();
        return new ECNamedDomainParameters(oid, curve, curve.decodePoint(Hex.decodeStrict(generator)), n,
                curve.getCofactor(), null);
    }
}
