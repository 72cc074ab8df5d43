/**
 * microssl's X.509 validator: certificate path building and validation (RFC 5280 section 6) and host name
 * checking (RFC 6125), profiled as the CA/Browser Forum web PKI, rustls-webpki and Go's crypto/x509 do. Java 8,
 * {@code java.base} and BouncyCastle's ASN.1 classes only; signatures go through
 * {@link org.microssl.spi.SignatureVerifier} so each crypto backend supplies them.
 *
 * <p>Entry point: {@link org.microssl.x509.PathValidator}. A rejection is one
 * {@link org.microssl.x509.CertificateRejectedException} with a {@link org.microssl.x509.Reason}, the position
 * and subject of the certificate concerned, and a detail a person can act on.
 *
 * <h2>Where things are (rustls-webpki's rooms)</h2>
 * <ul>
 * <li>{@code PathValidator}: options, trust anchors, the order of a verification.
 * <li>{@code HostName}: the name asked for (also the client's SNI) against the subjectAltName; DNS name syntax.
 * <li>{@code CertificateChecks}: one certificate on its own (dates, version, extensions, key usage, algorithms).
 * <li>{@code PathBuilder}: the search for a path, pathLenConstraint and name constraints along it, the most useful
 *     failure; {@code Budget}: what one verification may spend.
 * <li>{@code RevocationCheck} beside {@code RevocationList}: CRLs.
 * <li>{@code SignatureCache}: signature checks, and the signatures that verified recently.
 * <li>Reading: {@code ParsedCertificate} (immutable, parsed once), {@code NameConstraintChecker}, {@code Algorithms},
 *     {@code KeyType}, {@code Names} (RFC 4514), {@code Pem}, {@code Der}; hand-written where stricter than the
 *     library on purpose: {@code Asn1Time}, {@code IpAddress}.
 * </ul>
 *
 * <h2>What is checked</h2>
 * <ul>
 * <li>Encoding: strict DER (whatever does not re-encode identically is MALFORMED), X.509 v3, matching inner and
 *     outer signature algorithms, no duplicate extensions, RFC 5280 criticality rules (AKI, SKI, AIA non-critical;
 *     policyConstraints critical), positive serial numbers of at most 20 octets (except on trust anchors).
 * <li>Algorithms: RSA PKCS#1 v1.5 and PSS with SHA-256/384/512 (keys of at least 2048 bits, a multiple of 8),
 *     ECDSA on named P-256/P-384/P-521 curves, Ed25519. SHA-1, MD5, DSA, explicit curves: WEAK_ALGORITHM.
 * <li>Dates against the {@link org.microssl.spi.Clock}, notBefore and notAfter inclusive, at one-second
 *     resolution; an unset clock is CLOCK_NOT_SET, never a skipped check. Trust anchors' dates are checked too.
 * <li>CAs: basicConstraints cA, keyCertSign when keyUsage is present, pathLenConstraint (self-issued
 *     certificates not counted), and for intermediates also basicConstraints critical, subjectKeyIdentifier
 *     present, authorityKeyIdentifier present unless self-issued (trust anchors are trusted by subject and key:
 *     legacy roots in every trust store break those encoding rules, so they are waived for anchors),
 *     nameConstraints for dNSName, iPAddress, rfc822Name and directoryName (a name of another form under a
 *     constraint of that form is rejected), an extendedKeyUsage that, if present, allows the purpose.
 * <li>The peer's certificate: not a CA (unless it is itself a trust anchor, i.e. pinned), no keyCertSign,
 *     digitalSignature if keyUsage is present, serverAuth / clientAuth if extendedKeyUsage is present,
 *     authorityKeyIdentifier present, subjectAltName critical exactly when the subject is empty.
 * <li>Host names: subjectAltName dNSName (ASCII, case-insensitive, wildcard only as the whole left-most label
 *     over at least two labels) or iPAddress for IP literals; the subject CN is never used.
 * <li>Revocation, only when CRLs are supplied ({@link org.microssl.x509.PathValidator.Options#revocationLists}).
 * </ul>
 *
 * <h2>What is not</h2>
 * Certificate policies (every path is treated as valid for anyPolicy, as Go and rustls-webpki do), OCSP, the
 * Public Suffix List (so {@code *.co.uk} is not refused; {@code *.com} is), CA/B rules on how CAs fill the
 * subject CN. The written list of x509-limbo cases where this matters is
 * {@code port-desktop/src/test/resources/limbo-exclusions.txt}.
 */
package org.microssl.x509;
