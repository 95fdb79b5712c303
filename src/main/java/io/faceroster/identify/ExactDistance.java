package io.faceroster.identify;

/**
 * The float32 squared distance every exact match uses (the support set's brute-force scan, the re-rank after the
 * int8 first pass, the benchmark's reference scan), so that they agree to the last bit.
 */
public final class ExactDistance {

    private ExactDistance() {
    }

    /** Squared distance from {@code q} to {@code p[offset..]}, or any value above {@code bound} once past it. */
    public static double squared(float[] q, float[] p, int offset, double bound) {
        float s = 0;
        int i = 0;
        int n = q.length;
        while (i < n) {
            // Four independent accumulators let the JIT pipeline the arithmetic; check the bound every 16.
            float s0 = 0;
            float s1 = 0;
            float s2 = 0;
            float s3 = 0;
            int end = Math.min(n, i + 16);
            for (; i + 3 < end; i += 4) {
                float d0 = q[i] - p[offset + i];
                float d1 = q[i + 1] - p[offset + i + 1];
                float d2 = q[i + 2] - p[offset + i + 2];
                float d3 = q[i + 3] - p[offset + i + 3];
                s0 += d0 * d0;
                s1 += d1 * d1;
                s2 += d2 * d2;
                s3 += d3 * d3;
            }
            for (; i < end; i++) {
                float d = q[i] - p[offset + i];
                s0 += d * d;
            }
            s += (s0 + s1) + (s2 + s3);
            if (s > bound) {
                return s;
            }
        }
        return s;
    }
}
