package io.faceroster.evaluation;

import io.faceroster.dataset.PersonSelection;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LfwProtocolTest {

    @Test
    void evaluationPersonsAreThoseWhoseUtf8NameHashesToZeroToThree() {
        // SHA-1 (sha1sum) of the names: Al_Gore 3a66.., Tony_Blair 1895.., Jose_Maria 09b7.., Colin_Powell
        // 7e0e.., George_W_Bush ed2f..; "Jürgen_Klopp" in UTF-8 3a.. (in Latin-1 it would start with d),
        // "Renée_Zellweger" in UTF-8 a.. (in Latin-1 2..).
        assertThat(List.of("Al_Gore", "Tony_Blair", "Jose_Maria", "Jürgen_Klopp"))
                .allMatch(PersonSelection::isLfwEvaluationPerson);
        assertThat(List.of("Colin_Powell", "George_W_Bush", "Renée_Zellweger"))
                .noneMatch(PersonSelection::isLfwEvaluationPerson);
    }

    @Test
    void evaluationKeysAreInCanonicalOrderWithoutTrainingPersons() {
        List<String> keys = List.of("Tony_Blair/Tony_Blair_0010.jpg", "Colin_Powell/Colin_Powell_0001.jpg",
                "Al_Gore/Al_Gore_0002.jpg", "Tony_Blair/Tony_Blair_0002.jpg", "Al_Gore/Al_Gore_0001.jpg",
                "Jose_Maria/b.jpg", "Jose_Maria/B.jpg");
        assertThat(LfwProtocol.evaluationKeys(keys)).containsExactly("Al_Gore/Al_Gore_0001.jpg",
                "Al_Gore/Al_Gore_0002.jpg", "Jose_Maria/B.jpg", "Jose_Maria/b.jpg", "Tony_Blair/Tony_Blair_0002.jpg",
                "Tony_Blair/Tony_Blair_0010.jpg");
    }

    @Test
    void keysMustNamePersonAndFile() {
        assertThatThrownBy(() -> LfwProtocol.personOf("Al_Gore_0001.jpg")).isInstanceOf(IllegalArgumentException.class);
    }

    /** Evaluation persons with 2..8 images (unequal counts), far apart; one training person that must be ignored. */
    private static Map<String, double[]> separatedPersons(int persons) {
        List<String> names = IntStream.range(0, 1000).mapToObj(i -> "Person_" + i)
                .filter(PersonSelection::isLfwEvaluationPerson).limit(persons).toList();
        Map<String, double[]> emb = new LinkedHashMap<>();
        for (int p = 0; p < names.size(); p++) {
            for (int i = 0; i < 2 + p % 7; i++) {
                double[] v = new double[3];
                v[p % 3] = 100.0 * (p + 1);
                v[(p + 1) % 3] = 0.01 * i;
                emb.put(names.get(p) + "/" + i + ".jpg", v);
            }
        }
        emb.put("Colin_Powell/Colin_Powell_0001.jpg", new double[] {0, 0, 0});
        return emb;
    }

    @Test
    void perfectlySeparatedPersonsWithUnequalCountsScorePerfectly() {
        Map<String, double[]> emb = separatedPersons(25);
        var r = LfwProtocol.evaluate(emb, new LfwProtocol.Settings(1, 200, 20, 10, 3), OptionalDouble.of(0.5));
        assertThat(r.persons()).isEqualTo(25);
        assertThat(r.images()).isEqualTo(emb.size() - 1);
        // 20 ways need 20 persons with more than K images: counts cycle 2..8, so of 25 persons all have 2+
        // images but only 17 have 4+: (20, 3) is left out.
        assertThat(r.fewShot()).containsOnlyKeys("5way_1shot", "5way_3shot", "20way_1shot");
        assertThat(r.fewShot().get("5way_3shot").eligiblePersons()).isEqualTo(17);
        r.fewShot().values().forEach(a -> assertThat(a.accuracy()).isEqualTo(1.0));
        int genuine = 0;
        for (int p = 0; p < 25; p++) {
            int c = 2 + p % 7;
            genuine += c * (c - 1) / 2;
        }
        assertThat(r.verification().genuinePairs()).isEqualTo(genuine);
        assertThat(r.verification().impostorPairs()).isEqualTo(r.images() * (r.images() - 1) / 2 - genuine);
        assertThat(r.verification().rocAuc()).isEqualTo(1.0);
        assertThat(r.verification().eer()).isEqualTo(0.0);
        assertThat(r.openSet().rank1ClosedSet()).isEqualTo(1.0);
        assertThat(r.openSet().atFar1pct().dir()).isEqualTo(1.0);
        assertThat(r.openSet().atModelThreshold().farAchieved()).isZero();
        assertThat(r.openSet().atModelThreshold().dir()).isEqualTo(1.0);
    }

    @Test
    void jsonReportUsesTheReferenceLayout() {
        var r = LfwProtocol.evaluate(separatedPersons(25), new LfwProtocol.Settings(1, 50, 5, 10, 3),
                OptionalDouble.of(0.5));
        Map<String, Object> json = r.toJson();
        assertThat(json).containsKeys("n_images", "n_persons", "dim", "eval_seed", "fewshot", "verification",
                "openset", "headline");
        assertThat(keys(json, "verification")).contains("genuine_pairs", "impostor_pairs", "roc_auc",
                "eer", "tar_at_far_1pct", "threshold_1pct", "tar_at_far_0.1pct", "threshold_0.1pct");
        assertThat(keys(json, "openset")).contains("repetitions", "enrolled", "shots",
                "genuine_queries", "impostor_queries", "rank1_closed_set", "dir_at_far_1pct", "threshold_1pct",
                "dir_at_far_5pct", "threshold_5pct", "at_model_threshold");
        assertThat(r.headline()).containsOnlyKeys("5way_1shot", "5way_3shot", "20way_1shot", "auc", "eer",
                "tar_at_far_1pct", "tar_at_far_0.1pct", "openset_rank1", "dir_at_far_1pct", "far_at_model_threshold",
                "dir_at_model_threshold");
    }

    private static List<String> keys(Map<String, Object> json, String member) {
        return ((Map<?, ?>) json.get(member)).keySet().stream().map(String::valueOf).toList();
    }

    @Test
    void refusesASetWithoutEvaluationPersons() {
        assertThatThrownBy(() -> LfwProtocol.evaluate(Map.of("Colin_Powell/1.jpg", new double[] {1}),
                LfwProtocol.Settings.standard(), OptionalDouble.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no evaluation person");
    }
}
