package org.microssl.embedded;

import java.io.IOException;

/**
 * SNTP could not set the clock: no reply, or every reply was rejected (the message names the last reason), or
 * the server sent a Kiss-o'-Death (then {@link #kissCode()} is its four-letter code).
 */
public final class SntpException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String kissCode;

    SntpException(String message) {
        this(message, null);
    }

    SntpException(String message, String kissCode) {
        super(message);
        this.kissCode = kissCode;
    }

    /** @return the Kiss-o'-Death code ("DENY", "RSTR", "RATE", …) if the server sent one, else null */
    public String kissCode() {
        return kissCode;
    }
}
