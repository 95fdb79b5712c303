package io.faceroster.importing;

import static org.assertj.core.api.Assertions.assertThat;

import io.faceroster.testsupport.ApiClient;
import io.faceroster.testsupport.ImportArchives;
import io.faceroster.testsupport.RunningApp;
import io.faceroster.testsupport.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Imports that are interrupted (issue 15): a cancel stops after the photo in hand and keeps what was committed; an
 * import under way when the service stops resumes at the next start and handles every photo exactly once.
 */
class ImportRestartTest {

    @TempDir
    Path dir;

    private Map<String, String> properties() {
        return Map.of("spring.datasource.url", "jdbc:h2:file:" + dir.resolve("db"),
                "faceroster.import.folder", dir.resolve("imports").toString());
    }

    private static byte[] archive(int employees, int photos) {
        ImportArchives.Builder b = ImportArchives.archive();
        for (int e = 0; e < employees; e++) {
            for (int s = 0; s < photos; s++) {
                b.add("run-" + e + "/" + s + ".jpg", TestImages.photo(200 + e, s));
            }
        }
        return b.zip();
    }

    private static String submit(ApiClient api, byte[] zip) {
        var r = api.multipart("/api/v1/admin/imports?consentReference=HR-bulk", List.of(ImportArchives.part(zip)));
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        return r.json().get("importId").asString();
    }

    private static List<String> report(ApiClient api, String id) {
        List<String> lines = api.get("/api/v1/admin/imports/" + id + "/report.csv").text().lines().toList();
        return lines.subList(1, lines.size());
    }

    @Test
    void aReplicaAcceptsAtMostMaxPendingImportsAtOnce() throws Exception {
        Map<String, String> props = new java.util.HashMap<>(properties());
        props.put("faceroster.import.max-pending", "1");
        try (RunningApp app = RunningApp.start(props)) {
            ApiClient api = app.api();
            String first = submit(api, archive(30, 2));
            var second = api.multipart("/api/v1/admin/imports?consentReference=HR", List.of(ImportArchives.part(
                    archive(1, 1))));
            assertThat(second.status()).as(second.text()).isEqualTo(429);
            assertThat(second.json().get("code").asString()).isEqualTo("import_busy");
            assertThat(ImportApiTest.awaitEnd(api, first).get("status").asString()).isEqualTo("SUCCEEDED");
            assertThat(api.multipart("/api/v1/admin/imports?consentReference=HR", List.of(ImportArchives.part(
                    archive(1, 1)))).status()).as("accepted again once the first ended").isEqualTo(202);
        }
    }

    @Test
    void aCancelStopsAfterThePhotoInHandAndKeepsWhatWasCommitted() throws Exception {
        try (RunningApp app = RunningApp.start(properties())) {
            ApiClient api = app.api();
            String id = submit(api, archive(30, 2));
            while (api.get("/api/v1/admin/imports/" + id).json().get("progress").get("photosDone").asInt() == 0) {
                Thread.sleep(20);
            }
            assertThat(api.postJson("/api/v1/admin/imports/" + id + "/cancel", "").status()).isEqualTo(202);
            JsonNode done = ImportApiTest.awaitEnd(api, id);
            assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("CANCELLED");
            int handled = done.get("progress").get("photosDone").asInt();
            assertThat(handled).isBetween(1, 59);
            assertThat(done.get("reason").asString()).contains("cancelled after " + handled + " of 60 photos");
            List<String> lines = report(api, id);
            assertThat(lines).hasSize(handled);
            long enrolled = lines.stream().filter(l -> l.contains(",enrolled,")).count();
            assertThat(api.get("/api/v1/model").json().get("enrolledFaces").asInt()).isEqualTo((int) enrolled);
            assertThat(api.postJson("/api/v1/admin/imports/" + id + "/cancel", "").json().get("code").asString())
                    .isEqualTo("import_finished");
            assertThat(Files.list(dir.resolve("imports")).count()).as("archive deleted").isZero();
        }
    }

    @Test
    void anImportUnderWayWhenTheServiceStopsResumesAtTheNextStartAndHandlesEachPhotoOnce() throws Exception {
        String id;
        int before;
        try (RunningApp app = RunningApp.start(properties())) {
            id = submit(app.api(), archive(30, 2));
            while ((before = app.api().get("/api/v1/admin/imports/" + id).json().get("progress").get("photosDone")
                    .asInt()) < 4) {
                Thread.sleep(20);
            }
        }
        try (RunningApp app = RunningApp.start(properties())) {
            JsonNode done = ImportApiTest.awaitEnd(app.api(), id);
            assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
            assertThat(done.get("progress").get("photosDone").asInt()).isEqualTo(60);
            List<String> lines = report(app.api(), id);
            Set<String> photos = new HashSet<>();
            lines.forEach(l -> photos.add(l.substring(0, l.indexOf(',', l.indexOf(',') + 1))));
            assertThat(photos).as("every photo reported once").hasSize(60);
            assertThat(lines).hasSize(60);
            long stored = lines.stream().filter(l -> l.contains(",enrolled,") || l.contains(",already_stored,")).count();
            assertThat(app.api().get("/api/v1/model").json().get("enrolledFaces").asInt()).isEqualTo((int) stored);
            assertThat(before).isLessThan(60);
        }
    }
}
