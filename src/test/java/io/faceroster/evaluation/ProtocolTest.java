package io.faceroster.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProtocolTest {

    /** Persons on a line, far apart; each person's images jitter by less than the gap. */
    private static double[][] clustered(int persons, int images, double spread, List<String> labels) {
        double[][] emb = new double[persons * images][];
        for (int p = 0; p < persons; p++) {
            for (int i = 0; i < images; i++) {
                emb[p * images + i] = new double[] {p * 10.0 + spread * i, 0};
                labels.add("s" + p);
            }
        }
        return emb;
    }

    @Test
    void perfectlySeparatedPersonsScorePerfectly() {
        List<String> labels = new ArrayList<>();
        double[][] emb = clustered(10, 10, 0.1, labels);
        Protocol.Report r = Protocol.evaluate(emb, labels, 1, 200, 20);
        r.fewShot().values().forEach(f -> assertThat(f.accuracy()).isEqualTo(1.0));
        assertThat(r.verification().eer()).isEqualTo(0.0);
        assertThat(r.verification().rocAuc()).isEqualTo(1.0);
        assertThat(r.verification().tarAtFar1pct()).isEqualTo(1.0);
        assertThat(r.openSet().dir()).isEqualTo(1.0);
        assertThat(r.verification().genuinePairs()).isEqualTo(450);
        assertThat(r.verification().impostorPairs()).isEqualTo(4500);
    }

    @Test
    void orlProtocolRejectsUnequalImageCountsNamingTheLfwProtocol() {
        List<String> labels = new ArrayList<>(List.of("a", "a", "b", "b", "b"));
        double[][] emb = {{0}, {1}, {5}, {6}, {7}};
        assertThatThrownBy(() -> Protocol.evaluate(emb, labels, 1, 10, 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--protocol lfw");
    }

    @Test
    void aucCountsTiesAsOneHalf() {
        // genuine {1, 2}, impostor {2, 3}: pairs (1<2),(1<3),(2=2 -> 1/2),(2<3) -> 3.5 / 4.
        assertThat(Protocol.aucMannWhitney(new double[] {1, 2}, new double[] {2, 3})).isEqualTo(0.875);
    }

    @Test
    void aucMannWhitneyStaysExactBeyondFortySixThousandImpostors() {
        // 100,001 impostors all above the one genuine distance: AUC 1 (nI * (nI + 1) as an int overflowed).
        double[] impostor = new double[100_001];
        Arrays.fill(impostor, 1.0);
        assertThat(Protocol.aucMannWhitney(new double[] {0.5}, impostor)).isEqualTo(1.0);
    }

    @Test
    void episodeAccuracyReflectsConfusablePersons() {
        // Two persons share the same location: any episode containing both gets about half their queries
        // wrong, so accuracy is below 1 but well above chance.
        List<String> labels = new ArrayList<>();
        double[][] emb = clustered(10, 10, 0.1, labels);
        for (int i = 0; i < 10; i++) {
            emb[10 + i] = emb[i].clone();
        }
        Protocol.FewShot fs = Protocol.fewShot(Protocol.Grouped.of(emb, labels), 5, 1, 500, 3);
        assertThat(fs.accuracy()).isBetween(0.85, 0.99);
        assertThat(fs.ci95()).isPositive();
    }

    @Test
    void openSetThresholdAcceptsAtMostTheTargetShareOfStrangers() {
        List<String> labels = new ArrayList<>();
        double[][] emb = clustered(10, 10, 1.5, labels);
        for (int p = 0; p < 10; p++) {
            emb[p * 10 + 9] = new double[] {p * 10.0 + 4.9, 7};  // one outlier image per person
        }
        var g = Protocol.Grouped.of(emb, labels);
        Protocol.OpenSet os = Protocol.openSet(g, 50, 7, 5, 3, 0.01);
        assertThat(os.farAchieved()).isLessThanOrEqualTo(0.01);
        assertThat(os.genuineQueries()).isEqualTo(50 * 5 * 7);
        assertThat(os.impostorQueries()).isEqualTo(50 * 5 * 10);
        Protocol.OpenSet fixed = Protocol.openSetAtThreshold(g, 50, 7, 5, 3, 1e9);
        assertThat(fixed.farAchieved()).isEqualTo(1.0);
        assertThat(fixed.dir()).isEqualTo(fixed.rank1ClosedSet());
    }

    @Test
    void prototypeThresholdSitsInTheImpostorTail() {
        // Six persons at the corners of a simplex (all 10*sqrt(2) apart), images jittered along a 7th axis.
        List<String> labels = new ArrayList<>();
        double[][] emb = new double[60][];
        for (int p = 0; p < 6; p++) {
            for (int i = 0; i < 10; i++) {
                emb[p * 10 + i] = new double[7];
                emb[p * 10 + i][p] = 10;
                emb[p * 10 + i][6] = 0.1 * i;
                labels.add("s" + p);
            }
        }
        var t = Protocol.prototypeThreshold(Protocol.Grouped.of(emb, labels), 20, 1, 3, 0.001);
        assertThat(t.threshold()).isLessThan(t.impostorMean());
        assertThat(t.threshold()).isCloseTo(t.impostorMean() - 3.090232 * t.impostorSd(), within(1e-6));
        assertThat(t.tarAchieved()).isEqualTo(1.0);   // genuine distances < 1, impostors about 14
        assertThat(t.farAchieved()).isLessThanOrEqualTo(0.01);
    }
}
