package io.faceroster.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A folder of model directories, one per version, and an {@code ACTIVE} file naming the version the service
 * loads. Writes are atomic (write aside, then rename) so a crash never leaves a half-written active model.
 */
public final class ModelStore {

    public static final String ACTIVE_FILE = "ACTIVE";

    private ModelStore() {
    }

    /** Moves a fully written staging directory to {@code store/version}; an existing version is kept. */
    public static Path install(Path store, Path staging, String version) throws IOException {
        Path target = store.resolve(version);
        if (Files.exists(target)) {
            deleteRecursively(staging);
            return target;
        }
        try {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (java.nio.file.FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
            deleteRecursively(staging);   // written meanwhile by another process: same version, same content
            return target;
        }
        try {
            // Temporary directories are private (rwx------); a model directory is meant to be shared read-only.
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: keep the defaults
        }
        return target;
    }

    /** Whether {@code version} can name a directory of the store (letters, digits, dot, dash, underscore). */
    public static boolean isVersionName(String version) {
        return version != null && version.matches("[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}");
    }

    public static void setActive(Path store, String version) throws IOException {
        if (!Files.isDirectory(store.resolve(version))) {
            throw new IOException("no model version " + version + " in " + store.toAbsolutePath());
        }
        Path tmp = store.resolve(ACTIVE_FILE + ".tmp");
        Files.writeString(tmp, version + "\n");
        Files.move(tmp, store.resolve(ACTIVE_FILE), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    /** The directory of the active model: {@code ACTIVE}'s version, or the only version in the store. */
    public static Path activeDirectory(Path store) throws IOException {
        Path active = store.resolve(ACTIVE_FILE);
        if (Files.isRegularFile(active)) {
            String version = Files.readString(active).trim();
            Path dir = store.resolve(version);
            if (!Files.isDirectory(dir)) {
                throw new IOException(active.toAbsolutePath() + " names version " + version + ", which is not in "
                        + store.toAbsolutePath());
            }
            return dir;
        }
        List<Path> versions = versions(store);
        if (versions.size() == 1) {
            return versions.get(0);
        }
        throw new IOException("model store " + store.toAbsolutePath() + " has " + versions.size()
                + " versions and no " + ACTIVE_FILE + " file naming the one to use");
    }

    public static List<Path> versions(Path store) throws IOException {
        if (!Files.isDirectory(store)) {
            throw new IOException("model store " + store.toAbsolutePath() + " does not exist");
        }
        try (Stream<Path> s = Files.list(store)) {
            return new ArrayList<>(s.filter(d -> Files.isRegularFile(d.resolve(ModelDirectory.METADATA_FILE)))
                    .sorted().toList());
        }
    }

    public static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
