package io.faceroster.identify;

import io.faceroster.cli.IdentifyBenchmark;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Batch matching over a snapshot agrees with the one-query matching identify uses. */
class SupportSetSnapshotTest {

    private static SupportSet randomSet(int employees, int shotsEach, int dimension, long seed) {
        Random rng = new Random(seed);
        SupportSet set = new SupportSet("m", dimension);
        for (int e = 0; e < employees; e++) {
            List<SupportSet.Shot> shots = new ArrayList<>();
            for (int s = 0; s < shotsEach; s++) {
                shots.add(new SupportSet.Shot(UUID.randomUUID(), IdentifyBenchmark.randomUnit(rng, dimension)));
            }
            set.add("e" + e, "E" + e, shots);
        }
        return set;
    }

    @Test
    void nearestOtherPrototypeIsWhatNearestRanksSecondOrFirst() {
        // More employees than one tile, and a dimension that is not a multiple of four.
        SupportSet set = randomSet(PrototypeTiles.TILE + 37, 2, 21, 5);
        SupportSetSnapshot snap = set.snapshot();
        float[][] queries = new float[snap.shotCount()][];
        int[] own = new int[queries.length];
        for (int row = 0; row < snap.employeeCount(); row++) {
            for (int s = snap.firstShot(row); s < snap.firstShot(row) + snap.shotsOf(row); s++) {
                queries[s] = snap.shot(s);
                own[s] = row;
            }
        }
        SupportSetSnapshot.NearestOthers batch = snap.nearestOthers(queries, own, 2);
        for (int i = 0; i < queries.length; i += 7) {
            List<SupportSet.Candidate> ranked = set.nearest(queries[i], 2).candidates();
            SupportSet.Candidate other = ranked.get(0).employeeId().equals(snap.employeeId(own[i]))
                    ? ranked.get(1) : ranked.get(0);
            assertThat(snap.employeeId(batch.rows()[i])).isEqualTo(other.employeeId());
            assertThat((double) batch.distances()[i]).isCloseTo(other.distance(), within(1e-5));
        }
    }

    @Test
    void prototypePairsWithinARadiusAreFoundOnceEach() {
        SupportSet set = randomSet(30, 1, 16, 9);
        float[] twin = set.snapshot().shot(set.snapshot().firstShot(4)).clone();
        twin[0] += 0.01f;
        set.add("twin", "Twin", List.of(new SupportSet.Shot(UUID.randomUUID(), twin)));
        SupportSetSnapshot snap = set.snapshot();
        var result = snap.prototypePairs(0.05, 100, 1);
        assertThat(result.pairs()).hasSize(1);
        var pair = result.pairs().get(0);
        assertThat(List.of(snap.employeeId(pair.a()), snap.employeeId(pair.b()))).containsExactlyInAnyOrder("e4", "twin");
        assertThat(pair.distance()).isCloseTo(0.01, within(1e-4));
        assertThat(snap.employeeId(result.nearest().rows()[pair.a()])).isEqualTo(snap.employeeId(pair.b()));
    }

    @Test
    void aSnapshotDoesNotChangeWithTheSetAndTheRevisionDoes() {
        SupportSet set = randomSet(3, 2, 8, 1);
        SupportSetSnapshot before = set.snapshot();
        set.removeEmployee("e1");
        assertThat(before.employeeCount()).isEqualTo(3);
        assertThat(set.snapshot().employeeCount()).isEqualTo(2);
        assertThat(set.revision()).isNotEqualTo(before.revision());
    }
}
