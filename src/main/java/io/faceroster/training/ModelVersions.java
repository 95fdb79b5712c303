package io.faceroster.training;

import ai.djl.Model;
import io.faceroster.audit.AuditAction;
import io.faceroster.audit.AuditLog;
import io.faceroster.employee.KeptEmbeddings;
import io.faceroster.employee.SupportSetBuilder;
import io.faceroster.identify.Recognizer;
import io.faceroster.model.DeviceProperties;
import io.faceroster.model.EmbeddingService;
import io.faceroster.model.ModelCatalogue;
import io.faceroster.model.ModelDirectory;
import io.faceroster.model.ModelMetadata;
import io.faceroster.model.ModelNotFound;
import io.faceroster.model.ModelStore;
import io.faceroster.replication.ChangeLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Model versions seen from the service: which exist (in the database), which is active, storing a trained
 * candidate, and switching between versions (promotion or rollback): the new model embeds every stored chip
 * into a shadow support set while the old one serves, then the pointer flip and the change-log row commit in one
 * transaction under the switch lock, and the pair is swapped. Other replicas follow the change-log row. One
 * switch at a time on this replica.
 */
@Service
class ModelVersions {

    private static final Logger log = LoggerFactory.getLogger(ModelVersions.class);

    private final ModelCatalogue catalogue;
    private final String device;
    private final Recognizer recognizer;
    private final SupportSetBuilder supportSetBuilder;
    private final ChangeLog changes;
    private final TransactionTemplate tx;
    private final AuditLog audit;
    private final KeptEmbeddings kept;

    ModelVersions(ModelCatalogue catalogue, DeviceProperties device, Recognizer recognizer,
                  SupportSetBuilder supportSetBuilder, ChangeLog changes, TransactionTemplate tx, AuditLog audit,
                  KeptEmbeddings kept) {
        this.catalogue = catalogue;
        this.kept = kept;
        this.device = device.device();
        this.recognizer = recognizer;
        this.supportSetBuilder = supportSetBuilder;
        this.changes = changes;
        this.tx = tx;
        this.audit = audit;
    }

    List<ModelMetadata> list() {
        return catalogue.list();
    }

    String activeVersion() {
        return recognizer.active().modelVersion();
    }

    /** A stored version's directory in this replica's cache. */
    Path directory(String version) throws IOException {
        return catalogue.materialise(version);
    }

    /** Writes a trained tower (backbone files from {@code trainedFrom}) and stores it in the database. */
    ModelMetadata store(Model model, ModelMetadata metadata, Path trainedFrom) throws IOException {
        Path cache = Files.createDirectories(catalogue.cache());
        Path staging = Files.createTempDirectory(cache, ".staging-");
        try {
            ModelMetadata saved = ModelDirectory.save(staging, model, metadata, trainedFrom);
            Path dir = ModelStore.install(cache, staging, saved.version());
            catalogue.save(dir);
            return saved;
        } finally {
            if (Files.exists(staging)) {
                ModelStore.deleteRecursively(staging);
            }
        }
    }

    /** Removes an inactive version (a candidate that must not be kept) from the database and the cache. */
    synchronized void delete(String version) throws IOException {
        if (version.equals(activeVersion())) {
            throw new IllegalStateException("version " + version + " is active and cannot be deleted");
        }
        catalogue.delete(version);
        tx.executeWithoutResult(status -> kept.forget(version));
        Path cached = catalogue.cache().resolve(version);
        if (ModelStore.isVersionName(version) && Files.isDirectory(cached)) {
            ModelStore.deleteRecursively(cached);
        }
    }

    /** Makes {@code version} the active model of every replica. */
    synchronized ModelMetadata activate(String version) throws IOException {
        if (!ModelStore.isVersionName(version) || !catalogue.contains(version)) {
            throw new ModelNotFound(version);
        }
        if (version.equals(activeVersion())) {
            return recognizer.metadata();
        }
        String activeVersionBefore = activeVersion();
        EmbeddingService next = EmbeddingService.load(catalogue.materialise(version), device);
        try {
            supportSetBuilder.switchTo(next, () -> tx.executeWithoutResult(status -> {
                catalogue.setActive(version, changes.replicaId());
                changes.record(ChangeLog.Kind.MODEL_SWITCH, null, version);
            }));
        } catch (RuntimeException e) {
            next.close();
            throw e;
        }
        audit.record(AuditAction.MODEL_ACTIVATION, null, version, "replaced " + activeVersionBefore);
        try {
            int pruned = tx.execute(status -> kept.pruneExcept(version, activeVersionBefore));
            log.info("Kept embeddings of {} for a rollback; {} of older versions dropped", activeVersionBefore, pruned);
        } catch (RuntimeException e) {
            // the switch has committed: stale kept embeddings only take space until the next switch prunes them
            log.warn("Could not drop kept embeddings of older model versions after switching to {}", version, e);
        }
        return next.metadata();
    }
}
