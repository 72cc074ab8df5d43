package org.microssl.internal.crypto;

import java.util.concurrent.TimeUnit;

import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.AEADCipher;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
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
 * <pre>
 * java -jar benchmarks.jar AeadBench -f 1 -wi 2 -w 1s -i 3 -r 1s -prof gc
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

    @Param({"64", "16384"})
    public int size;

    private RecordAead sealer, opener;
    private AEADCipher bcSealer, bcOpener;
    private byte[] plaintext, record, received;
    private final byte[] nonce = new byte[RecordAead.NONCE_LENGTH];
    private final byte[] aad = new byte[13];
    private long seq;

    @Setup
    public void setUp() throws java.security.GeneralSecurityException {
        byte[] key = new byte[impl.contains("gcm") ? 16 : 32];
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
                throw new IllegalArgumentException(impl);
        }
        if (sealer != null) {
            sealer.setKey(key, 0, key.length);
            opener.setKey(key, 0, key.length);
        } else {
            bcSealer.init(true, new AEADParameters(new KeyParameter(key), 128, new byte[12]));
            bcOpener.init(false, new AEADParameters(new KeyParameter(key), 128, new byte[12]));
        }
    }

    @Benchmark
    public boolean sealAndOpen() throws InvalidCipherTextException {
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
