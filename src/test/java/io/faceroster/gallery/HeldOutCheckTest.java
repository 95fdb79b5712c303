package io.faceroster.gallery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The held-out check's bookkeeping on hand-made embeddings: who is enrolled, what is held out, what is measured. */
class HeldOutCheckTest {

    private static List<HeldOutCheck.Person> persons(int count, int photos, long seed) {
        Random rng = new Random(seed);
        List<HeldOutCheck.Person> out = new ArrayList<>();
        for (int p = 0; p < count; p++) {
            float[] centre = new float[16];
            for (int d = 0; d < 16; d++) {
                centre[d] = (float) (rng.nextGaussian() / 4);
            }
            List<HeldOutCheck.Image> images = new ArrayList<>();
            for (int i = 0; i < photos; i++) {
                float[] v = new float[16];
                for (int d = 0; d < 16; d++) {
                    v[d] = centre[d] + (float) (rng.nextGaussian() * 0.12);
                }
                images.add(new HeldOutCheck.Image("p" + p + "/" + i, v, true));
            }
            out.add(new HeldOutCheck.Person("p" + p, images));
        }
        return out;
    }

    @Test
    void halfThePersonsAreEnrolledWithTheirShotsAndEverythingElseIsHeldOut() {
        HeldOutCheck.Result r = HeldOutCheck.run(persons(40, 8, 1), new HeldOutCheck.Options(5, 0.5, 0.05, 3, 7, 1));
        assertThat(r.repetitions()).hasSize(3);
        for (HeldOutCheck.Repetition rep : r.repetitions()) {
            assertThat(rep.employees()).isEqualTo(20);
            assertThat(rep.strangers()).isEqualTo(20);
            assertThat(rep.enrolledPhotos()).isEqualTo(100);
            assertThat(rep.genuineQueries()).isEqualTo(60);
            assertThat(rep.impostorQueries()).isEqualTo(160);
            assertThat(rep.estimate().far().of()).isEqualTo(100);
            assertThat(rep.estimate().far().estimate()).isLessThanOrEqualTo(0.05);
            assertThat(rep.measured().far().of()).isEqualTo(160);
            assertThat(rep.measured().tar().of()).isEqualTo(60);
        }
        assertThat(r.repetitions().get(0).threshold()).isNotEqualTo(r.repetitions().get(1).threshold());
    }

    @Test
    void atLeastOnePhotoOfAnEmployeeIsHeldOut() {
        HeldOutCheck.Result r = HeldOutCheck.run(persons(10, 3, 2), new HeldOutCheck.Options(5, 0.5, 0.1, 1, 1, 1));
        HeldOutCheck.Repetition rep = r.repetitions().get(0);
        assertThat(rep.enrolledPhotos()).isEqualTo(5 * 2);
        assertThat(rep.genuineQueries()).isEqualTo(5);
    }

    @Test
    void theSameSeedGivesTheSameSplits() {
        var options = new HeldOutCheck.Options(3, 0.5, 0.05, 2, 11, 1);
        List<HeldOutCheck.Person> p = persons(20, 6, 3);
        assertThat(HeldOutCheck.run(p, options).repetitions().get(1).threshold())
                .isEqualTo(HeldOutCheck.run(p, options).repetitions().get(1).threshold());
    }
}
