package io.faceroster.identify;

import java.util.Arrays;

/**
 * A compact first pass over a support set's prototypes for large galleries: each prototype is kept as one signed
 * byte per dimension with a per-prototype scale ({@code value ≈ code × scale}, error at most {@code scale / 2}),
 * 16 prototypes interleaved per block so that one query scans the codes linearly ({@link CodeScan}). For every
 * prototype the scan gives an approximate squared distance and a guaranteed lower bound of the exact one
 * (|q·p − q·p̂| ≤ ‖q‖₁ × scale / 2); only prototypes whose lower bound is within the running k-th exact
 * distance are re-ranked with the caller's exact float32 arithmetic. The answer is therefore exactly the
 * brute-force float32 answer (same rows, same distances, ties broken by row as a linear scan breaks them),
 * at about a quarter of the memory traffic. 128 + 8 bytes per prototype.
 */
final class QuantisedIndex {

    /** Prototypes per interleaved block (one 512-bit float vector of them). */
    static final int BLOCK = 16;
    private static final int CHUNK_BLOCKS = 64;

    /** The caller's exact squared distance to a row: the brute-force scan's arithmetic, abandoned above bound. */
    interface Exact {
        double distanceSquared(float[] query, int row, double bound);
    }

    /** The nearest rows, nearest first, with their exact squared distances. */
    record Nearest(int[] rows, double[] squared, int reranked) {
    }

    private final int dimension;
    private byte[] codes = new byte[0];    // [block][dimension][BLOCK]
    private float[] scales = new float[0];
    private float[] norms = new float[0];  // squared norm of the float32 prototype
    private int count;

    QuantisedIndex(int dimension) {
        this.dimension = dimension;
    }

    int count() {
        return count;
    }

    /** Bytes held by the index's arrays (capacity included). */
    long bytes() {
        return codes.length + 4L * scales.length + 4L * norms.length;
    }

    /** Sets row {@code row} (at most {@link #count()}: one past the end appends) from {@code source[offset..]}. */
    void set(int row, float[] source, int offset) {
        if (row > count) {
            throw new IllegalArgumentException("row " + row + " past the end " + count);
        }
        if (row == count) {
            ensureCapacity(count + 1);
            count++;
        }
        float max = 0;
        double norm = 0;
        for (int d = 0; d < dimension; d++) {
            float v = source[offset + d];
            max = Math.max(max, Math.abs(v));
            norm += (double) v * v;
        }
        float scale = max == 0 ? 0 : max / 127f;
        int base = (row / BLOCK) * dimension * BLOCK + row % BLOCK;
        for (int d = 0; d < dimension; d++) {
            int code = scale == 0 ? 0 : Math.round(source[offset + d] / scale);
            codes[base + d * BLOCK] = (byte) Math.max(-127, Math.min(127, code));
        }
        scales[row] = scale;
        norms[row] = (float) norm;
    }

    /** Moves the last row into {@code row} and drops the last (the support set's dense swap-remove). */
    void removeBySwap(int row) {
        int last = count - 1;
        if (row != last) {
            int from = (last / BLOCK) * dimension * BLOCK + last % BLOCK;
            int to = (row / BLOCK) * dimension * BLOCK + row % BLOCK;
            for (int d = 0; d < dimension; d++) {
                codes[to + d * BLOCK] = codes[from + d * BLOCK];
            }
            scales[row] = scales[last];
            norms[row] = norms[last];
        }
        int base = (last / BLOCK) * dimension * BLOCK + last % BLOCK;
        for (int d = 0; d < dimension; d++) {
            codes[base + d * BLOCK] = 0;
        }
        count = last;
    }

    /** The {@code limit} nearest rows by {@code exact} distance, found through the codes. */
    Nearest nearest(float[] query, int limit, Exact exact) {
        int k = Math.min(limit, count);
        int[] best = new int[k];
        double[] bestD = new double[k];
        int filled = 0;
        int reranked = 0;
        float qn = 0;
        float q1 = 0;
        for (float v : query) {
            qn += v * v;
            q1 += Math.abs(v);
        }
        float[] dots = new float[CHUNK_BLOCKS * BLOCK];
        int blocks = (count + BLOCK - 1) / BLOCK;
        CodeScan scan = CodeScan.get();
        for (int first = 0; first < blocks && k > 0; first += CHUNK_BLOCKS) {
            int n = Math.min(CHUNK_BLOCKS, blocks - first);
            scan.dots(codes, first, n, dimension, query, dots);
            int rowBase = first * BLOCK;
            int rows = Math.min(n * BLOCK, count - rowBase);
            for (int j = 0; j < rows; j++) {
                int r = rowBase + j;
                double bound = filled < k ? Double.POSITIVE_INFINITY : bestD[k - 1];
                float s = scales[r];
                float approx = qn + norms[r] - 2 * s * dots[j];
                // code rounding (q1 × s, with room for float rounding) and the float sums' own rounding
                float lower = approx - 1.02f * s * q1 - 1e-4f * (qn + norms[r]) - 1e-6f;
                if (lower > bound) {
                    continue;
                }
                reranked++;
                double d = exact.distanceSquared(query, r, bound);
                if (filled < k) {
                    insert(best, bestD, filled++, r, d);
                } else if (d < bestD[k - 1] || (d == bestD[k - 1] && r < best[k - 1])) {
                    insert(best, bestD, k - 1, r, d);
                }
            }
        }
        return new Nearest(Arrays.copyOf(best, filled), Arrays.copyOf(bestD, filled), reranked);
    }

    /** Inserts at {@code from} and sifts toward the front; equal distances keep the lower row first. */
    private static void insert(int[] best, double[] bestD, int from, int row, double d) {
        int i = from;
        while (i > 0 && (bestD[i - 1] > d || (bestD[i - 1] == d && best[i - 1] > row))) {
            best[i] = best[i - 1];
            bestD[i] = bestD[i - 1];
            i--;
        }
        best[i] = row;
        bestD[i] = d;
    }

    private void ensureCapacity(int rows) {
        if (rows <= scales.length) {
            return;
        }
        int capacity = Math.max(BLOCK, Math.max(rows, scales.length * 2));
        capacity = (capacity + BLOCK - 1) / BLOCK * BLOCK;
        codes = Arrays.copyOf(codes, capacity * dimension);
        scales = Arrays.copyOf(scales, capacity);
        norms = Arrays.copyOf(norms, capacity);
    }
}
