package io.faceroster.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.faceroster.testsupport.Composites;
import io.faceroster.testsupport.DrawnFaces;
import io.faceroster.testsupport.TestImages;
import java.awt.geom.Point2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * BlazeFace through ONNX Runtime: faces on composites built from ORL photos (skipped without
 * them) and from drawn faces, none on synthetic non-faces.
 */
class FaceDetectorTest {

    static FaceDetector detector;

    @BeforeAll
    static void load() {
        detector = new FaceDetector(Path.of("models/detector/face_detection_front_128x128_barracuda.onnx"), 0.5);
    }

    @AfterAll
    static void close() {
        detector.close();
    }

    @Test
    void findsNoFaceOnNoiseGradientsAndCheckerboards() {
        Random rng = new Random(4);
        for (int k = 0; k < 12; k++) {
            BufferedImage img = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 480; y++) {
                for (int x = 0; x < 640; x++) {
                    int v = switch (k % 3) {
                        case 0 -> rng.nextInt(256);
                        case 1 -> (x + y) * 255 / 1120;
                        default -> (((x / (10 + 10 * k)) + (y / (10 + 10 * k))) % 2) * 255;
                    };
                    img.setRGB(x, y, v * 0x010101);
                }
            }
            assertThat(detector.detect(img)).as("image %d", k).isEmpty();
        }
    }

    static BufferedImage orl(int subject, int image) {
        return Composites.read(TestImages.orl(subject, image));
    }

    static BufferedImage composite(List<BufferedImage> faces, int width, int height, double[][] placements) {
        return Composites.composite(faces, width, height, placements);
    }

    @Test
    void findsPastedFacesWithTheirEyesWhereverTheyAre() throws Exception {
        assumeTrue(TestImages.orlPresent(), "ORL data set not present beside the project");
        BufferedImage face = orl(3, 1);
        FaceDetector.Face original = detector.detect(face).get(0);
        double[][] placements = {{400, 260, 3.0, 0}, {180, 330, 2.0, 15}, {500, 180, 2.5, -20}};
        for (double[] p : placements) {
            BufferedImage canvas = composite(List.of(face), 640, 480, new double[][] {p});
            List<FaceDetector.Face> found = detector.detect(canvas);
            assertThat(found).as("placement %s", java.util.Arrays.toString(p)).hasSize(1);
            // Where the original eyes went under the paste transform.
            double[] expected1 = place(original.eye1X(), original.eye1Y(), face, p);
            double[] expected2 = place(original.eye2X(), original.eye2Y(), face, p);
            double tolerance = 0.15 * original.eyeDistance() * p[2];
            FaceDetector.Face f = found.get(0);
            assertThat(Math.hypot(f.eye1X() - expected1[0], f.eye1Y() - expected1[1])).isLessThan(tolerance);
            assertThat(Math.hypot(f.eye2X() - expected2[0], f.eye2Y() - expected2[1])).isLessThan(tolerance);
            assertThat(f.eyeDistance()).isCloseTo(original.eyeDistance() * p[2], within(tolerance));
        }
        BufferedImage two = composite(List.of(face, orl(7, 2)), 640, 480,
                new double[][] {{170, 240, 2.2, 0}, {470, 240, 2.2, 0}});
        assertThat(detector.detect(two)).hasSize(2);
    }

    @Test
    void findsDrawnFacesAnywhereWithTheirEyesAndNothingElse() {
        DrawnFaces.Placement[] placements = {new DrawnFaces.Placement(420, 250, 200, 0),
                new DrawnFaces.Placement(170, 330, 160, 12), new DrawnFaces.Placement(480, 200, 240, -20),
                new DrawnFaces.Placement(900, 600, 420, 20)};
        for (int k = 0; k < placements.length; k++) {
            DrawnFaces.Placement placement = placements[k];
            int w = k == 3 ? 1920 : 640;
            int h = k == 3 ? 1080 : 480;
            BufferedImage canvas = DrawnFaces.canvas(w, h);
            Point2D[] eyes = DrawnFaces.draw(canvas, k, placement);
            List<FaceDetector.Face> found = detector.detect(canvas);
            assertThat(found).as("placement %s", placement).hasSize(1);
            FaceDetector.Face f = found.get(0);
            double eyeDistance = eyes[0].distance(eyes[1]);
            double tolerance = 0.25 * eyeDistance;
            assertThat(Math.hypot(f.eye1X() - eyes[0].getX(), f.eye1Y() - eyes[0].getY())).as("eye 1 %s", placement)
                    .isLessThan(tolerance);
            assertThat(Math.hypot(f.eye2X() - eyes[1].getX(), f.eye2Y() - eyes[1].getY())).as("eye 2 %s", placement)
                    .isLessThan(tolerance);
            // The box surrounds both eyes, and its side is in proportion to the drawn face.
            assertThat(f.x()).isLessThan(eyes[0].getX());
            assertThat(f.x() + f.width()).isGreaterThan(eyes[1].getX());
            assertThat(f.width()).isBetween(0.5 * placement.size(), 1.2 * placement.size());
            assertThat(tilt(f)).isCloseTo(placement.degrees(), within(6.0));
        }
        // The short-range model sees the image scaled to 128 px: faces must be about a fifth of the longer side.
        BufferedImage group = DrawnFaces.canvas(960, 480);
        DrawnFaces.draw(group, 1, new DrawnFaces.Placement(170, 240, 230, 0));
        DrawnFaces.draw(group, 2, new DrawnFaces.Placement(480, 220, 210, 10));
        DrawnFaces.draw(group, 3, new DrawnFaces.Placement(790, 260, 240, -8));
        assertThat(detector.detect(group)).hasSize(3);
        assertThat(detector.detect(DrawnFaces.canvas(640, 480))).isEmpty();
    }

    @Test
    void tilesFindFacesTooSmallForTheWholePhotoPassAndNothingOnNonFaces() {
        // A 1920x1080 group photo with four faces of 150-190 px: about a tenth of the width.
        BufferedImage group = DrawnFaces.canvas(1920, 1080);
        Point2D[][] eyes = {
                DrawnFaces.draw(group, 11, new DrawnFaces.Placement(250, 300, 150, 0)),
                DrawnFaces.draw(group, 12, new DrawnFaces.Placement(800, 700, 170, 10)),
                DrawnFaces.draw(group, 13, new DrawnFaces.Placement(1300, 350, 190, -8)),
                DrawnFaces.draw(group, 14, new DrawnFaces.Placement(1700, 850, 160, 0))};
        assertThat(detector.detect(group)).isEmpty();
        List<FaceDetector.Face> found = detector.detectWithTiles(group);
        assertThat(found).hasSize(4);
        for (Point2D[] e : eyes) {
            double tolerance = 0.3 * e[0].distance(e[1]);
            assertThat(found).as("face with eyes at %s", e[0]).anySatisfy(f -> {
                assertThat(Math.hypot(f.eye1X() - e[0].getX(), f.eye1Y() - e[0].getY())).isLessThan(tolerance);
                assertThat(Math.hypot(f.eye2X() - e[1].getX(), f.eye2Y() - e[1].getY())).isLessThan(tolerance);
            });
        }
        // A face big enough for the whole pass is found once, not again in every tile that holds part of it.
        BufferedImage big = DrawnFaces.photo(15, 1920, 1080, new DrawnFaces.Placement(960, 540, 600, 0));
        assertThat(detector.detectWithTiles(big)).hasSize(1);
        // Tiles on non-faces find nothing either.
        Random rng = new Random(5);
        for (int k = 0; k < 3; k++) {
            BufferedImage img = new BufferedImage(1920, 1080, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 1080; y++) {
                for (int x = 0; x < 1920; x++) {
                    int v = switch (k) {
                        case 0 -> rng.nextInt(256);
                        case 1 -> (x + y) * 255 / 3000;
                        default -> ((x / 60 + y / 60) % 2) * 255;
                    };
                    img.setRGB(x, y, v * 0x010101);
                }
            }
            assertThat(detector.detectWithTiles(img)).as("image %d", k).isEmpty();
        }
    }

    static double tilt(FaceDetector.Face f) {
        return Math.toDegrees(Math.atan2(f.eye2Y() - f.eye1Y(), f.eye2X() - f.eye1X()));
    }

    static double[] place(double x, double y, BufferedImage face, double[] p) {
        return Composites.place(x, y, face, p);
    }
}
