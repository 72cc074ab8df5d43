package org.microssl.internal;

import java.io.IOException;

/** The peer sent more than a configured limit allows; the engine reports it as {@code LIMIT_EXCEEDED}. */
public final class LimitExceeded extends IOException {
    private static final long serialVersionUID = 1L;

    LimitExceeded(String message) {
        super(message);
    }
}
