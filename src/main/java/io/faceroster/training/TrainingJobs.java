package io.faceroster.training;

import io.faceroster.DomainException;
import io.faceroster.audit.AuditAction;
import io.faceroster.audit.AuditLog;
import io.faceroster.identify.Recognizer;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The training-job queue as any replica sees it: jobs are rows, submitted, watched and cancelled through any
 * replica; {@link TrainingWorker} runs them on whichever replica holds the training lease. One unfinished job at
 * a time in the whole cluster: a submission locks the lease row, so two replicas cannot both queue one.
 */
@Service
class TrainingJobs {

    static final EnumSet<TrainingJob.Status> UNFINISHED =
            EnumSet.of(TrainingJob.Status.QUEUED, TrainingJob.Status.RUNNING);

    /** A job as shown: its live phase and progress when it runs here, else the last the runner stored. */
    record Shown(TrainingJob job, String phase, TowerTrainer.Progress progress) {
    }

    private final TrainingJobRepository jobs;
    private final TrainingWorker worker;
    private final Recognizer recognizer;
    private final TrainingProperties properties;
    private final TransactionTemplate tx;
    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final AuditLog audit;
    private final JsonMapper json = JsonMapper.builder().build();

    TrainingJobs(TrainingJobRepository jobs, TrainingWorker worker, Recognizer recognizer,
                 TrainingProperties properties, TransactionTemplate tx, JdbcTemplate jdbc, Clock clock,
                 AuditLog audit) {
        this.jobs = jobs;
        this.worker = worker;
        this.recognizer = recognizer;
        this.properties = properties;
        this.tx = tx;
        this.jdbc = jdbc;
        this.clock = clock;
        this.audit = audit;
    }

    TrainingJob submit(TrainingRequest raw) {
        TrainingRequest request = (raw == null ? TrainingRequest.EMPTY : raw)
                .withDefaults(properties.baseDataset() != null, recognizer.metadata().architecture());
        request.validate();
        if (request.includeBaseDataset() && properties.baseDataset() == null) {
            throw DomainException.invalid("includeBaseDataset is true but faceroster.training.base-dataset is not configured");
        }
        TrainingJob job = tx.execute(status -> {
            // Serialises submissions of every replica (the lease row is locked until this transaction ends).
            jdbc.query("select name from cluster_lease where name = ? for update", rs -> null, TrainingWorker.LEASE);
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
        worker.wakeUp();
        return job;
    }

    TrainingJob find(UUID id) {
        return jobs.findById(id).orElseThrow(() -> new TrainingJobNotFound(id));
    }

    Shown show(TrainingJob job) {
        RunningJob here = worker.current();
        if (here != null && here.id.equals(job.getId()) && !job.getStatus().finished()) {
            return new Shown(job, here.phase(), here.progress() != null ? here.progress() : storedProgress(job));
        }
        return new Shown(job, job.getStatus().finished() ? null : job.getPhase(), storedProgress(job));
    }

    TrainingRequest request(TrainingJob job) {
        return json.readValue(job.getRequestJson(), TrainingRequest.class);
    }

    CandidateRun.Validation validation(TrainingJob job) {
        return job.getValidationJson() == null ? null
                : json.readValue(job.getValidationJson(), CandidateRun.Validation.class);
    }

    private TowerTrainer.Progress storedProgress(TrainingJob job) {
        return job.getProgressJson() == null ? null : json.readValue(job.getProgressJson(), TowerTrainer.Progress.class);
    }

    /**
     * Cancels a job: a queued one at once, a running one by a request its runner (on any replica) reads within
     * a heartbeat; it then ends CANCELLED after the step in hand.
     */
    TrainingJob cancel(UUID id) {
        TrainingJob cancelled = tx.execute(status -> {
            TrainingJob job = find(id);
            if (job.getStatus().finished()) {
                throw new DomainException("training_job_finished",
                        "training job " + id + " already ended " + job.getStatus());
            }
            job.requestCancel("cancelled");
            if (job.getStatus() == TrainingJob.Status.QUEUED) {
                job.finish(TrainingJob.Status.CANCELLED, "cancelled before it started", clock.instant());
            }
            return job;
        });
        worker.cancelIfHere(id, "cancelled");
        return cancelled;
    }
}
