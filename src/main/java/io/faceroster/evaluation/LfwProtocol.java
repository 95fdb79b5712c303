package io.faceroster.evaluation;

import io.faceroster.dataset.PersonSelection;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The LFW protocol of {@code shared/eval/PROTOCOL.md} (section "LFW"; reference {@code gallery_eval.py}) on
 * embeddings keyed {@code Person/file}: images of unequal counts per person. Only evaluation persons (SHA-1 of
 * the name starts with 0-3) are scored, in canonical order (persons by name, then files by name). Few-shot
 * (5,1), (5,3), (20,1), (20,3); verification over every unordered pair; open set of 50 persons enrolled with 3
 * shots, 200 repetitions; and, given a model's threshold, the FAR and DIR it gives there.
 */
public final class LfwProtocol {

    public static final int[][] FEWSHOT_SETTINGS = {{5, 1}, {5, 3}, {20, 1}, {20, 3}};
    public static final int OPEN_SET_ENROLLED = 50;
    public static final int OPEN_SET_SHOTS = 3;

    private LfwProtocol() {
    }

    /** Protocol sizes; {@link #standard()} is the protocol's, smaller ones are for subsets and tests. */
    public record Settings(long seed, int episodes, int repetitions, int enrolled, int shots) {

        public static Settings standard() {
            return new Settings(Protocol.DEFAULT_SEED, 2000, 200, OPEN_SET_ENROLLED, OPEN_SET_SHOTS);
        }
    }

    /** The open set: query counts, closed-set rank-1, the global thresholds at FAR 1% and 5%, the model's. */
    public record OpenSet(int repetitions, int enrolled, int shots, int genuineQueries, int impostorQueries,
                          double rank1ClosedSet, OpenSetIdentification.OperatingPoint atFar1pct,
                          OpenSetIdentification.OperatingPoint atFar5pct,
                          OpenSetIdentification.OperatingPoint atModelThreshold) {
    }

    /** Every figure of one run; {@code fewShot} is keyed like the reference ({@code 5way_1shot}). */
    public record Report(int images, int persons, int dimension, long seed,
                         Map<String, FewShotEpisodes.Accuracy> fewShot, PairVerification.Figures verification,
                         OpenSet openSet) {

        /** The headline figures under the reference's names ({@code gallery_eval.py}'s {@code headline}). */
        public Map<String, Double> headline() {
            Map<String, Double> h = new LinkedHashMap<>();
            fewShot.forEach((k, v) -> h.put(k, v.accuracy()));
            h.put("auc", verification.rocAuc());
            h.put("eer", verification.eer());
            h.put("tar_at_far_1pct", verification.tarAtFar1pct());
            h.put("tar_at_far_0.1pct", verification.tarAtFar01pct());
            h.put("openset_rank1", openSet.rank1ClosedSet());
            h.put("dir_at_far_1pct", openSet.atFar1pct().dir());
            if (openSet.atModelThreshold() != null) {
                h.put("far_at_model_threshold", openSet.atModelThreshold().farAchieved());
                h.put("dir_at_model_threshold", openSet.atModelThreshold().dir());
            }
            return h;
        }

        /** The report in the layout and member names of the reference's JSON output, plus a few extra members. */
        public Map<String, Object> toJson() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("n_images", images);
            out.put("n_persons", persons);
            out.put("dim", dimension);
            out.put("eval_seed", seed);
            Map<String, Object> fs = new LinkedHashMap<>();
            fewShot.forEach((k, a) -> fs.put(k, ordered("accuracy", a.accuracy(), "ci95", a.ci95(),
                    "episodes", a.episodes(), "eligible_persons", a.eligiblePersons(),
                    "mean_queries_per_episode", a.meanQueries())));
            out.put("fewshot", fs);
            PairVerification.Figures v = verification;
            out.put("verification", ordered("genuine_pairs", v.genuinePairs(), "impostor_pairs", v.impostorPairs(),
                    "roc_auc", v.rocAuc(), "eer", v.eer(), "tar_at_far_1pct", v.tarAtFar1pct(),
                    "threshold_1pct", v.threshold1pct(), "tar_at_far_0.1pct", v.tarAtFar01pct(),
                    "threshold_0.1pct", v.threshold01pct(), "far_achieved_1pct", v.farAchieved1pct(),
                    "far_achieved_0.1pct", v.farAchieved01pct(), "genuine_dist_mean", v.genuineDistMean(),
                    "impostor_dist_mean", v.impostorDistMean()));
            OpenSet o = openSet;
            Map<String, Object> os = ordered("repetitions", o.repetitions(), "enrolled", o.enrolled(),
                    "shots", o.shots(), "genuine_queries", o.genuineQueries(),
                    "impostor_queries", o.impostorQueries(), "rank1_closed_set", o.rank1ClosedSet(),
                    "dir_at_far_1pct", o.atFar1pct().dir(), "threshold_1pct", o.atFar1pct().threshold(),
                    "dir_at_far_5pct", o.atFar5pct().dir(), "threshold_5pct", o.atFar5pct().threshold(),
                    "far_achieved_1pct", o.atFar1pct().farAchieved(), "far_achieved_5pct", o.atFar5pct().farAchieved());
            if (o.atModelThreshold() != null) {
                os.put("at_model_threshold", ordered("threshold", o.atModelThreshold().threshold(),
                        "far", o.atModelThreshold().farAchieved(), "dir", o.atModelThreshold().dir()));
            }
            out.put("openset", os);
            out.put("headline", headline());
            return out;
        }

        private static Map<String, Object> ordered(Object... keyValues) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (int i = 0; i < keyValues.length; i += 2) {
                m.put((String) keyValues[i], keyValues[i + 1]);
            }
            return m;
        }
    }

    /** The person of a {@code Person/file} key. */
    public static String personOf(String key) {
        int slash = key.indexOf('/');
        if (slash <= 0 || slash == key.length() - 1) {
            throw new IllegalArgumentException("image key '" + key + "' is not Person/file");
        }
        return key.substring(0, slash);
    }

    /** Canonical order of {@code Person/file} keys: by person name, then by file name (plain string order). */
    public static final Comparator<String> CANONICAL = Comparator.comparing(LfwProtocol::personOf)
            .thenComparing(k -> k.substring(k.indexOf('/') + 1));

    /** The evaluation persons' keys of {@code keys}, in canonical order. */
    public static List<String> evaluationKeys(Iterable<String> keys) {
        List<String> out = new ArrayList<>();
        for (String k : keys) {
            if (PersonSelection.isLfwEvaluationPerson(personOf(k))) {
                out.add(k);
            }
        }
        out.sort(CANONICAL);
        return out;
    }

    /**
     * The protocol on the evaluation persons' embeddings among {@code embeddings} (other persons' are ignored).
     * Few-shot settings without enough persons with more than K images are left out of the report.
     */
    public static Report evaluate(Map<String, double[]> embeddings, Settings settings, OptionalDouble modelThreshold) {
        List<String> keys = evaluationKeys(embeddings.keySet());
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no evaluation person's image among " + embeddings.size()
                    + " embeddings (evaluation persons: SHA-1 of the name starts with 0-3)");
        }
        double[][] rows = keys.stream().map(embeddings::get).toArray(double[][]::new);
        PersonGroups g = PersonGroups.of(rows, keys.stream().map(LfwProtocol::personOf).toList());
        Map<String, FewShotEpisodes.Accuracy> fewShot = new LinkedHashMap<>();
        for (int[] nk : FEWSHOT_SETTINGS) {
            if (FewShotEpisodes.possible(g, nk[0], nk[1])) {
                var a = FewShotEpisodes.run(g, nk[0], nk[1], settings.episodes(), settings.seed());
                fewShot.put(a.name(), a);
            }
        }
        return new Report(g.images(), g.persons(), g.dimension(), settings.seed(), fewShot, PairVerification.of(g),
                openSet(g, settings, modelThreshold));
    }

    static OpenSet openSet(PersonGroups g, Settings s, OptionalDouble modelThreshold) {
        var rules = new OpenSetIdentification.Rules(s.repetitions(), s.enrolled(), s.shots(),
                OpenSetIdentification.EnrolmentOrder.BY_PERSON);
        OpenSetIdentification.Queries q = OpenSetIdentification.run(g, rules, s.seed());
        return new OpenSet(s.repetitions(), s.enrolled(), s.shots(), q.genuine().length, q.impostor().length,
                q.rank1(), q.atFar(0.01), q.atFar(0.05),
                modelThreshold.isPresent() ? q.atThreshold(modelThreshold.getAsDouble()) : null);
    }
}
