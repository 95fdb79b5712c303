package io.faceroster.evaluation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The ORL protocol of {@code shared/eval/PROTOCOL.md} (sections 1-3; reference {@code protocol_eval.py}) on
 * embeddings in canonical order: the same number of images for every person, k-way n-shot episodes,
 * all-pairs verification and open-set identification. The work is done by the classes both protocols share
 * ({@link FewShotEpisodes}, {@link PairVerification}, {@link OpenSetIdentification},
 * {@link ThresholdCalibration}, {@link Statistics}, {@link Seeds}); this class keeps the ORL protocol's settings
 * and report records, and the static entry points other code calls. The LFW protocol is {@link LfwProtocol}.
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

    /**
     * Embeddings grouped by person: {@code groups[c][i]} is the row of the i-th image of person c. The ORL
     * protocol counts queries per episode and strangers per repetition from one image count, so every person
     * needs the same number; face sets with unequal counts (LFW) are {@link LfwProtocol}'s.
     */
    public record Grouped(double[][] embeddings, int[][] groups) {

        /** Groups rows by label, persons in order of first appearance; every person needs the same count. */
        public static Grouped of(double[][] embeddings, List<String> labels) {
            PersonGroups g = PersonGroups.of(embeddings, labels);
            int m = g.rows()[0].length;
            for (int[] group : g.rows()) {
                if (group.length != m) {
                    throw new IllegalArgumentException("the ORL protocol needs the same number of images for every "
                            + "person; for face sets with unequal counts use the LFW protocol (evaluate --protocol lfw)");
                }
            }
            return new Grouped(embeddings, g.rows());
        }

        int persons() {
            return groups.length;
        }

        int imagesPerPerson() {
            return groups[0].length;
        }

        PersonGroups personGroups() {
            return new PersonGroups(embeddings, groups);
        }
    }

    public static Report evaluate(double[][] embeddings, List<String> labels, long seed, int episodes,
                                  int openSetRepetitions) {
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
        FewShotEpisodes.Accuracy a = FewShotEpisodes.run(g.personGroups(), ways, shots, episodes, seed);
        return new FewShot(a.accuracy(), a.ci95(), a.episodes(), ways * (g.imagesPerPerson() - shots));
    }

    public static Verification verification(double[][] emb, List<String> labels) {
        PairVerification.Figures v = PairVerification.of(PersonGroups.of(emb, labels));
        return new Verification(v.genuinePairs() + v.impostorPairs(), v.genuinePairs(), v.impostorPairs(),
                v.rocAuc(), v.eer(), v.tarAtFar1pct(), v.farAchieved1pct(), v.threshold1pct(), v.tarAtFar01pct(),
                v.genuineDistMean(), v.impostorDistMean());
    }

    /**
     * Open-set identification: per repetition {@code enrolled} persons get a prototype of {@code shots}
     * random images; their other images are genuine queries, every image of the others an impostor query.
     * The threshold is the one global value that accepts at most {@code targetFar} of impostor queries.
     */
    public static OpenSet openSet(Grouped g, int repetitions, long seed, int enrolled, int shots, double targetFar) {
        OpenSetIdentification.Queries q = queries(g, repetitions, seed, enrolled, shots);
        return openSet(q, q.atFar(targetFar));
    }

    /** Open-set figures at a fixed threshold (e.g. a model's calibrated one); accepts iff distance <= t. */
    public static OpenSet openSetAtThreshold(Grouped g, int repetitions, long seed, int enrolled, int shots,
                                             double threshold) {
        OpenSetIdentification.Queries q = queries(g, repetitions, seed, enrolled, shots);
        return openSet(q, q.atThreshold(threshold));
    }

    private static OpenSetIdentification.Queries queries(Grouped g, int repetitions, long seed, int enrolled,
                                                         int shots) {
        return OpenSetIdentification.run(g.personGroups(), new OpenSetIdentification.Rules(repetitions, enrolled,
                shots, OpenSetIdentification.EnrolmentOrder.AS_DRAWN), seed);
    }

    private static OpenSet openSet(OpenSetIdentification.Queries q, OpenSetIdentification.OperatingPoint p) {
        OpenSetIdentification.Rules r = q.rules();
        return new OpenSet(r.repetitions(), r.enrolled(), r.shots(), q.genuine().length, q.impostor().length,
                q.rank1(), p.targetFar(), p.threshold(), p.dir(), p.farAchieved());
    }

    /** A threshold chosen on query-to-prototype comparisons, and the rates it gives there. */
    public record PrototypeThreshold(double threshold, double targetFar, double farAchieved, double tarAchieved,
                                     int genuineComparisons, int impostorComparisons, double impostorMean,
                                     double impostorSd) {
    }

    /** See {@link ThresholdCalibration#prototypeThreshold}. */
    public static PrototypeThreshold prototypeThreshold(Grouped g, int repetitions, long seed, int shots,
                                                        double targetFar) {
        ThresholdCalibration.Result t = ThresholdCalibration.prototypeThreshold(g.personGroups(), repetitions, seed,
                shots, targetFar);
        return new PrototypeThreshold(t.threshold(), t.targetFar(), t.farAchieved(), t.tarAchieved(),
                t.genuineComparisons(), t.impostorComparisons(), t.impostorMean(), t.impostorSd());
    }

    /** P(genuine distance < impostor distance) + P(tie)/2; see {@link PairVerification#auc}. */
    static double aucMannWhitney(double[] genuine, double[] impostor) {
        return PairVerification.auc(genuine, impostor);
    }

    /** Euclidean distance; see {@link Distances#euclidean}. */
    public static double distance(double[] a, double[] b) {
        return Distances.euclidean(a, b);
    }

    // Package-private helpers of the former single class, kept for code written against them.

    static double inverseNormal(double p) {
        return Statistics.inverseNormal(p);
    }

    /** {index of nearest prototype (first on ties), its distance}. */
    static double[] nearest(double[] query, double[][] prototypes) {
        Distances.Nearest n = Distances.nearest(query, prototypes);
        return new double[] {n.index(), n.distance()};
    }

    static SplittableRandom rng(long seed, int stream, int a, int b) {
        return Seeds.rng(seed, stream, a, b);
    }

    static int[] permutation(SplittableRandom rng, int n) {
        return Seeds.permutation(rng, n);
    }

    static int[] choose(SplittableRandom rng, int n, int k) {
        return Seeds.choose(rng, n, k);
    }
}
