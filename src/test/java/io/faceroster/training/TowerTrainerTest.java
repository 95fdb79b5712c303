package io.faceroster.training;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import io.faceroster.evaluation.Protocol;
import io.faceroster.imaging.FaceChip;
import io.faceroster.model.EmbeddingService;
import io.faceroster.model.ModelMetadata;
import io.faceroster.model.TowerArchitecture;
import io.faceroster.testsupport.SyntheticFaces;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TowerTrainerTest {

    /** A 32x32 version of the FaceRoster tower: the same layer types, small enough for a unit test. */
    static final TowerArchitecture TINY = new TowerArchitecture("tiny", 32, 32,
            TowerArchitecture.Normalisation.STANDARDISE, List.of(
                    "conv 8 3 s1 p1", "bn", "relu", "maxpool 2 s2",
                    "conv 16 3 s1 p1", "bn", "relu", "maxpool 2 s2",
                    "flatten", "linear 16", "l2norm"));

    static TrainingOptions tinyOptions(int epochs) {
        return new TrainingOptions(TINY, TrainingOptions.Sampling.BATCH_ALL, epochs, 32, 0, 4, 1.0f, 3e-3f, false,
                0f, 42, Augmentation.NONE);
    }

    static ModelMetadata metadataFor(TowerArchitecture arch) {
        return new ModelMetadata("test", arch, 16, 1.0, null, null, Map.of(), Instant.EPOCH);
    }

    @Test
    void tinyRunLowersTheLossAndSeparatesIdentities() {
        List<List<FaceChip>> data = SyntheticFaces.chips(8, 6, 40, 40, 1);
        AtomicInteger reports = new AtomicInteger();
        TowerTrainer.Result result = new TowerTrainer(tinyOptions(25), Device.cpu())
                .train(data, p -> reports.incrementAndGet(), () -> false);
        try (result; var embedder = EmbeddingService.wrap(result.model(), metadataFor(TINY))) {
            List<Double> curve = result.lossCurve();
            assertThat(curve).hasSize(25);
            double firstThree = (curve.get(0) + curve.get(1) + curve.get(2)) / 3;
            double lastThree = (curve.get(22) + curve.get(23) + curve.get(24)) / 3;
            assertThat(lastThree).isLessThan(firstThree * 0.5);
            assertThat(reports.get()).isPositive();

            // Separation on the trained identities: genuine pairs on average less than half as far apart as
            // impostor pairs, and a verification AUC above 0.95.
            List<float[]> emb = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            for (int id = 0; id < data.size(); id++) {
                emb.addAll(embedder.embedBatch(data.get(id)));
                for (int i = 0; i < data.get(id).size(); i++) {
                    labels.add("id" + id);
                }
            }
            double[][] e = emb.stream().map(TowerTrainerTest::toDouble).toArray(double[][]::new);
            Protocol.Verification v = Protocol.verification(e, labels);
            assertThat(v.genuineDistMean()).isLessThan(v.impostorDistMean() * 0.5);
            assertThat(v.rocAuc()).isGreaterThan(0.95);
        }
    }

    @Test
    void cancellationStopsBeforeTheNextStep() {
        List<List<FaceChip>> data = SyntheticFaces.chips(4, 4, 32, 32, 2);
        AtomicInteger polls = new AtomicInteger();
        TowerTrainer.Result result = new TowerTrainer(tinyOptions(50), Device.cpu())
                .train(data, p -> { }, () -> polls.incrementAndGet() > 3);
        try (result) {
            assertThat(result.cancelled()).isTrue();
            assertThat(result.steps()).isEqualTo(3);
        }
    }

    static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }
}
