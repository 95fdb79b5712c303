package io.faceroster.gallery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.faceroster.testsupport.ApiClient;
import io.faceroster.testsupport.Galleries;
import io.faceroster.testsupport.RunningApp;
import io.faceroster.testsupport.TestImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A model switch keeps a target FAR and recalibrates on the new model's distances; a threshold set by hand
 * does not outlive its model; the setting survives a restart. Private copy of the model store, file database.
 */
class RecalibrationTest {

    @TempDir
    Path dir;

    private Map<String, String> properties() throws IOException {
        Path store = dir.resolve("models");
        if (!Files.exists(store)) {
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

    private static JsonNode inForce(ApiClient api) {
        return api.get("/api/v1/admin/calibration").json().get("thresholdInForce");
    }

    private static double identifyThreshold(ApiClient api) {
        return api.image("/api/v1/identify?detect=false", "q.png", TestImages.face(703, 9)).json().get("threshold")
                .asDouble();
    }

    private static double far5(JsonNode report) {
        for (JsonNode f : report.get("thresholds")) {
            if (f.get("name").asString().equals("far_5%")) {
                return f.get("threshold").asDouble();
            }
        }
        throw new AssertionError(report.toString());
    }

    private static String awaitJob(ApiClient api, String jobId) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 180_000;
        while (System.currentTimeMillis() < deadline) {
            JsonNode job = api.get("/api/v1/admin/training-jobs/" + jobId).json();
            String status = job.get("status").asString();
            if (!status.equals("QUEUED") && !status.equals("RUNNING")) {
                assertThat(status).as(job.toString()).isEqualTo("SUCCEEDED");
                return job.get("candidateVersion").asString();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("job did not end in time");
    }

    @Test
    void aModelSwitchKeepsTheTargetAndRecalibratesOnTheNewModel() throws Exception {
        String original;
        double onOriginal;
        try (RunningApp app = RunningApp.start(properties())) {
            ApiClient api = app.api();
            Galleries.enrolClean(api, "r", 700, 12, 4);
            original = api.get("/api/v1/model").json().get("version").asString();
            var applied = api.postJson("/api/v1/admin/calibration", "{\"targetFar\":0.05}");
            assertThat(applied.status()).as(applied.text()).isEqualTo(200);
            onOriginal = applied.json().get("thresholdInForce").get("threshold").asDouble();

            // Promotion of a retrained model: the target stays, the number is recalibrated on its distances.
            var job = api.postJson("/api/v1/admin/training-jobs", "{\"epochs\":1,\"seed\":1,\"force\":true}");
            assertThat(job.status()).as(job.text()).isEqualTo(202);
            String candidate = awaitJob(api, job.json().get("jobId").asString());
            JsonNode report = api.get("/api/v1/admin/calibration").json();
            JsonNode promoted = report.get("thresholdInForce");
            assertThat(promoted.get("source").asString()).isEqualTo("target_far");
            assertThat(promoted.get("targetFar").asDouble()).isEqualTo(0.05);
            assertThat(promoted.get("modelVersion").asString()).isEqualTo(candidate);
            assertThat(promoted.get("setBy").asString()).isEqualTo("system");
            assertThat(promoted.get("threshold").asDouble()).isCloseTo(far5(report), within(1e-6))
                    .isNotCloseTo(onOriginal, within(1e-6));
            assertThat(identifyThreshold(api)).isCloseTo(far5(report), within(1e-6));
            JsonNode audit = api.get("/api/v1/admin/audit?action=threshold_set").json().get("items").get(0);
            assertThat(audit.get("keyId").asString()).isEqualTo("system");
            assertThat(audit.get("detail").asString()).contains("after the switch from " + original).contains(candidate);

            // Rollback: recalibrated again, on the same embeddings as before, to the same threshold.
            assertThat(api.postJson("/api/v1/admin/models/" + original + "/activate", "").status()).isEqualTo(200);
            assertThat(inForce(api).get("threshold").asDouble()).isCloseTo(onOriginal, within(1e-5));
            assertThat(identifyThreshold(api)).isCloseTo(onOriginal, within(1e-5));
        }
        // Stored: a restart keeps the setting in force.
        try (RunningApp app = RunningApp.start(properties())) {
            JsonNode restarted = inForce(app.api());
            assertThat(restarted.get("source").asString()).isEqualTo("target_far");
            assertThat(restarted.get("threshold").asDouble()).isCloseTo(onOriginal, within(1e-5));
            assertThat(identifyThreshold(app.api())).isCloseTo(onOriginal, within(1e-5));
        }
    }

    @Test
    void aThresholdSetByHandDoesNotOutliveItsModel() throws Exception {
        Map<String, String> props = properties();
        // A second version in the store: the same tower under another name (enough to switch models).
        Path store = Path.of(props.get("faceroster.model.seed"));
        String shipped = Files.readString(store.resolve("ACTIVE")).trim();
        Path copy = store.resolve("faceroster-v1-handtest");
        try (var files = Files.walk(store.resolve(shipped))) {
            for (Path p : files.toList()) {
                Path target = copy.resolve(store.resolve(shipped).relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        Files.writeString(copy.resolve("metadata.json"), Files.readString(store.resolve(shipped).resolve("metadata.json"))
                .replace(shipped, "faceroster-v1-handtest"));
        try (RunningApp app = RunningApp.start(props)) {
            ApiClient api = app.api();
            Galleries.enrolClean(api, "h", 720, 6, 2);
            assertThat(api.postJson("/api/v1/admin/calibration", "{\"threshold\":0.5}").status()).isEqualTo(200);
            assertThat(identifyThreshold(api)).isEqualTo(0.5);
            assertThat(api.postJson("/api/v1/admin/models/faceroster-v1-handtest/activate", "").status()).isEqualTo(200);
            JsonNode after = api.get("/api/v1/admin/calibration").json();
            assertThat(after.get("thresholdInForce").get("source").asString()).isEqualTo("model_default");
            assertThat(after.get("thresholdInForce").get("note").asString()).contains("set by hand")
                    .contains("faceroster-v1-handtest");
            assertThat(identifyThreshold(api)).isEqualTo(after.get("modelDefaultThreshold").asDouble());
            JsonNode audit = api.get("/api/v1/admin/audit?action=threshold_reset").json().get("items").get(0);
            assertThat(audit.get("keyId").asString()).isEqualTo("system");
        }
    }
}
