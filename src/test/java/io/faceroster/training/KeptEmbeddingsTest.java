package io.faceroster.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.faceroster.testsupport.ApiClient;
import io.faceroster.testsupport.ApiClient.Part;
import io.faceroster.testsupport.RunningApp;
import io.faceroster.testsupport.TestImages;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * A model switch keeps the new version's embeddings beside the face samples' own (made at enrolment), never over
 * them: the pointer flip moves no data, a rollback re-embeds nothing, a second promotion to the same version reuses
 * what the first one made, a replica pinned to another version leaves the serving rows alone, an erasure takes the
 * kept embeddings too. Encryption at rest is on, so an embedding sealed afresh (re-embedded) has different bytes
 * from one left as it was.
 */
class KeptEmbeddingsTest {

    @TempDir
    Path dir;

    private final String key = newKey();

    private static String newKey() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return Base64.getEncoder().encodeToString(k);
    }

    private Map<String, String> properties(String... extra) {
        Map<String, String> p = new HashMap<>();
        p.put("spring.datasource.url", "jdbc:h2:file:" + dir.resolve("db"));
        p.put("faceroster.model.store", dir.resolve("model-cache").toString());
        p.put("faceroster.privacy.encryption-key", key);
        for (int i = 0; i < extra.length; i += 2) {
            p.put(extra[i], extra[i + 1]);
        }
        return p;
    }

    private static void enrol(ApiClient api, int employees) {
        for (int e = 0; e < employees; e++) {
            api.createEmployee("k" + e, "K" + e);
            List<Part> parts = new ArrayList<>();
            for (int s = 0; s < 2; s++) {
                parts.add(Part.image(s + ".png", TestImages.face(700 + e, s)));
            }
            assertThat(api.multipart("/api/v1/employees/k" + e + "/faces?detect=false", parts).status()).isEqualTo(201);
        }
    }

    private static String otherVersion(ApiClient api) {
        String active = api.get("/api/v1/admin/models").json().get("activeVersion").asString();
        for (JsonNode v : api.get("/api/v1/admin/models").json().get("items")) {
            if (!v.get("version").asString().equals(active)) {
                return v.get("version").asString();
            }
        }
        throw new AssertionError("the shipped models/ folder has a single version");
    }

    /** face id -> sealed embedding bytes of the face samples' own rows, all of {@code version}. */
    private static Map<String, byte[]> own(JdbcTemplate jdbc, String version) {
        return embeddings(jdbc, "SELECT id, embedding, model_version FROM face_sample", version);
    }

    /** face id -> sealed embedding bytes kept beside the samples' own, all of {@code version}. */
    private static Map<String, byte[]> kept(JdbcTemplate jdbc, String version) {
        return embeddings(jdbc, "SELECT face_id, embedding, model_version FROM face_embedding", version);
    }

    private static Map<String, byte[]> embeddings(JdbcTemplate jdbc, String select, String version) {
        Map<String, byte[]> out = new HashMap<>();
        jdbc.query(select, rs -> {
            assertThat(rs.getString(3)).isEqualTo(version);
            out.put(rs.getString(1), rs.getBytes(2));
        });
        return out;
    }

    private static String activeOf(ApiClient api) {
        return api.get("/api/v1/model").json().get("version").asString();
    }

    private static void assertSameBytes(Map<String, byte[]> actual, Map<String, byte[]> expected) {
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        expected.forEach((id, bytes) -> assertThat(actual.get(id)).as(id).isEqualTo(bytes));
    }

    @Test
    void aSwitchKeepsTheNewEmbeddingsBesideTheSamplesOwnAndARollbackReEmbedsNothing() {
        try (RunningApp app = RunningApp.start(properties())) {
            ApiClient api = app.api();
            JdbcTemplate jdbc = app.bean(JdbcTemplate.class);
            enrol(api, 3);
            String original = api.get("/api/v1/model").json().get("version").asString();
            String other = otherVersion(api);
            Map<String, byte[]> originalOwn = own(jdbc, original);
            assertThat(originalOwn).hasSize(6);

            assertThat(api.postJson("/api/v1/admin/models/" + other + "/activate", "").status()).isEqualTo(200);
            assertSameBytes(own(jdbc, original), originalOwn);    // the samples' own, untouched
            Map<String, byte[]> otherKept = kept(jdbc, other);
            assertThat(otherKept).hasSize(6);

            assertThat(api.postJson("/api/v1/admin/models/" + original + "/activate", "").status()).isEqualTo(200);
            assertSameBytes(own(jdbc, original), originalOwn);
            assertSameBytes(kept(jdbc, other), otherKept);          // nothing re-embedded, nothing re-sealed

            assertThat(api.postJson("/api/v1/admin/models/" + other + "/activate", "").status()).isEqualTo(200);
            assertSameBytes(kept(jdbc, other), otherKept);          // promoted again: the kept ones reused
            assertThat(api.get("/api/v1/model").json().get("enrolledFaces").asInt()).isEqualTo(6);
        }
    }

    @Test
    void aFaceEnrolledUnderTheNewVersionGetsAKeptEmbeddingOnlyWhenRolledBack() {
        try (RunningApp app = RunningApp.start(properties())) {
            ApiClient api = app.api();
            JdbcTemplate jdbc = app.bean(JdbcTemplate.class);
            enrol(api, 1);
            String original = api.get("/api/v1/model").json().get("version").asString();
            String other = otherVersion(api);
            assertThat(api.postJson("/api/v1/admin/models/" + other + "/activate", "").status()).isEqualTo(200);
            api.createEmployee("late", "Late");
            assertThat(api.image("/api/v1/employees/late/faces?detect=false", "f.png", TestImages.face(760, 0))
                    .status()).isEqualTo(201);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM face_embedding WHERE model_version = ?",
                    Integer.class, original)).isZero();
            assertThat(api.postJson("/api/v1/admin/models/" + original + "/activate", "").status()).isEqualTo(200);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM face_embedding WHERE model_version = ?",
                    Integer.class, original)).isEqualTo(1);       // the one face enrolled under the other version
            assertThat(api.image("/api/v1/identify?detect=false&threshold=100", "q.png", TestImages.face(760, 1))
                    .json().get("candidates").get(0).get("employeeId").asString()).isEqualTo("late");
        }
    }

    @Test
    void aReplicaPinnedToAnotherVersionStagesItsEmbeddingsAndLeavesTheServingRowsAlone() {
        String original;
        String other;
        Map<String, byte[]> originalOwn;
        try (RunningApp app = RunningApp.start(properties())) {
            enrol(app.api(), 3);
            original = app.api().get("/api/v1/model").json().get("version").asString();
            other = otherVersion(app.api());
            originalOwn = own(app.bean(JdbcTemplate.class), original);
        }
        try (RunningApp pinned = RunningApp.start(properties("faceroster.model.version", other))) {
            assertThat(pinned.api().get("/api/v1/model").json().get("version").asString()).isEqualTo(other);
            assertThat(pinned.api().get("/api/v1/model").json().get("enrolledFaces").asInt()).isEqualTo(6);
            JdbcTemplate jdbc = pinned.bean(JdbcTemplate.class);
            assertSameBytes(own(jdbc, original), originalOwn);
            assertThat(kept(jdbc, other)).hasSize(6);
        }
        try (RunningApp again = RunningApp.start(properties())) {
            assertThat(again.api().get("/api/v1/model").json().get("version").asString()).isEqualTo(original);
            assertSameBytes(own(again.bean(JdbcTemplate.class), original), originalOwn);
        }
    }

    @Test
    void erasingAnEmployeeErasesTheirKeptEmbeddings() {
        try (RunningApp app = RunningApp.start(properties())) {
            ApiClient api = app.api();
            JdbcTemplate jdbc = app.bean(JdbcTemplate.class);
            enrol(api, 2);
            assertThat(api.postJson("/api/v1/admin/models/" + otherVersion(api) + "/activate", "").status())
                    .isEqualTo(200);
            assertThat(kept(jdbc, activeOf(api))).hasSize(4);
            assertThat(api.delete("/api/v1/employees/k0").status()).isEqualTo(200);
            assertThat(kept(jdbc, activeOf(api))).hasSize(2);
        }
    }
}
