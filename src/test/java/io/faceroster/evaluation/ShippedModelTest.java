package io.faceroster.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.faceroster.dataset.FaceFolder;
import io.faceroster.dataset.PersonSelection;
import io.faceroster.model.EmbeddingService;
import io.faceroster.model.ModelStore;
import io.faceroster.testsupport.TestImages;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The shipped model, measured by the protocol on the ORL evaluation persons s31..s40 (skipped when the data
 * set is not beside the project). It must beat eigenfaces-100 and the seed network's mean on every metric.
 */
class ShippedModelTest {

    /** Reference figures from PROTOCOL.md: eigenfaces-100 and the seed network (mean of 3 seeds). */
    static final Map<String, double[]> REFERENCE = Map.of(
            "fewshot_5way_1shot", new double[] {0.886, 0.754},
            "fewshot_5way_5shot", new double[] {0.965, 0.788},
            "fewshot_10way_1shot", new double[] {0.830, 0.619},
            "fewshot_10way_5shot", new double[] {0.933, 0.660},
            "verif_auc", new double[] {0.952, 0.897},
            "verif_tar_at_far_1pct", new double[] {0.629, 0.290},
            "openset_dir_at_far_1pct", new double[] {0.711, 0.090});
    static final double[] REFERENCE_EER = {0.118, 0.161};

    @Test
    void shippedModelBeatsEigenfacesAndTheSeedNetworkOnEveryMetric() throws Exception {
        assumeTrue(TestImages.orlPresent(), "ORL data set not present beside the project");
        FaceFolder eval = FaceFolder.load(TestImages.ORL, PersonSelection.parse("s31..s40"));
        try (EmbeddingService embedder = EmbeddingService.load(ModelStore.activeDirectory(Path.of("models")), "cpu")) {
            var embedded = ModelEvaluation.embed(embedder, eval);
            Map<String, Double> h = ModelEvaluation.protocol(embedded).headline();
            System.out.println("shipped model " + embedder.metadata().version() + " on s31..s40: " + h);
            REFERENCE.forEach((metric, ref) -> assertThat(h.get(metric)).as(metric)
                    .isGreaterThan(ref[0]).isGreaterThan(ref[1]));
            assertThat(h.get("verif_eer")).as("EER").isLessThan(REFERENCE_EER[0]).isLessThan(REFERENCE_EER[1]);
        }
    }
}
