package io.faceroster.training;

import io.faceroster.audit.AuditAction;
import io.faceroster.audit.AuditLog;
import io.faceroster.replication.ChangeLog;
import io.faceroster.replication.ClusterLease;
import io.faceroster.replication.PollingLoop;
import io.faceroster.replication.ReplicationProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs queued training jobs on exactly one replica at a time. Every replica polls for a queued job; the one that
 * takes the {@code training} lease ({@link ClusterLease}) claims and runs it on a low-priority thread, renewing the
 * lease and the job's heartbeat every {@code heartbeat-interval} and reading cancel requests made through any
 * replica. A job whose runner stopped heart-beating for {@code replica-timeout} (the replica died) is marked
 * FAILED by whichever replica notices first; at start-up a job this replica was running before a restart, or one
 * without a runner (written before runners were recorded), is marked FAILED at once. One class (about 270 lines)
 * because claiming, heart-beating, orphan detection and finishing must agree on one lease, one replica id and one
 * running job; the work itself is {@link CandidateRun}'s.
 */
@Component
class TrainingWorker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TrainingWorker.class);
    static final String LEASE = "training";
    private static final Duration POLL = Duration.ofSeconds(1);

    private final TrainingJobRepository jobs;
    private final CandidateRun candidateRun;
    private final ClusterLease lease;
    private final ReplicationProperties replication;
    private final TrainingProperties properties;
    private final String replicaId;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final AuditLog audit;
    private final JsonMapper json = JsonMapper.builder().build();
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "training-heartbeat");
        t.setDaemon(true);
        return t;
    });
    private volatile RunningJob current;
    private volatile boolean running;
    private volatile PollingLoop loop;

    TrainingWorker(TrainingJobRepository jobs, CandidateRun candidateRun, ClusterLease lease, ChangeLog changes,
                   ReplicationProperties replication, TrainingProperties properties, TransactionTemplate tx,
                   Clock clock, AuditLog audit) {
        this.jobs = jobs;
        this.candidateRun = candidateRun;
        this.lease = lease;
        this.replication = replication;
        this.properties = properties;
        this.replicaId = changes.replicaId();
        this.tx = tx;
        this.clock = clock;
        this.audit = audit;
    }

    /** The job running on this replica, or null. */
    RunningJob current() {
        return current;
    }

    void wakeUp() {
        PollingLoop l = loop;
        if (l != null) {
            l.wakeUp();
        }
    }

    void cancelIfHere(UUID id, String why) {
        RunningJob r = current;
        if (r != null && r.id.equals(id)) {
            r.stop(why);
        }
    }

    @Override
    public void start() {
        failOrphans(true);
        running = true;
        loop = new PollingLoop("training-job", POLL, Thread.MIN_PRIORITY, () -> {
            failOrphans(false);
            runNextQueued();
        }, e -> log.warn("Training worker: {}", e.toString()));
    }

    @Override
    public void stop() {
        running = false;   // a running job stops before its next step and ends CANCELLED
        RunningJob r = current;
        if (r != null) {
            r.stop("cancelled: the service stopped");
        }
        heartbeats.shutdown();
        if (loop != null) {
            loop.stop(Duration.ofSeconds(2));   // not interrupted: the step in hand ends, the job then ends CANCELLED
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Marks FAILED the running jobs whose runner is gone (heartbeat stale; at start-up also this replica's own). */
    private void failOrphans(boolean startingUp) {
        Instant staleBefore = clock.instant().minus(replication.replicaTimeout());
        tx.executeWithoutResult(status -> jobs.findByStatusIn(List.of(TrainingJob.Status.RUNNING)).forEach(job -> {
            boolean mine = replicaId.equals(job.getRunner());
            boolean orphan = job.getRunner() == null || (mine ? startingUp : job.getHeartbeatAt() == null
                    || job.getHeartbeatAt().isBefore(staleBefore));
            if (orphan && !(mine && current != null && current.id.equals(job.getId()))) {
                job.finish(TrainingJob.Status.FAILED, "the service stopped while the job was running"
                        + (job.getRunner() == null ? "" : " (replica " + job.getRunner() + ", last heartbeat "
                        + job.getHeartbeatAt() + ")") + "; the active model was not changed", clock.instant());
                log.warn("Training job {} marked FAILED: its runner {} stopped", job.getId(), job.getRunner());
            }
        }));
    }

    private void runNextQueued() {
        if (jobs.findByStatusOrderByCreatedAt(TrainingJob.Status.QUEUED).isEmpty()
                || !lease.tryAcquire(LEASE, replication.replicaTimeout())) {
            return;
        }
        try {
            for (TrainingJob queued : jobs.findByStatusOrderByCreatedAt(TrainingJob.Status.QUEUED)) {
                if (claim(queued.getId())) {
                    run(queued.getId(), json.readValue(queued.getRequestJson(), TrainingRequest.class));
                    break;
                }
            }
        } finally {
            lease.release(LEASE);
        }
    }

    private boolean claim(UUID id) {
        return update(id, job -> {
            if (job.getStatus() != TrainingJob.Status.QUEUED) {
                return false;
            }
            job.start(clock.instant(), replicaId);
            return true;
        });
    }

    private void run(UUID id, TrainingRequest request) {
        RunningJob job = new RunningJob(id);
        current = job;
        // Beats in every phase, also while the data is read or the promotion re-embeds the gallery.
        ScheduledFuture<?> beat = heartbeats.scheduleWithFixedDelay(() -> heartbeat(job),
                replication.heartbeatInterval().toMillis(), replication.heartbeatInterval().toMillis(),
                TimeUnit.MILLISECONDS);
        try {
            CandidateRun.Outcome outcome = candidateRun.run(job, request, () -> beforeStep(job));
            finish(job, outcome.status(), outcome.reason(), outcome.validation(), outcome.candidateVersion());
        } catch (Exception e) {
            log.error("Training job {} failed", id, e);
            finish(job, TrainingJob.Status.FAILED, "failed: " + e.getMessage() + "; the active model was not changed",
                    null, null);
        } finally {
            beat.cancel(false);
            current = null;
        }
    }

    /** Polled before every training step: throttles as configured and says whether to stop. */
    private boolean beforeStep(RunningJob job) {
        long pause = properties.stepPause().toMillis();
        if (pause > 0) {
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                job.stop("cancelled: interrupted");
            }
        }
        return job.stopRequested();
    }

    /** Renews the lease and the job's heartbeat, stores the progress and picks up a cancel request. */
    private void heartbeat(RunningJob job) {
        try {
            if (!lease.tryAcquire(LEASE, replication.replicaTimeout())) {
                job.stop("stopped: this replica lost the training lease");
            }
            beat(job);
        } catch (RuntimeException e) {
            log.warn("Training job {}: heartbeat failed ({})", job.id, e.toString());
        }
    }

    private void beat(RunningJob job) {
        update(job.id, row -> {
            row.heartbeat(clock.instant(), job.phase());
            TowerTrainer.Progress p = job.progress();
            if (p != null) {
                row.setProgressJson(json.writeValueAsString(p));
            }
            String requests = row.getCancelRequested();
            for (String request : requests == null ? new String[0] : requests.split("\n")) {
                if (request.startsWith(TrainingErasure.PREFIX)) {
                    job.erased(request.substring(TrainingErasure.PREFIX.length()));
                } else if (!request.isBlank()) {
                    job.stop(request);
                }
            }
            return true;
        });
    }

    private void finish(RunningJob job, TrainingJob.Status status, String reason, CandidateRun.Validation validation,
                        String candidateVersion) {
        TowerTrainer.Progress last = job.progress();
        update(job.id, row -> {
            if (last != null) {
                row.setProgressJson(json.writeValueAsString(last));
            }
            if (validation != null) {
                row.setValidationJson(json.writeValueAsString(validation));
            }
            row.setCandidateVersion(candidateVersion);
            row.setPromoted(status == TrainingJob.Status.SUCCEEDED);
            row.finish(status, reason, clock.instant());
            return true;
        });
        log.info("Training job {} ended {}: {}", job.id, status, reason);
        audit.record(AuditAction.TRAINING_JOB_END, null, status.name().toLowerCase(), "job " + job.id + ": " + reason);
    }

    private boolean update(UUID id, Predicate<TrainingJob> change) {
        return Boolean.TRUE.equals(tx.execute(status -> jobs.findById(id).map(change::test).orElse(false)));
    }
}
