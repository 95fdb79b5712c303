package io.faceroster.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import io.faceroster.imaging.FaceChip;
import io.faceroster.testsupport.SyntheticFaces;
import io.faceroster.training.Augmentation;
import io.faceroster.training.TowerTrainer;
import io.faceroster.training.TrainingOptions;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddingServiceTest {

    static final TowerArchitecture TINY = new TowerArchitecture("tiny", 24, 24,
            TowerArchitecture.Normalisation.STANDARDISE, List.of(
                    "conv 4 3 s1 p1", "bn", "relu", "maxpool 2 s2", "flatten", "dropout 0.5", "linear 8", "l2norm"));

    @TempDir
    static Path store;
    static Path modelDir;
    static List<FaceChip> crops;

    @BeforeAll
    static void trainAndSave() throws Exception {
        List<List<FaceChip>> data = SyntheticFaces.chips(4, 4, 30, 30, 5);
        crops = data.stream().flatMap(List::stream).toList();
        var options = new TrainingOptions(TINY, TrainingOptions.Sampling.BATCH_ALL, 2, 16, 0, 4, 1f, 1e-3f, false,
                0f, 1, Augmentation.NONE);
        var result = new TowerTrainer(options, Device.cpu()).train(data, p -> { }, () -> false);
        try (result) {
            var model = result.model();
            var meta = new ModelMetadata(null, TINY, 8, 0.7, null, null, Map.of(), Instant.now());
            ModelMetadata saved = ModelDirectory.save(store.resolve("staging"), model, meta);
            modelDir = ModelStore.install(store, store.resolve("staging"), saved.version());
            ModelStore.setActive(store, saved.version());
        }
    }

    @Test
    void saveAndLoadGiveIdenticalEmbeddings() throws Exception {
        List<float[]> first;
        try (var a = EmbeddingService.load(modelDir, "cpu")) {
            first = a.embedBatch(crops);
            assertThat(a.metadata().version()).startsWith("tiny-").hasSize("tiny-".length() + 12);
            assertThat(a.metadata().threshold()).isEqualTo(0.7);
        }
        try (var b = EmbeddingService.load(ModelStore.activeDirectory(store), "cpu")) {
            List<float[]> second = b.embedBatch(crops);
            for (int i = 0; i < crops.size(); i++) {
                assertThat(second.get(i)).containsExactly(first.get(i));
            }
        }
    }

    @Test
    void batchAndSingleEmbeddingsAgreeAndDropoutIsOffAtInference() throws Exception {
        try (var s = EmbeddingService.load(modelDir, "cpu")) {
            List<float[]> batch = s.embedBatch(crops.subList(0, 5));
            for (int i = 0; i < 5; i++) {
                float[] single = s.embed(crops.get(i));
                float[] again = s.embed(crops.get(i));
                assertThat(single).containsExactly(again);
                for (int d = 0; d < single.length; d++) {
                    assertThat(single[d]).isCloseTo(batch.get(i)[d], org.assertj.core.api.Assertions.within(1e-5f));
                }
            }
        }
    }

    /** Concurrent single requests are embedded together: the same answers, within a batched pass's rounding. */
    @Test
    void concurrentCallersGetTheSameAnswersAsOneCaller() throws Exception {
        try (var s = EmbeddingService.load(modelDir, "cpu")) {
            List<float[]> expected = crops.stream().map(s::embed).toList();
            ExecutorService pool = Executors.newFixedThreadPool(6);
            try {
                List<Future<Boolean>> results = new ArrayList<>();
                for (int t = 0; t < 6; t++) {
                    results.add(pool.submit(() -> {
                        for (int round = 0; round < 20; round++) {
                            for (int i = 0; i < crops.size(); i++) {
                                float[] got = s.embed(crops.get(i));
                                for (int d = 0; d < got.length; d++) {
                                    if (Math.abs(got[d] - expected.get(i)[d]) > 1e-5f) {
                                        return false;
                                    }
                                }
                            }
                        }
                        return true;
                    }));
                }
                for (Future<Boolean> f : results) {
                    assertThat(f.get()).isTrue();
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void gpuFailsFastWhenThereIsNoCudaAndAutoFallsBackToCpu() {
        assertThat(EmbeddingService.selectDevice("auto")).isEqualTo(Device.cpu());
        assertThat(EmbeddingService.selectDevice("CPU")).isEqualTo(Device.cpu());
        assertThatThrownBy(() -> EmbeddingService.selectDevice("gpu"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no CUDA device");
        assertThatThrownBy(() -> EmbeddingService.selectDevice("tpu"))
                .hasMessageContaining("cpu, gpu or auto");
    }

    @Test
    void aStoreWithoutActiveFileAndSeveralVersionsIsRefused(@TempDir Path other) throws Exception {
        java.nio.file.Files.createDirectories(other.resolve("a"));
        java.nio.file.Files.writeString(other.resolve("a").resolve(ModelDirectory.METADATA_FILE), "{}");
        java.nio.file.Files.createDirectories(other.resolve("b"));
        java.nio.file.Files.writeString(other.resolve("b").resolve(ModelDirectory.METADATA_FILE), "{}");
        assertThatThrownBy(() -> ModelStore.activeDirectory(other)).hasMessageContaining("2 versions");
    }
}
