package io.faceroster.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.faceroster.testsupport.ApiClient;
import io.faceroster.testsupport.ApiClient.Part;
import io.faceroster.testsupport.Eventually;
import io.faceroster.testsupport.RunningApp;
import io.faceroster.testsupport.TestImages;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Training and model versions across two replicas on one embedded PostgreSQL (issue 14): a job submitted on A runs
 * once, is watched from B, and its promotion reaches B; a rollback made on B reaches A; a job whose replica died is
 * marked FAILED by a live one; versions live in the database and each replica unpacks them into its own cache.
 */
class ReplicatedTrainingTest {

    private static final Duration LIMIT = Duration.ofSeconds(20);

    @TempDir
    static Path dir;
    private static EmbeddedPostgres pg;
    private static RunningApp a;
    private static RunningApp b;
    private static JdbcTemplate jdbc;

    @BeforeAll
    static void start() throws Exception {
        pg = EmbeddedPostgres.builder().start();
        jdbc = new JdbcTemplate(pg.getPostgresDatabase());
        a = RunningApp.start(props("A"));
        b = RunningApp.start(props("B"));
        for (int e = 0; e < 12; e++) {
            a.api().createEmployee("rt" + e, "Rt" + e);
            List<Part> parts = new ArrayList<>();
            for (int s = 0; s < 4; s++) {
                parts.add(Part.image(s + ".png", TestImages.face(500 + e, s)));
            }
            assertThat(a.api().multipart("/api/v1/employees/rt" + e + "/faces?detect=false", parts).status())
                    .isEqualTo(201);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {b, a, pg}) {
            if (c != null) {
                c.close();
            }
        }
    }

    private static Map<String, String> props(String replica) {
        return new HashMap<>(Map.of(
                "spring.datasource.url", pg.getJdbcUrl("postgres", "postgres"),
                "spring.datasource.username", "postgres",
                "spring.datasource.password", "postgres",
                "faceroster.replication.replica-id", replica,
                "faceroster.model.store", dir.resolve("cache-" + replica).toString(),
                // Slow enough that a long job is still running when a cancel made on the other replica arrives
                // (read within a 2 s heartbeat); a 2-epoch job loses 40 ms to it.
                "faceroster.training.step-pause", "20ms"));
    }

    private static String activeVersion(RunningApp app) {
        return app.api().get("/api/v1/model").json().get("version").asString();
    }

    private static JsonNode awaitEnd(ApiClient api, String jobId) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 180_000;
        while (System.currentTimeMillis() < deadline) {
            JsonNode job = api.get("/api/v1/admin/training-jobs/" + jobId).json();
            if (!job.get("status").asString().matches("QUEUED|RUNNING")) {
                return job;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("job " + jobId + " did not end in time");
    }

    @Test
    void aJobSubmittedOnARunsOnceAndItsPromotionReachesB() throws Exception {
        String original = activeVersion(a);
        var submitted = a.api().postJson("/api/v1/admin/training-jobs",
                "{\"epochs\":2,\"learningRate\":0.0001,\"seed\":1,\"force\":true}");
        assertThat(submitted.status()).as(submitted.text()).isEqualTo(202);
        String jobId = submitted.json().get("jobId").asString();
        // One job at a time in the cluster: B refuses a second one while it is unfinished.
        var second = b.api().postJson("/api/v1/admin/training-jobs", "{\"epochs\":1}");
        assertThat(second.json().get("code").asString()).isEqualTo("training_job_running");

        JsonNode done = awaitEnd(b.api(), jobId);   // watched from B, wherever it runs
        assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
        String candidate = done.get("candidateVersion").asString();
        assertThat(jdbc.queryForObject("select runner from training_job where id = ?", String.class,
                UUID.fromString(jobId))).isIn("A", "B");
        assertThat(jdbc.queryForObject("select count(*) from audit_event where upper(action) = 'TRAINING_JOB_END' and "
                + "detail like ?", Integer.class, "%" + jobId + "%")).isEqualTo(1);
        Eventually.within(LIMIT, "both replicas serve the candidate",
                () -> activeVersion(a).equals(candidate) && activeVersion(b).equals(candidate));
        assertThat(b.api().image("/api/v1/identify?detect=false&threshold=100", "q.png", TestImages.face(503, 9))
                .json().get("modelVersion").asString()).isEqualTo(candidate);
        assertThat(jdbc.queryForObject("select version from model_active where id = 1", String.class))
                .isEqualTo(candidate);
        assertThat(dir.resolve("cache-A").resolve(candidate)).isDirectory();
        assertThat(dir.resolve("cache-B").resolve(candidate)).isDirectory();

        // Rollback through B reaches A.
        assertThat(b.api().postJson("/api/v1/admin/models/" + original + "/activate", "").status()).isEqualTo(200);
        Eventually.within(LIMIT, "A rolled back too", () -> activeVersion(a).equals(original));
        assertThat(a.api().image("/api/v1/identify?detect=false&threshold=100", "q.png", TestImages.face(503, 9))
                .json().get("candidates").get(0).get("employeeId").asString()).isEqualTo("rt3");
    }

    @Test
    void aReplicaPinnedToAVersionStaysOnItWhenAnotherReplicaSwitches() throws Exception {
        String original = activeVersion(a);
        String other = null;
        for (JsonNode v : a.api().get("/api/v1/admin/models").json().get("items")) {
            if (!v.get("version").asString().equals(original)) {
                other = v.get("version").asString();
            }
        }
        assertThat(other).as("a second stored version").isNotNull();
        Map<String, String> pinned = props("C");
        pinned.put("faceroster.model.version", original);
        try (RunningApp c = RunningApp.start(pinned)) {
            assertThat(a.api().postJson("/api/v1/admin/models/" + other + "/activate", "").status()).isEqualTo(200);
            String switched = other;
            Eventually.within(LIMIT, "B follows the switch", () -> activeVersion(b).equals(switched));
            // C has read the log past the switch once it knows an employee enrolled after it
            a.api().createEmployee("pin-late", "Pin Late");
            assertThat(a.api().image("/api/v1/employees/pin-late/faces?detect=false", "f.png",
                    TestImages.face(640, 0)).status()).isEqualTo(201);
            Eventually.within(LIMIT, "C knows the employee enrolled after the switch", () -> c.api()
                    .image("/api/v1/identify?detect=false&threshold=100", "q.png", TestImages.face(640, 1))
                    .json().get("candidates").get(0).get("employeeId").asString().equals("pin-late"));
            assertThat(activeVersion(c)).isEqualTo(original);
        } finally {
            assertThat(a.api().postJson("/api/v1/admin/models/" + original + "/activate", "").status())
                    .isEqualTo(200);
            Eventually.within(LIMIT, "B back on the original", () -> activeVersion(b).equals(original));
            assertThat(a.api().delete("/api/v1/employees/pin-late").status()).isEqualTo(200);
        }
    }

    @Test
    void aJobWhoseReplicaStoppedHeartBeatingIsMarkedFailedByALiveOne() {
        UUID id = UUID.randomUUID();
        Timestamp stale = Timestamp.from(Instant.now().minusSeconds(120));
        jdbc.update("insert into training_job (id, status, request_json, promoted, created_at, started_at, runner, "
                + "heartbeat_at) values (?, 'RUNNING', '{}', false, ?, ?, 'gone', ?)", id, stale, stale, stale);
        Eventually.within(LIMIT, "a live replica marks it FAILED", () -> "FAILED".equals(
                jdbc.queryForObject("select status from training_job where id = ?", String.class, id)));
        assertThat(jdbc.queryForObject("select reason from training_job where id = ?", String.class, id))
                .contains("replica gone").contains("stopped while the job was running");
    }

    @Test
    void aJobRunningOnAnotherReplicaIsCancelledThroughThisOne() throws Exception {
        var submitted = a.api().postJson("/api/v1/admin/training-jobs", "{\"epochs\":1000,\"seed\":5}");
        assertThat(submitted.status()).as(submitted.text()).isEqualTo(202);
        String jobId = submitted.json().get("jobId").asString();
        Eventually.within(LIMIT, "the job runs", () -> "RUNNING".equals(
                b.api().get("/api/v1/admin/training-jobs/" + jobId).json().get("status").asString()));
        String runner = jdbc.queryForObject("select runner from training_job where id = ?", String.class,
                UUID.fromString(jobId));
        RunningApp other = "A".equals(runner) ? b : a;
        assertThat(other.api().postJson("/api/v1/admin/training-jobs/" + jobId + "/cancel", "").status())
                .isEqualTo(202);
        JsonNode done = awaitEnd(other.api(), jobId);
        assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("CANCELLED");
        assertThat(done.get("promoted").asBoolean()).isFalse();
    }

    @Test
    void modelVersionsLiveInTheDatabaseSeededFromTheShippedFolder() {
        List<String> stored = jdbc.queryForList("select version from model_version", String.class);
        assertThat(stored).contains(activeVersion(a));
        JsonNode listed = b.api().get("/api/v1/admin/models").json().get("items");
        List<String> versions = new ArrayList<>();
        listed.forEach(m -> versions.add(m.get("version").asString()));
        assertThat(versions).containsAll(stored);
    }
}
