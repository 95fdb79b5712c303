package io.faceroster.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.faceroster.testsupport.ApiClient;
import io.faceroster.testsupport.ApiClient.Part;
import io.faceroster.testsupport.RunningApp;
import io.faceroster.testsupport.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Retraining jobs end to end on generated faces, with a private copy of the model store: promotion,
 * gate rejection, cancellation, one job at a time, rollback, consistent answers during a swap, and
 * recovery of a job left RUNNING by a dead process.
 */
class TrainingJobApiTest {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(TrainingJobApiTest.class);

    @TempDir
    Path dir;

    private Map<String, String> properties() throws IOException {
        Path store = dir.resolve("models");
        if (!Files.exists(store)) {
            Files.createDirectories(store);
            try (Stream<Path> files = Files.walk(Path.of("models"))) {
                for (Path p : files.toList()) {
                    Path target = store.resolve(Path.of("models").relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(p, target);
                    }
                }
            }
        }
        return Map.of("faceroster.model.seed", store.toString(), "faceroster.model.store",
                dir.resolve("model-cache").toString(), "spring.datasource.url", "jdbc:h2:file:" + dir.resolve("db"));
    }

    private static void enrol(ApiClient api, int employees) {
        for (int e = 0; e < employees; e++) {
            api.createEmployee("t" + e, "T" + e);
            List<Part> parts = new ArrayList<>();
            for (int s = 0; s < 4; s++) {
                parts.add(Part.image(s + ".png", TestImages.face(500 + e, s)));
            }
            assertThat(api.multipart("/api/v1/employees/t" + e + "/faces?detect=false", parts).status()).isEqualTo(201);
        }
    }

    /** Polls a job until it ends; returns its final view and the statuses seen on the way. */
    private static JsonNode awaitEnd(ApiClient api, String jobId, Set<String> seen) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 180_000;
        while (System.currentTimeMillis() < deadline) {
            JsonNode job = api.get("/api/v1/admin/training-jobs/" + jobId).json();
            String status = job.get("status").asString();
            seen.add(status);
            if (!status.equals("QUEUED") && !status.equals("RUNNING")) {
                return job;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("job " + jobId + " did not end in time");
    }

    private static String submit(ApiClient api, String body) {
        var r = api.postJson("/api/v1/admin/training-jobs", body);
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        assertThat(r.json().get("status").asString()).isEqualTo("QUEUED");
        return r.json().get("jobId").asString();
    }

    private static double distanceTo(ApiClient api, String employeeId, byte[] image) {
        JsonNode r = api.image("/api/v1/identify?threshold=100&candidates=20&detect=false", "q.png", image).json();
        for (JsonNode c : r.get("candidates")) {
            if (c.get("employeeId").asString().equals(employeeId)) {
                return c.get("distance").asDouble();
            }
        }
        throw new AssertionError(employeeId + " not among candidates");
    }

    @Test
    void aJobWithTooFewImpostorComparisonsFailsWithoutSettingAThreshold() throws Exception {
        try (RunningApp app = RunningApp.start(properties())) {
            ApiClient api = app.api();
            for (int e = 0; e < 6; e++) {
                api.createEmployee("thin" + e, "Thin" + e);
                List<Part> parts = List.of(Part.image("0.png", TestImages.face(700 + e, 0)),
                        Part.image("1.png", TestImages.face(700 + e, 1)));
                assertThat(api.multipart("/api/v1/employees/thin" + e + "/faces?detect=false", parts).status())
                        .isEqualTo(201);
            }
            String original = api.get("/api/v1/model").json().get("version").asString();
            JsonNode done = awaitEnd(api, submit(api, "{\"epochs\":1,\"seed\":3,\"force\":true}"), new HashSet<>());
            assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("FAILED");
            assertThat(done.get("reason").asString()).contains("not enough validation data to set a threshold")
                    .contains("4 validation persons").contains("24 impostor comparisons");
            assertThat(api.get("/api/v1/model").json().get("version").asString()).isEqualTo(original);
        }
    }

    @Test
    void erasingAnEmployeeCancelsAJobThatLearnsFromTheirFaces() throws Exception {
        try (RunningApp app = RunningApp.start(properties())) {
            ApiClient api = app.api();
            enrol(api, 8);
            String original = api.get("/api/v1/model").json().get("version").asString();
            String jobId = submit(api, "{\"epochs\":1000,\"seed\":4}");
            long deadline = System.currentTimeMillis() + 60_000;
            while (!api.get("/api/v1/admin/training-jobs/" + jobId).json().get("status").asString().equals("RUNNING")) {
                assertThat(System.currentTimeMillis()).isLessThan(deadline);
                Thread.sleep(50);
            }
            var receipt = api.delete("/api/v1/employees/t2");
            assertThat(receipt.status()).as(receipt.text()).isEqualTo(200);
            assertThat(receipt.json().get("faceSamplesDeleted").asInt()).isEqualTo(4);
            assertThat(receipt.json().get("alsoRemovedFrom").get(0).asString()).contains(jobId).contains("cancelled");
            JsonNode job = awaitEnd(api, jobId, new HashSet<>());
            assertThat(job.get("status").asString()).isEqualTo("CANCELLED");
            assertThat(job.get("reason").asString()).contains("an employee in its data set was erased")
                    .doesNotContain("t2");
            assertThat(job.get("promoted").asBoolean()).isFalse();
            assertThat(api.get("/api/v1/model").json().get("version").asString()).isEqualTo(original);
            assertThat(receipt.json().get("traces")).isEmpty();   // the shipped model never saw t2

            // A job that completes: its model names its persons by pseudonym only, and erasing one of them
            // afterwards says that the active model was trained with their faces.
            JsonNode done = awaitEnd(api, submit(api, "{\"epochs\":2,\"seed\":5,\"force\":true}"), new HashSet<>());
            assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
            String candidate = done.get("candidateVersion").asString();
            String metadata = api.get("/api/v1/model").json().toString();
            assertThat(metadata).contains("employee:").doesNotContain("\"employee:t").doesNotContain("employee:t4");
            assertThat(done.toString()).doesNotContain("employee:t");
            JsonNode later = api.delete("/api/v1/employees/t4").json();
            assertThat(later.get("alsoRemovedFrom")).isEmpty();
            assertThat(later.get("traces").get(0).asString()).contains(candidate).contains("(active)");
        }
    }

    @Test
    void anErasureDuringPromotionNeverLeavesAModelTrainedOnTheErasedFacesUnsaid() throws Exception {
        try (RunningApp app = RunningApp.start(properties())) {
            ApiClient api = app.api();
            enrol(api, 30);   // 120 crops to re-embed: the promotion lasts long enough to be caught
            boolean caught = false;
            for (int attempt = 0; attempt < 3 && !caught; attempt++) {
                String before = api.get("/api/v1/model").json().get("version").asString();
                String jobId = submit(api, "{\"epochs\":1,\"seed\":" + (20 + attempt) + ",\"force\":true}");
                JsonNode receipt = null;
                long deadline = System.currentTimeMillis() + 120_000;
                while (System.currentTimeMillis() < deadline) {
                    JsonNode job = api.get("/api/v1/admin/training-jobs/" + jobId).json();
                    if ("promoting".equals(job.get("phase").asString(null))) {
                        receipt = api.delete("/api/v1/employees/t" + attempt).json();
                        break;
                    }
                    if (!job.get("status").asString().matches("QUEUED|RUNNING")) {
                        break;   // ended before we saw it promote: try again
                    }
                    Thread.sleep(10);
                }
                JsonNode job = awaitEnd(api, jobId, new HashSet<>());
                if (receipt == null) {
                    continue;
                }
                caught = true;
                String active = api.get("/api/v1/model").json().get("version").asString();
                if (job.get("status").asString().equals("CANCELLED")) {
                    // Erasure landed before the switch completed: rolled back, candidate gone, receipt says so.
                    assertThat(job.get("reason").asString()).contains("rolled back");
                    assertThat(active).isEqualTo(before);
                    assertThat(receipt.get("alsoRemovedFrom").toString()).contains(jobId);
                    String candidate = job.get("reason").asString().replaceAll(".*candidate (\\S+) deleted.*", "$1");
                    assertThat(candidate).startsWith(before.substring(0, before.lastIndexOf('-') + 1));
                    assertThat(api.get("/api/v1/admin/models").json().toString()).doesNotContain(candidate);
                    assertThat(dir.resolve("models").resolve(candidate)).doesNotExist();
                    LOG.info("erasure during promotion: rolled back (attempt " + attempt + ")");
                } else {
                    // Erasure landed after: the new model stays, and the receipt names it as trained with them.
                    assertThat(job.get("status").asString()).isEqualTo("SUCCEEDED");
                    assertThat(active).isEqualTo(job.get("candidateVersion").asString());
                    assertThat(receipt.get("traces").toString()).contains(active).contains("(active)");
                    LOG.info("erasure during promotion: landed after the switch (attempt " + attempt + ")");
                }
                assertThat(api.image("/api/v1/identify?detect=false&threshold=100&candidates=20", "q.png",
                        TestImages.face(500 + attempt, 1)).json().toString()).doesNotContain("\"t" + attempt + "\"");
            }
            assertThat(caught).as("a promotion was observed in 3 attempts").isTrue();
        }
    }

    @Test
    void aForcedJobIsPromotedAuditedAndServes() throws Exception {
        try (RunningApp app = RunningApp.start(properties())) {
            ApiClient api = app.api();
            enrol(api, 12);
            String original = api.get("/api/v1/model").json().get("version").asString();
            int shipped = api.get("/api/v1/admin/models").json().get("items").size();
            byte[] query = TestImages.face(503, 9);
            // A short job, forced through the gate: QUEUED -> RUNNING -> SUCCEEDED, new model active.
            String jobId = submit(api, "{\"epochs\":3,\"learningRate\":0.0001,\"seed\":1,\"force\":true}");
            Set<String> seen = new HashSet<>();
            JsonNode done = awaitEnd(api, jobId, seen);
            assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
            // QUEUED was the answer to the submission; the job was seen running before it ended (describing 12
            // employees' faces alone takes seconds, the poll runs every 100 ms).
            assertThat(seen).contains("RUNNING");
            assertThat(done.get("promoted").asBoolean()).isTrue();
            assertThat(done.get("progress").get("step").asInt()).isPositive();
            assertThat(done.get("validation").get("candidate").size()).isPositive();
            assertThat(done.get("validation").get("active").size()).isPositive();
            String candidate = done.get("candidateVersion").asString();
            assertThat(candidate).isNotEqualTo(original);
            assertThat(api.get("/api/v1/model").json().get("version").asString()).isEqualTo(candidate);
            assertThat(api.image("/api/v1/identify?detect=false", "q.png", query).json().get("modelVersion").asString())
                    .isEqualTo(candidate);
            JsonNode models = api.get("/api/v1/admin/models").json();
            assertThat(models.get("activeVersion").asString()).isEqualTo(candidate);
            // Audited: who started the job, how it ended, which model became active.
            JsonNode started = api.get("/api/v1/admin/audit?action=training_job_start").json().get("items").get(0);
            assertThat(started.get("keyId").asString()).isEqualTo("test-admin");
            assertThat(started.get("detail").asString()).contains(jobId);
            JsonNode ended = api.get("/api/v1/admin/audit?action=training_job_end").json().get("items").get(0);
            assertThat(ended.get("outcome").asString()).isEqualTo("succeeded");
            assertThat(ended.get("keyId").asString()).isEqualTo("system");
            JsonNode activation = api.get("/api/v1/admin/audit?action=model_activation").json().get("items").get(0);
            assertThat(activation.get("outcome").asString()).isEqualTo(candidate);
            assertThat(activation.get("detail").asString()).contains(original);
            assertThat(models.get("items").size()).isEqualTo(shipped + 1);

        }
    }

    @Test
    void aJobWithAnAbsurdLearningRateIsRejectedAndTheActiveModelStays() throws Exception {
        try (RunningApp app = RunningApp.start(properties())) {
            ApiClient api = app.api();
            enrol(api, 12);
            String original = api.get("/api/v1/model").json().get("version").asString();
            String candidate = original;
            // An absurd learning rate: the gate (or divergence) rejects it and the active model stays.
            String badId = submit(api, "{\"epochs\":3,\"learningRate\":5,\"initFrom\":\"scratch\",\"seed\":2}");
            JsonNode bad = awaitEnd(api, badId, new HashSet<>());
            assertThat(bad.get("status").asString()).as(bad.toString()).isEqualTo("REJECTED");
            assertThat(bad.get("promoted").asBoolean()).isFalse();
            assertThat(api.get("/api/v1/model").json().get("version").asString()).isEqualTo(candidate);

        }
    }

    @Test
    void aLongJobIsTheOnlyOneAndCancelStopsItWithoutStoringAModel() throws Exception {
        try (RunningApp app = RunningApp.start(properties())) {
            ApiClient api = app.api();
            enrol(api, 12);
            String original = api.get("/api/v1/model").json().get("version").asString();
            String candidate = original;
            int versions = api.get("/api/v1/admin/models").json().get("items").size();
            // A long job: one job at a time, and cancel stops it; nothing is written to the store.
            String longId = submit(api, "{\"epochs\":1000,\"seed\":3}");
            var conflict = api.postJson("/api/v1/admin/training-jobs", "{}");
            assertThat(conflict.status()).isEqualTo(409);
            assertThat(conflict.json().get("code").asString()).isEqualTo("training_job_running");
            assertThat(conflict.json().get("jobId").asString()).isEqualTo(longId);
            long waitRunning = System.currentTimeMillis() + 60_000;
            while (!api.get("/api/v1/admin/training-jobs/" + longId).json().get("status").asString().equals("RUNNING")
                    && System.currentTimeMillis() < waitRunning) {
                Thread.sleep(50);
            }
            assertThat(api.postJson("/api/v1/admin/training-jobs/" + longId + "/cancel", "").status()).isEqualTo(202);
            JsonNode cancelled = awaitEnd(api, longId, new HashSet<>());
            assertThat(cancelled.get("status").asString()).isEqualTo("CANCELLED");
            assertThat(api.get("/api/v1/model").json().get("version").asString()).isEqualTo(candidate);
            assertThat(api.get("/api/v1/admin/models").json().get("items").size()).isEqualTo(versions);
            assertThat(api.get("/api/v1/admin/training-jobs").json().get("total").asInt()).isEqualTo(1);

        }
    }

    @Test
    void aSwitchWhileClientsIdentifyAndEnrolMixesNoVersionsAndLosesNoEnrolment() throws Exception {
        try (RunningApp app = RunningApp.start(properties())) {
            ApiClient api = app.api();
            enrol(api, 12);
            String original = api.get("/api/v1/model").json().get("version").asString();
            byte[] query = TestImages.face(503, 9);
            double before = distanceTo(api, "t3", query);
            String other = null;
            for (JsonNode v : api.get("/api/v1/admin/models").json().get("items")) {
                if (!v.get("version").asString().equals(original)) {
                    other = v.get("version").asString();
                }
            }
            assertThat(api.postJson("/api/v1/admin/models/" + other + "/activate", "").status()).isEqualTo(200);
            // Rollback while clients identify: every answer's distances belong to the version it names.
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<Map<String, Set<Double>>>> clients = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                clients.add(pool.submit(() -> {
                    Map<String, Set<Double>> byVersion = new HashMap<>();
                    while (!stop.get()) {
                        var r = api.image("/api/v1/identify?threshold=100&candidates=1&detect=false", "q.png", query);
                        assertThat(r.status()).isEqualTo(200);
                        JsonNode b = r.json();
                        byVersion.computeIfAbsent(b.get("modelVersion").asString(), k -> new HashSet<>())
                                .add(b.get("candidates").get(0).get("distance").asDouble());
                    }
                    return byVersion;
                }));
            }
            // ... and someone keeps enrolling: nothing enrolled during the re-embedding may be lost.
            Future<Integer> enroller = pool.submit(() -> {
                int n = 0;
                while (!stop.get()) {
                    api.createEmployee("late" + n, "L");
                    assertThat(api.image("/api/v1/employees/late" + n + "/faces?detect=false", "f.png",
                            TestImages.face(900 + n, 0)).status()).isEqualTo(201);
                    n++;
                }
                return n;
            });
            Thread.sleep(300);
            var activated = api.postJson("/api/v1/admin/models/" + original + "/activate", "");
            assertThat(activated.status()).as(activated.text()).isEqualTo(200);
            Thread.sleep(300);
            stop.set(true);
            Map<String, Set<Double>> answers = new HashMap<>();
            for (var c : clients) {
                c.get().forEach((v, d) -> answers.computeIfAbsent(v, k -> new HashSet<>()).addAll(d));
            }
            int late = enroller.get();
            pool.shutdown();
            assertThat(late).isPositive();
            JsonNode model = api.get("/api/v1/model").json();
            assertThat(model.get("enrolledFaces").asInt()).isEqualTo(12 * 4 + late);
            assertThat(model.get("enrolledEmployees").asInt()).isEqualTo(12 + late);
            assertThat(answers).containsKey(original);
            // One distance per version (concurrent requests share forward passes: equal up to float rounding); a
            // mixed answer (a query of one version against prototypes of the other) would stand out.
            answers.values().forEach(distances -> assertThat(distances.stream().mapToDouble(Double::doubleValue).max()
                    .orElseThrow() - distances.stream().mapToDouble(Double::doubleValue).min().orElseThrow())
                    .isLessThan(1e-6));
            // Re-embedded one crop at a time instead of in the enrolment batch: equal up to float rounding.
            assertThat(distanceTo(api, "t3", query)).isCloseTo(before, org.assertj.core.api.Assertions.within(1e-6));
            assertThat(api.get("/api/v1/admin/models").json().get("activeVersion").asString()).isEqualTo(original);
            assertThat(api.postJson("/api/v1/admin/models/nope/activate", "").json().get("code").asString())
                    .isEqualTo("model_not_found");
        }
    }

    @Test
    void aJobLeftRunningByADeadProcessIsMarkedFailed() throws Exception {
        Map<String, String> props = properties();
        try (RunningApp app = RunningApp.start(props)) {
            assertThat(app.api().get("/api/v1/admin/training-jobs").json().get("total").asInt()).isZero();
        }
        String id = java.util.UUID.randomUUID().toString();
        try (var c = DriverManager.getConnection(props.get("spring.datasource.url"), "sa", "")) {
            c.createStatement().execute("insert into training_job (id, status, request_json, promoted, created_at, "
                    + "started_at) values ('" + id + "', 'RUNNING', '{}', false, current_timestamp, current_timestamp)");
        }
        try (RunningApp app = RunningApp.start(props)) {
            JsonNode job = app.api().get("/api/v1/admin/training-jobs/" + id).json();
            assertThat(job.get("status").asString()).isEqualTo("FAILED");
            assertThat(job.get("reason").asString()).contains("stopped while the job was running");
        }
    }
}
