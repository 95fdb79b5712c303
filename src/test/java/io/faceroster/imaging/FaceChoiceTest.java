package io.faceroster.imaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.faceroster.imaging.DatasetPhotoAligner.FaceChoice;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaceChoiceTest {

    private static FaceDetector.Face box(double score, double x, double y, double size) {
        return new FaceDetector.Face(score, x, y, size, size, x + size / 3, y + size / 3, x + 2 * size / 3,
                y + size / 3, x + size / 2, y + size / 2, x + size / 2, y + 3 * size / 4);
    }

    // A 250x250 photo: a centred face and a larger bystander at the edge (as in 6 LFW evaluation photos).
    private final FaceDetector.Face centred = box(0.9, 95, 95, 60);
    private final FaceDetector.Face bystander = box(0.95, 170, 20, 80);

    @Test
    void nearestCentreTakesTheCentredFaceOverALargerBystander() {
        assertThat(FaceChoice.NEAREST_CENTRE.pick(List.of(bystander, centred), 250, 250)).isSameAs(centred);
    }

    @Test
    void largestTakesTheLargestBox() {
        assertThat(FaceChoice.LARGEST.pick(List.of(centred, bystander), 250, 250)).isSameAs(bystander);
    }

    @Test
    void equallyCentredFacesKeepTheDetectorsOrder() {
        FaceDetector.Face left = box(0.9, 75, 100, 50);   // centre (100, 125), 25 px from (125, 125)
        FaceDetector.Face right = box(0.8, 125, 100, 50); // centre (150, 125), 25 px
        assertThat(FaceChoice.NEAREST_CENTRE.pick(List.of(left, right), 250, 250)).isSameAs(left);
    }
}
