package org.microssl.desktop.interop;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The python peer scripts (test resources), copied to a file once so python3 can run them from any jar layout. */
final class Scripts {
    private Scripts() {}

    static synchronized String path(String name) {
        Path target = InteropPki.get().dir.resolve(name);
        if (!Files.exists(target)) {
            try (InputStream in = Scripts.class.getResourceAsStream("/interop/" + name)) {
                if (in == null) throw new IllegalStateException("missing test resource /interop/" + name);
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return target.toString();
    }
}
