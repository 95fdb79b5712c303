package io.faceroster.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FewShotEpisodesTest {

    /** Adds {@code images} identical embeddings at {@code x} for {@code person}. */
    private static void add(List<double[]> rows, List<String> labels, String person, int images, double... x) {
        for (int i = 0; i < images; i++) {
            rows.add(x.clone());
            labels.add(person);
        }
    }

    @Test
    void accuracyIsTheShareOfAnEpisodesQueriesNotTheMeanOverPersons() {
        // A: images at -1 and +1 (one query, which is nearer B's prototype at 0 than A's other image: wrong);
        // B: five images at 0 (four queries, all right); C: one image, not eligible for 1 shot.
        // Every 2-way episode holds A and B: 4 of 5 queries right -> 0.8 (per-person mean would be 0.5).
        List<double[]> rows = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        add(rows, labels, "A", 1, -1);
        add(rows, labels, "A", 1, 1);
        add(rows, labels, "B", 5, 0);
        add(rows, labels, "C", 1, 50);
        var g = PersonGroups.of(rows.toArray(double[][]::new), labels);
        FewShotEpisodes.Accuracy a = FewShotEpisodes.run(g, 2, 1, 200, 7);
        assertThat(a.accuracy()).isCloseTo(0.8, within(1e-12));
        assertThat(a.ci95()).isCloseTo(0.0, within(1e-12));
        assertThat(a.eligiblePersons()).isEqualTo(2);
        assertThat(a.meanQueries()).isEqualTo(5.0);
    }

    @Test
    void onlyPersonsWithMoreImagesThanShotsAreDrawn() {
        // Persons with 2..9 images, far apart: 3 shots leave the persons with 4+ images (6 of 8) eligible;
        // were a person with 3 images drawn, it would have no query and the episode no defined accuracy.
        List<double[]> rows = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int p = 0; p < 8; p++) {
            for (int i = 0; i < p + 2; i++) {
                rows.add(new double[] {p * 10.0 + 0.1 * i, 0});
                labels.add("p" + p);
            }
        }
        var g = PersonGroups.of(rows.toArray(double[][]::new), labels);
        FewShotEpisodes.Accuracy a = FewShotEpisodes.run(g, 5, 3, 300, 1);
        assertThat(a.eligiblePersons()).isEqualTo(6);
        assertThat(a.accuracy()).isEqualTo(1.0);
        assertThat(FewShotEpisodes.possible(g, 7, 3)).isFalse();
        assertThatThrownBy(() -> FewShotEpisodes.run(g, 7, 3, 300, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("(there are 6)");
    }

    @Test
    void theSameSeedDrawsTheSameEpisodes() {
        List<double[]> rows = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int p = 0; p < 10; p++) {
            for (int i = 0; i < 3 + p % 4; i++) {
                rows.add(new double[] {Math.sin(p * 7 + i), Math.cos(p * 3 + i * i)});
                labels.add("p" + p);
            }
        }
        var g = PersonGroups.of(rows.toArray(double[][]::new), labels);
        assertThat(FewShotEpisodes.run(g, 5, 1, 100, 3)).isEqualTo(FewShotEpisodes.run(g, 5, 1, 100, 3));
        assertThat(FewShotEpisodes.run(g, 5, 1, 100, 3).accuracy())
                .isNotEqualTo(FewShotEpisodes.run(g, 5, 1, 100, 4).accuracy());
    }
}
