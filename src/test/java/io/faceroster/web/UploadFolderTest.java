package io.faceroster.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.faceroster.testsupport.ApiClient;
import io.faceroster.testsupport.RunningApp;
import io.faceroster.testsupport.TestImages;
import jakarta.servlet.MultipartConfigElement;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 10 item 6: uploaded photos are kept in memory; the upload folder is private and wiped at start. */
class UploadFolderTest {

    @TempDir
    Path dir;

    @Test
    void leftOverUploadsAreWipedAtStartAndNewOnesStayInMemory() throws Exception {
        Path uploads = dir.resolve("uploads");
        Files.createDirectories(uploads.resolve("tomcat-work"));
        Files.write(uploads.resolve("upload_0123.tmp"), TestImages.face(1, 1));
        Files.write(uploads.resolve("tomcat-work").resolve("upload_4567.tmp"), TestImages.face(1, 2));
        try (RunningApp app = RunningApp.start(Map.of("spring.datasource.url", "jdbc:h2:mem:uploads",
                "spring.servlet.multipart.location", uploads.toString()))) {
            assertThat(listed(uploads)).isEmpty();
            MultipartConfigElement multipart = app.bean(MultipartConfigElement.class);
            assertThat(multipart.getLocation()).isEqualTo(uploads.toString());
            assertThat((long) multipart.getFileSizeThreshold()).as("parts up to the limit stay in memory")
                    .isGreaterThan(multipart.getMaxFileSize());
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(uploads))).isEqualTo("rwx------");
            ApiClient api = app.api();
            api.createEmployee("up", "Up");
            assertThat(api.image("/api/v1/employees/up/faces?detect=false", "a.png", TestImages.face(1, 1)).status())
                    .isEqualTo(201);
            assertThat(listed(uploads)).isEmpty();
        }
    }

    @Test
    void aRelativeUploadLocationReachesTomcatAsTheFolderPreparedAtStart() {
        // the shipped default, ./data/uploads: Tomcat would resolve it under its own work directory and create it
        // on the first upload, racing when two arrive at once
        try (RunningApp app = RunningApp.start(Map.of("spring.datasource.url", "jdbc:h2:mem:uploads-relative"))) {
            Path prepared = app.bean(UploadFolder.class).folder();
            assertThat(prepared).isAbsolute().isDirectory();
            assertThat(app.bean(MultipartConfigElement.class).getLocation()).isEqualTo(prepared.toString());
        }
    }

    private static List<Path> listed(Path folder) throws Exception {
        try (Stream<Path> s = Files.walk(folder)) {
            return s.filter(p -> !p.equals(folder)).toList();
        }
    }
}
