package io.faceroster.gallery;

import java.util.Arrays;

/**
 * The arithmetic of calibration on plain distance sets: acceptance rates at a threshold with a 95% Wilson
 * score interval, the threshold for a target false accept rate, and Tukey's fences for outlying distances.
 * A comparison is accepted when its distance is at most the threshold, as identify and verify decide.
 */
public final class CalibrationMaths {

    /** The interval method, as the report states it. */
    public static final String INTERVAL_METHOD = "95%: the wider of the Wilson score interval over attempts and a "
            + "cluster-robust normal interval with employees as clusters (linearised variance of the ratio estimator), "
            + "since one person's photos succeed or fail together";

    private static final double Z = 1.959963984540054;

    private CalibrationMaths() {
    }

    /** {@code count} of {@code of} accepted: the share and its 95% interval (0, 0, 1 when of = 0). */
    public record Rate(double estimate, double low, double high, int count, int of) {
        public boolean contains(double value) {
            return value >= low && value <= high;
        }
    }

    public static Rate wilson(int count, int of) {
        if (count < 0 || count > of) {
            throw new IllegalArgumentException("count " + count + " of " + of);
        }
        if (of == 0) {
            return new Rate(0, 0, 1, 0, 0);
        }
        double p = (double) count / of;
        double z2 = Z * Z;
        double denominator = 1 + z2 / of;
        double centre = (p + z2 / (2.0 * of)) / denominator;
        double half = Z / denominator * Math.sqrt(p * (1 - p) / of + z2 / (4.0 * of * of));
        // At 0 and at n the bounds are exactly 0 and 1 (the formula reaches them only up to rounding).
        double low = count == 0 ? 0 : Math.max(0, centre - half);
        double high = count == of ? 1 : Math.min(1, centre + half);
        return new Rate(p, low, high, count, of);
    }

    /**
     * {@code sum(count) / sum(of)} over clusters (employees) with a 95% interval that is the wider of the Wilson
     * interval over all attempts and the cluster-robust normal interval: variance
     * {@code C/(C-1) * sum((count_i - p of_i)^2) / (sum of_i)^2} over the C clusters.
     */
    public static Rate clustered(int[] count, int[] of) {
        long k = 0;
        long n = 0;
        for (int i = 0; i < count.length; i++) {
            k += count[i];
            n += of[i];
        }
        Rate wilson = wilson((int) k, (int) n);
        int clusters = count.length;
        if (clusters < 2 || n == 0) {
            return wilson;
        }
        double p = (double) k / n;
        double sum = 0;
        for (int i = 0; i < clusters; i++) {
            double r = count[i] - p * of[i];
            sum += r * r;
        }
        double se = Math.sqrt((double) clusters / (clusters - 1) * sum) / n;
        return new Rate(p, Math.max(0, Math.min(p - Z * se, wilson.low())), Math.min(1, Math.max(p + Z * se,
                wilson.high())), (int) k, (int) n);
    }

    /** How many of the ascending {@code sorted} distances are at most {@code threshold}. */
    public static int countAtMost(float[] sorted, double threshold) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= threshold) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The share of ascending {@code sorted} distances accepted at {@code threshold}, with its interval. */
    public static Rate acceptedAt(float[] sorted, double threshold) {
        return wilson(countAtMost(sorted, threshold), sorted.length);
    }

    /**
     * The threshold for a target false accept rate from the ascending impostor distances: it accepts
     * {@code k = floor(targetFar * n)} of the {@code n} impostor distances, halfway between the k-th and the
     * (k+1)-th (so the estimate of the false accept rate is k / n, at most the target). With k = 0 it lies
     * below the smallest impostor distance by half the gap to the next one. NaN without impostor distances.
     */
    public static double thresholdForFar(float[] sortedImpostor, double targetFar) {
        int n = sortedImpostor.length;
        if (n == 0) {
            return Double.NaN;
        }
        if (!(targetFar > 0 && targetFar < 1)) {
            throw new IllegalArgumentException("target FAR must lie between 0 and 1, got " + targetFar);
        }
        int k = (int) Math.floor(targetFar * n + 1e-9);
        if (k >= n) {
            return sortedImpostor[n - 1];
        }
        double above = sortedImpostor[k];
        double below;
        if (k > 0) {
            below = sortedImpostor[k - 1];
        } else {
            double next = n > 1 ? sortedImpostor[1] : above;
            below = Math.max(0, above - (next - above));
        }
        return below + (above - below) / 2;
    }

    /** Tukey's far-out fence of the distances: Q3 + 3 IQR (quartiles by linear interpolation). */
    public static double upperFarOutFence(float[] sorted) {
        if (sorted.length == 0) {
            return Double.POSITIVE_INFINITY;
        }
        double q1 = quantile(sorted, 0.25);
        double q3 = quantile(sorted, 0.75);
        return q3 + 3 * (q3 - q1);
    }

    /** The {@code p}-quantile of ascending values, linearly interpolated. */
    public static double quantile(float[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        double pos = p * (sorted.length - 1);
        int i = (int) Math.floor(pos);
        int j = Math.min(sorted.length - 1, i + 1);
        return sorted[i] + (pos - i) * (sorted[j] - sorted[i]);
    }

    /** An ascending copy. */
    public static float[] sorted(float[] values) {
        float[] s = values.clone();
        Arrays.sort(s);
        return s;
    }
}
