package io.faceroster.imaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.faceroster.model.TowerArchitecture;
import io.faceroster.model.TowerInput;
import io.faceroster.testsupport.Composites;
import io.faceroster.testsupport.DrawnFaces;
import io.faceroster.testsupport.TestImages;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Face chips: alignment onto the chip template, colour, the border retry, the first towers' crop, storage. */
class FaceChipsTest {

    static FaceDetector detector;

    @BeforeAll
    static void load() {
        detector = new FaceDetector(Path.of("models/detector/face_detection_front_128x128_barracuda.onnx"), 0.5);
    }

    @AfterAll
    static void close() {
        detector.close();
    }

    /** A bright dot for each keypoint, placed by rotating (25 degrees), scaling (2.3) and moving the template. */
    private static final Similarity TEMPLATE_TO_PHOTO = new Similarity(2.3 * Math.cos(Math.toRadians(25)),
            2.3 * Math.sin(Math.toRadians(25)), 260, -90);

    @Test
    void keypointsLandOnTheChipTemplateWithinOnePixel() {
        List<Landmarks.Point> inPhoto = FaceChip.TEMPLATE.stream().map(TEMPLATE_TO_PHOTO::apply).toList();
        BufferedImage photo = dots(800, 700, inPhoto);
        FaceDetector.Face face = face(inPhoto);
        FaceChip chip = FaceChips.align(photo, face);
        GreyImage grey = chip.image().grey();
        for (int i = 0; i < FaceChip.TEMPLATE.size(); i++) {
            Landmarks.Point expected = FaceChip.TEMPLATE.get(i);
            double[] found = centroid(grey, expected, 9);
            assertThat(found[0]).as("x of %s", FaceChip.TEMPLATE_POINTS.get(i)).isCloseTo(expected.x(), within(1.0));
            assertThat(found[1]).as("y of %s", FaceChip.TEMPLATE_POINTS.get(i)).isCloseTo(expected.y(), within(1.0));
            Landmarks.Point recorded = chip.landmarks().point(FaceChip.TEMPLATE_POINTS.get(i));
            assertThat(recorded.x()).isCloseTo(expected.x(), within(1e-6));
            assertThat(recorded.y()).isCloseTo(expected.y(), within(1e-6));
        }
    }

    @Test
    void oneNoisyKeypointMovesTheFitLessThanItMovesItself() {
        List<Landmarks.Point> exact = FaceChip.TEMPLATE.stream().map(TEMPLATE_TO_PHOTO::apply).toList();
        List<Landmarks.Point> noisy = new java.util.ArrayList<>(exact);
        Landmarks.Point nose = exact.get(2);
        noisy.set(2, new Landmarks.Point(nose.x() + 40, nose.y()));   // a turned head: the nose tip moves sideways
        Similarity fit = Similarity.fit(noisy, FaceChip.TEMPLATE);
        double eyeError = 0;
        for (int eye : new int[] {0, 1}) {
            Landmarks.Point p = fit.apply(exact.get(eye));
            eyeError = Math.max(eyeError, Math.hypot(p.x() - FaceChip.TEMPLATE.get(eye).x(),
                    p.y() - FaceChip.TEMPLATE.get(eye).y()));
        }
        // 40 px in the photo is 17 px in the chip; the eyes move by a fraction of that.
        assertThat(eyeError).isLessThan(40 / TEMPLATE_TO_PHOTO.scale() / 3);
        assertThat(Math.toDegrees(fit.angle() + TEMPLATE_TO_PHOTO.angle())).isCloseTo(0, within(8.0));
    }

    @Test
    void architectureInputPutsItsTemplatePointsInPlace() {
        List<Landmarks.Point> inPhoto = FaceChip.TEMPLATE.stream().map(TEMPLATE_TO_PHOTO::apply).toList();
        FaceChip chip = FaceChips.align(dots(800, 700, inPhoto), face(inPhoto));
        TowerArchitecture dlib = TowerArchitecture.dlibResnet(List.of());
        GreyImage input = TowerInput.cut(chip, dlib).grey();
        assertThat(input.width()).isEqualTo(150);
        // The template of dlib's input is not a scaled copy of the chip's (other nose and mouth heights): the eyes
        // land on it within the least-squares residual, a few pixels.
        for (int eye : new int[] {0, 1}) {
            Landmarks.Point expected = dlib.template().positions().get(eye);
            double[] found = centroid(input, expected, 9);
            assertThat(Math.hypot(found[0] - expected.x(), found[1] - expected.y())).isLessThan(4.0);
        }
    }

    @Test
    void aColourPhotoStaysColourEndToEnd() {
        BufferedImage photo = DrawnFaces.photo(3, 640, 480, new DrawnFaces.Placement(320, 240, 220, 0));
        List<FaceDetector.Face> faces = detector.detect(photo);
        assertThat(faces).hasSize(1);
        FaceChip chip = FaceChips.align(photo, faces.get(0));
        // Skin: red well above blue in the chip, and in the colour tower's input planes.
        double[] means = channelMeans(chip.image(), 90, 120, 40);
        assertThat(means[0] - means[2]).isGreaterThan(40);
        float[] input = TowerInput.prepare(chip, TowerArchitecture.dlibResnet(List.of()));
        int plane = 150 * 150;
        int centre = 80 * 150 + 74;
        assertThat(input).hasSize(3 * plane);
        assertThat(input[centre] - input[2 * plane + centre]).isGreaterThan(0.1f);
        FaceChip stored = FaceChipPng.fromPng(FaceChipPng.toPng(chip));
        assertThat(stored.image()).isEqualTo(chip.image());
        assertThat(stored.landmarks()).isEqualTo(chip.landmarks());
        assertThat(stored.source()).isEqualTo(FaceChip.Source.DETECTED);
    }

    @Test
    void aFaceFillingTheFrameIsFoundWithTheNeutralBorder() {
        BufferedImage photo = DrawnFaces.photo(3, 400, 400, new DrawnFaces.Placement(200, 200, 240, 0));
        BufferedImage tight = photo.getSubimage(200 - 80, 200 - 80, 160, 210);
        assertThat(detector.detect(tight)).as("BlazeFace without a border").isEmpty();
        List<FaceDetector.Face> found = detector.detectWithBorder(tight);
        assertThat(found).hasSize(1);
        FaceDetector.Face f = found.get(0);
        // In the tight crop's own pixels: the eyes inside it, left and right of its middle.
        assertThat(f.eye1X()).isBetween(0.0, 80.0);
        assertThat(f.eye2X()).isBetween(80.0, 160.0);
    }

    @Test
    void aLegacyGreyCropBecomesAChipWhoseLegacyCropIsTheCropAgain() {
        BufferedImage drawn = DrawnFaces.photo(4, 92, 112, new DrawnFaces.Placement(45, 66, 78, 0));
        GreyImage legacy = GreyImage.of(drawn);
        FaceChip chip = FaceChipPng.fromPng(png(drawn));
        assertThat(chip.source()).isEqualTo(FaceChip.Source.NOMINAL);
        GreyImage again = FaceAligner.legacyCrop(chip);
        assertThat(meanAbsoluteDifference(legacy, again)).isLessThan(0.03);
        FaceChip whole = FaceChips.whole(drawn);
        assertThat(meanAbsoluteDifference(legacy, FaceAligner.legacyCrop(whole))).isLessThan(0.03);
    }

    @Test
    void aTiltedOrlFaceIsLevelledAndItsBoxLandsWhereTheFirstTowerExpectsIt() throws Exception {
        assumeTrue(TestImages.orlPresent(), "ORL data set not present beside the project: alignment on ORL SKIPPED");
        BufferedImage photo = Composites.read(TestImages.orl(3, 1));
        BufferedImage canvas = Composites.composite(List.of(photo), 640, 480, new double[][] {{300, 250, 2.5, 18}});
        FaceDetector.Face f = detector.detect(canvas).get(0);
        GreyImage legacy = FaceAligner.legacyCrop(FaceChips.align(canvas, f));
        FaceDetector.Face again = detector.detectWithBorder(legacy.toBufferedImage()).get(0);
        assertThat(again.x() + again.width() / 2).isCloseTo(FaceAligner.BOX_CENTRE_X, within(6.0));
        assertThat(again.y() + again.height() / 2).isCloseTo(FaceAligner.BOX_CENTRE_Y, within(6.0));
        assertThat(again.width()).isCloseTo(FaceAligner.BOX_SIZE, within(0.15 * FaceAligner.BOX_SIZE));
        assertThat(Math.toDegrees(Math.atan2(again.eye2Y() - again.eye1Y(), again.eye2X() - again.eye1X())))
                .isCloseTo(0, within(5.0));
    }

    private static byte[] png(BufferedImage image) {
        try {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            javax.imageio.ImageIO.write(image, "png", out);
            return out.toByteArray();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static FaceDetector.Face face(List<Landmarks.Point> p) {
        return new FaceDetector.Face(1, p.get(0).x() - 100, p.get(0).y() - 100, 250, 250, p.get(0).x(), p.get(0).y(),
                p.get(1).x(), p.get(1).y(), p.get(2).x(), p.get(2).y(), p.get(3).x(), p.get(3).y());
    }

    /** A dark image with a soft bright dot (sigma 2 px) centred on each point. */
    private static BufferedImage dots(int width, int height, List<Landmarks.Point> points) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double v = 0;
                for (Landmarks.Point p : points) {
                    double dx = x + 0.5 - p.x();
                    double dy = y + 0.5 - p.y();
                    v += Math.exp(-(dx * dx + dy * dy) / 8.0);
                }
                int g = (int) Math.round(Math.min(1, v) * 255);
                img.setRGB(x, y, g * 0x010101);
            }
        }
        return img;
    }

    /** Intensity-weighted centre (continuous pixel coordinates) within a window around {@code near}. */
    static double[] centroid(GreyImage img, Landmarks.Point near, int radius) {
        double sx = 0;
        double sy = 0;
        double total = 0;
        int cx = (int) near.x();
        int cy = (int) near.y();
        for (int y = Math.max(0, cy - radius); y < Math.min(img.height(), cy + radius); y++) {
            for (int x = Math.max(0, cx - radius); x < Math.min(img.width(), cx + radius); x++) {
                double v = img.pixels()[y * img.width() + x];
                v = v * v;   // weight the dot over its faint tail
                sx += v * (x + 0.5);
                sy += v * (y + 0.5);
                total += v;
            }
        }
        return new double[] {sx / total, sy / total};
    }

    private static double[] channelMeans(RgbImage img, int x0, int y0, int size) {
        double[] m = new double[3];
        for (int y = y0; y < y0 + size; y++) {
            for (int x = x0; x < x0 + size; x++) {
                for (int c = 0; c < 3; c++) {
                    m[c] += img.rgb()[3 * (y * img.width() + x) + c] & 0xff;
                }
            }
        }
        for (int c = 0; c < 3; c++) {
            m[c] /= size * size;
        }
        return m;
    }

    private static double meanAbsoluteDifference(GreyImage a, GreyImage b) {
        double d = 0;
        for (int i = 0; i < a.pixels().length; i++) {
            d += Math.abs(a.pixels()[i] - b.pixels()[i]);
        }
        return d / a.pixels().length;
    }
}
