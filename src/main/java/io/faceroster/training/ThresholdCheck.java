package io.faceroster.training;

import io.faceroster.evaluation.Distances;
import io.faceroster.evaluation.ModelEvaluation;
import io.faceroster.imaging.FaceChip;
import java.util.List;
import java.util.Map;

/**
 * The sanity checks a retraining job's own threshold must pass (issue 10, item 4): a 1-epoch job with 2 validation
 * persons calibrated 1.651 (shipped 0.638) and was promoted; afterwards 11 of 11 strangers matched someone. A job
 * sets a threshold only from enough validation persons and impostor comparisons, and a candidate whose threshold
 * accepts more strangers than the active model's threshold on the same validation images is never promoted, with
 * or without {@code force} (which overrides the quality gate only).
 */
final class ThresholdCheck {

    private ThresholdCheck() {
    }

    /** Pairs of images of two different persons in a validation set cut to equal image counts, as calibrated. */
    static long impostorComparisons(Map<String, List<FaceChip>> validation) {
        long persons = validation.size();
        long each = validation.values().stream().mapToInt(List::size).min().orElse(0);
        return persons * (persons - 1) / 2 * each * each;
    }

    /** Null when the validation set may calibrate a threshold, else why not. */
    static String tooThin(Map<String, List<FaceChip>> validation, int minPersons, long minComparisons) {
        long comparisons = impostorComparisons(validation);
        if (validation.size() < minPersons || comparisons < minComparisons) {
            return "not enough validation data to set a threshold: " + validation.size() + " validation persons (at"
                    + " least " + minPersons + ") and " + comparisons + " impostor comparisons (at least "
                    + minComparisons + ")";
        }
        return null;
    }

    /** How many impostor pairs of {@code e} lie within {@code threshold}, of how many. */
    record Acceptance(long accepted, long pairs) {
        double rate() {
            return pairs == 0 ? 0 : (double) accepted / pairs;
        }

        @Override
        public String toString() {
            return accepted + " of " + pairs;
        }
    }

    static Acceptance strangersAccepted(ModelEvaluation.Embedded e, double threshold) {
        double[][] x = e.embeddings();
        List<String> labels = e.labels();
        long accepted = 0;
        long pairs = 0;
        for (int i = 0; i < x.length; i++) {
            for (int j = i + 1; j < x.length; j++) {
                if (!labels.get(i).equals(labels.get(j))) {
                    pairs++;
                    if (Distances.euclidean(x[i], x[j]) <= threshold) {
                        accepted++;
                    }
                }
            }
        }
        return new Acceptance(accepted, pairs);
    }

    /** Null when the candidate accepts no more strangers than the active model, else why it may not be promoted. */
    static String acceptsMoreStrangers(Acceptance candidate, double candidateThreshold, Acceptance active,
                                       double activeThreshold) {
        if (candidate.accepted() > active.accepted()) {
            return String.format("its threshold %.4f accepts %s impostor pairs of the validation persons, the active"
                    + " model's %.4f accepts %s", candidateThreshold, candidate, activeThreshold, active);
        }
        return null;
    }
}
