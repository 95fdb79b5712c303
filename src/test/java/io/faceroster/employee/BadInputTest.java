package io.faceroster.employee;

import static org.assertj.core.api.Assertions.assertThat;

import io.faceroster.testsupport.ApiClient.Part;
import io.faceroster.testsupport.ApiClient;
import io.faceroster.testsupport.SyntheticFaces;
import io.faceroster.testsupport.TestImages;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Every kind of bad upload gets its documented status and problem code, and nothing is stored. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.datasource.url=jdbc:h2:mem:bad-input;DB_CLOSE_DELAY=-1")
class BadInputTest {

    @LocalServerPort
    int port;
    @Autowired
    FaceSampleRepository faces;
    ApiClient api;

    @BeforeEach
    void setUp() {
        api = new ApiClient(port);
        api.createEmployee("victim", "V");
    }

    private void assertProblem(ApiClient.Response r, int status, String code) {
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().get("code").asString()).isEqualTo(code);
        assertThat(r.text()).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(faces.count()).isZero();
    }

    static byte[] pngHeaderClaiming(int width, int height) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(out);
        d.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        DataOutputStream h = new DataOutputStream(ihdr);
        h.write("IHDR".getBytes(StandardCharsets.US_ASCII));
        h.writeInt(width);
        h.writeInt(height);
        h.write(new byte[] {8, 0, 0, 0, 0});
        byte[] chunk = ihdr.toByteArray();
        CRC32 crc = new CRC32();
        crc.update(chunk);
        d.writeInt(13);
        d.write(chunk);
        d.writeInt((int) crc.getValue());
        d.writeInt(0);
        d.write("IEND".getBytes(StandardCharsets.US_ASCII));
        crc.reset();
        crc.update("IEND".getBytes(StandardCharsets.US_ASCII));
        d.writeInt((int) crc.getValue());
        return out.toByteArray();
    }

    @Test
    void zeroBytes() {
        assertProblem(api.image("/api/v1/employees/victim/faces", "empty.png", new byte[0]), 400, "image_missing");
        assertProblem(api.image("/api/v1/identify", "empty.png", new byte[0]), 400, "image_missing");
    }

    @Test
    void truncatedJpeg() {
        byte[] jpeg = TestImages.encode(SyntheticFaces.sample(1, 1, 92, 112, 3), "jpeg");
        byte[] truncated = Arrays.copyOf(jpeg, jpeg.length / 2);
        assertProblem(api.image("/api/v1/employees/victim/faces", "cut.jpg", truncated), 400, "image_unreadable");
    }

    @Test
    void textFileNamedPng() {
        byte[] text = "hello, I am not a picture".getBytes(StandardCharsets.UTF_8);
        assertProblem(api.image("/api/v1/employees/victim/faces", "face.png", text), 415, "image_format_unsupported");
    }

    @Test
    void decompressionBombHeader() throws IOException {
        var r = api.image("/api/v1/employees/victim/faces", "bomb.png", pngHeaderClaiming(20000, 20000));
        assertProblem(r, 400, "image_dimensions_too_large");
    }

    @Test
    void missingImagePart() {
        var r = api.multipart("/api/v1/employees/victim/faces",
                List.of(new Part("photo", "a.png", "image/png", TestImages.face(1, 1))));
        assertProblem(r, 400, "image_missing");
        assertProblem(api.postJson("/api/v1/identify", "{}"), 415, "unsupported_media_type");
    }

    @Test
    void unknownAndInvalidEmployee() {
        assertProblem(api.image("/api/v1/employees/nobody/faces", "a.png", TestImages.face(1, 1)), 404,
                "employee_not_found");
        assertProblem(api.image("/api/v1/employees/bad%20id/faces", "a.png", TestImages.face(1, 1)), 400,
                "validation_failed");
        assertProblem(api.image("/api/v1/employees/nobody/verify", "a.png", TestImages.face(1, 1)), 404,
                "employee_not_found");
    }

    @Test
    void oneBadImageRejectsTheWholeEnrolmentAndNamesThePart() {
        var r = api.multipart("/api/v1/employees/victim/faces?detect=false", List.of(
                Part.image("good.png", TestImages.face(1, 1)),
                Part.image("notes.png", "plain text".getBytes(StandardCharsets.UTF_8))));
        assertProblem(r, 415, "image_format_unsupported");
        assertThat(r.json().get("part").get("index").asInt()).isEqualTo(1);
        assertThat(r.json().get("part").get("filename").asString()).isEqualTo("notes.png");
    }

    @Test
    void tooLargeBody() {
        byte[] big = new byte[11 * 1024 * 1024];
        var r = api.image("/api/v1/employees/victim/faces", "big.png", big);
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.json().get("code").asString()).isEqualTo("image_too_large");
        assertThat(faces.count()).isZero();
    }

    @Test
    void badQueryParameters() {
        assertProblem(api.image("/api/v1/identify?candidates=21&detect=false", "a.png", TestImages.face(1, 1)), 400,
                "validation_failed");
        assertProblem(api.image("/api/v1/identify?threshold=-1&detect=false", "a.png", TestImages.face(1, 1)), 400,
                "validation_failed");
        assertProblem(api.image("/api/v1/identify?threshold=abc&detect=false", "a.png", TestImages.face(1, 1)), 400,
                "validation_failed");
    }

    @Test
    void fuzzedUploadsNeverCauseA5xxAndOnlyAcceptedOnesAreStored() throws Exception {
        api.createEmployee("fuzz", "F");
        var seeds = io.faceroster.imaging.ImageDecoderFuzzTest.seeds();
        var formats = new java.util.ArrayList<>(seeds.keySet());
        java.util.Random rng = new java.util.Random(7);
        int accepted = 0;
        for (int c = 0; c < 150; c++) {
            String format = formats.get(c % formats.size());
            byte[] damaged = io.faceroster.imaging.ImageDecoderFuzzTest.mutate(seeds.get(format), format, rng);
            var r = api.image("/api/v1/employees/fuzz/faces?detect=false", "f." + format, damaged);
            assertThat(r.status()).as("case %d (%s): %s", c, format, r.text()).isIn(201, 400, 413, 415, 422);
            if (r.status() == 201) {
                accepted++;
            } else {
                assertThat(r.contentType()).startsWith("application/problem+json");
            }
        }
        assertThat(faces.count()).isEqualTo(accepted);
        assertThat(api.delete("/api/v1/employees/fuzz").status()).isEqualTo(200);   // leave the store empty
        assertThat(faces.count()).isZero();
    }

    @Test
    void partCountsAndEmptyFilenames() {
        byte[] face = TestImages.face(1, 1);
        java.util.List<Part> eleven = new java.util.ArrayList<>();
        for (int i = 0; i < 11; i++) {
            eleven.add(Part.image(i + ".png", face));
        }
        assertProblem(api.multipart("/api/v1/employees/victim/faces", eleven), 400, "too_many_images");
        java.util.List<Part> thousand = new java.util.ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            thousand.add(new Part("x" + i, null, "text/plain", new byte[] {'a'}));
        }
        thousand.add(Part.image("a.png", face));
        assertProblem(api.multipart("/api/v1/employees/victim/faces", thousand), 400, "too_many_parts");
        var emptyName = api.multipart("/api/v1/employees/victim/faces?detect=false", List.of(Part.image("", face)));
        assertThat(emptyName.status()).as(emptyName.text()).isEqualTo(201);
        assertThat(api.delete("/api/v1/employees/victim/faces/"
                + emptyName.json().get("faces").get(0).get("faceId").asString()).status()).isEqualTo(204);
    }
}
