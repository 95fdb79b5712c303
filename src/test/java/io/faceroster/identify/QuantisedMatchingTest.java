package io.faceroster.identify;

import static org.assertj.core.api.Assertions.assertThat;

import io.faceroster.cli.IdentifyBenchmark;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The int8 first pass with float32 re-ranking answers exactly what the float32 scan answers. */
class QuantisedMatchingTest {

    private static final int DIM = 128;

    @Test
    void randomQueriesGetTheExactRankingAndDistances() {
        Random rng = new Random(11);
        SupportSet set = oneShotGallery(rng, 6000);
        for (int q = 0; q < 300; q++) {
            assertSameRanking(set, IdentifyBenchmark.randomUnit(rng, DIM), 5);
        }
    }

    @Test
    void queriesNearEnrolledFacesGetTheExactRanking() {
        Random rng = new Random(12);
        List<float[]> enrolled = new ArrayList<>();
        SupportSet set = new SupportSet("v1", DIM);
        for (int e = 0; e < 5000; e++) {
            float[] v = IdentifyBenchmark.randomUnit(rng, DIM);
            enrolled.add(v);
            set.add("e" + e, "E" + e, List.of(new SupportSet.Shot(UUID.randomUUID(), v)));
        }
        for (int q = 0; q < 300; q++) {
            float[] base = enrolled.get(rng.nextInt(enrolled.size()));
            float[] query = new float[DIM];
            for (int d = 0; d < DIM; d++) {
                query[d] = base[d] + (float) (rng.nextGaussian() * 0.03);
            }
            assertSameRanking(set, query, 3);
        }
    }

    @Test
    void multiShotGalleryAfterRemovalsGetsTheExactRanking() {
        Random rng = new Random(13);
        SupportSet set = new SupportSet("v1", DIM);
        List<UUID> firstShots = new ArrayList<>();
        for (int e = 0; e < 4000; e++) {
            SupportSet.Shot a = new SupportSet.Shot(UUID.randomUUID(), IdentifyBenchmark.randomUnit(rng, DIM));
            set.add("e" + e, "E" + e, List.of(a, new SupportSet.Shot(UUID.randomUUID(), IdentifyBenchmark.randomUnit(rng, DIM))));
            firstShots.add(a.faceId());
        }
        for (int e = 0; e < 4000; e += 7) {
            set.removeEmployee("e" + e);
        }
        for (int e = 1; e < 4000; e += 5) {
            set.removeShot("e" + e, firstShots.get(e));
        }
        assertThat(set.employeeCount()).isEqualTo(4000 - 572);
        for (int q = 0; q < 200; q++) {
            assertSameRanking(set, IdentifyBenchmark.randomUnit(rng, DIM), 5);
        }
    }

    @Test
    void equalPrototypesAreRankedAsTheScanRanksThem() {
        Random rng = new Random(14);
        SupportSet set = oneShotGallery(rng, 3000);
        float[] twin = IdentifyBenchmark.randomUnit(rng, DIM);
        for (int i = 0; i < 4; i++) {
            set.add("twin" + i, "Twin", List.of(new SupportSet.Shot(UUID.randomUUID(), twin.clone())));
        }
        assertSameRanking(set, twin, 3);
    }

    @Test
    void thePlainLoopsComputeTheSameDotsAsTheScanInUse() {
        Random rng = new Random(15);
        byte[] codes = new byte[4 * QuantisedIndex.BLOCK * DIM];
        rng.nextBytes(codes);
        float[] query = IdentifyBenchmark.randomUnit(rng, DIM);
        float[] plain = new float[4 * QuantisedIndex.BLOCK];
        float[] inUse = new float[4 * QuantisedIndex.BLOCK];
        new CodeScan.Plain().dots(codes, 0, 4, DIM, query, plain);
        CodeScan.get().dots(codes, 0, 4, DIM, query, inUse);
        for (int i = 0; i < plain.length; i++) {
            assertThat(inUse[i]).isCloseTo(plain[i], org.assertj.core.data.Offset.offset(1e-3f));
        }
    }

    private static SupportSet oneShotGallery(Random rng, int employees) {
        SupportSet set = new SupportSet("v1", DIM);
        for (int e = 0; e < employees; e++) {
            set.add("e" + e, "E" + e, List.of(new SupportSet.Shot(UUID.randomUUID(), IdentifyBenchmark.randomUnit(rng, DIM))));
        }
        return set;
    }

    private static void assertSameRanking(SupportSet set, float[] query, int limit) {
        List<SupportSet.Candidate> exact = set.nearestExact(query, limit).candidates();
        List<SupportSet.Candidate> quantised = set.nearest(query, limit).candidates();
        assertThat(quantised).extracting(SupportSet.Candidate::employeeId)
                .containsExactlyElementsOf(exact.stream().map(SupportSet.Candidate::employeeId).toList());
        assertThat(quantised).extracting(SupportSet.Candidate::distance)
                .containsExactlyElementsOf(exact.stream().map(SupportSet.Candidate::distance).toList());
    }
}
