package io.faceroster.evaluation;

import java.util.SplittableRandom;

/**
 * k-way n-shot identification episodes, the rule both protocols share: per episode N persons among those
 * with more than K images; for each, a random permutation of its images: the first K are the support set
 * (prototype = their mean), every other image of the person is a query; a query is assigned to the nearest
 * prototype. An episode's accuracy is the share of its queries assigned to their own person's prototype;
 * the setting's accuracy is the mean over episodes, with a 95% confidence half-width. With equal image
 * counts (ORL) this is exactly the ORL protocol's rule.
 */
public final class FewShotEpisodes {

    private FewShotEpisodes() {
    }

    /**
     * @param eligiblePersons persons with more than {@code shots} images, among whom the ways are drawn
     * @param meanQueries     queries per episode, averaged over episodes
     */
    public record Accuracy(int ways, int shots, double accuracy, double ci95, int episodes, int eligiblePersons,
                           double meanQueries) {

        /** The setting's name in the reference implementations' reports, e.g. {@code 5way_1shot}. */
        public String name() {
            return ways + "way_" + shots + "shot";
        }
    }

    /** Whether the setting can run at all: at least {@code ways} persons with more than {@code shots} images. */
    public static boolean possible(PersonGroups g, int ways, int shots) {
        return ways >= 1 && shots >= 1 && g.eligible(shots).length >= ways;
    }

    public static Accuracy run(PersonGroups g, int ways, int shots, int episodes, long seed) {
        int[] eligible = g.eligible(shots);
        if (!possible(g, ways, shots) || episodes < 2) {
            throw new IllegalArgumentException(String.format("%d-way %d-shot needs %d persons with more than %d "
                    + "images (there are %d) and at least 2 episodes", ways, shots, ways, shots, eligible.length));
        }
        SplittableRandom rng = Seeds.rng(seed, Seeds.FEW_SHOT, ways, shots);
        double[] acc = new double[episodes];
        long queries = 0;
        for (int e = 0; e < episodes; e++) {
            int[] chosen = Seeds.choose(rng, eligible.length, ways);
            double[][] prototypes = new double[ways][];
            int[][] queryRows = new int[ways][];
            for (int j = 0; j < ways; j++) {
                int[] group = g.rows()[eligible[chosen[j]]];
                int[] perm = Seeds.permutation(rng, group.length);
                prototypes[j] = Distances.prototype(g.embeddings(), group, perm, 0, shots);
                queryRows[j] = new int[group.length - shots];
                for (int q = shots; q < group.length; q++) {
                    queryRows[j][q - shots] = group[perm[q]];
                }
            }
            int correct = 0;
            int total = 0;
            for (int j = 0; j < ways; j++) {
                for (int q : queryRows[j]) {
                    if (Distances.nearest(g.embeddings()[q], prototypes).index() == j) {
                        correct++;
                    }
                    total++;
                }
            }
            acc[e] = (double) correct / total;
            queries += total;
        }
        return new Accuracy(ways, shots, Statistics.mean(acc), Statistics.ci95(acc), episodes, eligible.length,
                (double) queries / episodes);
    }
}
