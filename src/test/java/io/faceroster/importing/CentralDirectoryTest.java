package io.faceroster.importing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.faceroster.testsupport.ImportArchives;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Counting a ZIP's entries from its central directory, before a library reads them all. */
class CentralDirectoryTest {

    @TempDir
    Path dir;

    private Path zipOf(int entries) throws IOException {
        ImportArchives.Builder b = ImportArchives.archive();
        for (int i = 0; i < entries; i++) {
            b.add("e/" + i + ".png", new byte[] {(byte) i});
        }
        return Files.write(dir.resolve(entries + ".zip"), b.zip());
    }

    @Test
    void countsEveryRecord() throws IOException {
        assertThat(CentralDirectory.count(zipOf(37), 1000)).isEqualTo(37);
    }

    @Test
    void stopsJustPastTheLimit() throws IOException {
        assertThat(CentralDirectory.count(zipOf(500), 100)).isEqualTo(101);
    }

    @Test
    void refusesSomethingThatIsNotAZip() throws IOException {
        Path junk = Files.write(dir.resolve("junk.zip"), "not a zip at all".getBytes());
        assertThatThrownBy(() -> CentralDirectory.count(junk, 10)).isInstanceOf(IOException.class);
    }

    @Test
    void refusesADirectoryOffsetOutsideTheFile() throws IOException {
        byte[] zip = Files.readAllBytes(zipOf(3));
        // The end record's central-directory offset (bytes 16-19 of the 22-byte record at the end) pushed far out.
        zip[zip.length - 22 + 19] = 0x7f;
        Path broken = Files.write(dir.resolve("broken.zip"), zip);
        assertThatThrownBy(() -> CentralDirectory.count(broken, 10)).isInstanceOf(IOException.class);
    }
}
