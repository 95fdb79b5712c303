package io.faceroster.evaluation;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The protocols' seeded draws. The reference implementations seed numpy's PCG64 with a tuple
 * {@code [seed, stream, a, b]} (stream 1: few-shot episodes of N ways and K shots, stream 2: the open set of
 * a enrolled persons with b shots); Java cannot reproduce numpy's stream, so the same tuple seeds a
 * {@link SplittableRandom} and the same rules are followed with it: figures agree within the confidence
 * interval, not bit for bit. All draws are indices into the canonical order.
 */
public final class Seeds {

    public static final int FEW_SHOT = 1;
    public static final int OPEN_SET = 2;
    /** Threshold calibration on validation persons (FaceRoster's own, not part of the shared protocol). */
    public static final int CALIBRATION = 3;

    private Seeds() {
    }

    /** The generator for seed tuple {@code [seed, stream, a, b]}. */
    public static SplittableRandom rng(long seed, int stream, int a, int b) {
        long h = seed;
        for (long v : new long[] {stream, a, b}) {
            h = h * 0x9E3779B97F4A7C15L + v;
            h ^= (h >>> 31);
        }
        return new SplittableRandom(h);
    }

    /** A uniformly random permutation of 0..n-1 (Fisher-Yates). */
    public static int[] permutation(SplittableRandom rng, int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** {@code k} distinct indices of 0..n-1 in random order (the first k of a permutation). */
    public static int[] choose(SplittableRandom rng, int n, int k) {
        if (k > n) {
            throw new IllegalArgumentException("cannot choose " + k + " of " + n);
        }
        return Arrays.copyOf(permutation(rng, n), k);
    }
}
