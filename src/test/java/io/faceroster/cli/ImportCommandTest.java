package io.faceroster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.faceroster.testsupport.ApiClient;
import io.faceroster.testsupport.RunningApp;
import io.faceroster.testsupport.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code import} command against a running service: a folder packed, uploaded, followed, its report saved. */
class ImportCommandTest {

    @TempDir
    Path dir;

    @Test
    void aFolderIsPackedImportedAndItsReportDownloaded() throws Exception {
        Path photos = Files.createDirectories(dir.resolve("badges"));
        Files.writeString(photos.resolve("employees.csv"),
                "employeeId,displayName,consentReference,consentGivenAt\ncli-a,Cli A,HR-7,2026-02-01\n");
        Files.createDirectories(photos.resolve("cli-a"));
        Files.write(photos.resolve("cli-a/0.jpg"), TestImages.photo(71, 0));
        Files.write(photos.resolve("cli-a/1.jpg"), TestImages.photo(71, 1));
        Files.write(photos.resolve("cli-a/.DS_Store"), new byte[] {0});
        Path report = dir.resolve("report.csv");
        try (RunningApp app = RunningApp.start(Map.of("spring.datasource.url", "jdbc:h2:file:" + dir.resolve("db"),
                "faceroster.import.folder", dir.resolve("imports").toString()))) {
            int exit = Commands.run(new String[] {"import", "--url", "http://localhost:" + app.port(), "--api-key",
                    ApiClient.ENROLL_KEY, "--report", report.toString(), photos.toString()});
            assertThat(exit).isZero();
            assertThat(app.api().get("/api/v1/employees/cli-a/faces").json().get("faces")).hasSize(2);
        }
        List<String> lines = Files.readAllLines(report);
        assertThat(lines).hasSize(3);
        assertThat(lines.subList(1, 3)).allSatisfy(l -> assertThat(l).startsWith("cli-a,").contains(",enrolled,"));
    }

    @Test
    void aRefusedArchiveEndsWithExitCode1() throws Exception {
        Path photos = Files.createDirectories(dir.resolve("flat"));
        Files.write(photos.resolve("loose.jpg"), TestImages.photo(72, 0));
        try (RunningApp app = RunningApp.start(Map.of("spring.datasource.url", "jdbc:h2:file:" + dir.resolve("db2"),
                "faceroster.import.folder", dir.resolve("imports2").toString()))) {
            assertThat(Commands.run(new String[] {"import", "--url", "http://localhost:" + app.port(), "--api-key",
                    ApiClient.ENROLL_KEY, photos.toString()})).isEqualTo(1);
        }
    }
}
