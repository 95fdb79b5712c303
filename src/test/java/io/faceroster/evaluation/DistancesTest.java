package io.faceroster.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class DistancesTest {

    @Test
    void sumsInNumpysPairwiseOrder() {
        // a_i = 0.1 i (+ 1e4 for i = 0), b_i = 0.03 i^2, i < 20. numpy 2.4 on this machine:
        // np.sqrt(((a - b) ** 2).sum(-1)) = 10000.015724957635; summing in index order gives ...637.
        double[] a = new double[20];
        double[] b = new double[20];
        for (int i = 0; i < 20; i++) {
            a[i] = 0.1 * i + (i == 0 ? 1e4 : 0);
            b[i] = 0.03 * i * i;
        }
        assertThat(Distances.euclidean(a, b)).isEqualTo(10000.015724957635);
    }

    @Test
    void agreesWithTheTextbookSumToRounding() {
        Random rng = new Random(5);
        for (int dim : new int[] {1, 7, 8, 9, 128, 129, 300, 4096}) {
            double[] a = rng.doubles(dim).toArray();
            double[] b = rng.doubles(dim).toArray();
            double s = 0;
            for (int i = 0; i < dim; i++) {
                s += (a[i] - b[i]) * (a[i] - b[i]);
            }
            assertThat(Distances.euclidean(a, b)).as("dim %d", dim).isCloseTo(Math.sqrt(s), within(1e-12));
        }
    }

    @Test
    void nearestPrototypeTakesTheFirstOfEquallyNearOnes() {
        double[][] prototypes = {{2, 0}, {0, 2}, {1, 1}};
        var n = Distances.nearest(new double[] {1, 1}, new double[][] {prototypes[0], prototypes[1]});
        assertThat(n.index()).isZero();
        assertThat(n.distance()).isEqualTo(Math.sqrt(2));
        assertThat(Distances.nearest(new double[] {1, 1}, prototypes).index()).isEqualTo(2);
    }

    @Test
    void prototypeIsTheMeanOfTheChosenRows() {
        double[][] emb = {{0, 0}, {2, 4}, {4, 8}, {100, 100}};
        int[] rows = {0, 1, 2, 3};
        int[] order = {2, 1, 3, 0};
        assertThat(Distances.prototype(emb, rows, order, 0, 2)).containsExactly(3, 6);
    }
}
