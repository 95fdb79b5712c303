package io.faceroster.identify;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * Fixed-width float32 rows (the shot embeddings and prototypes of one support set) kept off the Java heap: in a
 * scratch file in {@code java.io.tmpdir} that is memory-mapped and unlinked as soon as it is open, so the kernel
 * pages a row in when a query re-ranks it and may drop clean pages again under memory pressure; the file's space
 * is returned when the process ends or this object is collected.
 *
 * <p>Embeddings are biometric data, so no row is written readable: each is encrypted with AES in counter mode
 * under a random key that exists only in this object (nothing survives the process), with a fresh counter per
 * write stored in the row's first 8 bytes (a reused slot never reuses a key stream).
 *
 * <p>Not thread-safe on its own: the owning support set's write lock orders {@link #allocate}, {@link #write} and
 * {@link #free}; readers under its read lock may {@link #read} concurrently (each thread has its own cipher).
 */
class FloatRowFile {

    private static final Cleaner CLEANER = Cleaner.create();
    private static final int ROWS_PER_CHUNK = 1 << 10;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final int dimension;
    private final int cipherBytes;      // 4 × dimension, rounded up to whole AES blocks
    private final int rowBytes;         // 8-byte counter + cipherBytes
    private final FileChannel channel;
    private final ThreadLocal<Crypt> crypt;
    private final byte[] zeros;
    private MappedByteBuffer[] chunks = new MappedByteBuffer[0];
    private int[] free = new int[16];
    private int freeCount;
    private int highWater;
    private long writes;
    private boolean closed;

    FloatRowFile(int dimension) {
        this.dimension = dimension;
        this.cipherBytes = (4 * dimension + 15) / 16 * 16;
        this.rowBytes = 8 + cipherBytes;
        byte[] k = new byte[16];
        RANDOM.nextBytes(k);
        SecretKeySpec aes = new SecretKeySpec(k, "AES");
        int bytes = cipherBytes;
        this.crypt = ThreadLocal.withInitial(() -> new Crypt(aes, bytes));   // captures no reference to this
        this.zeros = new byte[rowBytes];
        Path dir = Path.of(System.getProperty("java.io.tmpdir"));
        try {
            Path file = Files.createTempFile(dir, "faceroster-support-set-", ".rows");   // owner-only on POSIX
            try {
                channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the support set's row file in " + dir
                    + " (java.io.tmpdir must be writable)", e);
        }
        FileChannel c = channel;
        CLEANER.register(this, () -> {
            try {
                c.close();
            } catch (IOException ignored) {
                // the descriptor goes with the process anyway
            }
        });
    }

    /** A free row (its content undefined until {@link #write}). */
    int allocate() {
        ensureOpen();
        if (freeCount > 0) {
            return free[--freeCount];
        }
        int row = highWater;
        int chunk = row / ROWS_PER_CHUNK;
        if (chunk >= chunks.length) {
            try {
                long at = (long) chunk * ROWS_PER_CHUNK * rowBytes;
                // Write the chunk's blocks before mapping them: a full disk then fails here, as an IOException,
                // instead of as a bus error on the first write into a sparse mapping.
                ByteBuffer zeros = ByteBuffer.allocate(ROWS_PER_CHUNK * rowBytes);
                while (zeros.hasRemaining()) {
                    channel.write(zeros, at + zeros.position());
                }
                MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_WRITE, at,
                        (long) ROWS_PER_CHUNK * rowBytes);
                MappedByteBuffer[] grown = Arrays.copyOf(chunks, chunk + 1);
                grown[chunk] = mapped;
                chunks = grown;
            } catch (IOException e) {
                throw new UncheckedIOException("the support set's row file cannot grow (disk full?)", e);
            }
        }
        highWater++;
        return row;
    }

    /** Writes {@code source[offset..offset + dimension)} into {@code row}. */
    void write(int row, float[] source, int offset) {
        ensureOpen();
        Crypt c = crypt.get();
        long counter = ++writes;
        c.floats.put(0, source, offset, dimension);
        c.xorKeyStream(counter);
        ByteBuffer chunk = chunks[row / ROWS_PER_CHUNK];
        int at = (row % ROWS_PER_CHUNK) * rowBytes;
        chunk.putLong(at, counter);
        chunk.put(at + 8, c.data, 0, cipherBytes);
    }

    /** Reads {@code row} into {@code target[0..dimension)}. */
    void read(int row, float[] target) {
        ensureOpen();
        Crypt c = crypt.get();
        ByteBuffer chunk = chunks[row / ROWS_PER_CHUNK];
        int at = (row % ROWS_PER_CHUNK) * rowBytes;
        long counter = chunk.getLong(at);
        chunk.get(at + 8, c.data, 0, cipherBytes);
        c.xorKeyStream(counter);
        c.floats.get(0, target, 0, dimension);
    }

    /** Overwrites {@code row} with zeros and makes it free for reuse. */
    void free(int row) {
        ByteBuffer chunk = chunks[row / ROWS_PER_CHUNK];
        int at = (row % ROWS_PER_CHUNK) * rowBytes;
        chunk.put(at, zeros, 0, rowBytes);
        if (freeCount == free.length) {
            free = Arrays.copyOf(free, free.length * 2);
        }
        free[freeCount++] = row;
    }

    /**
     * Gives the file's space back now instead of when this object is collected: the file is truncated to nothing
     * and closed, and every later use throws. The caller excludes readers (its write lock), since a mapped row
     * past the end of the file may no longer be touched.
     */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        chunks = new MappedByteBuffer[0];
        try {
            channel.truncate(0);
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("could not release the support set's row file", e);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("this support set was retired after a model switch");
        }
    }

    /** Rows in use. */
    int rows() {
        return highWater - freeCount;
    }

    /** Bytes of the file up to its highest row ever used (what the rows can occupy on disk and in page cache). */
    long fileBytes() {
        return (long) highWater * rowBytes;
    }

    /** One thread's cipher and buffers: AES-CTR as AES-ECB over counter blocks, so the cipher is set up once. */
    private static final class Crypt {
        final Cipher ecb;
        final byte[] counters;
        final byte[] keyStream;
        final byte[] data;
        final FloatBuffer floats;

        Crypt(SecretKeySpec key, int bytes) {
            try {
                ecb = Cipher.getInstance("AES/ECB/NoPadding");
                ecb.init(Cipher.ENCRYPT_MODE, key);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES is not available in this JVM", e);
            }
            counters = new byte[bytes];
            keyStream = new byte[bytes];
            data = new byte[bytes];
            floats = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
            for (int block = 0; block < bytes / 16; block++) {
                LONGS.set(counters, block * 16 + 8, (long) block);
            }
        }

        /** {@code data ^= AES(key, counter ‖ block)} for every 16-byte block. */
        void xorKeyStream(long counter) {
            for (int at = 0; at < counters.length; at += 16) {
                LONGS.set(counters, at, counter);
            }
            try {
                ecb.doFinal(counters, 0, counters.length, keyStream, 0);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES failed on a whole number of blocks", e);
            }
            for (int i = 0; i < data.length; i++) {
                data[i] ^= keyStream[i];
            }
        }
    }
}
