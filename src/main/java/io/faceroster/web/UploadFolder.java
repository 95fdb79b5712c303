package io.faceroster.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The folder Tomcat would write multipart uploads to (issue 10, item 6). Uploads stay in memory: the
 * {@code spring.servlet.multipart.file-size-threshold} lies above the largest part accepted, so no photo is written
 * to disk. Should one ever be (a changed threshold), it lands in this private folder (owner-only permissions, not
 * the shared {@code tomcat.*} folder of the system's temporary directory), Tomcat deletes it at the end of its
 * request, and what a crash left is wiped when the service starts.
 */
@Component
public class UploadFolder {

    private static final Logger log = LoggerFactory.getLogger(UploadFolder.class);

    private final Path folder;

    public UploadFolder(@Value("${spring.servlet.multipart.location:}") String location) {
        this.folder = location.isBlank() ? null : Path.of(location).toAbsolutePath().normalize();
        if (folder != null) {
            wipe();
        }
    }

    public Path folder() {
        return folder;
    }

    private void wipe() {
        try {
            if (Files.exists(folder)) {
                long removed;
                try (Stream<Path> files = Files.walk(folder)) {
                    removed = files.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(folder))
                            .peek(UploadFolder::delete).count();
                }
                if (removed > 0) {
                    log.warn("Removed {} left-over upload files from {}", removed, folder);
                }
            } else {
                Files.createDirectories(folder);
            }
            try {
                Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
            } catch (UnsupportedOperationException notPosix) {
                // Windows: the folder keeps its inherited ACL.
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the upload folder " + folder, e);
        }
    }

    private static void delete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
