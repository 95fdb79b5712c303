package io.faceroster.evaluation;

import java.util.Arrays;

/**
 * Verification over every unordered pair of images: a pair is accepted iff its distance is at most t. ROC AUC
 * by Mann-Whitney (ties count one half), EER by linear interpolation between adjacent ROC points, TAR at a
 * FAR target (the highest TAR over thresholds whose FAR is at most the target), following the reference
 * implementations' rules. Built for LFW's 816,003 pairs: the distances go into two primitive arrays that
 * are sorted once; the ROC and the AUC are single passes over them.
 */
public final class PairVerification {

    private PairVerification() {
    }

    /** Figures of one set of embeddings; {@code threshold*} are the distances where the TARs are reached. */
    public record Figures(int genuinePairs, int impostorPairs, double rocAuc, double eer, double tarAtFar1pct,
                          double farAchieved1pct, double threshold1pct, double tarAtFar01pct,
                          double farAchieved01pct, double threshold01pct, double genuineDistMean,
                          double impostorDistMean) {
    }

    /** The genuine and impostor distances of every unordered pair, each sorted ascending. */
    public record PairDistances(double[] genuine, double[] impostor) {
    }

    public static Figures of(PersonGroups g) {
        return of(pairDistances(g));
    }

    public static Figures of(PairDistances d) {
        double[] gen = d.genuine();
        double[] imp = d.impostor();
        if (gen.length == 0 || imp.length == 0) {
            throw new IllegalArgumentException("verification needs genuine and impostor pairs (" + gen.length
                    + " and " + imp.length + ")");
        }
        Roc roc = Roc.of(gen, imp);
        Roc.Point at1 = roc.tarAtFar(0.01);
        Roc.Point at01 = roc.tarAtFar(0.001);
        return new Figures(gen.length, imp.length, aucOfSorted(gen, imp), roc.eer(), at1.tar(), at1.far(),
                at1.threshold(), at01.tar(), at01.far(), at01.threshold(), Statistics.mean(gen),
                Statistics.mean(imp));
    }

    /** Distances of all pairs i < j of rows, split by whether both rows are the same person's. */
    public static PairDistances pairDistances(PersonGroups g) {
        int n = g.images();
        long pairs = (long) n * (n - 1) / 2;
        long genuinePairs = 0;
        for (int[] group : g.rows()) {
            genuinePairs += (long) group.length * (group.length - 1) / 2;
        }
        if (pairs > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException(n + " images give " + pairs + " pairs, too many for all-pairs verification");
        }
        int[] person = g.personOfRow();
        double[][] emb = g.embeddings();
        double[] gen = new double[(int) genuinePairs];
        double[] imp = new double[(int) (pairs - genuinePairs)];
        int gi = 0;
        int ii = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double dist = Distances.euclidean(emb[i], emb[j]);
                if (person[i] == person[j]) {
                    gen[gi++] = dist;
                } else {
                    imp[ii++] = dist;
                }
            }
        }
        Arrays.sort(gen);
        Arrays.sort(imp);
        return new PairDistances(gen, imp);
    }

    /** P(genuine distance < impostor distance) + P(tie) / 2; the inputs need not be sorted. */
    public static double auc(double[] genuine, double[] impostor) {
        double[] g = genuine.clone();
        double[] i = impostor.clone();
        Arrays.sort(g);
        Arrays.sort(i);
        return aucOfSorted(g, i);
    }

    /**
     * The Mann-Whitney U of the impostor sample over the genuine one, divided by the number of pairs. U is
     * counted exactly in halves ({@code long}): for every impostor distance x, twice the number of genuine
     * distances below x plus the number equal to x. This is the reference's rank formula (sum of impostor
     * ranks minus nI(nI+1)/2) without ranks and without overflow at any size.
     */
    static double aucOfSorted(double[] genuineSorted, double[] impostorSorted) {
        long twiceU = 0;
        int below = 0;
        int upTo = 0;
        for (double x : impostorSorted) {
            while (below < genuineSorted.length && genuineSorted[below] < x) {
                below++;
            }
            upTo = Math.max(upTo, below);
            while (upTo < genuineSorted.length && genuineSorted[upTo] <= x) {
                upTo++;
            }
            twiceU += 2L * below + (upTo - below);
        }
        return (twiceU / 2.0) / ((double) genuineSorted.length * impostorSorted.length);
    }

    /** ROC of "accept iff distance <= t" over every distinct distance, starting at (FAR 0, TAR 0, t = -inf). */
    public record Roc(double[] thresholds, double[] far, double[] tar) {

        /** A point of the ROC: its threshold and rates. */
        public record Point(double threshold, double far, double tar) {
        }

        /** From ascending genuine and impostor distances, in one merge pass. */
        public static Roc of(double[] genuineSorted, double[] impostorSorted) {
            int ng = genuineSorted.length;
            int ni = impostorSorted.length;
            double[] t = new double[ng + ni + 1];
            double[] far = new double[t.length];
            double[] tar = new double[t.length];
            t[0] = Double.NEGATIVE_INFINITY;
            int gi = 0;
            int ii = 0;
            int k = 1;
            while (gi < ng || ii < ni) {
                double v = Math.min(gi < ng ? genuineSorted[gi] : Double.POSITIVE_INFINITY,
                        ii < ni ? impostorSorted[ii] : Double.POSITIVE_INFINITY);
                while (gi < ng && genuineSorted[gi] <= v) {
                    gi++;
                }
                while (ii < ni && impostorSorted[ii] <= v) {
                    ii++;
                }
                t[k] = v;
                tar[k] = (double) gi / ng;
                far[k] = (double) ii / ni;
                k++;
            }
            return new Roc(Arrays.copyOf(t, k), Arrays.copyOf(far, k), Arrays.copyOf(tar, k));
        }

        /** Equal error rate: the first point with FAR >= FRR, interpolated linearly with the one before it. */
        public double eer() {
            int idx = 0;
            while (idx < far.length && far[idx] < 1 - tar[idx]) {
                idx++;
            }
            if (idx == far.length) {
                idx = 0; // numpy's argmax of an all-false array
            }
            if (idx == 0) {
                return far[0];
            }
            double f0 = far[idx - 1];
            double f1 = far[idx];
            double r0 = 1 - tar[idx - 1];
            double r1 = 1 - tar[idx];
            double denom = (f1 - f0) - (r1 - r0);
            double s = denom == 0 ? 0 : (r0 - f0) / denom;
            return f0 + s * (f1 - f0);
        }

        /** The first point with the highest TAR among those with FAR at most {@code target} (+1e-12). */
        public Point tarAtFar(double target) {
            int best = -1;
            for (int i = 0; i < far.length; i++) {
                if (far[i] <= target + 1e-12 && (best < 0 || tar[i] > tar[best])) {
                    best = i;
                }
            }
            return new Point(thresholds[best], far[best], tar[best]);
        }
    }
}
