package org.microssl.desktop;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

import org.microssl.SSLSocket;
import org.microssl.Session;

/** The client's --session-in / --session-out files (issue 11): a session's bytes, which are secret. */
final class SessionFiles {
    private SessionFiles() {}

    /** The session saved in {@code path}, or null (with a note) if there is none yet. */
    static Session read(String path, PrintStream err) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(Paths.get(path));
        } catch (NoSuchFileException e) {
            err.println("note: --session-in " + path + " does not exist yet: a full handshake");
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the session file " + path + ": " + e.getMessage(), e);
        }
        try {
            return Session.fromBytes(bytes);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--session-in " + path + ": " + e.getMessage(), e);
        }
    }

    /** Prints resumed=yes|no, and on stderr why not. */
    static void printResumed(SSLSocket tls, PrintStream out, PrintStream err) {
        out.println("resumed=" + (tls.sessionReused() ? "yes" : "no"));
        String why = tls.sessionNotReusedReason();
        if (why != null) err.println("note: session not resumed: " + why);
    }

    /**
     * Writes the connection's session to {@code path}, readable by its owner only (it holds the session's secret),
     * through a temporary file and a rename, so a device that loses power keeps the old session or the new one.
     */
    static void write(SSLSocket tls, String path, PrintStream err) {
        Session s = tls.session();
        if (s == null) {
            err.println("note: the server gave no resumable session: --session-out " + path + " not written");
            return;
        }
        Path target = Paths.get(path).toAbsolutePath();
        try {
            Path tmp = Files.createTempFile(target.getParent(), ".microssl-session", ".tmp");
            try {
                try {
                    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException notPosix) {
                    // createTempFile already restricts it where the platform can
                }
                Files.write(tmp, s.toBytes());
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the session file " + path + ": " + e.getMessage(), e);
        }
        err.println("note: session saved to " + path + " (" + s + ")");
    }
}
