package io.faceroster.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PairVerificationTest {

    @Test
    void eerAndTarAtFarOnAHandMadeRoc() {
        // Genuine distances 1..4, impostor 3..6. Thresholds t: 1,2,3,4,5,6.
        // TAR: .25 .5 .75 1 1 1; FAR: 0 0 .25 .5 .75 1; FRR = 1-TAR: .75 .5 .25 0 0 0.
        // FAR crosses FRR between t=2 (FAR 0, FRR .5) and t=3 (FAR .25, FRR .25): exactly at t=3 -> EER .25.
        var roc = PairVerification.Roc.of(new double[] {1, 2, 3, 4}, new double[] {3, 4, 5, 6});
        assertThat(roc.eer()).isCloseTo(0.25, within(1e-12));
        var at0 = roc.tarAtFar(0.0);
        assertThat(at0.tar()).isEqualTo(0.5);   // best TAR with no impostor accepted: t = 2
        assertThat(at0.threshold()).isEqualTo(2.0);
        assertThat(roc.tarAtFar(0.25).tar()).isEqualTo(0.75);
    }

    @Test
    void eerInterpolatesBetweenRocPoints() {
        // Genuine {1, 3}, impostor {2, 4}: points (FAR, FRR) at t=1: (0, .5); t=2: (.5, .5).
        // First point with FAR >= FRR is t=2, previous t=1: f0=0, f1=.5, r0=.5, r1=.5 -> s=1 -> EER .5.
        var roc = PairVerification.Roc.of(new double[] {1, 3}, new double[] {2, 4});
        assertThat(roc.eer()).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void rocHasOnePointPerDistinctDistanceAfterTheOrigin() {
        var roc = PairVerification.Roc.of(new double[] {1, 2, 2}, new double[] {2, 3, 3});
        assertThat(roc.thresholds()).containsExactly(Double.NEGATIVE_INFINITY, 1, 2, 3);
        assertThat(roc.tar()).containsExactly(0, 1 / 3.0, 1, 1);
        assertThat(roc.far()).containsExactly(0, 0, 1 / 3.0, 1);
    }

    @Test
    void tarAtFarOneInAThousandAcceptsAtMostThatShareOfImpostors() {
        // 2000 impostors at 1..2000: FAR 0.1% allows 2 of them (t < 3). Genuine 0.5, 1.5, 2.5, 2.9, 3.5:
        // the best such threshold is 2.9 (2 impostors, 4 of 5 genuine); 3.0 would accept a third impostor.
        double[] impostor = new double[2000];
        for (int i = 0; i < impostor.length; i++) {
            impostor[i] = i + 1;
        }
        var roc = PairVerification.Roc.of(new double[] {0.5, 1.5, 2.5, 2.9, 3.5}, impostor);
        var p = roc.tarAtFar(0.001);
        assertThat(p.tar()).isEqualTo(0.8);
        assertThat(p.threshold()).isEqualTo(2.9);
        assertThat(p.far()).isEqualTo(0.001);
    }

    @Test
    void aucCountsTiesAsOneHalf() {
        // genuine {1, 2}, impostor {2, 3}: pairs (1<2),(1<3),(2=2 -> 1/2),(2<3) -> 3.5 / 4.
        assertThat(PairVerification.auc(new double[] {1, 2}, new double[] {2, 3})).isEqualTo(0.875);
    }

    @Test
    void aucIsExactWithAQuarterMillionImpostors() {
        // Genuine {1, 3}; impostors 100,000 at 2, 50,000 at 3 (ties with 3), 100,000 at 4, shuffled.
        // Genuine 1 is below all 250,000; genuine 3 below the 100,000 at 4 and tied with 50,000:
        // U = 250,000 + 100,000 + 25,000 = 375,000 of 2 x 250,000 pairs -> 0.75. (nI * (nI + 1) overflows an int.)
        double[] impostor = new double[250_000];
        Arrays.fill(impostor, 0, 100_000, 2.0);
        Arrays.fill(impostor, 100_000, 150_000, 3.0);
        Arrays.fill(impostor, 150_000, 250_000, 4.0);
        shuffle(impostor, new Random(1));
        assertThat(PairVerification.auc(new double[] {3, 1}, impostor)).isEqualTo(0.75);
    }

    @Test
    void pairsOfPersonsWithUnequalImageCounts() {
        // A {0}, B {10, 11}, C {20, 21, 23} on a line: 15 pairs; genuine: B 1, C 3 (distances 1, 1, 2, 3);
        // the 11 impostor pairs are all at least 9 apart, so every figure is perfect.
        double[][] emb = {{0}, {10}, {11}, {20}, {21}, {23}};
        var g = PersonGroups.of(emb, List.of("A", "B", "B", "C", "C", "C"));
        PairVerification.PairDistances d = PairVerification.pairDistances(g);
        assertThat(d.genuine()).containsExactly(1, 1, 2, 3);
        assertThat(d.impostor()).hasSize(11);
        assertThat(d.impostor()[0]).isEqualTo(9.0);
        PairVerification.Figures f = PairVerification.of(d);
        assertThat(f.genuinePairs()).isEqualTo(4);
        assertThat(f.impostorPairs()).isEqualTo(11);
        assertThat(f.rocAuc()).isEqualTo(1.0);
        assertThat(f.eer()).isEqualTo(0.0);
        assertThat(f.tarAtFar1pct()).isEqualTo(1.0);
        assertThat(f.threshold1pct()).isEqualTo(3.0);
        assertThat(f.genuineDistMean()).isEqualTo(1.75);
    }

    @Test
    void mixedPairsGiveTheHandCountedAuc() {
        // A {0, 2}, B {1, 5}: genuine pairs A 2, B 4; impostor pairs |0-1| 1, |0-5| 5, |2-1| 1, |2-5| 3.
        // Impostor above genuine: vs 2 -> {5, 3} = 2; vs 4 -> {5} = 1; of 2 x 4 = 8 pairs -> AUC 3/8.
        double[][] emb = {{0}, {2}, {1}, {5}};
        var f = PairVerification.of(PersonGroups.of(emb, List.of("A", "A", "B", "B")));
        assertThat(f.rocAuc()).isEqualTo(3 / 8.0);
    }

    private static void shuffle(double[] a, Random rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            double t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
