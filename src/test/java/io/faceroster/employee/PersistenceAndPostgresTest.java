package io.faceroster.employee;

import static org.assertj.core.api.Assertions.assertThat;

import io.faceroster.testsupport.ApiClient.Part;
import io.faceroster.testsupport.ApiClient;
import io.faceroster.testsupport.RunningApp;
import io.faceroster.testsupport.TestImages;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Enrolments survive a restart on the H2 file; the same flow runs on a real PostgreSQL 16. */
class PersistenceAndPostgresTest {

    static void enrolTwoEmployees(ApiClient api) {
        for (int id = 1; id <= 2; id++) {
            assertThat(api.createEmployee("p" + id, "Person " + id).status()).isEqualTo(201);
            var r = api.multipart("/api/v1/employees/p" + id + "/faces", List.of(
                    Part.image("0.jpg", TestImages.photo(id, 0)), Part.image("1.jpg", TestImages.photo(id, 1)),
                    Part.image("2.jpg", TestImages.photo(id, 2))));
            assertThat(r.status()).as(r.text()).isEqualTo(201);
        }
    }

    static String identify(ApiClient api, int identity) {
        var r = api.image("/api/v1/identify?threshold=100", "q.jpg", TestImages.photo(identity, 7));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        return r.json().get("candidates").get(0).get("employeeId").asString();
    }

    @Test
    void enrolmentsSurviveARestart(@TempDir Path dir) {
        Map<String, String> props = Map.of("spring.datasource.url", "jdbc:h2:file:" + dir.resolve("db"));
        String before;
        try (RunningApp app = RunningApp.start(props)) {
            enrolTwoEmployees(app.api());
            before = identify(app.api(), 2);
        }
        try (RunningApp app = RunningApp.start(props)) {
            var model = app.api().get("/api/v1/model").json();
            assertThat(model.get("enrolledEmployees").asInt()).isEqualTo(2);
            assertThat(model.get("enrolledFaces").asInt()).isEqualTo(6);
            assertThat(identify(app.api(), 2)).isEqualTo(before);
            assertThat(app.api().get("/api/v1/employees/p1").json().get("faceCount").asInt()).isEqualTo(3);
            // The face box of each enrolment photo is stored with its crop.
            var face = app.api().get("/api/v1/employees/p1/faces").json().get("faces").get(0).get("face");
            assertThat(face.get("width").asDouble()).isGreaterThan(100);
            assertThat(face.get("eyes")).hasSize(2);
        }
    }

    @Test
    void theFlowRunsOnPostgresql() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            Map<String, String> props = new java.util.HashMap<>(Map.of(
                    "spring.datasource.url", pg.getJdbcUrl("postgres", "postgres"),
                    "spring.datasource.username", "postgres",
                    "spring.datasource.password", "postgres"));
            try (RunningApp app = RunningApp.start(props)) {
                flow(app.api(), pg);
            }
            // Encryption turned on later: the rotation seals the rows stored in clear (conditional UPDATE on
            // bytea), the audit trail and the support set work the same on PostgreSQL.
            byte[] key = new byte[32];
            new java.security.SecureRandom().nextBytes(key);
            props.put("faceroster.privacy.encryption-key", java.util.Base64.getEncoder().encodeToString(key));
            try (RunningApp app = RunningApp.start(props)) {
                var rotation = app.api().postJson("/api/v1/admin/encryption/rotate", "").json();
                assertThat(rotation.get("rewritten").asInt()).isEqualTo(3);
                assertThat(rotation.get("changedMeanwhile").asInt()).isZero();
                assertThat(identify(app.api(), 2)).isEqualTo("p2");
                assertThat(app.api().get("/api/v1/admin/audit?employeeId=p1").json().get("items").get(0)
                        .get("action").asString()).isEqualTo("employee_delete");
                try (var c = pg.getPostgresDatabase().getConnection();
                     var rs = c.createStatement().executeQuery("select crop_png, embedding from face_sample")) {
                    while (rs.next()) {
                        assertThat(new String(rs.getBytes(1), 0, 4)).isEqualTo("FRE1");
                        assertThat(new String(rs.getBytes(2), 0, 4)).isEqualTo("FRE1");
                    }
                }
            }
        }
    }

    /** Enrol, list, fetch a crop, identify, erase: the service flow against the given PostgreSQL. */
    private static void flow(ApiClient api, EmbeddedPostgres pg) throws Exception {
        enrolTwoEmployees(api);
        assertThat(api.get("/api/v1/employees").json().get("total").asInt()).isEqualTo(2);
        assertThat(api.get("/api/v1/employees").json().get("items").get(0).get("faceCount").asInt()).isEqualTo(3);
        String faceId = api.get("/api/v1/employees/p1/faces").json().get("faces").get(0).get("faceId").asString();
        assertThat(api.get("/api/v1/employees/p1/faces/" + faceId + "/image").status()).isEqualTo(200);
        assertThat(identify(api, 1)).isEqualTo("p1");
        assertThat(api.get("/api/v1/employees/p1/faces").json().get("faces").get(0).get("face").get("score")
                .asDouble()).isGreaterThan(0.5);
        assertThat(api.delete("/api/v1/employees/p1").status()).isEqualTo(200);
        assertThat(api.get("/api/v1/employees").json().get("total").asInt()).isEqualTo(1);
        try (var c = pg.getPostgresDatabase().getConnection();
             var rs = c.createStatement().executeQuery("select count(*) from face_sample")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(3);
        }
    }
}
