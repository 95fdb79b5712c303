package io.faceroster.identify;

import java.util.Arrays;

/**
 * The prototypes of a support set laid out for batch matching: tiles of {@value #TILE} prototypes, each tile
 * one array per dimension, so that a query's squared distances to a whole tile are a few loops over plain
 * arrays (|q|² + |p|² - 2 q·p, four dimensions a pass) that the JIT turns into SIMD code. About 5 to 10 times
 * the throughput of {@link SupportSet#nearest}'s one-prototype-at-a-time loop, for the same distances up to
 * float rounding (about 1e-6).
 */
final class PrototypeTiles {

    static final int TILE = 512;

    /** Told about every prototype within the collecting radius of a query. */
    interface Within {
        void accept(int prototype, float squaredDistance);
    }

    private final int dimension;
    private final int count;
    private final float[][][] columns;   // [tile][dimension][row in tile]
    private final float[][] norms;       // [tile][row in tile]; +inf pads the last tile

    PrototypeTiles(float[] prototypes, int count, int dimension) {
        this.dimension = dimension;
        this.count = count;
        int tiles = (count + TILE - 1) / TILE;
        columns = new float[tiles][dimension][TILE];
        norms = new float[tiles][TILE];
        for (int t = 0; t < tiles; t++) {
            Arrays.fill(norms[t], Float.POSITIVE_INFINITY);
        }
        for (int r = 0; r < count; r++) {
            int t = r / TILE;
            int j = r % TILE;
            float n = 0;
            for (int d = 0; d < dimension; d++) {
                float v = prototypes[r * dimension + d];
                columns[t][d][j] = v;
                n += v * v;
            }
            norms[t][j] = n;
        }
    }

    int count() {
        return count;
    }

    /** Working memory for {@link #nearest}, one per thread. */
    static float[] scratch() {
        return new float[TILE];
    }

    /**
     * The nearest prototype to {@code query} other than {@code excluded} (-1 excludes none), as
     * {@code best[0]} = row (-1 when there is none) and {@code bestSquared[0]} = squared distance; every other
     * prototype within {@code collectSquared} goes to {@code within} (null: none collected).
     *
     * @param scratch from {@link #scratch()}, one per calling thread
     */
    void nearest(float[] query, int excluded, float[] scratch, int[] best, float[] bestSquared,
                 float collectSquared, Within within) {
        float qn = 0;
        for (float v : query) {
            qn += v * v;
        }
        int bestRow = -1;
        float bestD = Float.POSITIVE_INFINITY;
        float[] acc = scratch;
        for (int t = 0; t < columns.length; t++) {
            float[][] col = columns[t];
            System.arraycopy(norms[t], 0, acc, 0, TILE);
            int d = 0;
            for (; d + 3 < dimension; d += 4) {
                pass4(acc, -2 * query[d], col[d], -2 * query[d + 1], col[d + 1], -2 * query[d + 2], col[d + 2],
                        -2 * query[d + 3], col[d + 3]);
            }
            for (; d < dimension; d++) {
                pass1(acc, -2 * query[d], col[d]);
            }
            int base = t * TILE;
            for (int j = 0; j < TILE; j++) {
                float s = acc[j] + qn;
                if (s < bestD && base + j != excluded) {
                    bestD = s;
                    bestRow = base + j;
                }
                if (within != null && s <= collectSquared && base + j != excluded && base + j < count) {
                    within.accept(base + j, Math.max(0, s));
                }
            }
        }
        best[0] = bestRow;
        bestSquared[0] = bestRow < 0 ? Float.POSITIVE_INFINITY : Math.max(0, bestD);
    }

    // Kept as separate small methods over whole arrays (no offsets): the shape C2 vectorises.
    private static void pass4(float[] acc, float a, float[] p, float b, float[] q, float c, float[] r, float e,
                              float[] s) {
        for (int j = 0; j < acc.length; j++) {
            acc[j] += a * p[j] + b * q[j] + c * r[j] + e * s[j];
        }
    }

    private static void pass1(float[] acc, float a, float[] p) {
        for (int j = 0; j < acc.length; j++) {
            acc[j] += a * p[j];
        }
    }
}
