package io.faceroster.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class StatisticsTest {

    @Test
    void inverseNormalMatchesKnownQuantiles() {
        assertThat(Statistics.inverseNormal(0.5)).isCloseTo(0.0, within(1e-9));
        assertThat(Statistics.inverseNormal(0.975)).isCloseTo(1.959964, within(1e-6));
        assertThat(Statistics.inverseNormal(0.0005)).isCloseTo(-3.290527, within(1e-6));
    }

    @Test
    void confidenceHalfWidthUsesTheSampleStandardDeviation() {
        // {0, 1, 2, 3}: mean 1.5, sample variance (2.25 + .25 + .25 + 2.25) / 3 = 5/3; 1.96 sqrt(5/3) / 2.
        assertThat(Statistics.ci95(new double[] {0, 1, 2, 3})).isCloseTo(1.96 * Math.sqrt(5 / 3.0) / 2,
                within(1e-12));
    }

    @Test
    void percentileIsTheNearestRank() {
        double[] v = {5, 1, 4, 2, 3};
        assertThat(Statistics.percentile(v, 50)).isEqualTo(3);
        assertThat(Statistics.percentile(v, 90)).isEqualTo(5);
        assertThat(Statistics.percentile(v, 0)).isEqualTo(1);
    }

    @Test
    void countAtMostCountsTies() {
        assertThat(Statistics.countAtMost(new double[] {1, 2, 2, 3}, 2)).isEqualTo(3);
        assertThat(Statistics.countAtMost(new double[] {1, 2, 2, 3}, 0.5)).isZero();
    }
}
