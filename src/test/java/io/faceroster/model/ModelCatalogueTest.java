package io.faceroster.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Model versions in the database: seeded from the shipped folder (never written to), unpacked byte for byte into a
 * replica's cache, a newer shipped version added without being activated, and a damaged stored version refused.
 */
class ModelCatalogueTest {

    @TempDir
    Path dir;
    private DataSource db;
    private Path seed;

    @BeforeEach
    void database() throws IOException {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:catalogue-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        db = h2;
        Flyway.configure().dataSource(db).locations("classpath:db/migration").load().migrate();
        seed = dir.resolve("seed");
        copy(Path.of("models"), seed);
    }

    private ModelCatalogue catalogue(String cache) {
        return new ModelCatalogue(db, new ModelProperties(dir.resolve(cache), seed, null, 1, null),
                Clock.systemUTC());
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    private static String active(Path store) throws IOException {
        return Files.readString(store.resolve(ModelStore.ACTIVE_FILE)).trim();
    }

    @Test
    void anEmptyDatabaseIsSeededWithEveryShippedVersionAndTheShippedActiveOne() throws IOException {
        ModelCatalogue catalogue = catalogue("cache");
        assertThat(catalogue.seed()).isTrue();
        assertThat(catalogue.activeVersion()).contains(active(seed));
        assertThat(catalogue.list()).extracting(ModelMetadata::version)
                .containsExactlyInAnyOrderElementsOf(ModelStore.versions(seed).stream()
                        .map(p -> p.getFileName().toString()).toList());
        assertThat(catalogue.seed()).as("a second start seeds nothing").isFalse();
    }

    @Test
    void aVersionIsUnpackedIntoTheCacheByteForByte() throws IOException {
        ModelCatalogue catalogue = catalogue("cache");
        catalogue.seed();
        String version = active(seed);
        Path unpacked = catalogue.materialise(version);
        assertThat(unpacked).isEqualTo(dir.resolve("cache").resolve(version));
        try (Stream<Path> files = Files.walk(seed.resolve(version))) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                Path copy = unpacked.resolve(seed.resolve(version).relativize(p).toString());
                assertThat(Files.mismatch(p, copy)).as(copy.toString()).isEqualTo(-1L);
            }
        }
    }

    @Test
    void aNewerShippedVersionIsStoredButNotActivated() throws IOException {
        ModelCatalogue catalogue = catalogue("cache");
        catalogue.seed();
        String shipped = active(seed);
        Path newer = seed.resolve("faceroster-v1-newer");
        copy(seed.resolve(shipped), newer);
        Files.writeString(newer.resolve(ModelDirectory.METADATA_FILE),
                Files.readString(newer.resolve(ModelDirectory.METADATA_FILE)).replace(shipped, "faceroster-v1-newer"));
        assertThat(catalogue.seed()).isFalse();
        assertThat(catalogue.contains("faceroster-v1-newer")).isTrue();
        assertThat(catalogue.activeVersion()).contains(shipped);
    }

    @Test
    void aStoredVersionThatDoesNotMatchItsHashIsRefused() throws IOException {
        ModelCatalogue catalogue = catalogue("cache");
        catalogue.seed();
        String version = active(seed);
        new JdbcTemplate(db).update("update model_version set files_sha256 = ? where version = ?", "0".repeat(64),
                version);
        assertThatThrownBy(() -> catalogue.materialise(version)).isInstanceOf(IOException.class)
                .hasMessageContaining("SHA-256");
        assertThat(dir.resolve("cache").resolve(version)).doesNotExist();
    }

    @Test
    void anUnknownVersionIsModelNotFound() throws IOException {
        ModelCatalogue catalogue = catalogue("cache");
        catalogue.seed();
        assertThatThrownBy(() -> catalogue.materialise("nope")).isInstanceOf(ModelNotFound.class);
        assertThatThrownBy(() -> catalogue.materialise("../etc")).isInstanceOf(ModelNotFound.class);
        assertThatThrownBy(() -> catalogue.setActive("nope", "test")).isInstanceOf(ModelNotFound.class);
    }
}
