package io.faceroster.evaluation;

/**
 * Euclidean distances between embeddings, prototypes (the mean of a support set) and the nearest prototype.
 * The squared differences are summed in numpy's pairwise order, so a distance here is bit for bit the one the
 * reference implementations compute ({@code np.sqrt(((a - b) ** 2).sum(-1))}) from the same float64 values: on
 * the same embeddings, every figure that involves no random draw (AUC, EER, TAR) comes out identical.
 */
public final class Distances {

    /** numpy's {@code PW_BLOCKSIZE}: runs up to this length are summed with eight accumulators. */
    private static final int BLOCK = 128;

    private Distances() {
    }

    /** The nearest prototype of a query: its index (the first one on ties, numpy's argmin) and distance. */
    public record Nearest(int index, double distance) {
    }

    public static double euclidean(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("embeddings of different dimensions: " + a.length + " and " + b.length);
        }
        return Math.sqrt(squaredSum(a, b, 0, a.length));
    }

    /** Sum of (a[i] - b[i])^2 over [from, from + n), in the order of numpy's {@code pairwise_sum}. */
    private static double squaredSum(double[] a, double[] b, int from, int n) {
        if (n < 8) {
            double res = 0;
            for (int i = from; i < from + n; i++) {
                double d = a[i] - b[i];
                res += d * d;
            }
            return res;
        }
        if (n <= BLOCK) {
            // Eight running sums (numpy unrolls by eight), combined as a tree, then the remainder in order.
            double r0 = sq(a, b, from);
            double r1 = sq(a, b, from + 1);
            double r2 = sq(a, b, from + 2);
            double r3 = sq(a, b, from + 3);
            double r4 = sq(a, b, from + 4);
            double r5 = sq(a, b, from + 5);
            double r6 = sq(a, b, from + 6);
            double r7 = sq(a, b, from + 7);
            int i = from + 8;
            int end = from + n - (n % 8);
            for (; i < end; i += 8) {
                r0 += sq(a, b, i);
                r1 += sq(a, b, i + 1);
                r2 += sq(a, b, i + 2);
                r3 += sq(a, b, i + 3);
                r4 += sq(a, b, i + 4);
                r5 += sq(a, b, i + 5);
                r6 += sq(a, b, i + 6);
                r7 += sq(a, b, i + 7);
            }
            double res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
            for (; i < from + n; i++) {
                res += sq(a, b, i);
            }
            return res;
        }
        int n2 = n / 2;
        n2 -= n2 % 8;
        return squaredSum(a, b, from, n2) + squaredSum(a, b, from + n2, n - n2);
    }

    private static double sq(double[] a, double[] b, int i) {
        double d = a[i] - b[i];
        return d * d;
    }

    /** The prototype of a support set: the mean of rows {@code rows[order[from]] .. rows[order[to - 1]]}. */
    public static double[] prototype(double[][] embeddings, int[] rows, int[] order, int from, int to) {
        double[] m = new double[embeddings[rows[order[from]]].length];
        for (int i = from; i < to; i++) {
            double[] row = embeddings[rows[order[i]]];
            for (int d = 0; d < m.length; d++) {
                m[d] += row[d];
            }
        }
        for (int d = 0; d < m.length; d++) {
            m[d] /= (to - from);
        }
        return m;
    }

    /** The prototype nearest to {@code query}; the first one when two are equally near. */
    public static Nearest nearest(double[] query, double[][] prototypes) {
        int best = 0;
        double bestD = Double.POSITIVE_INFINITY;
        for (int j = 0; j < prototypes.length; j++) {
            double d = euclidean(query, prototypes[j]);
            if (d < bestD) {
                bestD = d;
                best = j;
            }
        }
        return new Nearest(best, bestD);
    }
}
