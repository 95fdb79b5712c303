package io.faceroster.training;

import io.faceroster.DomainException;
import com.fasterxml.jackson.annotation.JsonAlias;
import io.faceroster.audit.AuditAction;
import io.faceroster.audit.AuditLog;
import io.faceroster.employee.ErasureHook;
import ai.djl.Device;
import io.faceroster.employee.SupportSetBuilder;
import io.faceroster.evaluation.ModelEvaluation;
import io.faceroster.identify.Recognizer;
import io.faceroster.imaging.FaceChip;
import io.faceroster.imaging.FaceDetector;
import io.faceroster.model.EmbeddingService;
import io.faceroster.model.ModelDirectory;
import io.faceroster.model.ModelMetadata;
import io.faceroster.model.ModelStore;
import io.faceroster.model.TowerArchitecture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs contrastive retraining jobs one at a time on a background thread: gather the enrolled crops (and
 * the base data set), split persons into training and validation, train a candidate, compare it with the
 * active model on the same validation persons, and promote it (re-embed, then swap) only when it is not
 * worse. The active model never changes because of a failed, rejected or cancelled job.
 */
@Service
class TrainingJobs implements SmartInitializingSingleton, DisposableBean, ErasureHook {

    private static final Logger log = LoggerFactory.getLogger(TrainingJobs.class);
    private static final EnumSet<TrainingJob.Status> UNFINISHED =
            EnumSet.of(TrainingJob.Status.QUEUED, TrainingJob.Status.RUNNING);

    /** What an admin may ask for; every member optional. */
    /**
     * A job request; {@code margin} is the contrastive loss's temperature for the recipes jobs use (InfoNCE), so it
     * may also be sent as {@code temperature}.
     */
    record Request(Integer epochs, Float learningRate, @JsonAlias("temperature") Float margin, String initFrom,
                   Boolean includeBaseDataset,
                   Long seed, Boolean force) {

        /** Defaults: the recipe of the active model's architecture (head training for a backbone tower). */
        Request withDefaults(boolean baseDatasetConfigured, TowerArchitecture architecture) {
            TrainingOptions recipe = TrainingOptions.recipeFor(architecture, 0);
            boolean head = architecture.backboneLayers() > 0;
            return new Request(epochs == null ? (head ? recipe.epochs() : 20) : epochs,
                    learningRate == null ? (head ? recipe.learningRate() : 5e-4f) : learningRate,
                    // The recipe's own temperature unless the admin asks for another.
                    margin == null ? recipe.margin() : margin, initFrom == null ? "active" : initFrom,
                    includeBaseDataset == null ? baseDatasetConfigured : includeBaseDataset, seed == null ? 0L : seed,
                    force != null && force);
        }

        void validate() {
            List<String> errors = new ArrayList<>();
            if (epochs < 1 || epochs > 1000) {
                errors.add("epochs must be between 1 and 1000");
            }
            if (!(learningRate > 0) || learningRate > 10) {
                errors.add("learningRate must be in (0, 10]");
            }
            if (!(margin > 0) || margin > 10) {
                errors.add("margin must be in (0, 10]");
            }
            if (!initFrom.equals("active") && !initFrom.equals("scratch")) {
                errors.add("initFrom must be 'active' or 'scratch'");
            }
            if (!errors.isEmpty()) {
                throw DomainException.invalid(String.join("; ", errors));
            }
        }
    }

    /** Validation figures of the candidate and of the active model on the same held-out persons. */
    record Validation(List<String> persons, Map<String, Double> candidate, Map<String, Double> active,
                      String activeVersion) {
    }

    private final TrainingJobRepository jobs;
    private final SupportSetBuilder supportSetBuilder;
    private final Recognizer recognizer;
    private final ModelVersions versions;
    private final TrainingProperties properties;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final JsonMapper json = JsonMapper.builder().build();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "training-job");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        return t;
    });
    private final Map<UUID, TowerTrainer.Progress> progress = new ConcurrentHashMap<>();
    private final Map<UUID, String> phases = new ConcurrentHashMap<>();
    private final Map<UUID, Boolean> cancelRequests = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    /** The running job's id and the employees whose crops it trains or validates on (null: still reading them). */
    private record Running(UUID jobId, Set<String> employeeIds) {
        boolean holds(String employeeId) {
            return employeeIds == null || employeeIds.contains(employeeId);
        }
    }

    private volatile Running running;
    private final Object erasureMonitor = new Object();
    private final Map<UUID, String> erasedDuring = new ConcurrentHashMap<>();
    private final AuditLog audit;
    private final FaceDetector detector;

    private final Pseudonyms pseudonyms;

    TrainingJobs(TrainingJobRepository jobs, SupportSetBuilder supportSetBuilder, Recognizer recognizer, ModelVersions versions,
                 TrainingProperties properties, FaceDetector detector, AuditLog audit, TransactionTemplate tx,
                 Clock clock, Pseudonyms pseudonyms) {
        this.pseudonyms = pseudonyms;
        this.detector = detector;
        this.audit = audit;
        this.jobs = jobs;
        this.supportSetBuilder = supportSetBuilder;
        this.recognizer = recognizer;
        this.versions = versions;
        this.properties = properties;
        this.tx = tx;
        this.clock = clock;
    }

    /** A job found unfinished at start-up belonged to a process that died: it failed. */
    @Override
    public void afterSingletonsInstantiated() {
        tx.executeWithoutResult(status -> jobs.findByStatusIn(UNFINISHED).forEach(job -> {
            job.finish(TrainingJob.Status.FAILED, "the service stopped while the job was "
                    + job.getStatus().name().toLowerCase() + "; the active model was not changed", clock.instant());
            log.warn("Training job {} marked FAILED: found unfinished at start-up", job.getId());
        }));
    }

    @Override
    public void destroy() {
        stopping = true;   // a running job stops before its next step and ends CANCELLED
        worker.shutdown();
    }

    synchronized TrainingJob submit(Request raw) {
        Request request = (raw == null ? new Request(null, null, null, null, null, null, null) : raw)
                .withDefaults(properties.baseDataset() != null, recognizer.metadata().architecture());
        request.validate();
        if (request.includeBaseDataset() && properties.baseDataset() == null) {
            throw DomainException.invalid("includeBaseDataset is true but faceroster.training.base-dataset is not configured");
        }
        TrainingJob job = tx.execute(status -> {
            List<TrainingJob> unfinished = jobs.findByStatusIn(UNFINISHED);
            if (!unfinished.isEmpty()) {
                throw new DomainException("training_job_running", "training job "
                        + unfinished.get(0).getId() + " is " + unfinished.get(0).getStatus().name().toLowerCase()
                        + "; one job at a time", Map.of("jobId", unfinished.get(0).getId().toString()));
            }
            return jobs.save(new TrainingJob(json.writeValueAsString(request), clock.instant()));
        });
        audit.record(AuditAction.TRAINING_JOB_START, null, "queued", "job " + job.getId() + ", "
                + job.getRequestJson());
        worker.submit(() -> run(job.getId(), request));
        return job;
    }

    TrainingJob find(UUID id) {
        return jobs.findById(id).orElseThrow(() -> new TrainingJobNotFound(id));
    }

    /** What a running job is doing now; null when it is not running. */
    String phase(UUID id) {
        return phases.get(id);
    }

    TowerTrainer.Progress liveProgress(UUID id) {
        return progress.get(id);
    }

    Request request(TrainingJob job) {
        return json.readValue(job.getRequestJson(), Request.class);
    }

    Validation validation(TrainingJob job) {
        return job.getValidationJson() == null ? null : json.readValue(job.getValidationJson(), Validation.class);
    }

    TowerTrainer.Progress storedProgress(TrainingJob job) {
        return job.getProgressJson() == null ? null : json.readValue(job.getProgressJson(), TowerTrainer.Progress.class);
    }

    TrainingJob cancel(UUID id) {
        return tx.execute(status -> {
            TrainingJob job = find(id);
            if (job.getStatus().finished()) {
                throw new DomainException("training_job_finished",
                        "training job " + id + " already ended " + job.getStatus());
            }
            cancelRequests.put(id, true);
            if (job.getStatus() == TrainingJob.Status.QUEUED) {
                job.finish(TrainingJob.Status.CANCELLED, "cancelled before it started", clock.instant());
            }
            return job;
        });
    }

    private void run(UUID id, Request request) {
        if (!update(id, job -> {
            if (job.getStatus() != TrainingJob.Status.QUEUED) {
                return false;
            }
            job.start(clock.instant());
            return true;
        })) {
            cancelRequests.remove(id);
            return;
        }
        try {
            Outcome outcome = execute(id, request);
            finish(id, outcome.status(), outcome.reason(), outcome.validation(), outcome.candidateVersion(),
                    outcome.status() == TrainingJob.Status.SUCCEEDED);
        } catch (Exception e) {
            log.error("Training job {} failed", id, e);
            finish(id, TrainingJob.Status.FAILED, "failed: " + e.getMessage() + "; the active model was not changed",
                    null, null, false);
        } finally {
            running = null;
            erasedDuring.remove(id);
            phases.remove(id);
            progress.remove(id);
            cancelRequests.remove(id);
        }
    }

    private record Outcome(TrainingJob.Status status, String reason, Validation validation, String candidateVersion) {
    }

    private Outcome execute(UUID id, Request request) throws Exception {
        Recognizer.Active active = recognizer.active();
        ModelMetadata activeMeta = active.embedder().metadata();

        phases.put(id, "reading data");
        running = new Running(id, null);   // an erasure while the crops are read cancels the job, to be safe
        TrainingData data = TrainingData.read(supportSetBuilder, pseudonyms, detector, properties.baseDataset(),
                request.includeBaseDataset());
        running = new Running(id, data.employeeIds());
        if (data.persons().size() < properties.minPersons()) {
            return new Outcome(TrainingJob.Status.FAILED, "not enough data: " + data.persons().size()
                    + " persons with 2+ images, at least " + properties.minPersons() + " needed", null, null);
        }
        TrainingData.Split split = data.split(request.seed(), properties.validationFraction(),
                properties.minValidationPersons());
        List<String> validationNames = split.validationNames();
        Map<String, List<FaceChip>> validationSet = split.validation();
        List<List<FaceChip>> training = split.training();
        String thin = ThresholdCheck.tooThin(validationSet, properties.minValidationPersons(),
                properties.minImpostorComparisons());
        if (thin != null) {
            return new Outcome(TrainingJob.Status.FAILED, thin + "; enrol more employees (2+ faces each) or add the"
                    + " base data set; the active model was not changed", null, null);
        }
        double activeThreshold = recognizer.threshold(null);

        TowerArchitecture arch = activeMeta.architecture();
        TrainingOptions base = TrainingOptions.recipeFor(arch, request.seed());
        TrainingOptions options = new TrainingOptions(arch, base.sampling(), request.epochs(), base.batchSize(),
                base.pairsPerEpoch(), base.imagesPerPerson(), request.margin(), request.learningRate(),
                base.cosineDecay(), base.weightDecay(), request.seed(), base.augmentation());
        Path activeDir = versions.store().resolve(activeMeta.version());
        boolean fromActive = request.initFrom().equals("active");
        TowerTrainer.Result result;
        phases.put(id, "training");
        try {
            result = arch.backboneLayers() > 0
                    ? new HeadTrainer(options, Device.cpu(), activeDir, fromActive).train(training, p -> report(id, p),
                            () -> beforeStep(id))
                    : new TowerTrainer(options, Device.cpu(), fromActive ? activeDir : null).train(training,
                            p -> report(id, p), () -> beforeStep(id));
        } catch (TowerTrainer.DivergedException e) {
            return new Outcome(TrainingJob.Status.REJECTED, "candidate discarded: " + e.getMessage(), null, null);
        }
        try (result) {
            if (result.cancelled() || erasedDuring.containsKey(id)) {
                return new Outcome(TrainingJob.Status.CANCELLED, erasedDuring.containsKey(id)
                        ? erasedReason(result.steps())
                        : "cancelled after " + result.steps() + " steps; candidate discarded", null, null);
            }
            ModelMetadata draft = new ModelMetadata(null, arch, activeMeta.embeddingDimension(), activeMeta.threshold(),
                    activeMeta.calibration(), new ModelMetadata.Training("enrolled employees"
                    + (request.includeBaseDataset() ? " + " + properties.baseDataset() : ""),
                    split.trainingNames(), validationNames, options.describe(),
                    result.steps(), result.seconds(), result.finalLoss(), result.lossCurve()), Map.of(),
                    clock.instant());
            phases.put(id, "validating");
            try (EmbeddingService candidate = EmbeddingService.wrap(result.model(), draft)) {
                Map<String, Double> candidateFigures = ModelEvaluation.validate(candidate, validationSet, request.seed());
                Map<String, Double> activeFigures = ModelEvaluation.validate(active.embedder(), validationSet,
                        request.seed());
                Validation validation = new Validation(validationNames, candidateFigures, activeFigures,
                        activeMeta.version());
                String verdict = gate(candidateFigures, activeFigures);
                if (verdict != null && !request.force()) {
                    return new Outcome(TrainingJob.Status.REJECTED, "not promoted: " + verdict
                            + "; candidate discarded", validation, null);
                }
                if (erasedDuring.containsKey(id)) {
                    return new Outcome(TrainingJob.Status.CANCELLED, erasedReason(result.steps()), validation, null);
                }
                ModelEvaluation.Embedded candidateEmbedded = ModelEvaluation.embedEqualCounts(candidate, validationSet);
                ModelMetadata metadata = calibrated(draft, candidateEmbedded, validationNames)
                        .withEvaluation(Map.of("validation", candidateFigures));
                String strangers = ThresholdCheck.acceptsMoreStrangers(
                        ThresholdCheck.strangersAccepted(candidateEmbedded, metadata.threshold()), metadata.threshold(),
                        ThresholdCheck.strangersAccepted(ModelEvaluation.embedEqualCounts(active.embedder(),
                                validationSet), activeThreshold), activeThreshold);
                if (strangers != null) {
                    // Not even force promotes it: force overrides the quality gate, not the stranger check.
                    return new Outcome(TrainingJob.Status.REJECTED, "not promoted: " + strangers
                            + "; candidate discarded", validation, null);
                }
                phases.put(id, "promoting");
                Path staging = Files.createTempDirectory(versions.store(), ".staging-");
                ModelMetadata saved = ModelDirectory.save(staging, result.model(), metadata, activeDir);
                ModelStore.install(versions.store(), staging, saved.version());
                versions.activate(saved.version());
                synchronized (erasureMonitor) {
                    if (!erasedDuring.containsKey(id)) {
                        running = null;   // finished: from here on an erasure finds the model in the store
                    }
                }
                if (erasedDuring.containsKey(id)) {
                    // Someone in the data set was erased while the candidate was being promoted: take it back.
                    phases.put(id, "rolling back");
                    versions.activate(activeMeta.version());
                    versions.delete(saved.version());
                    return new Outcome(TrainingJob.Status.CANCELLED, "an employee in its data set was erased while "
                            + "the candidate was promoted; rolled back to " + activeMeta.version() + ", candidate "
                            + saved.version() + " deleted from the store", validation, null);
                }
                String why = verdict == null ? "promoted: not worse than " + activeMeta.version()
                        + " on the validation persons (tolerance " + properties.gateTolerance() + ")"
                        : "promoted by force although " + verdict;
                return new Outcome(TrainingJob.Status.SUCCEEDED, why, validation, saved.version());
            }
        }
    }

    /**
     * An employee was erased: a running job that learns from their faces is cancelled (a model trained on
     * erased biometric data is never promoted; if promotion is under way it is rolled back) and its copy of
     * their crops goes with it. Model versions in the store that were trained with their faces are named, so
     * the receipt says where their data still shapes weights (roll back or retrain to remove it).
     */
    @Override
    public ErasureHook.Result employeeErased(String employeeId) {
        List<String> removed = new ArrayList<>();
        List<String> traces = new ArrayList<>();
        synchronized (erasureMonitor) {
            Running r = running;
            if (r != null && r.holds(employeeId)) {
                erasedDuring.put(r.jobId(), employeeId);
                cancelRequests.put(r.jobId(), true);
                removed.add("training job " + r.jobId() + " (cancelled; its candidate model is discarded)");
            }
        }
        String name = pseudonyms.of(employeeId);
        String legacyName = Pseudonyms.legacy(employeeId);
        try {
            String active = versions.activeVersion();
            for (ModelMetadata m : versions.list()) {
                ModelMetadata.Training t = m.training();
                if (t != null && (t.trainPersons().contains(name) || t.validationPersons().contains(name)
                        || t.trainPersons().contains(legacyName) || t.validationPersons().contains(legacyName))) {
                    traces.add("model version " + m.version() + (m.version().equals(active) ? " (active)" : "")
                            + " was trained with their faces: roll back or retrain to remove them from its weights");
                }
            }
        } catch (java.io.IOException e) {
            traces.add("the model store could not be checked for versions trained with their faces: " + e.getMessage());
        }
        return new ErasureHook.Result(removed, traces);
    }

    private String erasedReason(long steps) {
        return "cancelled after " + steps + " steps: an employee in its data set was erased while the job ran; "
                + "candidate discarded";
    }

    /** Polled before every training step: throttles as configured and says whether to stop. */
    private boolean beforeStep(UUID id) {
        long pause = properties.stepPause().toMillis();
        if (pause > 0) {
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            }
        }
        return stopping || cancelRequests.getOrDefault(id, false);
    }

    /** Null when the candidate may be promoted, else why not. */
    private String gate(Map<String, Double> candidate, Map<String, Double> active) {
        double tol = properties.gateTolerance();
        List<String> worse = new ArrayList<>();
        candidate.forEach((metric, value) -> {
            double reference = active.get(metric);
            boolean lowerIsBetter = metric.endsWith("_eer");
            if (lowerIsBetter ? value > reference + tol : value < reference - tol) {
                worse.add(String.format("%s %.4f vs active %.4f", metric, value, reference));
            }
        });
        return worse.isEmpty() ? null : "candidate worse on " + String.join(", ", worse);
    }

    /** The candidate's own threshold on the validation persons, as the train command calibrates it. */
    private static ModelMetadata calibrated(ModelMetadata draft, ModelEvaluation.Embedded candidate,
                                            List<String> persons) {
        var t = ModelEvaluation.calibrate(candidate, 0.01, 20);
        return draft.withThreshold(t.threshold(), new ModelMetadata.Calibration(
                "gaussian prototype-far 0.01/20 on the job's validation persons", persons, 0.01, t.farAchieved(),
                t.tarAchieved()));
    }

    private void report(UUID id, TowerTrainer.Progress p) {
        progress.put(id, p);
        if (p.step() % 20 == 0) {
            update(id, job -> {
                job.setProgressJson(json.writeValueAsString(p));
                return true;
            });
        }
    }

    private void finish(UUID id, TrainingJob.Status status, String reason, Validation validation,
                        String candidateVersion, boolean promoted) {
        TowerTrainer.Progress last = progress.get(id);
        update(id, job -> {
            if (last != null) {
                job.setProgressJson(json.writeValueAsString(last));
            }
            if (validation != null) {
                job.setValidationJson(json.writeValueAsString(validation));
            }
            job.setCandidateVersion(candidateVersion);
            job.setPromoted(promoted);
            job.finish(status, reason, clock.instant());
            return true;
        });
        log.info("Training job {} ended {}: {}", id, status, reason);
        audit.record(AuditAction.TRAINING_JOB_END, null, status.name().toLowerCase(), "job " + id + ": " + reason);
    }

    private boolean update(UUID id, Predicate<TrainingJob> change) {
        return Boolean.TRUE.equals(tx.execute(status -> change.test(find(id))));
    }
}
