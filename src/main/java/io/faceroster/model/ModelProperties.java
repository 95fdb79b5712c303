package io.faceroster.model;

import java.nio.file.Path;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Configuration of the tower the service runs ({@code faceroster.model.*}; the device is the top-level
 * {@code faceroster.device}). Model versions live in the database ({@link ModelCatalogue}).
 *
 * @param store           this replica's cache folder: versions are unpacked from the database into it
 * @param seed            the shipped model folder (one directory per version and an {@code ACTIVE} file) that
 *                        seeds an empty database; only read
 * @param version         version to load instead of the database's active one (optional; must be stored)
 * @param intraOpThreads  PyTorch intra-op threads; 1 keeps latency steady on a small, busy machine
 * @param djlCacheDir     where DJL extracts libtorch (optional; DJL's default is {@code ~/.djl.ai})
 */
@ConfigurationProperties("faceroster.model")
public record ModelProperties(@DefaultValue("data/models") Path store, @DefaultValue("models") Path seed,
                              String version, @DefaultValue("1") int intraOpThreads, Path djlCacheDir) {

    /** {@link #version()} when one is set: this replica serves it instead of following the database's active one. */
    public Optional<String> pinnedVersion() {
        return version == null || version.isBlank() ? Optional.empty() : Optional.of(version);
    }
}
