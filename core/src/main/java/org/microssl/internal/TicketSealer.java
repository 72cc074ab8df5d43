package org.microssl.internal;

import java.security.SecureRandom;

import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.util.Arrays;

/**
 * A server context's session-ticket keys (RFC 5077 section 4's recommended construction, with AES-256-GCM in
 * place of AES-CBC + HMAC): a ticket is {@code "mst1" || key id (4) || nonce (12) || AES-GCM(state)}, the first 8
 * bytes authenticated as associated data. Two keys are held: tickets are sealed under the current one and opened
 * under it or the one before, so a rotation does not refuse every ticket at once; two rotations retire a key.
 * Keys rotate on the context's clock every {@code rotationMillis}, and on {@link #rotate()}. The keys never leave
 * the process: a server restart refuses earlier tickets (clients fall back to a full handshake).
 */
public final class TicketSealer {
    private static final int HEADER = 4 + 4;
    private static final int NONCE = 12;
    private static final int TAG = 16;

    private final SecureRandom random;
    private final long rotationMillis;
    private Key current;
    private Key previous;

    private static final class Key {
        final byte[] id;
        final byte[] aes;
        final long bornMillis;

        Key(SecureRandom random, long bornMillis) {
            id = new byte[4];
            aes = new byte[32];
            random.nextBytes(id);
            random.nextBytes(aes);
            this.bornMillis = bornMillis;
        }
    }

    /** The outcome of {@link #open}: the state, or why there is none (never a secret). */
    public static final class Opened {
        public final byte[] state;
        public final String refusal;

        Opened(byte[] state, String refusal) {
            this.state = state;
            this.refusal = refusal;
        }
    }

    public TicketSealer(SecureRandom random, long rotationMillis) {
        this.random = random;
        this.rotationMillis = rotationMillis;
    }

    /** Retires the older key and makes a new current one: tickets sealed two rotations ago are refused. */
    public synchronized void rotate() {
        rotate(current == null ? 0 : current.bornMillis);
    }

    private void rotate(long nowMillis) {
        previous = current;
        current = new Key(random, nowMillis);
    }

    private void rotateIfDue(long nowMillis) {
        if (current == null) {
            current = new Key(random, nowMillis);
        } else if (nowMillis - current.bornMillis >= rotationMillis) {
            rotate(nowMillis);
        }
    }

    public synchronized byte[] seal(byte[] state, long nowMillis) {
        rotateIfDue(nowMillis);
        byte[] out = new byte[HEADER + NONCE + state.length + TAG];
        System.arraycopy(TicketPsk.MAGIC, 0, out, 0, 4);
        System.arraycopy(current.id, 0, out, 4, 4);
        byte[] nonce = new byte[NONCE];
        random.nextBytes(nonce);
        System.arraycopy(nonce, 0, out, HEADER, NONCE);
        GCMModeCipher gcm = cipher(true, current.aes, nonce, out);
        int n = gcm.processBytes(state, 0, state.length, out, HEADER + NONCE);
        try {
            gcm.doFinal(out, HEADER + NONCE + n);
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException(e); // sealing cannot fail
        }
        return out;
    }

    public synchronized Opened open(byte[] ticket, long nowMillis) {
        rotateIfDue(nowMillis);
        if (!TicketPsk.looksLikeOurs(ticket)) {
            return new Opened(null, "the ticket is not one of ours");
        }
        byte[] id = Arrays.copyOfRange(ticket, 4, 8);
        Key key = current != null && Arrays.areEqual(id, current.id) ? current
                : previous != null && Arrays.areEqual(id, previous.id) ? previous : null;
        if (key == null) return new Opened(null, "the ticket was sealed under a key this server no longer holds");
        byte[] nonce = Arrays.copyOfRange(ticket, HEADER, HEADER + NONCE);
        GCMModeCipher gcm = cipher(false, key.aes, nonce, ticket);
        byte[] state = new byte[gcm.getOutputSize(ticket.length - HEADER - NONCE)];
        int n = gcm.processBytes(ticket, HEADER + NONCE, ticket.length - HEADER - NONCE, state, 0);
        try {
            gcm.doFinal(state, n);
        } catch (InvalidCipherTextException e) {
            return new Opened(null, "the ticket fails its authentication (tampered or corrupted)");
        }
        return new Opened(state, null);
    }

    private static GCMModeCipher cipher(boolean encrypt, byte[] key, byte[] nonce, byte[] header) {
        GCMModeCipher gcm = GCMBlockCipher.newInstance(AESEngine.newInstance());
        gcm.init(encrypt, new AEADParameters(new KeyParameter(key), TAG * 8, nonce, Arrays.copyOf(header, HEADER)));
        return gcm;
    }

    @Override
    public String toString() {
        return "TicketSealer[AES-256-GCM, rotation " + rotationMillis / 1000 + " s]";
    }
}
