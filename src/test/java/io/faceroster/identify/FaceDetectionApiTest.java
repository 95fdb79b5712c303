package io.faceroster.identify;

import static io.faceroster.testsupport.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.faceroster.employee.FaceSampleRepository;
import io.faceroster.testsupport.ApiClient;
import io.faceroster.testsupport.ApiClient.Part;
import io.faceroster.testsupport.Composites;
import io.faceroster.testsupport.DrawnFaces;
import io.faceroster.testsupport.DrawnFaces.Placement;
import io.faceroster.testsupport.TestImages;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.geom.Point2D;
import java.awt.image.BufferedImage;
import java.awt.image.ConvolveOp;
import java.awt.image.Kernel;
import java.awt.image.RescaleOp;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Face detection, alignment and the quality gate through the API, on composites: photos of a drawn face (always)
 * or an ORL face (when the data set is beside the project) pasted into larger canvases off-centre, scaled and
 * rotated, several faces in one picture, and pictures without a face.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.datasource.url=jdbc:h2:mem:face-detection-api;DB_CLOSE_DELAY=-1")
class FaceDetectionApiTest {

    @LocalServerPort
    int port;
    @Autowired
    FaceSampleRepository faces;
    ApiClient api;

    @BeforeEach
    void client() {
        api = new ApiClient(port);
    }

    private void create(String id) {
        assertThat(api.createEmployee(id, id)
                .status()).isEqualTo(201);
    }

    private static byte[] jpeg(BufferedImage image) {
        return TestImages.encode(image, "jpeg");
    }


    /**
     * Three drawn people, three photos each at different places, sizes and tilts, enrolled once for the tests
     * below (the context is shared); checks each enrolment's boxes.
     */
    private void enrolDrawnPeople() {
        if (api.get("/api/v1/employees/drawn3").status() == 200) {
            return;
        }
        Placement[] enrolPlacements = {new Placement(320, 240, 220, 0), new Placement(200, 260, 190, 10),
                new Placement(430, 220, 250, -12)};
        for (int person = 1; person <= 3; person++) {
            create("drawn" + person);
            List<Part> parts = new ArrayList<>();
            for (Placement p : enrolPlacements) {
                parts.add(Part.image("p.jpg", jpeg(DrawnFaces.photo(person, 640, 480, p))));
            }
            var r = api.multipart("/api/v1/employees/drawn" + person + "/faces", parts);
            assertThat(r.status()).as(r.text()).isEqualTo(201);
            for (JsonNode face : r.json().get("faces")) {
                JsonNode box = face.get("face");
                assertThat(box.get("width").asDouble()).isBetween(120.0, 300.0);
                assertThat(box.get("eyes")).hasSize(2);
            }
        }
    }

    @Test
    void drawnFacesAreEnrolledFromPhotosAtDifferentPlacesSizesAndTilts() {
        enrolDrawnPeople();
        for (int person = 1; person <= 3; person++) {
            assertThat(api.get("/api/v1/employees/drawn" + person + "/faces").json().get("faces")).hasSize(3);
        }
    }

    @Test
    void theStoredCropIsTheAlignedColourFaceChip() {
        enrolDrawnPeople();
        // The stored crop is the aligned 224x224 colour face chip, not the photo.
        String faceId = api.get("/api/v1/employees/drawn1/faces").json().get("faces").get(0).get("faceId").asString();
        BufferedImage crop = read(api.get("/api/v1/employees/drawn1/faces/" + faceId + "/image").body());
        assertThat(crop.getWidth()).isEqualTo(224);
        assertThat(crop.getHeight()).isEqualTo(224);
        assertThat(crop.getColorModel().getNumColorComponents()).isEqualTo(3);

    }

    @Test
    void aFaceFarOffCentreInALargePhotoIsFoundAndIdentified() {
        enrolDrawnPeople();
        // Person 2 in a 1920x1080 photo, far off-centre, bigger and tilted the other way.
        BufferedImage query = DrawnFaces.canvas(1920, 1080);
        Point2D[] eyes = DrawnFaces.draw(query, 2, new Placement(1450, 700, 420, 18));
        JsonNode r = api.image("/api/v1/identify?candidates=3", "q.jpg", jpeg(query)).json();
        assertThat(r.get("candidates").get(0).get("employeeId").asString()).isEqualTo("drawn2");
        assertThat(r.get("match").get("employeeId").asString()).isEqualTo("drawn2");
        JsonNode box = r.get("face");
        double eyeDistance = eyes[0].distance(eyes[1]);
        assertThat(box.get("eyes").get(0).get("x").asDouble()).isCloseTo(eyes[0].getX(), within(0.25 * eyeDistance));
        assertThat(box.get("eyes").get(0).get("y").asDouble()).isCloseTo(eyes[0].getY(), within(0.25 * eyeDistance));
        assertThat(box.get("eyes").get(1).get("x").asDouble()).isCloseTo(eyes[1].getX(), within(0.25 * eyeDistance));
        assertThat(box.get("eyes").get(1).get("y").asDouble()).isCloseTo(eyes[1].getY(), within(0.25 * eyeDistance));

    }

    @Test
    void everyFaceOfAGroupPhotoIsAnsweredLargestFirst() {
        enrolDrawnPeople();
        // All faces of a group photo, largest first, each with its own answer and box.
        BufferedImage group = DrawnFaces.canvas(960, 480);
        DrawnFaces.draw(group, 3, new Placement(170, 240, 210, 5));
        DrawnFaces.draw(group, 1, new Placement(480, 230, 250, -6));
        DrawnFaces.draw(group, 7, new Placement(790, 250, 230, 0));
        JsonNode all = api.image("/api/v1/identify?all=true", "g.jpg", jpeg(group)).json();
        assertThat(all.get("facesDetected").asInt()).isEqualTo(3);
        assertThat(all.get("faces")).hasSize(3);
        JsonNode largest = all.get("faces").get(0);
        assertThat(largest.get("face").get("x").asDouble()).isBetween(330.0, 480.0);
        assertThat(largest.get("candidates").get(0).get("employeeId").asString()).isEqualTo("drawn1");
        List<String> leftToRight = new ArrayList<>();
        all.get("faces").forEach(f -> leftToRight.add(f.get("face").get("x").asDouble() < 330 ? "left"
                : f.get("face").get("x").asDouble() < 620 ? "middle" : "right"));
        assertThat(leftToRight).containsExactlyInAnyOrder("left", "middle", "right");
        for (JsonNode f : all.get("faces")) {
            if (f.get("face").get("x").asDouble() < 330) {
                assertThat(f.get("candidates").get(0).get("employeeId").asString()).isEqualTo("drawn3");
            }
        }

    }

    @Test
    void aFaceTooSmallForTheWholePhotoPassIsFoundInTheTiles() {
        enrolDrawnPeople();
        // A face too small for the whole-photo pass (160 px in 1920x1080) is still found, in the tiles.
        BufferedImage far = DrawnFaces.canvas(1920, 1080);
        DrawnFaces.draw(far, 3, new Placement(1500, 300, 160, 4));
        JsonNode distant = api.image("/api/v1/identify", "far.jpg", jpeg(far)).json();
        // At 160 px a drawn cartoon face is too small for the face network to tell from the other cartoons (they
        // differ in little more than proportions): the right person is among the candidates, not always first.
        List<String> distantCandidates = new ArrayList<>();
        distant.get("candidates").forEach(c -> distantCandidates.add(c.get("employeeId").asString()));
        assertThat(distantCandidates).as(distant.toString()).contains("drawn3");
        assertThat(distant.get("face").get("x").asDouble()).isBetween(1350.0, 1500.0);

    }

    @Test
    void verifyUsesTheLargestFaceAndSaysWhich() {
        enrolDrawnPeople();
        BufferedImage query = DrawnFaces.canvas(1920, 1080);
        Point2D[] eyes = DrawnFaces.draw(query, 2, new Placement(1450, 700, 420, 18));
        // Verify uses the largest face too and says which.
        JsonNode v = api.image("/api/v1/employees/drawn2/verify", "q.jpg", jpeg(query)).json();
        assertThat(v.get("match").asBoolean()).isTrue();
        assertThat(v.get("face").get("width").asDouble()).isGreaterThan(200);
    }

    @Test
    void theQualityGateRefusesPhotosWithoutExactlyOneGoodFace() {
        create("gate");
        long before = faces.count();
        // Two faces: refused with their count and boxes.
        BufferedImage two = DrawnFaces.canvas(960, 480);
        DrawnFaces.draw(two, 4, new Placement(250, 240, 230, 0));
        DrawnFaces.draw(two, 5, new Placement(700, 240, 230, 0));
        var r = api.multipart("/api/v1/employees/gate/faces", List.of(
                Part.image("one.jpg", jpeg(DrawnFaces.photo(4, 640, 480, new Placement(320, 240, 220, 0)))),
                Part.image("two.jpg", jpeg(two))));
        assertProblem(r, 422, "multiple_faces");
        assertThat(r.json().get("faceCount").asInt()).isEqualTo(2);
        assertThat(r.json().get("faces")).hasSize(2);
        assertThat(r.json().get("part").get("index").asInt()).isEqualTo(1);

        // No face on a blank canvas, on noise and on a checkerboard; identify says so too.
        assertProblem(api.image("/api/v1/employees/gate/faces", "blank.png",
                TestImages.encode(DrawnFaces.canvas(640, 480), "png")), 422, "no_face");
        assertProblem(api.image("/api/v1/employees/gate/faces", "checker.png", TestImages.encode(checkerboard(), "png")),
                422, "no_face");
        assertProblem(api.image("/api/v1/identify", "blank.png", TestImages.encode(DrawnFaces.canvas(640, 480), "png")),
                422, "no_face");
        JsonNode none = api.image("/api/v1/identify?all=true", "blank.png",
                TestImages.encode(DrawnFaces.canvas(640, 480), "png")).json();
        assertThat(none.get("faces")).isEmpty();
        assertThat(none.get("facesDetected").asInt()).isZero();

        // A face too small to enrol: found, but its box is below faceroster.imaging.quality.min-face-size.
        var small = api.image("/api/v1/employees/gate/faces", "small.png",
                TestImages.encode(DrawnFaces.photo(4, 160, 160, new Placement(80, 80, 50, 0)), "png"));
        assertProblem(small, 422, "face_too_small");
        assertThat(small.json().get("faceSize").asDouble()).isLessThan(48);
        assertThat(small.json().get("minFaceSize").asDouble()).isEqualTo(48);

        // Blurred, too dark and washed out.
        BufferedImage good = DrawnFaces.photo(4, 640, 480, new Placement(320, 240, 220, 0));
        var blurred = api.image("/api/v1/employees/gate/faces", "blur.png", TestImages.encode(blur(good, 6), "png"));
        assertProblem(blurred, 422, "low_quality");
        assertThat(blurred.json().get("reason").asString()).isEqualTo("blurred");
        var dark = api.image("/api/v1/employees/gate/faces", "dark.png",
                TestImages.encode(new RescaleOp(0.12f, 0, null).filter(good, null), "png"));
        assertProblem(dark, 422, "low_quality");
        assertThat(dark.json().get("reason").asString()).isEqualTo("too_dark");
        var bright = api.image("/api/v1/employees/gate/faces", "bright.png",
                TestImages.encode(new RescaleOp(0.25f, 200, null).filter(good, null), "png"));
        assertProblem(bright, 422, "low_quality");
        assertThat(bright.json().get("reason").asString()).isEqualTo("too_bright");

        assertThat(faces.count()).isEqualTo(before);
        // The same photo, sharp and well lit, passes; detect=false skips detection and stores no box.
        var ok = api.image("/api/v1/employees/gate/faces", "good.png", TestImages.encode(good, "png"));
        assertThat(ok.status()).as(ok.text()).isEqualTo(201);
        var crop = api.image("/api/v1/employees/gate/faces?detect=false", "crop.png", TestImages.face(1, 1));
        assertThat(crop.status()).as(crop.text()).isEqualTo(201);
        assertThat(crop.json().get("faces").get(0).get("face").isNull()).isTrue();
        assertThat(faces.count()).isEqualTo(before + 2);
        assertProblem(api.image("/api/v1/identify?all=true&detect=false", "c.png", TestImages.face(1, 1)), 400,
                "validation_failed");
    }

    @Test
    void aSidewaysPhoneJpegIsTurnedUprightByItsExifOrientationBeforeDetection() {
        create("phone");
        BufferedImage upright = DrawnFaces.photo(6, 640, 480, new Placement(300, 240, 230, 0));
        // What a phone held sideways stores: the pixels turned 90 degrees counter-clockwise, plus EXIF
        // orientation 6 ("turn 90 degrees clockwise to display").
        BufferedImage stored = new BufferedImage(480, 640, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = stored.createGraphics();
        AffineTransform t = new AffineTransform();
        t.translate(0, 640);
        t.rotate(-Math.PI / 2);
        g.drawImage(upright, t, null);
        g.dispose();
        byte[] plain = jpeg(stored);
        byte[] withExif = withExifOrientation(plain, 6);

        var r = api.image("/api/v1/employees/phone/faces", "phone.jpg", withExif);
        assertThat(r.status()).as(r.text()).isEqualTo(201);
        JsonNode eyes = r.json().get("faces").get(0).get("face").get("eyes");
        // Upright: the eyes side by side (in the 640x480 displayed frame), not one above the other.
        assertThat(Math.abs(eyes.get(0).get("y").asDouble() - eyes.get(1).get("y").asDouble()))
                .isLessThan(0.3 * Math.abs(eyes.get(0).get("x").asDouble() - eyes.get(1).get("x").asDouble()));
        assertThat(r.json().get("faces").get(0).get("face").get("x").asDouble()).isBetween(150.0, 300.0);
    }

    /** {@code jpeg} with an EXIF APP1 segment holding only the orientation tag, right after the SOI marker. */
    static byte[] withExifOrientation(byte[] jpeg, int orientation) {
        byte[] tiff = {'I', 'I', 0x2A, 0, 8, 0, 0, 0,          // little-endian TIFF header, IFD at offset 8
                1, 0,                                          // one entry
                0x12, 0x01, 3, 0, 1, 0, 0, 0, (byte) orientation, 0, 0, 0,   // 0x0112 SHORT x1
                0, 0, 0, 0};                                   // no next IFD
        byte[] exif = new byte[6 + tiff.length];
        System.arraycopy(new byte[] {'E', 'x', 'i', 'f', 0, 0}, 0, exif, 0, 6);
        System.arraycopy(tiff, 0, exif, 6, tiff.length);
        int length = exif.length + 2;
        byte[] out = new byte[jpeg.length + 4 + exif.length];
        out[0] = jpeg[0];
        out[1] = jpeg[1];
        out[2] = (byte) 0xFF;
        out[3] = (byte) 0xE1;
        out[4] = (byte) (length >> 8);
        out[5] = (byte) length;
        System.arraycopy(exif, 0, out, 6, exif.length);
        System.arraycopy(jpeg, 2, out, 6 + exif.length, jpeg.length - 2);
        return out;
    }

    @Test
    void anOrlPersonEnrolledFromCompositesIsFoundInAnotherComposite() {
        assumeTrue(TestImages.orlPresent(), "ORL data set not present beside the project");
        // s12 to s16 enrolled from three photos each, pasted at different places, scales and tilts.
        double[][] enrolPlacements = {{300, 240, 2.2, 0}, {420, 250, 2.6, 8}, {250, 220, 2.4, -10}};
        for (int s = 12; s <= 16; s++) {
            create("orl" + s);
            List<Part> parts = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                parts.add(Part.image(i + ".jpg", jpeg(composite(read(TestImages.orl(s, i)), 640, 480,
                        enrolPlacements[i - 1]))));
            }
            var r = api.multipart("/api/v1/employees/orl" + s + "/faces", parts);
            assertThat(r.status()).as(r.text()).isEqualTo(201);
        }
        // s14's image 7 at another place, scale and a 20-degree tilt, in a larger photo.
        BufferedImage query = composite(read(TestImages.orl(14, 7)), 1280, 960, new double[] {900, 380, 4.0, 20});
        JsonNode r = api.image("/api/v1/identify", "q.jpg", jpeg(query)).json();
        assertThat(r.get("match").get("employeeId").asString()).isEqualTo("orl14");
        assertThat(r.get("face").get("x").asDouble() + r.get("face").get("width").asDouble() / 2)
                .isCloseTo(900, within(60.0));
        // Two ORL faces in one enrolment photo: refused, nothing stored.
        long before = faces.count();
        BufferedImage pair = composite(read(TestImages.orl(12, 5)), 640, 480, new double[] {170, 240, 2.2, 0});
        paste(pair, read(TestImages.orl(13, 5)), new double[] {470, 240, 2.2, 0});
        var twoFaces = api.image("/api/v1/employees/orl12/faces", "pair.jpg", jpeg(pair));
        assertProblem(twoFaces, 422, "multiple_faces");
        assertThat(twoFaces.json().get("faceCount").asInt()).isEqualTo(2);
        assertThat(faces.count()).isEqualTo(before);
    }

    static BufferedImage read(byte[] bytes) {
        return Composites.read(bytes);
    }

    static BufferedImage composite(BufferedImage face, int width, int height, double[] placement) {
        return Composites.composite(List.of(face), width, height, placement);
    }

    static void paste(BufferedImage canvas, BufferedImage face, double[] placement) {
        Composites.paste(canvas, face, placement);
    }

    static BufferedImage checkerboard() {
        BufferedImage img = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 480; y++) {
            for (int x = 0; x < 640; x++) {
                img.setRGB(x, y, ((x / 40 + y / 40) % 2) * 0xffffff);
            }
        }
        return img;
    }

    /** A box blur of radius {@code r}, applied twice (close to a Gaussian). */
    static BufferedImage blur(BufferedImage image, int r) {
        int n = 2 * r + 1;
        float[] k = new float[n * n];
        java.util.Arrays.fill(k, 1f / (n * n));
        ConvolveOp op = new ConvolveOp(new Kernel(n, n, k), ConvolveOp.EDGE_NO_OP, null);
        return op.filter(op.filter(image, null), null);
    }
}
