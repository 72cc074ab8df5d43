package org.microssl.internal.crypto;

import java.util.concurrent.TimeUnit;

import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.BlockCipher;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.engines.AESLightEngine;
import org.bouncycastle.crypto.engines.ChaChaEngine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.modes.AEADCipher;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.gcm.BasicGCMMultiplier;
import org.bouncycastle.crypto.modes.gcm.GCMMultiplier;
import org.bouncycastle.crypto.modes.gcm.GCMUtil;
import org.bouncycastle.crypto.modes.gcm.Tables4kGCMMultiplier;
import org.bouncycastle.crypto.modes.gcm.Tables64kGCMMultiplier;
import org.bouncycastle.crypto.modes.gcm.Tables8kGCMMultiplier;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The record AEADs alone, one record sealed and opened per operation (MB/s = ops/s x size / 1e6), against
 * BouncyCastle's own AEAD modes driven as well as they allow: the key passed once, every later {@code init}
 * with a null key (no new key schedule or GHASH tables), sealing out of place and opening from a second buffer
 * (in place they copy the whole record). With {@code -prof gc}: bytes allocated per record, both directions.
 * In this package because {@link RecordAead} is package-private.
 *
 * <p>The {@link #PRIMITIVES} make one pass over {@code size} bytes instead (MB/s = that pass's rate): the
 * ceiling the AEADs above them can reach. A seal and an open each pass a record through both halves of an AEAD,
 * so the best seal+open rate over primitives {@code a} and {@code b} is {@code 1 / (2/a + 2/b)}
 * ({@code Interleaved primitives} prints it).
 *
 * <pre>
 * java -jar benchmarks.jar AeadBench -f 1 -wi 2 -w 1s -i 3 -r 1s -prof gc
 * java -jar benchmarks.jar AeadBench -p impl=aes,ghash_4k,chacha_core,poly1305 -p size=16384
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AeadBench {

    /**
     * aesgcm / aesgcm_compact / chacha: microssl's RecordAeads over BouncyCastle; jca_gcm / jca_chacha: {@link JcaAead}
     * over the platform's JCA; bc_gcm / bc_chacha: BouncyCastle's GCMBlockCipher and ChaCha20Poly1305.
     */
    @Param({"aesgcm", "aesgcm_compact", "bc_gcm", "jca_gcm", "chacha", "bc_chacha", "jca_chacha"})
    public String impl;

    /**
     * BouncyCastle's primitives alone, one pass: aes / aes_light: {@code AESEngine} / {@code AESLightEngine}
     * blocks in place (no counter, no XOR); ghash_*: S = (S xor X) * H per block with each GCM multiplier;
     * chacha_core: the ChaCha20 block function; poly1305: {@code Poly1305.update} and {@code doFinal}. And the
     * counter modes as {@link AesGcmAead} and {@link ChaCha20Poly1305Aead} drive them (counter block, keystream
     * XORed into the record): aes_ctr (AES-GCM's GCTR over {@code AESEngine}) and chacha_ctr.
     */
    public static final java.util.List<String> PRIMITIVES = java.util.Collections.unmodifiableList(
            java.util.Arrays.asList("aes", "aes_light", "aes_ctr", "ghash_basic", "ghash_4k", "ghash_8k",
                    "ghash_64k", "chacha_core", "chacha_ctr", "poly1305"));

    @Param({"64", "16384"})
    public int size;

    private RecordAead sealer, opener;
    private AEADCipher bcSealer, bcOpener;
    private byte[] plaintext, record, received;
    private final byte[] nonce = new byte[RecordAead.NONCE_LENGTH];
    private final byte[] aad = new byte[13];
    private long seq;
    /** A primitive's pass, instead of seal and open. */
    private Runnable pass;

    @Setup
    public void setUp() throws java.security.GeneralSecurityException {
        boolean aes128 = impl.contains("gcm") || impl.startsWith("aes") || impl.startsWith("ghash");
        byte[] key = new byte[aes128 ? 16 : 32];
        new java.util.Random(1).nextBytes(key);
        plaintext = new byte[size];
        record = new byte[size + RecordAead.TAG_LENGTH];
        received = new byte[size + RecordAead.TAG_LENGTH];
        switch (impl) {
            case "aesgcm":
            case "aesgcm_compact":
                sealer = new AesGcmAead(impl.endsWith("compact"));
                opener = new AesGcmAead(impl.endsWith("compact"));
                break;
            case "chacha":
                sealer = new ChaCha20Poly1305Aead();
                opener = new ChaCha20Poly1305Aead();
                break;
            case "jca_gcm":
                sealer = new JcaAead("AES/GCM/NoPadding", "AES");
                opener = new JcaAead("AES/GCM/NoPadding", "AES");
                break;
            case "jca_chacha":
                sealer = new JcaAead("ChaCha20-Poly1305", "ChaCha20");
                opener = new JcaAead("ChaCha20-Poly1305", "ChaCha20");
                break;
            case "bc_gcm":
                bcSealer = GCMBlockCipher.newInstance(AESEngine.newInstance());
                bcOpener = GCMBlockCipher.newInstance(AESEngine.newInstance());
                break;
            case "bc_chacha":
                bcSealer = new ChaCha20Poly1305();
                bcOpener = new ChaCha20Poly1305();
                break;
            default:
                pass = primitive(impl, key, plaintext);
                return;
        }
        if (sealer != null) {
            sealer.setKey(key, 0, key.length);
            opener.setKey(key, 0, key.length);
        } else {
            bcSealer.init(true, new AEADParameters(new KeyParameter(key), 128, new byte[12]));
            bcOpener.init(false, new AEADParameters(new KeyParameter(key), 128, new byte[12]));
        }
    }

    private static Runnable primitive(String impl, byte[] key, byte[] buf) {
        switch (impl) {
            case "aes":
            case "aes_light": {
                BlockCipher aes = impl.equals("aes") ? AESEngine.newInstance() : new AESLightEngine();
                aes.init(true, new KeyParameter(key));
                return () -> {
                    for (int off = 0; off + 16 <= buf.length; off += 16) {
                        aes.processBlock(buf, off, buf, off);
                    }
                };
            }
            case "ghash_basic":
            case "ghash_4k":
            case "ghash_8k":
            case "ghash_64k": {
                GCMMultiplier m = impl.equals("ghash_basic") ? new BasicGCMMultiplier()
                        : impl.equals("ghash_4k") ? new Tables4kGCMMultiplier()
                        : impl.equals("ghash_8k") ? new Tables8kGCMMultiplier() : new Tables64kGCMMultiplier();
                m.init(java.util.Arrays.copyOf(key, 16)); // any H will do
                byte[] s = new byte[16];
                return () -> {
                    for (int off = 0; off + 16 <= buf.length; off += 16) {
                        GCMUtil.xor(s, buf, off);
                        m.multiplyH(s);
                    }
                };
            }
            case "aes_ctr": {
                AesGcmAead gcm = new AesGcmAead();
                gcm.setKey(key, 0, 16);
                byte[] nonce = new byte[RecordAead.NONCE_LENGTH];
                return () -> gcm.gctr(nonce, buf, 0, 0, buf, 0, buf.length);
            }
            case "chacha_ctr": {
                ChaCha20Poly1305Aead chacha = new ChaCha20Poly1305Aead();
                chacha.setKey(key, 0, 32);
                byte[] nonce = new byte[RecordAead.NONCE_LENGTH];
                return () -> {
                    chacha.chacha.setNonce(nonce); // block 0 too: 1 block in 257
                    chacha.chacha.xorFromBlock1(buf, 0, buf.length);
                };
            }
            case "chacha_core": {
                int[] state = new int[16], x = new int[16];
                for (int i = 0; i < 16; i++) {
                    state[i] = key[i] * 0x01010101;
                }
                return () -> {
                    for (int off = 0; off + 64 <= buf.length; off += 64) {
                        state[12]++; // the block counter, as ChaCha7539Engine.advanceCounter
                        ChaChaEngine.chachaCore(20, state, x);
                    }
                };
            }
            case "poly1305": {
                Poly1305 mac = new Poly1305();
                mac.init(new KeyParameter(java.util.Arrays.copyOf(key, 32)));
                byte[] tag = new byte[16];
                return () -> {
                    mac.update(buf, 0, buf.length);
                    mac.doFinal(tag, 0); // resets, keeping the key
                };
            }
            default:
                throw new IllegalArgumentException(impl);
        }
    }

    @Benchmark
    public boolean sealAndOpen() throws InvalidCipherTextException {
        if (pass != null) {
            pass.run();
            return true;
        }
        seq++;
        for (int i = 0; i < 8; i++) {
            nonce[11 - i] = (byte) (seq >>> (8 * i)); // a new nonce per record, as TLS makes them
        }
        if (sealer != null) {
            System.arraycopy(plaintext, 0, record, 0, size);
            sealer.seal(nonce, aad, aad.length, record, 0, size);
            return opener.open(nonce, aad, aad.length, record, 0, size);
        }
        bcSealer.init(true, new AEADParameters(null, 128, nonce));
        bcSealer.processAADBytes(aad, 0, aad.length);
        int n = bcSealer.processBytes(plaintext, 0, size, record, 0);
        bcSealer.doFinal(record, n);
        bcOpener.init(false, new AEADParameters(null, 128, nonce));
        bcOpener.processAADBytes(aad, 0, aad.length);
        n = bcOpener.processBytes(record, 0, record.length, received, 0);
        bcOpener.doFinal(received, n);
        return true;
    }
}
