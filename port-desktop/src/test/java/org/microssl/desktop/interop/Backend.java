package org.microssl.desktop.interop;

import org.microssl.SSLContext;
import org.microssl.Backends;
import org.microssl.spi.CryptoBackend;

/** The crypto backends every microssl-side interop case runs under (STYLE.md practice 11). */
public enum Backend {
    /** Core's default, pure-Java BouncyCastle lightweight crypto: the context is left as constructed. */
    LIGHTWEIGHT {
        @Override
        void apply(SSLContext ctx) {
            // the default; asserted so a change of default is noticed
            if (!"lightweight".equals(ctx.getCryptoBackend().name())) {
                throw new AssertionError("default backend is now " + ctx.getCryptoBackend().name());
            }
        }
    },
    /** Core's JCA backend, as the desktop CLI's --backend jca uses it. */
    JCA {
        @Override
        void apply(SSLContext ctx) {
            CryptoBackend b = Backends.jca();
            ctx.setCryptoBackend(b);
        }
    };

    abstract void apply(SSLContext ctx);
}
