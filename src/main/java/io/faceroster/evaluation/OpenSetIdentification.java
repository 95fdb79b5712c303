package io.faceroster.evaluation;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Open-set identification, the service's real situation: per repetition some persons are enrolled with a
 * prototype of a few random shots; their other images are genuine queries, every image of every other person
 * an impostor query; each query is compared with its nearest prototype. Figures come at one global threshold
 * chosen over all repetitions' impostor queries (accept iff distance < t, where t is the
 * {@code floor(far * n)}-th smallest impostor distance, counted from 0), or at a model's own threshold
 * (accept iff distance <= threshold, as the service does).
 */
public final class OpenSetIdentification {

    private OpenSetIdentification() {
    }

    /**
     * In which order the enrolled persons' shots are drawn and their prototypes listed (which decides the
     * random shots and, on exact ties, the nearest prototype). {@code AS_DRAWN}: the ORL reference
     * ({@code protocol_eval.py}: a permutation of all persons, the first ones enrolled). {@code BY_PERSON}: the
     * LFW reference ({@code gallery_eval.py}: the enrolled persons sorted into canonical order).
     */
    public enum EnrolmentOrder { AS_DRAWN, BY_PERSON }

    /** How many repetitions, persons enrolled and shots each. */
    public record Rules(int repetitions, int enrolled, int shots, EnrolmentOrder order) {
    }

    /** An operating point: the threshold, the share of impostor queries accepted, the share of genuine queries
     * accepted with their own person nearest (DIR); {@code targetFar} is NaN at a given threshold. */
    public record OperatingPoint(double threshold, double targetFar, double farAchieved, double dir) {
    }

    /**
     * Every query's distance to its nearest prototype, over all repetitions: genuine ones with whether the
     * nearest prototype was the query's own person, and impostor ones.
     */
    public record Queries(Rules rules, double[] genuine, boolean[] correct, double[] impostor) {

        /** Closed-set rank-1: the share of genuine queries whose nearest prototype is their own person's. */
        public double rank1() {
            int ok = 0;
            for (boolean c : correct) {
                if (c) {
                    ok++;
                }
            }
            return (double) ok / correct.length;
        }

        /** At the one global threshold that accepts at most {@code targetFar} of the impostor queries. */
        public OperatingPoint atFar(double targetFar) {
            double[] sorted = impostor.clone();
            Arrays.sort(sorted);
            int k = (int) Math.floor(targetFar * sorted.length);
            double t = k < sorted.length ? sorted[k] : Double.POSITIVE_INFINITY;
            return at(t, targetFar, false);
        }

        /** At a model's own threshold: accepted iff distance <= threshold. */
        public OperatingPoint atThreshold(double threshold) {
            return at(threshold, Double.NaN, true);
        }

        private OperatingPoint at(double t, double targetFar, boolean inclusive) {
            int accepted = 0;
            for (double v : impostor) {
                if (v < t || (inclusive && v == t)) {
                    accepted++;
                }
            }
            int detected = 0;
            for (int i = 0; i < genuine.length; i++) {
                if (correct[i] && (genuine[i] < t || (inclusive && genuine[i] == t))) {
                    detected++;
                }
            }
            return new OperatingPoint(t, targetFar, (double) accepted / impostor.length,
                    (double) detected / genuine.length);
        }
    }

    /** The repetitions' draws and every query's nearest prototype; seed tuple {@code [seed, 2, enrolled, shots]}. */
    public static Queries run(PersonGroups g, Rules rules, long seed) {
        int enrolled = rules.enrolled();
        int shots = rules.shots();
        int[] eligible = g.eligible(shots);
        if (shots < 1 || enrolled < 1 || eligible.length < enrolled || g.persons() <= enrolled
                || rules.repetitions() < 1) {
            throw new IllegalArgumentException(String.format("the open set enrols %d persons with more than %d "
                    + "images (there are %d) and needs at least one more person as a stranger", enrolled, shots,
                    eligible.length));
        }
        SplittableRandom rng = Seeds.rng(seed, Seeds.OPEN_SET, enrolled, shots);
        GrowingArray gen = new GrowingArray();
        GrowingArray imp = new GrowingArray();
        boolean[] correct = new boolean[16];
        for (int r = 0; r < rules.repetitions(); r++) {
            int[] persons = Seeds.choose(rng, eligible.length, enrolled);
            for (int j = 0; j < enrolled; j++) {
                persons[j] = eligible[persons[j]];
            }
            if (rules.order() == EnrolmentOrder.BY_PERSON) {
                Arrays.sort(persons);
            }
            boolean[] isEnrolled = new boolean[g.persons()];
            double[][] prototypes = new double[enrolled][];
            int[][] queries = new int[enrolled][];
            for (int j = 0; j < enrolled; j++) {
                int[] group = g.rows()[persons[j]];
                isEnrolled[persons[j]] = true;
                int[] perm = Seeds.permutation(rng, group.length);
                prototypes[j] = Distances.prototype(g.embeddings(), group, perm, 0, shots);
                queries[j] = new int[group.length - shots];
                for (int q = shots; q < group.length; q++) {
                    queries[j][q - shots] = group[perm[q]];
                }
            }
            for (int j = 0; j < enrolled; j++) {
                for (int q : queries[j]) {
                    Distances.Nearest best = Distances.nearest(g.embeddings()[q], prototypes);
                    if (gen.size == correct.length) {
                        correct = Arrays.copyOf(correct, 2 * correct.length);
                    }
                    correct[gen.size] = best.index() == j;
                    gen.add(best.distance());
                }
            }
            for (int c = 0; c < g.persons(); c++) {
                if (!isEnrolled[c]) {
                    for (int row : g.rows()[c]) {
                        imp.add(Distances.nearest(g.embeddings()[row], prototypes).distance());
                    }
                }
            }
        }
        return new Queries(rules, gen.toArray(), Arrays.copyOf(correct, gen.size), imp.toArray());
    }

    /** A double array that grows as values are added. */
    private static final class GrowingArray {
        private double[] values = new double[16];
        private int size;

        void add(double v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, 2 * size);
            }
            values[size++] = v;
        }

        double[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
