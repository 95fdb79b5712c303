package io.faceroster.hardening;

import static io.faceroster.testsupport.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.faceroster.testsupport.ApiClient;
import io.faceroster.testsupport.RunningApp;
import io.faceroster.testsupport.TestImages;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The low and medium findings of the outside review (issue 10, items 7 to 12) against one running service. */
class HardeningApiTest {

    static RunningApp app;
    static ApiClient admin;
    static ApiClient hr;
    static ApiClient door;

    @BeforeAll
    static void start() {
        app = RunningApp.start(Map.of("spring.datasource.url", "jdbc:h2:mem:hardening"));
        admin = app.api();
        hr = new ApiClient(app.port(), ApiClient.ENROLL_KEY);
        door = new ApiClient(app.port(), ApiClient.IDENTIFY_KEY);
        assertThat(hr.createEmployee("h-1", "Hardened One").status()).isEqualTo(201);
        assertThat(hr.image("/api/v1/employees/h-1/faces?detect=false", "a.png", TestImages.face(1, 1)).status())
                .isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static List<JsonNode> events(String action) {
        List<JsonNode> out = new ArrayList<>();
        admin.get("/api/v1/admin/audit?size=100&action=" + action).json().get("items").forEach(out::add);
        return out;
    }

    /** A request written byte by byte, so that no client library normalises its path. */
    static ApiClient.Response raw(String method, String path, String key) {
        try (Socket socket = new Socket("localhost", app.port())) {
            socket.getOutputStream().write((method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nX-API-Key: " + key
                    + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.UTF_8));
            int status = Integer.parseInt(in.readLine().split(" ")[1]);
            String contentType = "";
            for (String line; (line = in.readLine()) != null && !line.isEmpty(); ) {
                if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-type:")) {
                    contentType = line.substring(13).trim();
                }
            }
            StringBuilder body = new StringBuilder();
            for (String line; (line = in.readLine()) != null; ) {
                body.append(line).append('\n');
            }
            return new ApiClient.Response(status, contentType, body.toString().getBytes(StandardCharsets.UTF_8),
                    Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // --- 7: the audit trail -----------------------------------------------------------------------------------

    @Test
    void refusalsWithAndWithoutAKnownKeyAreAudited() {
        assertThat(new ApiClient(app.port(), null).get("/api/v1/employees/h-1").status()).isEqualTo(401);
        assertThat(door.get("/api/v1/employees/h-1").status()).isEqualTo(403);
        List<JsonNode> refused = events("access_refused");
        assertThat(refused).anySatisfy(e -> {
            assertThat(e.get("keyId").asString()).isEqualTo("unauthenticated");
            assertThat(e.get("outcome").asString()).isEqualTo("refused 401");
        });
        assertThat(refused).anySatisfy(e -> {
            assertThat(e.get("keyId").asString()).isEqualTo("test-door");
            assertThat(e.get("outcome").asString()).isEqualTo("refused 403");
            assertThat(e.get("employeeId").asString()).isEqualTo("h-1");
        });
    }

    @Test
    void readsOfPersonalDataAndOfTheTrailAreAudited() {
        assertThat(hr.get("/api/v1/employees").status()).isEqualTo(200);
        assertThat(hr.get("/api/v1/employees/h-1").status()).isEqualTo(200);
        JsonNode faces = hr.get("/api/v1/employees/h-1/faces").json();
        String faceId = faces.get("faces").get(0).get("faceId").asString();
        assertThat(hr.get("/api/v1/employees/h-1/faces/" + faceId + "/image").status()).isEqualTo(200);
        assertThat(events("employee_list")).isNotEmpty();
        assertThat(events("employee_read")).anySatisfy(e -> assertThat(e.get("employeeId").asString()).isEqualTo("h-1"));
        assertThat(events("face_list")).anySatisfy(e -> assertThat(e.get("keyId").asString()).isEqualTo("test-hr"));
        assertThat(events("face_image_read")).anySatisfy(e -> assertThat(e.get("detail").asString()).contains(faceId));
        assertThat(events("audit_read")).anySatisfy(e -> assertThat(e.get("keyId").asString()).isEqualTo("test-admin"));
    }

    @Test
    void failedEnrolmentsAndIdentificationsAreAudited() {
        assertThat(hr.image("/api/v1/employees/h-1/faces", "x.png", "not an image".getBytes()).status()).isEqualTo(415);
        assertThat(door.image("/api/v1/identify", "x.png", new byte[0]).status()).isEqualTo(400);
        assertThat(events("enrol")).anySatisfy(e -> assertThat(e.get("outcome").asString()).isEqualTo("failed 415"));
        assertThat(events("identify")).anySatisfy(e -> assertThat(e.get("outcome").asString()).isEqualTo("failed 400"));
    }

    @Test
    void aClientRequestIdIsKeptBesideTheServersOwnNeverInstead() {
        var first = admin.send("GET", "/api/v1/employees/h-1", "X-Request-Id", "replayed-id-1");
        var second = admin.send("GET", "/api/v1/employees/h-1", "X-Request-Id", "replayed-id-1");
        assertThat(first.header("X-Request-Id")).isNotEqualTo("replayed-id-1").isNotEqualTo(second.header("X-Request-Id"));
        assertThat(first.header("X-Client-Request-Id")).isEqualTo("replayed-id-1");
        List<JsonNode> reads = events("employee_read").stream()
                .filter(e -> "replayed-id-1".equals(e.get("clientRequestId").asString(null))).toList();
        assertThat(reads).hasSize(2);
        assertThat(reads.get(0).get("requestId").asString()).isNotEqualTo(reads.get(1).get("requestId").asString())
                .isNotEqualTo("replayed-id-1");
    }

    // --- 8: pseudonyms and person names in the model's metadata ---------------------------------------------------

    @Test
    void anIdentifyKeySeesNoPersonNamesInTheModel() {
        JsonNode forDoor = door.get("/api/v1/model").json().get("metadata");
        JsonNode training = forDoor.get("training");
        if (training != null && !training.isNull()) {
            assertThat(training.get("trainPersons")).isEmpty();
            assertThat(training.get("validationPersons")).isEmpty();
        }
        JsonNode calibration = forDoor.get("calibration");
        if (calibration != null && !calibration.isNull()) {
            assertThat(calibration.get("persons")).isEmpty();
        }
        JsonNode forAdmin = admin.get("/api/v1/model").json().get("metadata");
        assertThat(forAdmin.toString().length()).isGreaterThan(forDoor.toString().length());
    }

    // --- 9: paths -----------------------------------------------------------------------------------------------

    @Test
    void pathsNotInNormalFormAreRefusedBeforeAccessIsJudged() {
        assertProblem(raw("GET", "/actuator/health/../env", ApiClient.ADMIN_KEY), 400, "path_not_normalised");
        assertProblem(raw("POST", "/api/v1/admin/models/../activate", ApiClient.ADMIN_KEY), 400, "path_not_normalised");
        for (String p : List.of("/api/v1/employees/./h-1", "/api/v1/employees//h-1", "/api/v1/employees/h-1;x=1",
                "/api/v1/employees/%2e%2e/admin", "/api/v1/employees%2fh-1")) {
            assertThat(raw("GET", p, ApiClient.ADMIN_KEY).status()).as(p).isEqualTo(400);
        }
        assertThat(raw("GET", "/api/v1/employees/h-1", ApiClient.ADMIN_KEY).status()).isEqualTo(200);
    }

    // --- 10: no 500 from client input -------------------------------------------------------------------------

    @Test
    void concurrentCreatesOfOneIdGiveOne201AndOtherwise409() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int id = 0; id < 5; id++) {
                String employee = "race-" + id;
                List<Future<Integer>> statuses = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    statuses.add(pool.submit(() -> hr.createEmployee(employee, "Race").status()));
                }
                List<Integer> got = new ArrayList<>();
                for (Future<Integer> f : statuses) {
                    got.add(f.get());
                }
                assertThat(got).as(employee).containsOnly(201, 409).containsOnlyOnce(201);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theLargestPageIndexIsAClientError() {
        for (String path : List.of("/api/v1/employees", "/api/v1/admin/audit", "/api/v1/admin/training-jobs")) {
            assertProblem(admin.get(path + "?page=2147483647"), 400, "validation_failed");
        }
    }

    // --- 11: JSON body size -------------------------------------------------------------------------------------

    @Test
    void anOversizedJsonBodyIsRefusedBeforeItIsParsed() {
        String name = "x".repeat(2 * 1024 * 1024);
        assertProblem(hr.postJson("/api/v1/employees", "{\"employeeId\":\"big\",\"displayName\":\"" + name + "\"}"),
                413, "request_too_large");
        String unknown = "{\"employeeId\":\"big2\",\"displayName\":\"B\",\"junk\":\"" + name + "\"}";
        assertProblem(hr.postJson("/api/v1/employees", unknown), 413, "request_too_large");
        assertThat(hr.get("/api/v1/employees/big2").status()).isEqualTo(404);
    }

    // --- 12: thresholds, candidates, consent dates --------------------------------------------------------------

    @Test
    void anIdentifyKeyCannotRaiseTheThresholdToMatchAnything() {
        assertProblem(door.image("/api/v1/identify?detect=false&threshold=2", "q.png", TestImages.face(2, 1)), 400,
                "threshold_out_of_range");
        assertProblem(door.image("/api/v1/employees/h-1/verify?detect=false&threshold=2", "q.png",
                TestImages.face(2, 1)), 400, "threshold_out_of_range");
        assertThat(admin.image("/api/v1/employees/h-1/verify?detect=false&threshold=2", "q.png",
                TestImages.face(2, 1)).status()).isEqualTo(200);
    }

    @Test
    void anIdentifyKeySeesOnlyCandidatesNearTheThreshold() {
        for (int i = 0; i < 6; i++) {
            hr.createEmployee("near-" + i, "Near " + i);
            hr.image("/api/v1/employees/near-" + i + "/faces?detect=false", "a.png", TestImages.face(20 + i, 1));
        }
        byte[] noise = noise();
        JsonNode forDoor = door.image("/api/v1/identify?detect=false&candidates=20", "n.png", noise).json();
        double limit = forDoor.get("threshold").asDouble() * 1.25;
        forDoor.get("candidates").forEach(c -> assertThat(c.get("distance").asDouble()).isLessThanOrEqualTo(limit));
        JsonNode forAdmin = admin.image("/api/v1/identify?detect=false&candidates=20", "n.png", noise).json();
        assertThat(forAdmin.get("candidates").size()).isGreaterThanOrEqualTo(7);
    }

    private static byte[] noise() {
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(92, 112,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        Random r = new Random(7);
        for (int y = 0; y < 112; y++) {
            for (int x = 0; x < 92; x++) {
                img.setRGB(x, y, r.nextInt(0xffffff));
            }
        }
        return TestImages.encode(img, "png");
    }

    @Test
    void aConsentDateBefore1970IsRefused() {
        assertProblem(hr.postJson("/api/v1/employees", "{\"employeeId\":\"old\",\"displayName\":\"Old\","
                + "\"consent\":{\"reference\":\"form 1\",\"givenAt\":\"-999999999-01-01T00:00:00Z\"}}"), 400,
                "validation_failed");
    }
}
