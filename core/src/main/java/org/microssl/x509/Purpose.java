package org.microssl.x509;

/** What the peer's certificate is used for: the extendedKeyUsage the validator requires of it. */
public enum Purpose {
    /** The peer is a TLS server: id-kp-serverAuth, and its name is checked. */
    SERVER_AUTH,
    /** The peer is a TLS client: id-kp-clientAuth. */
    CLIENT_AUTH
}
