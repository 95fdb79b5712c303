package io.faceroster.gallery;

import static org.assertj.core.api.Assertions.assertThat;

import io.faceroster.identify.SupportSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Gallery health on hand-made embeddings: 40 employees x 5 samples around well separated centres (genuine
 * distances about 0.5, other employees about 1.4), read at 0.9.
 */
class GalleryHealthTest {

    private static final int DIM = 64;
    private static final double THRESHOLD = 0.9;

    private final Random rng = new Random(42);
    private final List<float[]> centres = new ArrayList<>();

    private float[] around(float[] centre) {
        float[] v = new float[DIM];
        for (int d = 0; d < DIM; d++) {
            v[d] = centre[d] + (float) (rng.nextGaussian() * 0.5 / Math.sqrt(DIM));
        }
        return v;
    }

    private SupportSet cleanGallery() {
        SupportSet set = new SupportSet("m", DIM);
        for (int e = 0; e < 40; e++) {
            float[] c = new float[DIM];
            for (int d = 0; d < DIM; d++) {
                c[d] = (float) (rng.nextGaussian() / Math.sqrt(DIM));
            }
            centres.add(c);
            List<SupportSet.Shot> shots = new ArrayList<>();
            for (int s = 0; s < 5; s++) {
                shots.add(new SupportSet.Shot(UUID.randomUUID(), around(c)));
            }
            set.add("e" + e, "E" + e, shots);
        }
        return set;
    }

    private static GalleryHealth.Findings check(SupportSet set) {
        return GalleryHealth.findings(GalleryEvidence.of(set.snapshot(), 1, Instant.EPOCH), THRESHOLD, 100, 1);
    }

    @Test
    void aCleanGalleryHasNothingToFix() {
        assertThat(check(cleanGallery()).items()).isEmpty();
    }

    @Test
    void aSeededDuplicateAndAMislabelledPhotoAreFoundAndNothingElse() {
        SupportSet set = cleanGallery();
        List<SupportSet.Shot> again = new ArrayList<>();
        for (int s = 0; s < 5; s++) {
            again.add(new SupportSet.Shot(UUID.randomUUID(), around(centres.get(7))));
        }
        set.add("e7-again", "E7 again", again);
        UUID wrong = UUID.randomUUID();
        set.add("e12", "E12", List.of(new SupportSet.Shot(wrong, around(centres.get(30)))));

        List<GalleryHealth.Finding> items = check(set).items();
        assertThat(items).hasSize(2);
        GalleryHealth.Finding duplicate = items.stream().filter(f -> f.kind().equals("possible_duplicate"))
                .findFirst().orElseThrow();
        assertThat(duplicate.employeeIds()).containsExactly("e7", "e7-again");
        assertThat(duplicate.faceIds()).hasSize(10);
        GalleryHealth.Finding mixed = items.stream().filter(f -> f.kind().equals("mixed_enrolment"))
                .findFirst().orElseThrow();
        assertThat(mixed.employeeIds()).containsExactly("e12", "e30");
        assertThat(mixed.faceIds()).containsExactly(wrong);
        assertThat(mixed.severity()).isEqualTo("high");
    }

    @Test
    void singleSamplesOutliersAndLookAlikesAreFlaggedBelowDuplicatesAndMixedPhotos() {
        SupportSet set = cleanGallery();
        // A single photo of e3's person: a likely duplicate, and a single-sample enrolment.
        set.add("solo", "Solo", List.of(new SupportSet.Shot(UUID.randomUUID(), around(centres.get(3)))));
        // An outlier photo: far from the employee's other samples, near nobody else.
        float[] odd = around(centres.get(20));
        for (int d = 0; d < DIM; d++) {
            odd[d] += (float) (rng.nextGaussian() * 1.2 / Math.sqrt(DIM));
        }
        UUID oddId = UUID.randomUUID();
        set.add("e20", "E20", List.of(new SupportSet.Shot(oddId, odd)));
        // A look-alike of e5: another person 0.55 from e5's centre, so within the threshold but not the same.
        float[] near5 = centres.get(5).clone();
        for (int d = 0; d < DIM; d++) {
            near5[d] += (float) (rng.nextGaussian() * 0.55 / Math.sqrt(DIM));
        }
        List<SupportSet.Shot> twin = new ArrayList<>();
        for (int s = 0; s < 5; s++) {
            twin.add(new SupportSet.Shot(UUID.randomUUID(), around(near5)));
        }
        set.add("twin5", "Twin of E5", twin);

        List<GalleryHealth.Finding> items = check(set).items();
        assertThat(items).anySatisfy(f -> {
            assertThat(f.kind()).isEqualTo("possible_duplicate");
            assertThat(f.employeeIds()).containsExactly("e3", "solo");
            assertThat(f.severity()).isEqualTo("high");
        });
        assertThat(items).anySatisfy(f -> {
            assertThat(f.kind()).isEqualTo("possible_duplicate");
            assertThat(f.employeeIds()).containsExactly("e5", "twin5");
            assertThat(f.reason()).isEqualTo("prototypes_within_threshold");
            assertThat(f.severity()).isEqualTo("medium");
        });
        assertThat(items).anySatisfy(f -> {
            assertThat(f.reason()).isEqualTo("single_sample");
            assertThat(f.employeeIds()).containsExactly("solo");
            assertThat(f.severity()).isEqualTo("low");
        });
        assertThat(items).anySatisfy(f -> {
            assertThat(f.reason()).isEqualTo("outlier_sample");
            assertThat(f.faceIds()).containsExactly(oddId);
        });
        List<String> severities = items.stream().map(GalleryHealth.Finding::severity).toList();
        assertThat(severities).containsExactly("high", "medium", "medium", "low");
    }

    @Test
    void cappedImpostorAttemptsAreASeededSubsetAndEveryGenuineComparisonStays() {
        SupportSet set = cleanGallery();
        GalleryEvidence capped = GalleryEvidence.of(set.snapshot(), 1, Instant.EPOCH, 50);
        GalleryEvidence again = GalleryEvidence.of(set.snapshot(), 1, Instant.EPOCH, 50);
        GalleryEvidence full = GalleryEvidence.of(set.snapshot(), 1, Instant.EPOCH);
        assertThat(capped.impostorAttempts()).isEqualTo(50);
        assertThat(capped.impostorAttemptsSampled()).isTrue();
        assertThat(capped.impostorComparisons()).isEqualTo(50L * 39);
        assertThat(capped.genuineComparisons()).isEqualTo(full.genuineComparisons()).isEqualTo(200);
        assertThat(capped.impostorSorted()).containsExactly(again.impostorSorted());
        assertThat(full.impostorAttempts()).isEqualTo(200);
        assertThat(full.impostorAttemptsSampled()).isFalse();
        // The sampled attempts are the full pass's values for those samples.
        for (int s = 0; s < 200; s++) {
            if (capped.attempted(s)) {
                assertThat(capped.nearestOther(s)).isEqualTo(full.nearestOther(s));
            }
        }
    }
}
