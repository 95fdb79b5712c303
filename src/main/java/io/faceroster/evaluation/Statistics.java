package io.faceroster.evaluation;

import java.util.Arrays;

/** The few statistics the protocols report: means, 95% confidence half-widths, percentiles, normal quantiles. */
public final class Statistics {

    private Statistics() {
    }

    /** The mean (compensated summation, as {@link java.util.stream.DoubleStream#average}); NaN when empty. */
    public static double mean(double[] values) {
        return Arrays.stream(values).average().orElse(Double.NaN);
    }

    /** The sample standard deviation (n - 1 in the denominator, numpy's {@code ddof=1}). */
    public static double sampleSd(double[] values) {
        double mean = mean(values);
        return Math.sqrt(Arrays.stream(values).map(a -> (a - mean) * (a - mean)).sum() / (values.length - 1));
    }

    /** Half-width of the 95% confidence interval of the mean: 1.96 sd / sqrt(n). */
    public static double ci95(double[] values) {
        return 1.96 * sampleSd(values) / Math.sqrt(values.length);
    }

    /** The p-th percentile (nearest rank) of {@code values}. */
    public static double percentile(double[] values, double p) {
        double[] s = values.clone();
        Arrays.sort(s);
        int idx = (int) Math.ceil(p / 100.0 * s.length) - 1;
        return s[Math.max(0, Math.min(s.length - 1, idx))];
    }

    /** How many of the ascending {@code sorted} are at most {@code t} (numpy's searchsorted side="right"). */
    public static int countAtMost(double[] sorted, double t) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Inverse of the standard normal CDF (Acklam's rational approximation, relative error < 1.2e-9). */
    public static double inverseNormal(double p) {
        if (p <= 0 || p >= 1) {
            throw new IllegalArgumentException("p must be in (0, 1)");
        }
        double[] a = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
        double[] b = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                6.680131188771972e+01, -1.328068155288572e+01};
        double[] c = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
        double[] d = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00};
        double low = 0.02425;
        if (p < low) {
            double q = Math.sqrt(-2 * Math.log(p));
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                    / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        if (p > 1 - low) {
            return -inverseNormal(1 - p);
        }
        double q = p - 0.5;
        double r = q * q;
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
                / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    }
}
