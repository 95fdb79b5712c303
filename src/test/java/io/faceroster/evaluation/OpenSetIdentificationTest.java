package io.faceroster.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.faceroster.evaluation.OpenSetIdentification.EnrolmentOrder;
import io.faceroster.evaluation.OpenSetIdentification.Rules;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenSetIdentificationTest {

    /** Persons at the given points, {@code counts[i]} identical images each. */
    private static PersonGroups persons(double[] at, int[] counts) {
        List<double[]> rows = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int p = 0; p < at.length; p++) {
            for (int i = 0; i < counts[p]; i++) {
                rows.add(new double[] {at[p]});
                labels.add("p" + p);
            }
        }
        return PersonGroups.of(rows.toArray(double[][]::new), labels);
    }

    /** P0..P3 at 0, 10, 20, 30 with 4 images each; a stranger with 2 images (too few to enrol) at 41 and 45. */
    private static PersonGroups fourPersonsAndAStranger() {
        List<double[]> rows = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (int p = 0; p < 4; p++) {
            for (int i = 0; i < 4; i++) {
                rows.add(new double[] {10.0 * p});
                labels.add("p" + p);
            }
        }
        rows.add(new double[] {41});
        rows.add(new double[] {45});
        labels.add("stranger");
        labels.add("stranger");
        return PersonGroups.of(rows.toArray(double[][]::new), labels);
    }

    @Test
    void globalThresholdIsStrictAndTheModelThresholdInclusive() {
        // Every repetition enrols P0..P3 (the only eligible persons): 4 genuine queries at distance 0, right;
        // impostor queries 41 and 45, nearest prototype 30: distances 11 and 15, 100 in all.
        var q = OpenSetIdentification.run(fourPersonsAndAStranger(), new Rules(50, 4, 3, EnrolmentOrder.BY_PERSON), 1);
        assertThat(q.genuine()).hasSize(200).containsOnly(0.0);
        assertThat(q.impostor()).hasSize(100).containsOnly(11.0, 15.0);
        assertThat(q.rank1()).isEqualTo(1.0);
        // FAR 1%: t = the floor(0.01 * 100) = 1st (from 0) smallest impostor distance = 11; d < 11 accepts none.
        var at1 = q.atFar(0.01);
        assertThat(at1.threshold()).isEqualTo(11.0);
        assertThat(at1.farAchieved()).isZero();
        assertThat(at1.dir()).isEqualTo(1.0);
        // The model's threshold 11 accepts d <= 11: the 50 impostors at 11.
        assertThat(q.atThreshold(11).farAchieved()).isEqualTo(0.5);
        assertThat(q.atThreshold(Math.nextDown(11.0)).farAchieved()).isZero();
        assertThat(q.atThreshold(11).dir()).isEqualTo(1.0);
    }

    @Test
    void strangersAreEveryImageOfEveryPersonNotEnrolled() {
        // 3 of P0..P3 enrolled: the fourth's 4 images and the stranger's 2 are impostor queries.
        var q = OpenSetIdentification.run(fourPersonsAndAStranger(), new Rules(20, 3, 3, EnrolmentOrder.BY_PERSON), 1);
        assertThat(q.genuine()).hasSize(20 * 3);
        assertThat(q.impostor()).hasSize(20 * 6);
    }

    @Test
    void genuineQueriesAreAllImagesBeyondTheShots() {
        // Unequal counts: 4, 6 and 9 images, all enrolled with 3 shots -> 1 + 3 + 6 genuine queries a repetition.
        var g = persons(new double[] {0, 10, 20, 40}, new int[] {4, 6, 9, 1});
        var q = OpenSetIdentification.run(g, new Rules(7, 3, 3, EnrolmentOrder.BY_PERSON), 2);
        assertThat(q.genuine()).hasSize(7 * 10);
        assertThat(q.impostor()).hasSize(7);
    }

    @Test
    void aQueryEquallyNearTwoPrototypesGoesToTheFirstPersonInOrder() {
        // P0 and P1 coincide: P1's query is nearest both at distance 0 and is assigned to P0, so it is wrong;
        // P0's and P2's are right -> rank-1 2/3, and DIR at any threshold at most 2/3.
        var g = persons(new double[] {0, 0, 10, 50}, new int[] {4, 4, 4, 2});
        var q = OpenSetIdentification.run(g, new Rules(30, 3, 3, EnrolmentOrder.BY_PERSON), 3);
        assertThat(q.rank1()).isEqualTo(2 / 3.0);
        assertThat(q.atThreshold(100).dir()).isEqualTo(2 / 3.0);
        assertThat(q.atThreshold(100).farAchieved()).isEqualTo(1.0);
    }

    @Test
    void refusesWhenTooFewPersonsCanBeEnrolledOrNoneIsLeftAsAStranger() {
        var g = persons(new double[] {0, 10, 20}, new int[] {4, 4, 3});
        assertThatThrownBy(() -> OpenSetIdentification.run(g, new Rules(5, 3, 3, EnrolmentOrder.BY_PERSON), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(there are 2)");
        var h = persons(new double[] {0, 10}, new int[] {4, 4});
        assertThatThrownBy(() -> OpenSetIdentification.run(h, new Rules(5, 2, 3, EnrolmentOrder.AS_DRAWN), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stranger");
    }
}
