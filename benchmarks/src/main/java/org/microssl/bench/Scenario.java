package org.microssl.bench;

/** A handshake shape; the names follow ../shared/openssl-anchor/hs.c where a case exists there. */
public enum Scenario {
    /** TLS 1.3, X25519, AES-128-GCM, ECDSA P-256 leaf, issued by an intermediate, issued by the root (the anchor). */
    t13_ecdsa_chain(13, ServerCert.EC_CHAIN, false),
    /** TLS 1.3 with a self-signed ECDSA leaf: the "no chain validation" row. */
    t13_ecdsa_ss(13, ServerCert.SELF_SIGNED, false),
    /** TLS 1.3, Ed25519 leaf, issued by an ECDSA intermediate, issued by an ECDSA root. */
    t13_ed25519(13, ServerCert.ED_CHAIN, false),
    /** TLS 1.2 ECDHE-ECDSA-AES128-GCM-SHA256 with the ECDSA chain. */
    t12_ecdsa(12, ServerCert.EC_CHAIN, false),
    /** TLS 1.3 with the ECDSA chain and a client certificate chain. */
    t13_mutual(13, ServerCert.EC_CHAIN, true);

    public enum ServerCert { EC_CHAIN, ED_CHAIN, SELF_SIGNED }

    public final int tls;
    public final ServerCert server;
    public final boolean mutual;

    Scenario(int tls, ServerCert server, boolean mutual) {
        this.tls = tls;
        this.server = server;
        this.mutual = mutual;
    }

    public static final String AES_128_GCM = "TLS_AES_128_GCM_SHA256";
    public static final String CHACHA20 = "TLS_CHACHA20_POLY1305_SHA256";
    public static final String TLS12_ECDSA_AES_128_GCM = "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256";
}
