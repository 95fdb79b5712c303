package io.faceroster.evaluation;

import java.util.SplittableRandom;

/**
 * Calibrates a distance threshold for "is this query the person of this prototype?" on persons the tower
 * was not trained on (FaceRoster's own rule; the shared protocols measure thresholds, they do not choose them).
 */
public final class ThresholdCalibration {

    private ThresholdCalibration() {
    }

    /** A threshold chosen on query-to-prototype comparisons, and the rates it gives there. */
    public record Result(double threshold, double targetFar, double farAchieved, double tarAchieved,
                         int genuineComparisons, int impostorComparisons, double impostorMean, double impostorSd) {
    }

    /**
     * Per repetition every person gets a prototype of {@code shots} random images; its other images are
     * genuine comparisons, every image of every other person an impostor comparison. The threshold is where a
     * Gaussian fitted to the impostor distances puts {@code targetFar} of its mass. Using every person as both
     * gallery and stranger makes the most of a small calibration set. Every person needs more than
     * {@code shots} images.
     */
    public static Result prototypeThreshold(PersonGroups g, int repetitions, long seed, int shots, double targetFar) {
        if (g.eligible(shots).length != g.persons() || g.persons() < 2) {
            throw new IllegalArgumentException("calibration needs 2+ persons, each with more than " + shots + " images");
        }
        SplittableRandom rng = Seeds.rng(seed, Seeds.CALIBRATION, shots, 0);
        int persons = g.persons();
        int genuinePerRep = 0;
        int impostorPerRep = 0;
        for (int c = 0; c < persons; c++) {
            genuinePerRep += g.rows()[c].length - shots;
            impostorPerRep += g.images() - g.rows()[c].length;
        }
        double[] genuine = new double[Math.multiplyExact(repetitions, genuinePerRep)];
        double[] impostor = new double[Math.multiplyExact(repetitions, impostorPerRep)];
        int gi = 0;
        int ii = 0;
        for (int r = 0; r < repetitions; r++) {
            for (int c = 0; c < persons; c++) {
                int[] group = g.rows()[c];
                int[] p = Seeds.permutation(rng, group.length);
                double[] prototype = Distances.prototype(g.embeddings(), group, p, 0, shots);
                for (int q = shots; q < group.length; q++) {
                    genuine[gi++] = Distances.euclidean(g.embeddings()[group[p[q]]], prototype);
                }
                for (int o = 0; o < persons; o++) {
                    if (o != c) {
                        for (int row : g.rows()[o]) {
                            impostor[ii++] = Distances.euclidean(g.embeddings()[row], prototype);
                        }
                    }
                }
            }
        }
        // A handful of calibration persons cannot show the far tail of impostor distances empirically (the
        // closest pair of persons decides it), so the tail is modelled as Gaussian: t = mean - z * sd.
        double mean = Statistics.mean(impostor);
        double sd = Statistics.sampleSd(impostor);
        double t = mean - Statistics.inverseNormal(1 - targetFar) * sd;
        return new Result(t, targetFar, (double) countAtMost(impostor, t) / impostor.length,
                (double) countAtMost(genuine, t) / genuine.length, genuine.length, impostor.length, mean, sd);
    }

    /**
     * The service's own situation, simulated on calibration persons: {@code gallery} persons enrolled with
     * {@code shots} random photos each (prototype = mean), every other photo of theirs a genuine query and every
     * photo of the other persons a stranger; over 200 repetitions the one threshold that accepts at most
     * {@code targetFar} of the strangers per identify attempt (the empirical quantile: with hundreds of persons
     * the tail is observed, not modelled). {@code tarAchieved} is the DIR there: genuine queries accepted with
     * their own person nearest.
     */
    public static Result openSet(PersonGroups g, int gallery, int shots, double targetFar, long seed) {
        OpenSetIdentification.Queries q = OpenSetIdentification.run(g, new OpenSetIdentification.Rules(200, gallery,
                shots, OpenSetIdentification.EnrolmentOrder.BY_PERSON), seed);
        OpenSetIdentification.OperatingPoint at = q.atFar(targetFar);
        return new Result(at.threshold(), targetFar, at.farAchieved(), at.dir(), q.genuine().length,
                q.impostor().length, Statistics.mean(q.impostor()), Statistics.sampleSd(q.impostor()));
    }

    private static int countAtMost(double[] values, double t) {
        int n = 0;
        for (double v : values) {
            if (v <= t) {
                n++;
            }
        }
        return n;
    }
}
