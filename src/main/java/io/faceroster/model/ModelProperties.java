package io.faceroster.model;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Configuration of the tower the service runs ({@code faceroster.model.*}; the device is the top-level
 * {@code faceroster.device}).
 *
 * @param store           model store folder: one directory per version and an {@code ACTIVE} file
 * @param version         version to load instead of the store's {@code ACTIVE} one (optional)
 * @param intraOpThreads  PyTorch intra-op threads; 1 keeps latency steady on a small, busy machine
 * @param djlCacheDir     where DJL extracts libtorch (optional; DJL's default is {@code ~/.djl.ai})
 */
@ConfigurationProperties("faceroster.model")
public record ModelProperties(@DefaultValue("models") Path store, String version,
                              @DefaultValue("1") int intraOpThreads, Path djlCacheDir) {
}
