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
 * BlazeFace through ONNX Runtime and the aligner: faces on composites built from ORL photos (skipped without
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
    void alignmentPutsTheFaceBoxInPlaceAndLevelsTheTiltToTheDeadZone() throws Exception {
        assumeTrue(TestImages.orlPresent(), "ORL data set not present beside the project");
        BufferedImage photo = orl(3, 1);
        double ownTilt = tilt(detector.detect(photo).get(0));
        BufferedImage canvas = composite(List.of(photo), 640, 480, new double[][] {{300, 250, 2.5, 18}});
        FaceDetector.Face f = detector.detect(canvas).get(0);
        assertThat(tilt(f)).isCloseTo(ownTilt + 18, within(3.0));
        GreyImage aligned = FaceAligner.align(GreyImage.of(canvas), f);
        assertThat(aligned.width()).isEqualTo(FaceCrops.WIDTH);
        assertThat(aligned.height()).isEqualTo(FaceCrops.HEIGHT);
        // Detecting again on the aligned crop: the box where the aligner put it (within the detector's own
        // accuracy), the tilt turned back to the 5-degree dead zone.
        FaceDetector.Face again = detector.detect(aligned.toBufferedImage()).get(0);
        assertThat(again.x() + again.width() / 2).isCloseTo(FaceAligner.BOX_CENTRE_X, within(6.0));
        assertThat(again.y() + again.height() / 2).isCloseTo(FaceAligner.BOX_CENTRE_Y, within(6.0));
        assertThat(again.width()).isCloseTo(FaceAligner.BOX_SIZE, within(0.15 * FaceAligner.BOX_SIZE));
        assertThat(tilt(again)).isCloseTo(FaceAligner.UNCORRECTED_TILT_DEGREES, within(3.0));
    }

    @Test
    void alignmentMapsTheBoxCentreAndRotatesByTheTiltLessTheDeadZone() {
        // Two bright dots on a dark 800x600 image: the "eyes", 120 px apart and tilted by 25 degrees, about
        // a box centre 60 px below their midpoint; the box is 280 px.
        float[] p = new float[800 * 600];
        double t = Math.toRadians(25);
        double ex1 = 300;
        double ey1 = 280;
        double ex2 = ex1 + 120 * Math.cos(t);
        double ey2 = ey1 + 120 * Math.sin(t);
        for (double[] eye : new double[][] {{ex1, ey1}, {ex2, ey2}}) {
            for (int y = -6; y <= 6; y++) {
                for (int x = -6; x <= 6; x++) {
                    double w = Math.exp(-(x * x + y * y) / 8.0);
                    p[(int) Math.round(eye[1] - 0.5 + y) * 800 + (int) Math.round(eye[0] - 0.5 + x)] += (float) w;
                }
            }
        }
        double cx = (ex1 + ex2) / 2 - 60 * Math.sin(t);
        double cy = (ey1 + ey2) / 2 + 60 * Math.cos(t);
        var face = new FaceDetector.Face(1, cx - 140, cy - 140, 280, 280, ex1, ey1, ex2, ey2);
        GreyImage aligned = FaceAligner.align(new GreyImage(800, 600, p), face);
        // Expected: image point q -> crop (R(-20 deg) (q - c)) / scale + box centre of the crop.
        double scale = 280 / FaceAligner.BOX_SIZE;
        double r = Math.toRadians(-(25 - FaceAligner.UNCORRECTED_TILT_DEGREES));
        double[] expected1 = {FaceAligner.BOX_CENTRE_X + ((ex1 - cx) * Math.cos(r) - (ey1 - cy) * Math.sin(r)) / scale,
                FaceAligner.BOX_CENTRE_Y + ((ex1 - cx) * Math.sin(r) + (ey1 - cy) * Math.cos(r)) / scale};
        double[] expected2 = {FaceAligner.BOX_CENTRE_X + ((ex2 - cx) * Math.cos(r) - (ey2 - cy) * Math.sin(r)) / scale,
                FaceAligner.BOX_CENTRE_Y + ((ex2 - cx) * Math.sin(r) + (ey2 - cy) * Math.cos(r)) / scale};
        double[] left = brightest(aligned, 0, FaceCrops.WIDTH / 2);
        double[] right = brightest(aligned, FaceCrops.WIDTH / 2, FaceCrops.WIDTH);
        assertThat(left[0]).isCloseTo(expected1[0], within(1.0));
        assertThat(left[1]).isCloseTo(expected1[1], within(1.0));
        assertThat(right[0]).isCloseTo(expected2[0], within(1.0));
        assertThat(right[1]).isCloseTo(expected2[1], within(1.0));
        // The eye line is left 5 degrees tilted, and the eyes sit about where a frontal ORL face has them.
        assertThat(Math.toDegrees(Math.atan2(right[1] - left[1], right[0] - left[0])))
                .isCloseTo(FaceAligner.UNCORRECTED_TILT_DEGREES, within(2.0));
        assertThat(FaceAligner.correctedTilt(face)).isCloseTo(Math.toRadians(20), within(1e-9));
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

    /** Intensity-weighted centre (in continuous pixel coordinates) of columns [from, to). */
    static double[] brightest(GreyImage img, int from, int to) {
        double sx = 0;
        double sy = 0;
        double total = 0;
        for (int y = 0; y < img.height(); y++) {
            for (int x = from; x < to; x++) {
                double v = img.pixels()[y * img.width() + x];
                sx += v * (x + 0.5);
                sy += v * (y + 0.5);
                total += v;
            }
        }
        return new double[] {sx / total, sy / total};
    }

    static double[] place(double x, double y, BufferedImage face, double[] p) {
        return Composites.place(x, y, face, p);
    }
}
