package io.faceroster.gallery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Calibration arithmetic on hand-made distance sets. */
class CalibrationMathsTest {

    // Ten impostor distances and five genuine ones, ascending.
    private static final float[] IMPOSTOR = {0.50f, 0.60f, 0.70f, 0.80f, 0.90f, 1.00f, 1.10f, 1.20f, 1.30f, 1.40f};
    private static final float[] GENUINE = {0.20f, 0.30f, 0.40f, 0.55f, 0.95f};

    @Test
    void wilsonIntervalMatchesPublishedValues() {
        // Newcombe (1998), method 3: 81/263 -> 0.2553-0.3662; 0/10 -> 0-0.2775; 10/10 -> 0.7225-1.
        CalibrationMaths.Rate a = CalibrationMaths.wilson(81, 263);
        assertThat(a.estimate()).isCloseTo(0.3080, within(1e-4));
        assertThat(a.low()).isCloseTo(0.2553, within(1e-4));
        assertThat(a.high()).isCloseTo(0.3662, within(1e-4));
        CalibrationMaths.Rate none = CalibrationMaths.wilson(0, 10);
        assertThat(none.low()).isZero();
        assertThat(none.high()).isCloseTo(0.2775, within(1e-4));
        CalibrationMaths.Rate all = CalibrationMaths.wilson(10, 10);
        assertThat(all.low()).isCloseTo(0.7225, within(1e-4));
        assertThat(all.high()).isEqualTo(1.0);
    }

    @Test
    void wilsonWithoutAttemptsSaysNothingIsKnown() {
        CalibrationMaths.Rate r = CalibrationMaths.wilson(0, 0);
        assertThat(r.low()).isZero();
        assertThat(r.high()).isEqualTo(1.0);
    }

    @Test
    void aDistanceEqualToTheThresholdIsAccepted() {
        assertThat(CalibrationMaths.countAtMost(IMPOSTOR, 0.70)).isEqualTo(3);
        assertThat(CalibrationMaths.countAtMost(IMPOSTOR, 0.69)).isEqualTo(2);
        assertThat(CalibrationMaths.countAtMost(new float[] {0.5f, 0.5f, 0.5f}, 0.5)).isEqualTo(3);
        assertThat(CalibrationMaths.countAtMost(IMPOSTOR, 0.0)).isZero();
    }

    @Test
    void farAndTarAtAThreshold() {
        CalibrationMaths.Rate far = CalibrationMaths.acceptedAt(IMPOSTOR, 0.75);
        CalibrationMaths.Rate tar = CalibrationMaths.acceptedAt(GENUINE, 0.75);
        assertThat(far.count()).isEqualTo(3);
        assertThat(far.estimate()).isEqualTo(0.3);
        assertThat(tar.count()).isEqualTo(4);
        assertThat(tar.estimate()).isEqualTo(0.8);
        assertThat(far.contains(0.3)).isTrue();
    }

    @Test
    void thresholdForATargetFarAcceptsAtMostThatShareHalfwayToTheNextImpostor() {
        // 20% of 10 = 2 accepted: between the 2nd (0.60) and the 3rd (0.70) impostor distance.
        double t = CalibrationMaths.thresholdForFar(IMPOSTOR, 0.2);
        assertThat(t).isCloseTo(0.65, within(1e-6));
        assertThat(CalibrationMaths.countAtMost(IMPOSTOR, t)).isEqualTo(2);
        // 25% of 10 = 2.5: still 2 (never above the target).
        assertThat(CalibrationMaths.thresholdForFar(IMPOSTOR, 0.25)).isCloseTo(0.65, within(1e-6));
        // 10%: one accepted.
        assertThat(CalibrationMaths.countAtMost(IMPOSTOR, CalibrationMaths.thresholdForFar(IMPOSTOR, 0.1))).isEqualTo(1);
    }

    @Test
    void aTargetBelowOneAttemptGivesAThresholdBelowEveryImpostor() {
        double t = CalibrationMaths.thresholdForFar(IMPOSTOR, 0.01);
        assertThat(t).isCloseTo(0.45, within(1e-6));   // half the gap below 0.50
        assertThat(CalibrationMaths.countAtMost(IMPOSTOR, t)).isZero();
    }

    @Test
    void noImpostorsNoThreshold() {
        assertThat(CalibrationMaths.thresholdForFar(new float[0], 0.01)).isNaN();
    }

    @Test
    void farOutFenceIsThirdQuartilePlusThreeInterquartileRanges() {
        // Quartiles of 0.5..1.4 by linear interpolation: 0.725 and 1.175; IQR 0.45.
        assertThat(CalibrationMaths.upperFarOutFence(IMPOSTOR)).isCloseTo(1.175 + 3 * 0.45, within(1e-6));
    }

    @Test
    void clusteredIntervalIsNeverNarrowerThanWilson() {
        // Ten employees, each 1 of 10 attempts accepted: the employees agree, clustering adds nothing.
        int[] even = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
        int[] tens = {10, 10, 10, 10, 10, 10, 10, 10, 10, 10};
        CalibrationMaths.Rate r = CalibrationMaths.clustered(even, tens);
        CalibrationMaths.Rate w = CalibrationMaths.wilson(10, 100);
        assertThat(r.estimate()).isEqualTo(0.1);
        assertThat(r.low()).isEqualTo(w.low());
        assertThat(r.high()).isEqualTo(w.high());
    }

    @Test
    void clusteredIntervalWidensWhenOnePersonMakesAllTheAccepts() {
        // The same 10 of 100, all from one employee: the share depends on whether that person is drawn.
        int[] one = {10, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        int[] tens = {10, 10, 10, 10, 10, 10, 10, 10, 10, 10};
        CalibrationMaths.Rate r = CalibrationMaths.clustered(one, tens);
        CalibrationMaths.Rate w = CalibrationMaths.wilson(10, 100);
        assertThat(r.estimate()).isEqualTo(0.1);
        assertThat(r.count()).isEqualTo(10);
        assertThat(r.of()).isEqualTo(100);
        // Residuals 9 and nine times -1: variance 10/9 * 90 / 100^2 = 0.01, so 0.1 +- 1.96 * 0.1.
        assertThat(r.low()).isZero();
        assertThat(r.high()).isCloseTo(0.1 + 1.959964 * 0.1, within(1e-6));
        assertThat(r.high()).isGreaterThan(w.high());
    }
}
