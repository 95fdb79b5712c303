package io.faceroster.employee;

import io.faceroster.identify.Recognizer;
import io.faceroster.identify.SupportSet;
import io.faceroster.imaging.FaceChip;
import io.faceroster.imaging.FaceChipPng;
import io.faceroster.model.DeviceProperties;
import io.faceroster.model.EmbeddingService;
import io.faceroster.model.ModelCatalogue;
import io.faceroster.model.ModelProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Builds support sets from the stored face samples: at start-up for the active model, and for a model
 * switch (promotion or rollback), where every crop is re-embedded with the new model into a shadow support
 * set while the active one keeps serving, then the two are swapped. A sample's own embedding (the one made at
 * enrolment) is reused when it was made by the same model version, and so is an embedding of that version kept
 * beside it ({@link KeptEmbeddings}); otherwise the crop is re-embedded and the new embedding kept beside the
 * sample's own, never over it: the version in force keeps its rows, a pointer flip moves no data, and a rollback
 * to the previous version re-embeds nothing.
 */
@Component
public class SupportSetBuilder implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(SupportSetBuilder.class);
    private static final int BATCH = 64;

    private final FaceSampleRepository faces;
    private final Recognizer recognizer;
    private final TransactionTemplate tx;
    private final ModelCatalogue catalogue;
    private final DeviceProperties device;
    private final KeptEmbeddings kept;
    private final String pinnedVersion;

    SupportSetBuilder(FaceSampleRepository faces, Recognizer recognizer, TransactionTemplate tx,
                      ModelCatalogue catalogue, DeviceProperties device, KeptEmbeddings kept,
                      ModelProperties model) {
        this.catalogue = catalogue;
        this.kept = kept;
        this.pinnedVersion = model.pinnedVersion().orElse(null);
        this.device = device;
        this.faces = faces;
        this.recognizer = recognizer;
        this.tx = tx;
    }

    @Override
    public void afterSingletonsInstantiated() {
        Recognizer.Active active = recognizer.active();
        int reembedded = fill(active.embedder(), active.supportSet());
        log.info("Support set for model {}: {} employees, {} face samples ({} re-embedded from stored crops); "
                        + "matching first pass: {} (docs/scale-out.md)", active.modelVersion(),
                active.supportSet().employeeCount(), active.supportSet().shotCount(), reembedded,
                SupportSet.scanImplementation());
    }

    /**
     * Re-embeds every stored crop with {@code next} and makes it the active model. Identify, verify and
     * enrolment keep working on the current model meanwhile; enrolments and deletions made while the shadow
     * set was built are caught up before the swap.
     */
    public void switchTo(EmbeddingService next) {
        switchTo(next, () -> {
        });
    }

    /**
     * As {@link #switchTo(EmbeddingService)}, with {@code commit} run after the final catch-up, writers still
     * excluded, just before the swap (the pointer flip of a promotion); if it throws, nothing is swapped.
     */
    public void switchTo(EmbeddingService next, Runnable commit) {
        String version = next.metadata().version();
        SupportSet shadow = new SupportSet(version, next.metadata().embeddingDimension());
        int reembedded;
        try {
            reembedded = fill(next, shadow);
            recognizer.switchTo(new Recognizer.Active(next, shadow), () -> {
                fill(next, shadow);
                commit.run();
            });
        } catch (RuntimeException e) {
            if (recognizer.active().supportSet() != shadow) {
                shadow.retire();
            }
            throw e;
        }
        log.info("Switched to model {}: {} employees, {} face samples ({} re-embedded)", version,
                shadow.employeeCount(), shadow.shotCount(), reembedded);
    }

    /**
     * A replica switched the active model: load the version the database now names (stored embeddings reused,
     * only samples another replica embedded with an older model are re-embedded) and swap, as a local switch does.
     * A replica pinned with {@code faceroster.model.version} stays on its version.
     */
    void followActiveModel() {
        String target = catalogue.activeVersion().orElse(null);
        if (target == null || target.equals(recognizer.active().modelVersion())) {
            return;
        }
        if (pinnedVersion != null) {
            log.info("Another replica made {} the active model; this replica stays on {} "
                    + "(faceroster.model.version={})", target, recognizer.active().modelVersion(), pinnedVersion);
            return;
        }
        EmbeddingService next;
        try {
            next = EmbeddingService.load(catalogue.materialise(target), device.device());
        } catch (IOException e) {
            throw new UncheckedIOException("could not load model " + target + " switched to by another replica", e);
        }
        try {
            switchTo(next);
        } catch (RuntimeException e) {
            next.close();
            throw e;
        }
        log.info("Followed a model switch made on another replica: now serving {}", target);
    }

    /** Brings the active support set in line with the database (a replica that fell behind the pruned log). */
    public void reconcile() {
        recognizer.whileActive(active -> fill(active.embedder(), active.supportSet()));
    }

    /**
     * Brings {@code target} in line with the database for {@code embedder}: samples stored with its version are read
     * in bulk, kept embeddings of its version reused, the rest re-embedded from their chips. Returns how many were
     * re-embedded.
     */
    private int fill(EmbeddingService embedder, SupportSet target) {
        String version = embedder.metadata().version();
        List<FaceSampleRepository.Reference> refs = tx.execute(status -> faces.references());
        Map<UUID, String> present = target.shotOwners();
        Set<UUID> stored = refs.stream().map(FaceSampleRepository.Reference::faceId).collect(Collectors.toSet());
        present.forEach((faceId, employeeId) -> {
            if (!stored.contains(faceId)) {
                target.removeShot(employeeId, faceId);
            }
        });
        // Samples already embedded by this version are read in bulk without their crops; the rest re-embedded.
        Set<UUID> embedded = refs.stream()
                .filter(r -> !present.containsKey(r.faceId()) && version.equals(r.modelVersion()))
                .map(FaceSampleRepository.Reference::faceId).collect(Collectors.toSet());
        if (!embedded.isEmpty()) {
            loadStored(version, embedded, target);
        }
        // Samples of another version: their embedding by this one, where one is kept, read in bulk too.
        Map<UUID, FaceSampleRepository.Reference> otherVersion = new HashMap<>();
        refs.stream().filter(r -> !present.containsKey(r.faceId()) && !version.equals(r.modelVersion()))
                .forEach(r -> otherVersion.put(r.faceId(), r));
        if (!otherVersion.isEmpty()) {
            tx.executeWithoutResult(status -> kept.forEach(version, (faceId, embedding) -> {
                FaceSampleRepository.Reference r = otherVersion.get(faceId);
                if (r != null) {
                    target.add(r.employeeId(), r.displayName(), List.of(new SupportSet.Shot(faceId, embedding)));
                }
            }));
        }
        // Whatever the target still lacks (a sample of another version, or a kept embedding dropped meanwhile) is
        // embedded from its chip; fillBatch reuses a sample's own embedding where it is of this version.
        Map<UUID, String> loaded = target.shotOwners();
        List<UUID> missing = refs.stream().filter(r -> !loaded.containsKey(r.faceId()))
                .map(FaceSampleRepository.Reference::faceId).toList();
        int reembedded = 0;
        for (int from = 0; from < missing.size(); from += BATCH) {
            List<UUID> batch = missing.subList(from, Math.min(missing.size(), from + BATCH));
            reembedded += fillBatch(embedder, version, batch, target);
        }
        return reembedded;
    }

    /** Adds the stored embeddings of {@code wanted} (one streamed query, no crops) to {@code target}. */
    private void loadStored(String version, Set<UUID> wanted, SupportSet target) {
        tx.executeWithoutResult(status -> {
            try (var stream = faces.streamEmbeddings(version)) {
                stream.filter(s -> wanted.contains(s.faceId())).forEach(s -> target.add(s.employeeId(),
                        s.displayName(), List.of(new SupportSet.Shot(s.faceId(), FaceSample.toFloats(s.embedding())))));
            }
        });
    }

    private record Loaded(String employeeId, String displayName, SupportSet.Shot shot) {
    }

    /**
     * Embeds one batch of samples of another version and keeps the new embeddings beside the samples' own
     * ({@link KeptEmbeddings}), then adds them to {@code target} once the transaction has committed. A sample erased
     * meanwhile makes the commit fail (its row is gone); the batch is then read and embedded again without it.
     */
    private int fillBatch(EmbeddingService embedder, String version, List<UUID> batch, SupportSet target) {
        for (int attempt = 1; ; attempt++) {
            List<Loaded> loaded = new ArrayList<>();
            int[] count = {0};
            try {
                tx.executeWithoutResult(status -> {
                    for (FaceSample f : faces.findWithEmployee(batch)) {
                        float[] embedding;
                        if (version.equals(f.getModelVersion())) {
                            embedding = f.getEmbedding();
                        } else {
                            embedding = embedder.embed(FaceChipPng.fromPng(f.getCropPng()));
                            kept.keep(f.getId(), version, embedding);
                            count[0]++;
                        }
                        loaded.add(new Loaded(f.getEmployee().getEmployeeId(), f.getEmployee().getDisplayName(),
                                new SupportSet.Shot(f.getId(), embedding)));
                    }
                });
            } catch (OptimisticLockingFailureException | DataIntegrityViolationException e) {
                if (attempt == 3) {
                    throw e;
                }
                continue;
            }
            for (Loaded l : loaded) {
                target.add(l.employeeId(), l.displayName(), List.of(l.shot()));
            }
            return count[0];
        }
    }

    /** Every stored face chip grouped by employee, for training. */
    public Map<String, List<FaceChip>> chipsByEmployee() {
        return tx.execute(status -> {
            Map<String, List<FaceChip>> out = new TreeMap<>();
            try (var stream = faces.streamAll()) {
                stream.forEach(f -> out.computeIfAbsent(f.getEmployee().getEmployeeId(), k -> new ArrayList<>())
                        .add(FaceChipPng.fromPng(f.getCropPng())));
            }
            return out;
        });
    }
}
