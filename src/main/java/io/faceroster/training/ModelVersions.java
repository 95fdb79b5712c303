package io.faceroster.training;

import io.faceroster.audit.AuditAction;
import io.faceroster.audit.AuditLog;
import io.faceroster.employee.SupportSetBuilder;
import io.faceroster.identify.Recognizer;
import io.faceroster.model.DeviceProperties;
import io.faceroster.model.EmbeddingService;
import io.faceroster.model.ModelDirectory;
import io.faceroster.model.ModelMetadata;
import io.faceroster.model.ModelProperties;
import io.faceroster.model.ModelStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.springframework.stereotype.Service;

/**
 * The model store seen from the service: which versions exist, which is active, and switching between
 * them (promotion of a trained candidate, or rollback) with re-embed-then-swap. One switch at a time.
 */
@Service
class ModelVersions {

    private final Path store;
    private final String device;
    private final Recognizer recognizer;
    private final SupportSetBuilder supportSetBuilder;
    private final AuditLog audit;

    ModelVersions(ModelProperties properties, DeviceProperties device, Recognizer recognizer,
                  SupportSetBuilder supportSetBuilder, AuditLog audit) {
        this.store = properties.store();
        this.device = device.device();
        this.recognizer = recognizer;
        this.supportSetBuilder = supportSetBuilder;
        this.audit = audit;
    }

    Path store() {
        return store;
    }

    List<ModelMetadata> list() throws IOException {
        List<ModelMetadata> out = new ArrayList<>();
        for (Path dir : ModelStore.versions(store)) {
            out.add(ModelDirectory.readMetadata(dir));
        }
        return out;
    }

    String activeVersion() {
        return recognizer.active().modelVersion();
    }

    /** Removes an inactive version's directory from the store (a candidate that must not be kept). */
    synchronized void delete(String version) throws IOException {
        if (version.equals(activeVersion())) {
            throw new IllegalStateException("version " + version + " is active and cannot be deleted");
        }
        Path dir = store.resolve(version);
        if (version.matches("[A-Za-z0-9._-]+") && Files.isDirectory(dir)) {
            try (var files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /** Re-embeds every stored crop with {@code version}, swaps it in and records it as the store's active model. */
    synchronized ModelMetadata activate(String version) throws IOException {
        Path dir = store.resolve(version);
        if (!version.matches("[A-Za-z0-9._-]+") || !Files.isRegularFile(dir.resolve(ModelDirectory.METADATA_FILE))) {
            throw new ModelNotFound(version);
        }
        if (version.equals(activeVersion())) {
            return recognizer.metadata();
        }
        String activeVersionBefore = activeVersion();
        EmbeddingService next = EmbeddingService.load(dir, device);
        try {
            supportSetBuilder.switchTo(next);
        } catch (RuntimeException e) {
            next.close();
            throw e;
        }
        ModelStore.setActive(store, version);
        audit.record(AuditAction.MODEL_ACTIVATION, null, version, "replaced " + activeVersionBefore);
        return next.metadata();
    }
}
