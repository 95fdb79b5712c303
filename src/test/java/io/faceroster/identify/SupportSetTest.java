package io.faceroster.identify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SupportSetTest {

    static SupportSet.Shot shot(float... v) {
        return new SupportSet.Shot(UUID.randomUUID(), v);
    }

    @Test
    void prototypeIsTheMeanOfTheShots() {
        SupportSet set = new SupportSet("v1", 2);
        set.add("a", "A", List.of(shot(0, 0), shot(2, 0)));
        assertThat(set.distanceTo("a", new float[] {1, 0}).getAsDouble()).isCloseTo(0.0, within(1e-9));
        set.add("a", "A", List.of(shot(4, 3)));      // mean of (0,0), (2,0), (4,3) = (2,1)
        assertThat(set.distanceTo("a", new float[] {2, 1}).getAsDouble()).isCloseTo(0.0, within(1e-6));
        assertThat(set.distanceTo("nobody", new float[] {2, 1})).isEmpty();
    }

    @Test
    void nearestMatchesABruteForceRankingAfterAddsAndRemovals() {
        Random rng = new Random(5);
        SupportSet set = new SupportSet("v1", 16);
        List<String> ids = new ArrayList<>();
        List<UUID> firstShots = new ArrayList<>();
        for (int e = 0; e < 300; e++) {
            SupportSet.Shot s = shot(random(rng, 16));
            set.add("e" + e, "E" + e, List.of(s, shot(random(rng, 16))));
            ids.add("e" + e);
            firstShots.add(s.faceId());
        }
        for (int e = 0; e < 300; e += 3) {
            set.removeEmployee("e" + e);
        }
        for (int e = 1; e < 300; e += 3) {
            set.removeShot("e" + e, firstShots.get(e));  // one shot left: still enrolled
        }
        assertThat(set.employeeCount()).isEqualTo(200);
        assertThat(set.shotCount()).isEqualTo(200 * 2 - 100);
        for (int q = 0; q < 20; q++) {
            float[] query = random(rng, 16);
            List<SupportSet.Candidate> top = set.nearest(query, 5).candidates();
            List<Double> all = new ArrayList<>();
            for (String id : ids) {
                set.distanceTo(id, query).ifPresent(all::add);
            }
            all.sort(Comparator.naturalOrder());
            assertThat(top).hasSize(5);
            for (int i = 0; i < 5; i++) {
                assertThat(top.get(i).distance()).isCloseTo(all.get(i), within(1e-5));
            }
        }
    }

    @Test
    void removingTheLastShotRemovesTheEmployee() {
        SupportSet set = new SupportSet("v1", 2);
        SupportSet.Shot only = shot(1, 1);
        set.add("a", "A", List.of(only));
        set.add("b", "B", List.of(shot(5, 5)));
        set.removeShot("a", only.faceId());
        assertThat(set.employeeCount()).isEqualTo(1);
        assertThat(set.nearest(new float[] {1, 1}, 3).candidates()).extracting(SupportSet.Candidate::employeeId)
                .containsExactly("b");
    }

    @Test
    void addingAKnownFaceIdReplacesItsEmbedding() {
        SupportSet set = new SupportSet("v1", 2);
        SupportSet.Shot first = shot(0, 0);
        set.add("a", "A", List.of(first, shot(2, 0)));
        set.add("a", "A", List.of(new SupportSet.Shot(first.faceId(), new float[] {4, 2})));   // mean (3, 1)
        assertThat(set.shotCount()).isEqualTo(2);
        assertThat(set.distanceTo("a", new float[] {3, 1}).getAsDouble()).isCloseTo(0.0, within(1e-6));
    }

    @Test
    void floatRowsOfRemovedShotsAndEmployeesAreReused() {
        SupportSet set = new SupportSet("v1", 4);
        set.add("stays", "S", List.of(shot(1, 1, 1, 1)));
        SupportSet.Shot a = shot(1, 2, 3, 4);
        set.add("a", "A", List.of(a, shot(4, 3, 2, 1)));        // two shots and a prototype row
        long bytes = set.floatFileBytes();
        for (int round = 0; round < 50; round++) {
            set.removeShot("a", a.faceId());                    // one shot: its prototype row is freed
            set.removeEmployee("a");
            a = shot(round, 2, 3, 4);
            set.add("a", "A", List.of(a, shot(4, 3, 2, round)));
        }
        assertThat(set.floatFileBytes()).isEqualTo(bytes);
        assertThat(set.distanceTo("a", new float[] {26.5f, 2.5f, 2.5f, 26.5f}).getAsDouble())
                .isCloseTo(0.0, within(1e-6));
        assertThat(set.distanceTo("stays", new float[] {1, 1, 1, 1}).getAsDouble()).isCloseTo(0.0, within(1e-9));
    }

    @Test
    void anAddTheFloatFileCannotHoldLeavesTheSetAsItWas() {
        FloatRowFile full = new FloatRowFile(2) {
            private int rows;

            @Override
            int allocate() {
                if (++rows > 4) {
                    throw new java.io.UncheckedIOException(new java.io.IOException("No space left on device"));
                }
                return super.allocate();
            }
        };
        SupportSet set = new SupportSet("v1", 2, full);
        set.add("a", "A", List.of(shot(1, 1)));
        set.add("b", "B", List.of(shot(5, 5)));
        // a's two new shots fit, the prototype row of its three does not: the shots are given back
        assertThatThrownBy(() -> set.add("a", "A", List.of(shot(3, 3), shot(5, 3))))
                .isInstanceOf(java.io.UncheckedIOException.class);
        assertThat(set.shotCount()).isEqualTo(2);
        assertThat(set.distanceTo("a", new float[] {1, 1}).getAsDouble()).isCloseTo(0.0, within(1e-9));
        assertThatThrownBy(() -> set.add("c", "C", List.of(shot(9, 9))))
                .isInstanceOf(java.io.UncheckedIOException.class);
        assertThat(set.employeeCount()).isEqualTo(2);
        assertThat(set.nearest(new float[] {9, 9}, 5).candidates()).extracting(SupportSet.Candidate::employeeId)
                .containsExactly("b", "a");
        assertThat(set.nearestExact(new float[] {9, 9}, 5).candidates()).extracting(SupportSet.Candidate::employeeId)
                .containsExactly("b", "a");
    }

    @Test
    void aRetiredSetRefusesUseInsteadOfTouchingItsReleasedFile() {
        SupportSet set = new SupportSet("v1", 2);
        set.add("a", "A", List.of(shot(1, 1)));
        set.retire();
        assertThatThrownBy(() -> set.nearest(new float[] {1, 1}, 1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> set.add("b", "B", List.of(shot(2, 2)))).isInstanceOf(IllegalStateException.class);
        set.retire();   // twice is harmless
    }

    static float[] random(Random rng, int dim) {
        float[] v = new float[dim];
        for (int i = 0; i < dim; i++) {
            v[i] = (float) rng.nextGaussian();
        }
        return v;
    }
}
