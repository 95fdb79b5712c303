package io.faceroster.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.faceroster.evaluation.ModelEvaluation;
import io.faceroster.imaging.FaceChip;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 10 item 4: when a job may set its own threshold, and when its candidate may not be promoted. */
class ThresholdCheckTest {

    private static Map<String, List<FaceChip>> persons(int count, int imagesEach) {
        Map<String, List<FaceChip>> out = new LinkedHashMap<>();
        for (int p = 0; p < count; p++) {
            out.put("p" + p, Collections.nCopies(imagesEach, (FaceChip) null));
        }
        return out;
    }

    @Test
    void twoValidationPersonsMayNotSetAThreshold() {
        assertThat(ThresholdCheck.tooThin(persons(2, 10), 4, 50)).contains("2 validation persons");
    }

    @Test
    void tooFewImpostorComparisonsMayNotSetAThreshold() {
        // 6 persons x 2 images: 15 person pairs x 4 image pairs = 60 comparisons.
        assertThat(ThresholdCheck.impostorComparisons(persons(6, 2))).isEqualTo(60);
        assertThat(ThresholdCheck.tooThin(persons(6, 2), 4, 100)).contains("60 impostor comparisons");
    }

    @Test
    void enoughPersonsAndComparisonsMaySetAThreshold() {
        assertThat(ThresholdCheck.tooThin(persons(4, 4), 4, 50)).isNull();
    }

    /** Persons on a line, 1.0 apart; each person's images 0.1 apart. */
    private static ModelEvaluation.Embedded line(int persons, int each) {
        List<String> keys = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        List<double[]> x = new ArrayList<>();
        for (int p = 0; p < persons; p++) {
            for (int i = 0; i < each; i++) {
                keys.add(p + "/" + i);
                labels.add("p" + p);
                x.add(new double[] {p + 0.1 * i, 0});
            }
        }
        return new ModelEvaluation.Embedded(keys, labels, x.toArray(double[][]::new));
    }

    @Test
    void strangersAcceptedCountsImpostorPairsWithinTheThreshold() {
        ModelEvaluation.Embedded e = line(3, 2);
        // Impostor pairs: 3 person pairs x 4 = 12; within 0.95: (p0/1,p1/0) and (p1/1,p2/0) at 0.9.
        assertThat(ThresholdCheck.strangersAccepted(e, 0.95)).isEqualTo(new ThresholdCheck.Acceptance(2, 12));
        assertThat(ThresholdCheck.strangersAccepted(e, 0.5).accepted()).isZero();
    }

    @Test
    void aCandidateThresholdThatAcceptsMoreStrangersIsRefused() {
        ModelEvaluation.Embedded e = line(4, 3);
        var active = ThresholdCheck.strangersAccepted(e, 0.638);
        var loose = ThresholdCheck.strangersAccepted(e, 1.651);
        assertThat(ThresholdCheck.acceptsMoreStrangers(loose, 1.651, active, 0.638)).contains("accepts");
    }

    @Test
    void aCandidateThatAcceptsNoMoreStrangersPasses() {
        ModelEvaluation.Embedded e = line(4, 3);
        var active = ThresholdCheck.strangersAccepted(e, 0.95);
        var tight = ThresholdCheck.strangersAccepted(e, 0.5);
        assertThat(ThresholdCheck.acceptsMoreStrangers(tight, 0.5, active, 0.95)).isNull();
    }
}
