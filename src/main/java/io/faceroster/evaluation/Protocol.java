package io.faceroster.evaluation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The evaluation protocol of {@code shared/eval/PROTOCOL.md} in Java: k-way n-shot episodes, pairwise
 * verification and open-set identification, on embeddings given in canonical order (persons in order, each
 * person's images in order). The same rules as the reference {@code protocol_eval.py}; the random draws
 * come from Java's {@link SplittableRandom} seeded from the same seed tuple, so figures agree within the
 * confidence interval rather than bit for bit.
 */
public final class Protocol {

    public static final long DEFAULT_SEED = 12345;
    public static final int[][] FEWSHOT_SETTINGS = {{5, 1}, {5, 5}, {10, 1}, {10, 5}};

    private Protocol() {
    }

    /** Accuracy of one k-way n-shot setting. */
    public record FewShot(double accuracy, double ci95, int episodes, int queriesPerEpisode) {
    }

    /** All-pairs verification. */
    public record Verification(int pairs, int genuinePairs, int impostorPairs, double rocAuc, double eer,
                               double tarAtFar1pct, double farAchieved1pct, double threshold1pct,
                               double tarAtFar01pct, double genuineDistMean, double impostorDistMean) {
    }

    /** Open-set identification at one global threshold (accept iff distance to nearest prototype < t). */
    public record OpenSet(int repetitions, int enrolled, int shots, int genuineQueries, int impostorQueries,
                          double rank1ClosedSet, double targetFar, double threshold, double dir, double farAchieved) {
    }

    /** The whole protocol on one set of embeddings. */
    public record Report(int images, int persons, int dimension, long seed, Map<String, FewShot> fewShot,
                         Verification verification, OpenSet openSet) {

        /** The flat headline figures, named as in the reference implementation. */
        public Map<String, Double> headline() {
            Map<String, Double> h = new LinkedHashMap<>();
            fewShot.forEach((k, v) -> h.put("fewshot_" + k, v.accuracy()));
            h.put("verif_auc", verification.rocAuc());
            h.put("verif_eer", verification.eer());
            h.put("verif_tar_at_far_1pct", verification.tarAtFar1pct());
            h.put("openset_dir_at_far_1pct", openSet.dir());
            h.put("openset_rank1_closed", openSet.rank1ClosedSet());
            return h;
        }
    }

    /** Embeddings grouped by person: {@code groups[c][i]} is the row of the i-th image of person c. */
    public record Grouped(double[][] embeddings, int[][] groups) {

        /** Groups rows by label, persons in order of first appearance; every person needs the same count. */
        public static Grouped of(double[][] embeddings, List<String> labels) {
            Map<String, List<Integer>> byPerson = new LinkedHashMap<>();
            for (int i = 0; i < labels.size(); i++) {
                byPerson.computeIfAbsent(labels.get(i), k -> new ArrayList<>()).add(i);
            }
            int[][] groups = byPerson.values().stream()
                    .map(l -> l.stream().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new);
            int m = groups[0].length;
            for (int[] g : groups) {
                if (g.length != m) {
                    throw new IllegalArgumentException("every person needs the same number of images");
                }
            }
            return new Grouped(embeddings, groups);
        }

        int persons() {
            return groups.length;
        }

        int imagesPerPerson() {
            return groups[0].length;
        }
    }

    public static Report evaluate(double[][] embeddings, List<String> labels, long seed, int episodes,
                                  int openSetRepetitions) {
        for (double[] row : embeddings) {
            for (double v : row) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("embeddings contain NaN or infinity");
                }
            }
        }
        Grouped g = Grouped.of(embeddings, labels);
        Map<String, FewShot> fewShot = new LinkedHashMap<>();
        for (int[] nk : FEWSHOT_SETTINGS) {
            if (nk[0] <= g.persons() && nk[1] < g.imagesPerPerson()) {
                fewShot.put(nk[0] + "way_" + nk[1] + "shot", fewShot(g, nk[0], nk[1], episodes, seed));
            }
        }
        return new Report(embeddings.length, g.persons(), embeddings[0].length, seed, fewShot,
                verification(embeddings, labels),
                openSet(g, openSetRepetitions, seed, enrolledFor(g.persons()), 3, 0.01));
    }

    /** The protocol enrols 5 of 10 persons; smaller sets (e.g. validation persons) enrol about half. */
    public static int enrolledFor(int persons) {
        return persons >= 10 ? 5 : Math.max(1, persons / 2);
    }

    public static FewShot fewShot(Grouped g, int ways, int shots, int episodes, long seed) {
        SplittableRandom rng = rng(seed, 1, ways, shots);
        int m = g.imagesPerPerson();
        double[] acc = new double[episodes];
        for (int e = 0; e < episodes; e++) {
            int[] classes = choose(rng, g.persons(), ways);
            double[][] prototypes = new double[ways][];
            int[][] queries = new int[ways][];
            for (int j = 0; j < ways; j++) {
                int[] perm = permutation(rng, m);
                prototypes[j] = mean(g.embeddings(), g.groups()[classes[j]], perm, 0, shots);
                queries[j] = new int[m - shots];
                for (int q = shots; q < m; q++) {
                    queries[j][q - shots] = g.groups()[classes[j]][perm[q]];
                }
            }
            int correct = 0;
            int total = 0;
            for (int j = 0; j < ways; j++) {
                for (int q : queries[j]) {
                    if (nearest(g.embeddings()[q], prototypes)[0] == j) {
                        correct++;
                    }
                    total++;
                }
            }
            acc[e] = (double) correct / total;
        }
        double mean = Arrays.stream(acc).average().orElse(0);
        double var = Arrays.stream(acc).map(a -> (a - mean) * (a - mean)).sum() / (episodes - 1);
        return new FewShot(mean, 1.96 * Math.sqrt(var) / Math.sqrt(episodes), episodes, ways * (m - shots));
    }

    public static Verification verification(double[][] emb, List<String> labels) {
        int n = emb.length;
        List<Double> genuine = new ArrayList<>();
        List<Double> impostor = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double d = distance(emb[i], emb[j]);
                (labels.get(i).equals(labels.get(j)) ? genuine : impostor).add(d);
            }
        }
        double[] g = genuine.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double[] im = impostor.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        Roc roc = Roc.of(g, im);
        double[] at1 = roc.tarAtFar(0.01);
        double[] at01 = roc.tarAtFar(0.001);
        return new Verification(g.length + im.length, g.length, im.length, aucMannWhitney(g, im), roc.eer(),
                at1[0], at1[1], at1[2], at01[0], Arrays.stream(g).average().orElse(Double.NaN),
                Arrays.stream(im).average().orElse(Double.NaN));
    }

    /**
     * Open-set identification: per repetition {@code enrolled} persons get a prototype of {@code shots}
     * random images; their other images are genuine queries, every image of the others an impostor query.
     * The threshold is the one global value that accepts at most {@code targetFar} of impostor queries.
     */
    public static OpenSet openSet(Grouped g, int repetitions, long seed, int enrolled, int shots, double targetFar) {
        Draws d = openSetDraws(g, repetitions, seed, enrolled, shots);
        double[] impSorted = d.impostor.clone();
        Arrays.sort(impSorted);
        int k = (int) Math.floor(targetFar * impSorted.length);
        double t = k < impSorted.length ? impSorted[k] : Double.POSITIVE_INFINITY;
        return d.at(t, repetitions, enrolled, shots, targetFar);
    }

    /** Open-set figures at a fixed threshold (e.g. a model's calibrated one); accepts iff distance <= t. */
    public static OpenSet openSetAtThreshold(Grouped g, int repetitions, long seed, int enrolled, int shots,
                                             double threshold) {
        // The service accepts d <= threshold; Math.nextUp turns that into the protocol's strict d < t.
        return openSetDraws(g, repetitions, seed, enrolled, shots)
                .at(Math.nextUp(threshold), repetitions, enrolled, shots, Double.NaN);
    }

    private record Draws(double[] genuine, boolean[] correct, double[] impostor) {
        OpenSet at(double t, int repetitions, int enrolled, int shots, double targetFar) {
            int accImp = 0;
            for (double v : impostor) {
                if (v < t) {
                    accImp++;
                }
            }
            int detected = 0;
            int ok = 0;
            for (int i = 0; i < genuine.length; i++) {
                if (correct[i]) {
                    ok++;
                    if (genuine[i] < t) {
                        detected++;
                    }
                }
            }
            return new OpenSet(repetitions, enrolled, shots, genuine.length, impostor.length,
                    (double) ok / genuine.length, targetFar, t, (double) detected / genuine.length,
                    (double) accImp / impostor.length);
        }
    }

    private static Draws openSetDraws(Grouped g, int repetitions, long seed, int enrolled, int shots) {
        SplittableRandom rng = rng(seed, 2, enrolled, shots);
        int m = g.imagesPerPerson();
        int others = g.persons() - enrolled;
        if (others <= 0 || shots >= m) {
            throw new IllegalArgumentException("open set needs more persons than enrolled and more images than shots");
        }
        double[] gen = new double[repetitions * enrolled * (m - shots)];
        boolean[] ok = new boolean[gen.length];
        double[] imp = new double[repetitions * others * m];
        int gi = 0;
        int ii = 0;
        for (int r = 0; r < repetitions; r++) {
            int[] perm = permutation(rng, g.persons());
            double[][] prototypes = new double[enrolled][];
            int[][] queries = new int[enrolled][];
            for (int j = 0; j < enrolled; j++) {
                int[] group = g.groups()[perm[j]];
                int[] p = permutation(rng, m);
                prototypes[j] = mean(g.embeddings(), group, p, 0, shots);
                queries[j] = new int[m - shots];
                for (int q = shots; q < m; q++) {
                    queries[j][q - shots] = group[p[q]];
                }
            }
            for (int j = 0; j < enrolled; j++) {
                for (int q : queries[j]) {
                    double[] best = nearest(g.embeddings()[q], prototypes);
                    gen[gi] = best[1];
                    ok[gi++] = best[0] == j;
                }
            }
            for (int o = enrolled; o < g.persons(); o++) {
                for (int row : g.groups()[perm[o]]) {
                    imp[ii++] = nearest(g.embeddings()[row], prototypes)[1];
                }
            }
        }
        return new Draws(gen, ok, imp);
    }

    /** A threshold chosen on query-to-prototype comparisons, and the rates it gives there. */
    public record PrototypeThreshold(double threshold, double targetFar, double farAchieved, double tarAchieved,
                                     int genuineComparisons, int impostorComparisons, double impostorMean,
                                     double impostorSd) {
    }

    /**
     * Calibrates a threshold for "is this query the person of this prototype?": per repetition every person
     * gets a prototype of {@code shots} random images; its other images are genuine comparisons, every image
     * of every other person an impostor comparison. The threshold is where a Gaussian fitted to the impostor
     * distances puts {@code targetFar} of its mass. Using every person as both gallery and stranger makes
     * the most of a small calibration set.
     */
    public static PrototypeThreshold prototypeThreshold(Grouped g, int repetitions, long seed, int shots,
                                                        double targetFar) {
        SplittableRandom rng = rng(seed, 3, shots, 0);
        int m = g.imagesPerPerson();
        int persons = g.persons();
        List<Double> genuine = new ArrayList<>();
        List<Double> impostor = new ArrayList<>();
        for (int r = 0; r < repetitions; r++) {
            for (int c = 0; c < persons; c++) {
                int[] group = g.groups()[c];
                int[] p = permutation(rng, m);
                double[] prototype = mean(g.embeddings(), group, p, 0, shots);
                for (int q = shots; q < m; q++) {
                    genuine.add(distance(g.embeddings()[group[p[q]]], prototype));
                }
                for (int o = 0; o < persons; o++) {
                    if (o != c) {
                        for (int row : g.groups()[o]) {
                            impostor.add(distance(g.embeddings()[row], prototype));
                        }
                    }
                }
            }
        }
        // A handful of calibration persons cannot show the far tail of impostor distances empirically (the
        // closest pair of persons decides it), so the tail is modelled as Gaussian: t = mean - z * sd.
        double mean = impostor.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        double sd = Math.sqrt(impostor.stream().mapToDouble(d -> (d - mean) * (d - mean)).sum()
                / (impostor.size() - 1));
        double t = mean - inverseNormal(1 - targetFar) * sd;
        long accepted = impostor.stream().filter(d -> d <= t).count();
        long genuineAccepted = genuine.stream().filter(d -> d <= t).count();
        return new PrototypeThreshold(t, targetFar, (double) accepted / impostor.size(),
                (double) genuineAccepted / genuine.size(), genuine.size(), impostor.size(), mean, sd);
    }

    /** Inverse of the standard normal CDF (Acklam's rational approximation, relative error < 1.2e-9). */
    static double inverseNormal(double p) {
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

    /** ROC of "accept iff distance <= t" over every distinct threshold, starting at (FAR 0, TAR 0). */
    record Roc(double[] thresholds, double[] far, double[] tar) {

        static Roc of(double[] genuineSorted, double[] impostorSorted) {
            double[] all = new double[genuineSorted.length + impostorSorted.length];
            System.arraycopy(genuineSorted, 0, all, 0, genuineSorted.length);
            System.arraycopy(impostorSorted, 0, all, genuineSorted.length, impostorSorted.length);
            double[] thr = Arrays.stream(all).sorted().distinct().toArray();
            double[] t = new double[thr.length + 1];
            double[] far = new double[thr.length + 1];
            double[] tar = new double[thr.length + 1];
            t[0] = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < thr.length; i++) {
                t[i + 1] = thr[i];
                tar[i + 1] = (double) countAtMost(genuineSorted, thr[i]) / genuineSorted.length;
                far[i + 1] = (double) countAtMost(impostorSorted, thr[i]) / impostorSorted.length;
            }
            return new Roc(t, far, tar);
        }

        /** Equal error rate, interpolated linearly between the two ROC points around FAR = FRR. */
        double eer() {
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

        /** Highest TAR with FAR at most {@code target}: {tar, far, threshold}. */
        double[] tarAtFar(double target) {
            int best = -1;
            for (int i = 0; i < far.length; i++) {
                if (far[i] <= target + 1e-12 && (best < 0 || tar[i] > tar[best])) {
                    best = i;
                }
            }
            return new double[] {tar[best], far[best], thresholds[best]};
        }
    }

    /** P(genuine distance < impostor distance) + P(tie)/2, from average ranks. */
    static double aucMannWhitney(double[] genuine, double[] impostor) {
        int n = genuine.length + impostor.length;
        double[] values = new double[n];
        System.arraycopy(genuine, 0, values, 0, genuine.length);
        System.arraycopy(impostor, 0, values, genuine.length, impostor.length);
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(values[a], values[b]));
        double[] ranks = new double[n];
        int start = 0;
        while (start < n) {
            int end = start;
            while (end + 1 < n && values[order[end + 1]] == values[order[start]]) {
                end++;
            }
            for (int i = start; i <= end; i++) {
                ranks[order[i]] = 0.5 * (start + end) + 1.0;
            }
            start = end + 1;
        }
        double impostorRanks = 0;
        for (int i = genuine.length; i < n; i++) {
            impostorRanks += ranks[i];
        }
        double u = impostorRanks - impostor.length * (impostor.length + 1) / 2.0;
        return u / ((double) genuine.length * impostor.length);
    }

    /** The p-th percentile (nearest rank) of {@code values}. */
    public static double percentile(double[] values, double p) {
        double[] s = values.clone();
        Arrays.sort(s);
        int idx = (int) Math.ceil(p / 100.0 * s.length) - 1;
        return s[Math.max(0, Math.min(s.length - 1, idx))];
    }

    public static double distance(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            s += d * d;
        }
        return Math.sqrt(s);
    }

    /** {index of nearest prototype (first on ties), its distance}. */
    static double[] nearest(double[] query, double[][] prototypes) {
        int best = 0;
        double bestD = Double.POSITIVE_INFINITY;
        for (int j = 0; j < prototypes.length; j++) {
            double d = distance(query, prototypes[j]);
            if (d < bestD) {
                bestD = d;
                best = j;
            }
        }
        return new double[] {best, bestD};
    }

    private static double[] mean(double[][] emb, int[] group, int[] perm, int from, int to) {
        double[] m = new double[emb[0].length];
        for (int i = from; i < to; i++) {
            double[] row = emb[group[perm[i]]];
            for (int d = 0; d < m.length; d++) {
                m[d] += row[d];
            }
        }
        for (int d = 0; d < m.length; d++) {
            m[d] /= (to - from);
        }
        return m;
    }

    private static int countAtMost(double[] sorted, double t) {
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

    static SplittableRandom rng(long seed, int stream, int a, int b) {
        long h = seed;
        for (long v : new long[] {stream, a, b}) {
            h = h * 0x9E3779B97F4A7C15L + v;
            h ^= (h >>> 31);
        }
        return new SplittableRandom(h);
    }

    static int[] permutation(SplittableRandom rng, int n) {
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

    static int[] choose(SplittableRandom rng, int n, int k) {
        return Arrays.copyOf(permutation(rng, n), k);
    }
}
