package io.faceroster.identify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class FloatRowFileTest {

    private static float[] random(Random rng, int dim) {
        float[] v = new float[dim];
        for (int i = 0; i < dim; i++) {
            v[i] = (float) rng.nextGaussian();
        }
        return v;
    }

    @Test
    void rowsReadBackBitForBit() {
        Random rng = new Random(1);
        FloatRowFile file = new FloatRowFile(5);   // 20 bytes: not a whole number of AES blocks
        List<float[]> written = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            float[] v = random(rng, 5);
            v[0] = i == 3 ? -0.0f : v[0];
            written.add(v);
            file.write(file.allocate(), v, 0);
        }
        float[] read = new float[5];
        for (int i = 0; i < 100; i++) {
            file.read(i, read);
            for (int d = 0; d < 5; d++) {
                assertThat(Float.floatToRawIntBits(read[d])).isEqualTo(Float.floatToRawIntBits(written.get(i)[d]));
            }
        }
    }

    @Test
    void aFreedRowIsReusedBeforeTheFileGrows() {
        FloatRowFile file = new FloatRowFile(4);
        int a = file.allocate();
        int b = file.allocate();
        file.write(a, new float[] {1, 2, 3, 4}, 0);
        file.write(b, new float[] {5, 6, 7, 8}, 0);
        long bytes = file.fileBytes();
        file.free(a);
        assertThat(file.rows()).isEqualTo(1);
        int c = file.allocate();
        assertThat(c).isEqualTo(a);
        assertThat(file.fileBytes()).isEqualTo(bytes);
        file.write(c, new float[] {9, 9, 9, 9}, 0);
        float[] read = new float[4];
        file.read(b, read);
        assertThat(read).containsExactly(5, 6, 7, 8);
        file.read(c, read);
        assertThat(read).containsExactly(9, 9, 9, 9);
    }

    @Test
    void growsAcrossManyMappedChunks() {
        FloatRowFile file = new FloatRowFile(2);
        int rows = 50_000;    // dozens of mapped chunks
        for (int i = 0; i < rows; i++) {
            file.write(file.allocate(), new float[] {i, -i}, 0);
        }
        float[] read = new float[2];
        for (int i = 0; i < rows; i += 997) {
            file.read(i, read);
            assertThat(read).containsExactly(i, -i);
        }
        assertThat(file.rows()).isEqualTo(rows);
    }

    @Test
    void threadsReadConcurrently() throws Exception {
        Random rng = new Random(2);
        FloatRowFile file = new FloatRowFile(128);
        List<float[]> written = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            float[] v = random(rng, 128);
            written.add(v);
            file.write(file.allocate(), v, 0);
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int first = t;
                results.add(pool.submit(() -> {
                    float[] read = new float[128];
                    for (int round = 0; round < 20; round++) {
                        for (int i = first; i < 2000; i += 4) {
                            file.read(i, read);
                            if (!java.util.Arrays.equals(read, written.get(i))) {
                                return false;
                            }
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> r : results) {
                assertThat(r.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theFileIsUnlinkedAndHoldsNoReadableEmbedding() throws IOException {
        Path fds = Path.of("/proc/self/fd");
        Assumptions.assumeTrue(Files.isDirectory(fds), "SKIPPED LOUDLY: no /proc/self/fd to find the row file by");
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        float[] embedding = random(new Random(3), 128);
        java.util.Map<String, Path> before = rowFiles(fds);
        FloatRowFile file = new FloatRowFile(128);
        file.write(file.allocate(), embedding, 0);
        file.write(file.allocate(), embedding, 0);

        try (Stream<Path> listed = Files.list(tmp)) {
            assertThat(listed.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("faceroster-support-set-"))).isEmpty();
        }
        java.util.Map<String, Path> opened = rowFiles(fds);
        opened.keySet().removeAll(before.keySet());
        assertThat(opened).as("one more open, deleted row file").hasSize(1);
        byte[] content = Files.readAllBytes(opened.values().iterator().next());
                ByteBuffer plain = ByteBuffer.allocate(4 * 128).order(ByteOrder.LITTLE_ENDIAN);
        plain.asFloatBuffer().put(embedding);
        byte[] firstFloats = java.util.Arrays.copyOf(plain.array(), 16);
        assertThat(indexOf(content, firstFloats)).isEqualTo(-1);
        // the same embedding written twice is stored as two different ciphertexts (a fresh counter per write)
        int rowBytes = 8 + 4 * 128;
        assertThat(java.util.Arrays.copyOfRange(content, 8, rowBytes))
                .isNotEqualTo(java.util.Arrays.copyOfRange(content, rowBytes + 8, 2 * rowBytes));
        float[] read = new float[128];
        file.read(1, read);
        assertThat(read).containsExactly(embedding);
    }

    /** This process's open row files (deleted, as they should be) by name, with a descriptor of each. */
    private static java.util.Map<String, Path> rowFiles(Path fds) throws IOException {
        java.util.Map<String, Path> out = new java.util.HashMap<>();
        try (Stream<Path> open = Files.list(fds)) {
            for (Path fd : open.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.contains("faceroster-support-set-") && target.endsWith("(deleted)")) {
                        out.put(target, fd);
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        }
        return out;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
