package io.faceroster.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class ContrastiveLossTest {

    @Test
    void pairLossMatchesHandComputedValues() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            // Pair 1: same person, distance 5 (3-4-5 triangle) -> 25.
            // Pair 2: different persons, distance 1, margin 3 -> (3-1)^2 = 4.
            // Pair 3: different persons, distance 5 > margin -> 0.
            var o1 = m.create(new float[] {0, 0, 0, 0, 0, 0}, new Shape(3, 2));
            var o2 = m.create(new float[] {3, 4, 1, 0, 0, 5}, new Shape(3, 2));
            var y = m.create(new float[] {0, 1, 1}, new Shape(3, 1));
            float loss = ContrastiveLoss.pairs(3f).evaluate(new NDList(y), new NDList(o1, o2)).getFloat();
            assertThat(loss).isCloseTo((25f + 4f + 0f) / 3f, within(1e-3f));
        }
    }

    @Test
    void batchAllLossAveragesPositivesAndViolatingNegativesSeparately() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            // Persons 0,0,1 at x = 0, 1, 3 (1-d). Positive pair (0,1): d^2 = 1.
            // Negatives at margin 2.5: (0,2) d=3 -> 0 (not violating); (1,2) d=2 -> 0.25, the only violator.
            var emb = m.create(new float[] {0, 1, 3}, new Shape(3, 1));
            var ids = m.create(new float[] {0, 0, 1});
            float loss = ContrastiveLoss.batchAll(2.5f).evaluate(new NDList(ids), new NDList(emb)).getFloat();
            assertThat(loss).isCloseTo(1f + 0.25f / 1f, within(1e-3f));
        }
    }

    @Test
    void batchAllLossIsZeroForPerfectlySeparatedPersons() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            var emb = m.create(new float[] {0, 0, 0, 0, 5, 5, 5, 5}, new Shape(4, 2));
            var ids = m.create(new float[] {7, 7, 9, 9});
            float loss = ContrastiveLoss.batchAll(1f).evaluate(new NDList(ids), new NDList(emb)).getFloat();
            assertThat(loss).isCloseTo(0f, within(1e-4f));
        }
    }

    @Test
    void supervisedNceMatchesHandComputedValue() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            // e0 = e1 = (1,0) same person, e2 = (0,1) another; temperature 1.
            // Anchors 0 and 1: positive similarity 1, the other candidate 0 -> -log(e / (e + 1)).
            // Anchor 2 has no positive and does not count.
            var emb = m.create(new float[] {1, 0, 1, 0, 0, 1}, new Shape(3, 2));
            var ids = m.create(new float[] {4, 4, 5});
            float loss = ContrastiveLoss.supervisedNce(1f).evaluate(new NDList(ids), new NDList(emb)).getFloat();
            assertThat((double) loss).isCloseTo(Math.log(Math.E + 1) - 1, within(1e-4));
        }
    }
}
