package org.microssl.x509;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.util.BigIntegers;

/**
 * Compact trust anchors, as BearSSL's {@code brssl ta}: a CA is trusted by its subject name and key (RFC 5280
 * section 6.1.1 (d)), so that is what a device needs to keep of it, with the few facts the validator checks of an
 * anchor (validity dates, pathLenConstraint, keyUsage, nameConstraints, subjectKeyIdentifier), not the
 * certificate. {@code java -jar microssl.jar ta bundle.pem > anchors.bin} writes them;
 * {@code SSLContext.loadTrustAnchors(bytes)} loads them. A validator gives the same verdicts with them as with the
 * certificates they came from: an anchor the validator would refuse or treat specially (not a self-issued CA, an
 * extendedKeyUsage, a broken extension, a weak key) is kept whole, as its certificate.
 *
 * <p>Format, version 1 (big-endian; every length is checked against what is left before anything is allocated):
 * <pre>
 * "MSTA" u8 version=1 u16 count, then count records, then nothing:
 *   u8 kind=1 (compact): u16 len + subject Name DER; key; i64 notBefore; i64 notAfter (epoch seconds); u8 flags
 *       [flags&amp;1: u8 pathLenConstraint] [flags&amp;2: u16 keyUsage bits (first octet, then second)]
 *       [flags&amp;4: u8 len + subjectKeyIdentifier] [flags&amp;8: u16 len + nameConstraints extension value DER]
 *       flags&amp;16: the subjectKeyIdentifier is the SHA-1 of the key (RFC 5280 4.2.1.2 method 1), not stored
 *     key: u8 type; 0: u16 len + SubjectPublicKeyInfo DER; 1 RSA: u16 len + modulus, u8 len + exponent;
 *          2 EC: u8 curve (1 P-256, 2 P-384, 3 P-521) + uncompressed point; 3 Ed25519: 32 bytes
 *   u8 kind=2 (whole): u24 len + certificate DER
 * </pre>
 * The parser is stricter than "what parses" on purpose: a store of trust is refused whole at the first
 * inconsistency (bad magic, unknown version, kind, key type or flag, a length past the end, trailing bytes).
 */
public final class TrustAnchors {

    static final byte[] MAGIC = {'M', 'S', 'T', 'A'};
    static final int VERSION = 1;
    private static final int KIND_COMPACT = 1;
    private static final int KIND_WHOLE = 2;
    private static final int KEY_SPKI = 0;
    private static final int KEY_RSA = 1;
    private static final int KEY_EC = 2;
    private static final int KEY_ED25519 = 3;
    private static final int F_PATHLEN = 1;
    private static final int F_KEY_USAGE = 2;
    private static final int F_SKI = 4;
    private static final int F_NAME_CONSTRAINTS = 8;
    private static final int F_SKI_IS_SHA1 = 16;
    private static final ASN1ObjectIdentifier[] CURVES = {null, SECObjectIdentifiers.secp256r1,
        SECObjectIdentifiers.secp384r1, SECObjectIdentifiers.secp521r1};
    private static final int[] POINT_LENGTHS = {0, 65, 97, 133};

    private TrustAnchors() {}

    /**
     * Encodes CA certificates as compact anchors.
     *
     * @param certificates DER, in order; duplicates are kept once
     * @param notes if not null, receives one line for each certificate kept whole, saying why
     * @throws IllegalArgumentException "invalid cert: ..." naming a certificate that cannot be parsed
     */
    public static byte[] encode(List<byte[]> certificates, List<String> notes) {
        List<byte[]> records = new ArrayList<byte[]>();
        for (int i = 0; i < certificates.size(); i++) {
            byte[] der = certificates.get(i);
            ParsedCertificate c;
            try {
                c = ParsedCertificate.parse(der.clone());
            } catch (IOException e) {
                throw new IllegalArgumentException("invalid cert: certificate #" + i + " cannot be parsed: " + Der.why(e));
            }
            String whole = whyWhole(c);
            byte[] record;
            if (whole == null) {
                try {
                    record = compact(c);
                } catch (IOException e) {
                    whole = Der.why(e);
                    record = null;
                }
            } else {
                record = null;
            }
            if (record == null) {
                if (notes != null) notes.add("#" + i + " " + c.subjectString() + ": kept whole: " + whole);
                record = whole(c.der);
            }
            boolean seen = false;
            for (byte[] r : records) seen |= Arrays.equals(r, record);
            if (!seen) records.add(record);
        }
        if (records.size() > 0xffff) throw new IllegalArgumentException("more than 65,535 trust anchors");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(MAGIC, 0, MAGIC.length);
        out.write(VERSION);
        u16(out, records.size());
        for (byte[] r : records) out.write(r, 0, r.length);
        return out.toByteArray();
    }

    /** Why {@code c} cannot be a compact record without changing a verdict, or null. */
    private static String whyWhole(ParsedCertificate c) {
        if (!c.isSelfIssued()) return "not self-issued (issuer differs from subject)";
        if (c.extendedKeyUsage != null) return "it has extendedKeyUsage";
        if (c.pathLen != null && c.pathLen.compareTo(BigInteger.valueOf(255)) > 0) return "pathLenConstraint over 255";
        if (c.hasNameConstraints && c.nameConstraints == null) return "nameConstraints cannot be used";
        // the validator's own checks of an anchor, at a time its dates allow: what fails there fails at any time
        Problem p = new CertificateChecks(c.notBefore, CertificateChecks.ekuFor(Purpose.SERVER_AUTH),
                KeyUsage.digitalSignature).ca(c, true);
        return p == null ? null : "the validator refuses it as an anchor: " + p.detail;
    }

    private static byte[] compact(ParsedCertificate c) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(c.subjectDer.length + c.spkiDer.length + 48);
        out.write(KIND_COMPACT);
        u16(out, c.subjectDer.length);
        out.write(c.subjectDer, 0, c.subjectDer.length);
        key(out, c.spki, c.spkiDer);
        i64(out, c.notBefore);
        i64(out, c.notAfter);
        byte[] nc = null;
        if (c.hasNameConstraints) {
            Extensions exts = Certificate.getInstance(c.der).getTBSCertificate().getExtensions();
            nc = exts.getExtension(Extension.nameConstraints).getExtnValue().getOctets();
        }
        boolean skiIsSha1 = c.subjectKeyId != null && Arrays.equals(c.subjectKeyId, ParsedCertificate.keyIdMethod1(c.spki));
        int flags = (c.pathLen != null ? F_PATHLEN : 0) | (c.keyUsage >= 0 ? F_KEY_USAGE : 0)
                | (c.subjectKeyId != null && !skiIsSha1 ? F_SKI : 0) | (nc != null ? F_NAME_CONSTRAINTS : 0)
                | (skiIsSha1 ? F_SKI_IS_SHA1 : 0);
        out.write(flags);
        if (c.pathLen != null) out.write(c.pathLen.intValue());
        if (c.keyUsage >= 0) {
            out.write(c.keyUsage & 0xff);
            out.write((c.keyUsage >> 8) & 0xff);
        }
        if ((flags & F_SKI) != 0) {
            if (c.subjectKeyId.length > 255) throw new IOException("subjectKeyIdentifier over 255 bytes");
            out.write(c.subjectKeyId.length);
            out.write(c.subjectKeyId, 0, c.subjectKeyId.length);
        }
        if (nc != null) {
            if (nc.length > 0xffff) throw new IOException("nameConstraints over 65,535 bytes");
            u16(out, nc.length);
            out.write(nc, 0, nc.length);
        }
        return out.toByteArray();
    }

    /** The key, in its shortest form that rebuilds the exact SubjectPublicKeyInfo bytes. */
    private static void key(ByteArrayOutputStream out, SubjectPublicKeyInfo spki, byte[] spkiDer) throws IOException {
        ASN1ObjectIdentifier alg = spki.getAlgorithm().getAlgorithm();
        byte[] raw = spki.getPublicKeyData().getOctets();
        if (PKCSObjectIdentifiers.rsaEncryption.equals(alg)) {
            RSAPublicKey rsa = RSAPublicKey.getInstance(spki.parsePublicKey());
            byte[] n = BigIntegers.asUnsignedByteArray(rsa.getModulus());
            byte[] e = BigIntegers.asUnsignedByteArray(rsa.getPublicExponent());
            if (n.length <= 0xffff && e.length <= 255 && Arrays.equals(spkiDer, rsaSpki(n, e))) {
                out.write(KEY_RSA);
                u16(out, n.length);
                out.write(n, 0, n.length);
                out.write(e.length);
                out.write(e, 0, e.length);
                return;
            }
        } else if (X9ObjectIdentifiers.id_ecPublicKey.equals(alg)) {
            for (int curve = 1; curve < CURVES.length; curve++) {
                if (raw.length == POINT_LENGTHS[curve] && Arrays.equals(spkiDer, ecSpki(curve, raw))) {
                    out.write(KEY_EC);
                    out.write(curve);
                    out.write(raw, 0, raw.length);
                    return;
                }
            }
        } else if (EdECObjectIdentifiers.id_Ed25519.equals(alg) && raw.length == 32
                && Arrays.equals(spkiDer, ed25519Spki(raw))) {
            out.write(KEY_ED25519);
            out.write(raw, 0, raw.length);
            return;
        }
        if (spkiDer.length > 0xffff) throw new IOException("SubjectPublicKeyInfo over 65,535 bytes");
        out.write(KEY_SPKI);
        u16(out, spkiDer.length);
        out.write(spkiDer, 0, spkiDer.length);
    }

    private static byte[] whole(byte[] der) {
        if (der.length > 0xffffff) throw new IllegalArgumentException("invalid cert: over 16 MB");
        ByteArrayOutputStream out = new ByteArrayOutputStream(der.length + 4);
        out.write(KIND_WHOLE);
        out.write(der.length >>> 16);
        out.write(der.length >>> 8);
        out.write(der.length);
        out.write(der, 0, der.length);
        return out.toByteArray();
    }

    // ------------------------------------------------------------------------------------------ decoding

    /**
     * Checks an encoding the way loading it will read it, and answers how many anchors it holds.
     *
     * @throws IllegalArgumentException "invalid anchors: ..." naming the first inconsistency
     */
    public static int check(byte[] encoding) {
        if (encoding == null) throw new IllegalArgumentException("invalid anchors: null");
        return decode(encoding).size();
    }

    /**
     * The anchors of one encoding: compact ones as anchors, whole ones as their certificates.
     *
     * @throws IllegalArgumentException "invalid anchors: ..." naming the first inconsistency
     */
    static List<ParsedCertificate> decode(byte[] data) {
        Reader r = new Reader(data);
        try {
            if (data.length < 7 || !Arrays.equals(Arrays.copyOf(data, 4), MAGIC)) {
                throw new IOException("not a microssl trust anchor file (no \"MSTA\" magic): make one with "
                        + "'microssl.jar ta bundle.pem'");
            }
            r.pos = 4;
            int version = r.u8();
            if (version != VERSION) throw new IOException("version " + version + " (this microssl reads version 1)");
            int count = r.u16();
            List<ParsedCertificate> out = new ArrayList<ParsedCertificate>(count);
            for (int i = 0; i < count; i++) {
                int start = r.pos;
                int kind = r.u8();
                try {
                    if (kind == KIND_WHOLE) {
                        int len = r.u24();
                        out.add(ParsedCertificate.parse(r.bytes(len)));
                    } else if (kind == KIND_COMPACT) {
                        out.add(compactRecord(r, start));
                    } else {
                        throw new IOException("unknown record kind " + kind);
                    }
                } catch (IOException e) {
                    throw new IOException("record #" + i + ": " + Der.why(e), e);
                }
            }
            if (r.pos != data.length) throw new IOException((data.length - r.pos) + " bytes after the last record");
            return out;
        } catch (IOException e) {
            throw new IllegalArgumentException("invalid anchors: " + Der.why(e), e);
        }
    }

    private static ParsedCertificate compactRecord(Reader r, int start) throws IOException {
        byte[] subject = r.bytes(r.u16());
        byte[] spki;
        int type = r.u8();
        if (type == KEY_SPKI) {
            spki = r.bytes(r.u16());
        } else if (type == KEY_RSA) {
            byte[] n = r.bytes(r.u16());
            byte[] e = r.bytes(r.u8());
            spki = rsaSpki(n, e);
        } else if (type == KEY_EC) {
            int curve = r.u8();
            if (curve < 1 || curve >= CURVES.length) throw new IOException("unknown curve " + curve);
            spki = ecSpki(curve, r.bytes(POINT_LENGTHS[curve]));
        } else if (type == KEY_ED25519) {
            spki = ed25519Spki(r.bytes(32));
        } else {
            throw new IOException("unknown key type " + type);
        }
        long notBefore = r.i64();
        long notAfter = r.i64();
        int flags = r.u8();
        if ((flags & ~(F_PATHLEN | F_KEY_USAGE | F_SKI | F_NAME_CONSTRAINTS | F_SKI_IS_SHA1)) != 0
                || (flags & (F_SKI | F_SKI_IS_SHA1)) == (F_SKI | F_SKI_IS_SHA1)) {
            throw new IOException("unknown flags " + flags);
        }
        BigInteger pathLen = (flags & F_PATHLEN) != 0 ? BigInteger.valueOf(r.u8()) : null;
        int keyUsage = -1;
        if ((flags & F_KEY_USAGE) != 0) {
            keyUsage = r.u8();
            keyUsage |= r.u8() << 8;
            if (keyUsage == 0) throw new IOException("keyUsage with no bit set");
        }
        byte[] ski = (flags & F_SKI) != 0 ? r.bytes(r.u8()) : null;
        if ((flags & F_SKI_IS_SHA1) != 0) {
            ski = ParsedCertificate.keyIdMethod1(SubjectPublicKeyInfo.getInstance(Der.parse(spki)));
        }
        NameConstraintChecker nc = (flags & F_NAME_CONSTRAINTS) != 0
                ? ParsedCertificate.nameConstraints(r.bytes(r.u16())) : null;
        byte[] record = Arrays.copyOfRange(r.data, start, r.pos);
        try {
            return new ParsedCertificate(record, subject, spki, notBefore, notAfter, pathLen, keyUsage, nc, ski);
        } catch (RuntimeException e) {
            throw new IOException("malformed anchor: " + Der.why(e));
        }
    }

    private static byte[] rsaSpki(byte[] n, byte[] e) throws IOException {
        return new SubjectPublicKeyInfo(new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE),
                new RSAPublicKey(new BigInteger(1, n), new BigInteger(1, e))).getEncoded(ASN1Encoding.DER);
    }

    private static byte[] ecSpki(int curve, byte[] point) throws IOException {
        return new SubjectPublicKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, CURVES[curve]),
                point).getEncoded(ASN1Encoding.DER);
    }

    private static byte[] ed25519Spki(byte[] key) throws IOException {
        return new SubjectPublicKeyInfo(new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519), key)
                .getEncoded(ASN1Encoding.DER);
    }

    private static void u16(ByteArrayOutputStream out, int v) {
        out.write(v >>> 8);
        out.write(v);
    }

    private static void i64(ByteArrayOutputStream out, long v) {
        for (int shift = 56; shift >= 0; shift -= 8) out.write((int) (v >>> shift));
    }

    /** Reads big-endian fields; every length is checked against what is left. */
    private static final class Reader {
        final byte[] data;
        int pos;

        Reader(byte[] data) {
            this.data = data;
        }

        private void need(int n) throws IOException {
            if (n < 0 || n > data.length - pos) {
                throw new IOException("a length of " + n + " at offset " + pos + " runs past the end ("
                        + (data.length - pos) + " bytes left)");
            }
        }

        int u8() throws IOException {
            need(1);
            return data[pos++] & 0xff;
        }

        int u16() throws IOException {
            need(2);
            int v = (data[pos] & 0xff) << 8 | (data[pos + 1] & 0xff);
            pos += 2;
            return v;
        }

        int u24() throws IOException {
            need(3);
            int v = (data[pos] & 0xff) << 16 | (data[pos + 1] & 0xff) << 8 | (data[pos + 2] & 0xff);
            pos += 3;
            return v;
        }

        long i64() throws IOException {
            need(8);
            long v = 0;
            for (int i = 0; i < 8; i++) v = v << 8 | (data[pos++] & 0xff);
            return v;
        }

        byte[] bytes(int n) throws IOException {
            need(n);
            byte[] b = Arrays.copyOfRange(data, pos, pos + n);
            pos += n;
            return b;
        }
    }
}
