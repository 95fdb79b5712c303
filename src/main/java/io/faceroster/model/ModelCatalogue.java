package io.faceroster.model;

import io.faceroster.Sha256;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Model versions kept in the database, so that every replica serves the same ones: each version's files (zipped)
 * and metadata in {@code model_version}, the active version in the one row of {@code model_active}. A replica
 * unpacks a version into its local cache folder ({@code faceroster.model.store}, under {@code ./data} by default)
 * before loading it; the shipped {@code models/} folder ({@code faceroster.model.seed}) only seeds an empty
 * database and is never written to.
 */
@Component
@DependsOnDatabaseInitialization
public class ModelCatalogue {

    private static final Logger log = LoggerFactory.getLogger(ModelCatalogue.class);
    /** Files a model directory may hold; anything else in a seed folder is left out. */
    private static final long MAX_VERSION_BYTES = 512L * 1024 * 1024;

    private final JdbcTemplate jdbc;
    private final Path cache;
    private final Path seed;
    private final Clock clock;

    ModelCatalogue(DataSource dataSource, ModelProperties properties, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.cache = properties.store();
        this.seed = properties.seed();
        this.clock = clock;
    }

    /** The local cache folder versions are unpacked into. */
    public Path cache() {
        return cache;
    }

    /**
     * Stores every version of the seed folder the database lacks (a newer image's shipped model appears in the list,
     * ready to be activated, but is not activated), and on an empty database makes the one its {@code ACTIVE} file
     * names (or its only version) active. Two replicas seeding at once: the second insert of a version or of the
     * pointer fails on the primary key and is ignored. Returns whether this call set the active version.
     */
    public synchronized boolean seed() throws IOException {
        if (!Files.isDirectory(seed)) {
            if (activeVersion().isPresent()) {
                return false;
            }
            throw new IOException("the database holds no model and the seed folder " + seed.toAbsolutePath()
                    + " (faceroster.model.seed) does not exist");
        }
        for (Path dir : ModelStore.versions(seed)) {
            save(dir);
        }
        if (activeVersion().isPresent()) {
            return false;
        }
        Path active = ModelStore.activeDirectory(seed);
        try {
            jdbc.update("insert into model_active (id, version, changed_at, changed_by) values (1, ?, ?, ?)",
                    active.getFileName().toString(), Timestamp.from(clock.instant()), "seed " + seed);
        } catch (org.springframework.dao.DuplicateKeyException e) {
            return false;
        }
        log.info("Model catalogue seeded from {}: active version {}", seed.toAbsolutePath(), active.getFileName());
        return true;
    }

    /** The active version (empty: the catalogue was never seeded). */
    public Optional<String> activeVersion() {
        return jdbc.query("select version from model_active where id = 1",
                rs -> rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty());
    }

    public boolean contains(String version) {
        Integer n = jdbc.queryForObject("select count(*) from model_version where version = ?", Integer.class,
                version);
        return n != null && n > 0;
    }

    /** Every version's metadata, oldest version name first. */
    public List<ModelMetadata> list() {
        return jdbc.query("select metadata from model_version order by version",
                (rs, i) -> ModelDirectory.JSON.readValue(rs.getBytes(1), ModelMetadata.class));
    }

    /** Stores the model directory {@code dir} (named after its version); a version already stored is kept. */
    public void save(Path dir) throws IOException {
        ModelMetadata metadata = ModelDirectory.readMetadata(dir);
        String version = metadata.version();
        if (!dir.getFileName().toString().equals(version)) {
            throw new IOException("model directory " + dir + " holds version " + version);
        }
        if (contains(version)) {
            return;
        }
        byte[] files = zip(dir);
        try {
            jdbc.update("insert into model_version (version, metadata, files, files_sha256, created_at) "
                            + "values (?, ?, ?, ?, ?)", version, ModelDirectory.JSON.writeValueAsBytes(metadata), files,
                    Sha256.hex(files), Timestamp.from(clock.instant()));
        } catch (org.springframework.dao.DuplicateKeyException e) {
            // stored meanwhile by another replica: same version, same content
        }
    }

    /** Makes {@code version} the active one; call it inside the transaction that logs the model switch. */
    public void setActive(String version, String changedBy) {
        if (!contains(version)) {
            throw new ModelNotFound(version);
        }
        jdbc.update("update model_active set version = ?, changed_at = ?, changed_by = ? where id = 1", version,
                Timestamp.from(clock.instant()), changedBy);
    }

    /** Removes an inactive version (a candidate that must not be kept). */
    public void delete(String version) {
        if (activeVersion().filter(version::equals).isPresent()) {
            throw new IllegalStateException("version " + version + " is active and cannot be deleted");
        }
        jdbc.update("delete from model_version where version = ?", version);
    }

    /** The version's directory in the local cache, unpacked from the database first when missing. */
    public synchronized Path materialise(String version) throws IOException {
        if (!ModelStore.isVersionName(version)) {
            throw new ModelNotFound(version);
        }
        Path target = cache.resolve(version);
        if (Files.isRegularFile(target.resolve(ModelDirectory.METADATA_FILE))) {
            return target;
        }
        record Stored(byte[] files, String sha256) {
        }
        Stored stored = jdbc.query("select files, files_sha256 from model_version where version = ?",
                rs -> rs.next() ? new Stored(rs.getBytes(1), rs.getString(2)) : null, version);
        if (stored == null) {
            throw new ModelNotFound(version);
        }
        if (!Sha256.hex(stored.files()).equals(stored.sha256())) {
            throw new IOException("model version " + version + " in the database does not match its SHA-256");
        }
        Files.createDirectories(cache);
        Path staging = Files.createTempDirectory(cache, ".unpack-");
        try {
            unzip(stored.files(), staging);
            return ModelStore.install(cache, staging, version);
        } catch (IOException | RuntimeException e) {
            ModelStore.deleteRecursively(staging);
            throw e;
        }
    }

    private static byte[] zip(Path dir) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes); Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
                zip.putNextEntry(new ZipEntry(dir.relativize(p).toString().replace('\\', '/')));
                Files.copy(p, zip);
                zip.closeEntry();
                if (bytes.size() > MAX_VERSION_BYTES) {
                    throw new IOException("model directory " + dir + " is larger than " + MAX_VERSION_BYTES + " bytes");
                }
            }
        }
        return bytes.toByteArray();
    }

    private static void unzip(byte[] files, Path into) throws IOException {
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(files))) {
            List<Path> written = new ArrayList<>();
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                Path target = into.resolve(e.getName()).normalize();
                if (!target.startsWith(into) || e.isDirectory()) {
                    throw new IOException("unexpected entry '" + e.getName() + "' in a stored model version");
                }
                Files.createDirectories(target.getParent());
                try (OutputStream out = Files.newOutputStream(target)) {
                    copy(zip, out);
                }
                written.add(target);
            }
            if (written.stream().noneMatch(p -> p.getFileName().toString().equals(ModelDirectory.METADATA_FILE))) {
                throw new IOException("a stored model version has no " + ModelDirectory.METADATA_FILE);
            }
        }
    }

    private static void copy(InputStream in, OutputStream out) throws IOException {
        in.transferTo(out);
    }
}
