package io.faceroster.importing;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Bulk imports ({@code faceroster.import.*}).
 *
 * @param folder                where uploaded archives wait (private to the service) until their import ends
 * @param maxArchiveSize        largest archive accepted, as uploaded (checked while it streams to disk)
 * @param maxUncompressedSize   most bytes all entries may inflate to (counted while reading, never from headers)
 * @param maxEntries            most entries an archive may hold
 * @param maxPhotoSize          largest single photo (inflated); a larger one is refused as that photo's problem
 * @param threads               photos decoded and searched for faces in parallel (0: one per processor)
 * @param refusalsShown         how many refusals the status answer lists (the report lists all)
 * @param maxPending            imports this replica accepts at once, uploading, queued or running (each archive
 *                              takes disk until its import ends)
 */
@ConfigurationProperties("faceroster.import")
public record ImportProperties(@DefaultValue("data/imports") Path folder,
                               @DefaultValue("2GB") DataSize maxArchiveSize,
                               @DefaultValue("8GB") DataSize maxUncompressedSize,
                               @DefaultValue("100000") int maxEntries,
                               @DefaultValue("10MB") DataSize maxPhotoSize,
                               @DefaultValue("0") int threads,
                               @DefaultValue("10") int refusalsShown,
                               @DefaultValue("4") int maxPending) {

    int workerThreads() {
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }
}
