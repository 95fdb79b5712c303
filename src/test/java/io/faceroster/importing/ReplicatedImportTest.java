package io.faceroster.importing;

import static org.assertj.core.api.Assertions.assertThat;

import io.faceroster.testsupport.ApiClient;
import io.faceroster.testsupport.Eventually;
import io.faceroster.testsupport.ImportArchives;
import io.faceroster.testsupport.RunningApp;
import io.faceroster.testsupport.TestImages;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Imports across two replicas on one embedded PostgreSQL, each with its own disk (import folder), with a short
 * replica timeout: an import running on A is watched from B and never failed by B while A heart-beats it; an import
 * A held when it stopped is failed by B (which lacks the archive) once A has been silent for the timeout. (A replica
 * that has the archive, on a shared disk, resumes it instead: ImportRestartTest covers resuming.)
 */
class ReplicatedImportTest {

    @TempDir
    Path dir;

    private Map<String, String> props(EmbeddedPostgres pg, String replica) {
        return new HashMap<>(Map.of("spring.datasource.url", pg.getJdbcUrl("postgres", "postgres"),
                "spring.datasource.username", "postgres", "spring.datasource.password", "postgres",
                "faceroster.replication.replica-id", replica,
                "faceroster.replication.replica-timeout", "5s", "faceroster.replication.heartbeat-interval", "500ms",
                "faceroster.import.folder", dir.resolve("imports-" + replica).toString(),
                "faceroster.model.store", dir.resolve("cache-" + replica).toString()));
    }

    private static byte[] archive(int employees) {
        ImportArchives.Builder b = ImportArchives.archive();
        for (int e = 0; e < employees; e++) {
            for (int s = 0; s < 2; s++) {
                b.add("rep-" + e + "/" + s + ".jpg", TestImages.photo(300 + e, s));
            }
        }
        return b.zip();
    }

    private static String submit(ApiClient api, byte[] zip) {
        var r = api.multipart("/api/v1/admin/imports?consentReference=HR-rep", List.of(ImportArchives.part(zip)));
        assertThat(r.status()).as(r.text()).isEqualTo(202);
        return r.json().get("importId").asString();
    }

    @Test
    void anImportOnAIsWatchedFromBAndNeverFailedByBWhileAHeartBeatsIt() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
             RunningApp a = RunningApp.start(props(pg, "A"));
             RunningApp b = RunningApp.start(props(pg, "B"))) {
            String id = submit(a.api(), archive(40));
            JsonNode done = ImportApiTest.awaitEnd(b.api(), id);
            assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
            assertThat(done.get("progress").get("photosDone").asInt()).isEqualTo(80);
            assertThat(b.api().get("/api/v1/admin/imports/" + id + "/report.csv").text().lines()).hasSize(81);
        }
    }

    @Test
    void anImportWhoseReplicaStoppedIsFailedByAReplicaWithoutItsArchive() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start();
             RunningApp b = RunningApp.start(props(pg, "B"))) {
            String id;
            try (RunningApp a = RunningApp.start(props(pg, "A"))) {
                id = submit(a.api(), archive(40));
                Eventually.within(Duration.ofSeconds(30), "A has started", () -> a.api().get("/api/v1/admin/imports/"
                        + id).json().get("progress").get("photosDone").asInt() > 0);
                // A's disk goes with A: here both share one file system, so the archive is removed by hand (A keeps
                // reading the file it has open until it stops).
                try (var files = java.nio.file.Files.list(dir.resolve("imports-A"))) {
                    for (Path f : files.toList()) {
                        java.nio.file.Files.delete(f);
                    }
                }
            }
            Eventually.within(Duration.ofSeconds(30), "B fails the import A left", () -> "FAILED".equals(
                    b.api().get("/api/v1/admin/imports/" + id).json().get("status").asString()));
            JsonNode failed = b.api().get("/api/v1/admin/imports/" + id).json();
            assertThat(failed.get("reason").asString()).contains("not on this replica's disk")
                    .contains("onExisting=add");
            int handled = failed.get("progress").get("photosDone").asInt();
            assertThat(b.api().get("/api/v1/admin/imports/" + id + "/report.csv").text().lines()).hasSize(handled + 1);
        }
    }
}
