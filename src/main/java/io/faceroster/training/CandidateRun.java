package io.faceroster.training;

import ai.djl.Device;
import io.faceroster.employee.SupportSetBuilder;
import io.faceroster.evaluation.ModelEvaluation;
import io.faceroster.identify.Recognizer;
import io.faceroster.imaging.FaceChip;
import io.faceroster.imaging.FaceDetector;
import io.faceroster.model.EmbeddingService;
import io.faceroster.model.ModelMetadata;
import io.faceroster.model.TowerArchitecture;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.springframework.stereotype.Component;

/**
 * One retraining job's work, from data to decision: gather the enrolled chips (and the base data set), split
 * persons into training and validation, train a candidate, compare it with the active model on the same
 * validation persons, check it accepts no more strangers, and promote it when it passes. The active model never
 * changes because of a failed, rejected or cancelled run; an erasure during the promotion rolls it back.
 */
@Component
class CandidateRun {

    /** How a run ended; {@code candidateVersion} only when a candidate was promoted. */
    record Outcome(TrainingJob.Status status, String reason, Validation validation, String candidateVersion) {
    }

    /** Validation figures of the candidate and of the active model on the same held-out persons. */
    record Validation(List<String> persons, Map<String, Double> candidate, Map<String, Double> active,
                      String activeVersion) {
    }

    private final SupportSetBuilder supportSetBuilder;
    private final Recognizer recognizer;
    private final ModelVersions versions;
    private final TrainingProperties properties;
    private final FaceDetector detector;
    private final Pseudonyms pseudonyms;
    private final Clock clock;

    CandidateRun(SupportSetBuilder supportSetBuilder, Recognizer recognizer, ModelVersions versions,
                 TrainingProperties properties, FaceDetector detector, Pseudonyms pseudonyms, Clock clock) {
        this.supportSetBuilder = supportSetBuilder;
        this.recognizer = recognizer;
        this.versions = versions;
        this.properties = properties;
        this.detector = detector;
        this.pseudonyms = pseudonyms;
        this.clock = clock;
    }

    /** @param beforeStep polled before every training step: true stops the run */
    Outcome run(RunningJob job, TrainingRequest request, BooleanSupplier beforeStep) throws Exception {
        Recognizer.Active active = recognizer.active();
        ModelMetadata activeMeta = active.embedder().metadata();

        job.phase("reading data");
        TrainingData data = TrainingData.read(supportSetBuilder, pseudonyms, detector, properties.baseDataset(),
                request.includeBaseDataset());
        job.dataRead(data.persons().keySet());
        if (data.persons().size() < properties.minPersons()) {
            return new Outcome(TrainingJob.Status.FAILED, "not enough data: " + data.persons().size()
                    + " persons with 2+ images, at least " + properties.minPersons() + " needed", null, null);
        }
        TrainingData.Split split = data.split(request.seed(), properties.validationFraction(),
                properties.minValidationPersons());
        Map<String, List<FaceChip>> validationSet = split.validation();
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
        Path activeDir = versions.directory(activeMeta.version());
        boolean fromActive = request.initFrom().equals("active");
        TowerTrainer.Result result;
        job.phase("training");
        try {
            result = arch.backboneLayers() > 0
                    ? new HeadTrainer(options, Device.cpu(), activeDir, fromActive).train(split.training(),
                            job::progress, beforeStep)
                    : new TowerTrainer(options, Device.cpu(), fromActive ? activeDir : null).train(split.training(),
                            job::progress, beforeStep);
        } catch (TowerTrainer.DivergedException e) {
            return new Outcome(TrainingJob.Status.REJECTED, "candidate discarded: " + e.getMessage(), null, null);
        }
        try (result) {
            if (result.cancelled() || job.stopRequested()) {
                return new Outcome(TrainingJob.Status.CANCELLED, stopped(job, result.steps()), null, null);
            }
            ModelMetadata draft = new ModelMetadata(null, arch, activeMeta.embeddingDimension(), activeMeta.threshold(),
                    activeMeta.calibration(), new ModelMetadata.Training("enrolled employees"
                    + (request.includeBaseDataset() ? " + " + properties.baseDataset() : ""),
                    split.trainingNames(), split.validationNames(), options.describe(),
                    result.steps(), result.seconds(), result.finalLoss(), result.lossCurve()), Map.of(),
                    clock.instant());
            job.phase("validating");
            try (EmbeddingService candidate = EmbeddingService.wrap(result.model(), draft)) {
                Map<String, Double> candidateFigures = ModelEvaluation.validate(candidate, validationSet, request.seed());
                Map<String, Double> activeFigures = ModelEvaluation.validate(active.embedder(), validationSet,
                        request.seed());
                Validation validation = new Validation(split.validationNames(), candidateFigures, activeFigures,
                        activeMeta.version());
                String verdict = gate(candidateFigures, activeFigures);
                if (verdict != null && !request.force()) {
                    return new Outcome(TrainingJob.Status.REJECTED, "not promoted: " + verdict
                            + "; candidate discarded", validation, null);
                }
                if (job.stopRequested()) {
                    return new Outcome(TrainingJob.Status.CANCELLED, stopped(job, result.steps()), validation, null);
                }
                ModelEvaluation.Embedded candidateEmbedded = ModelEvaluation.embedEqualCounts(candidate, validationSet);
                ModelMetadata metadata = calibrated(draft, candidateEmbedded, split.validationNames())
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
                job.phase("promoting");
                ModelMetadata saved = versions.store(result.model(), metadata, activeDir);
                versions.activate(saved.version());
                if (!job.promotedUnlessErased()) {
                    // Someone in the data set was erased while the candidate was being promoted: take it back.
                    job.phase("rolling back");
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

    private static String stopped(RunningJob job, long steps) {
        if (job.erasureSeen()) {
            return "cancelled after " + steps + " steps: an employee in its data set was erased while the job ran; "
                    + "candidate discarded";
        }
        return (job.stopReason() == null ? "cancelled" : job.stopReason()) + " after " + steps
                + " steps; candidate discarded";
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
}
