package io.faceroster.importing;

import io.faceroster.replication.ChangeLog;
import io.faceroster.replication.ReplicationProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Which replica holds which unfinished import, through the database: the replica with an import's archive on its
 * disk heart-beats it (queued or running) every {@code heartbeat-interval}; a clean shutdown releases it; at start
 * and every few seconds a replica takes over an unfinished import whose archive it has (released, or its holder
 * stopped heart-beating for {@code replica-timeout}) and fails one whose archive it lacks once its holder is gone.
 */
@Component
class ImportCustody {

    private static final Logger log = LoggerFactory.getLogger(ImportCustody.class);
    private static final EnumSet<ImportJob.Status> UNFINISHED = EnumSet.of(ImportJob.Status.QUEUED,
            ImportJob.Status.RUNNING);

    private final ImportJobRepository jobs;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final String replicaId;
    private final ReplicationProperties replication;
    private final Set<UUID> here = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor(
            r -> ImportJobs.daemon(r, "import-watch"));
    private volatile Consumer<UUID> resume;
    private volatile FailAbandoned fail;

    ImportCustody(ImportJobRepository jobs, TransactionTemplate tx, Clock clock, ChangeLog changes,
                  ReplicationProperties replication) {
        this.jobs = jobs;
        this.tx = tx;
        this.clock = clock;
        this.replicaId = changes.replicaId();
        this.replication = replication;
    }

    String replicaId() {
        return replicaId;
    }

    /** This replica holds {@code id} (it received the archive): heart-beats it from now on. */
    void hold(UUID id) {
        here.add(id);
        heartbeat();
    }

    /** How many imports this replica holds (queued or running). */
    int held() {
        return here.size();
    }

    /** The import ended: nothing left to hold. */
    void drop(UUID id) {
        here.remove(id);
    }

    /** Takes over what can be taken now and then every few seconds, handing each to {@code resume}. */
    void start(Consumer<UUID> resume, FailAbandoned fail) {
        this.resume = resume;
        this.fail = fail;
        adoptOrFail();
        watch.scheduleWithFixedDelay(this::adoptOrFail, 5, 5, TimeUnit.SECONDS);
        long beat = replication.heartbeatInterval().toMillis();
        watch.scheduleWithFixedDelay(this::heartbeat, beat, beat, TimeUnit.MILLISECONDS);
    }

    /** Stops heart-beating and releases what this replica holds. */
    void stop() {
        watch.shutdown();
        release();
    }

    /** How an import whose archive is gone with its replica ends. */
    interface FailAbandoned {
        void fail(UUID id, String reason);
    }

    /** A clean shutdown hands this replica's unfinished imports back (it resumes them first when it starts again). */
    private void release() {
        stamp(null);
    }

    /**
     * Tells the other replicas that the imports whose archives are here, queued or running, are alive (a long
     * queue or a long archive check must not look like a dead replica).
     */
    private void heartbeat() {
        stamp(replicaId);
    }

    private void stamp(String runner) {
        try {
            for (UUID id : here) {
                tx.executeWithoutResult(status -> jobs.findById(id).filter(j -> !j.getStatus().finished())
                        .ifPresent(j -> j.heartbeat(clock.instant(), runner)));
            }
        } catch (RuntimeException e) {
            log.warn("Stamping unfinished imports failed: {}", e.toString());
        }
    }

    /**
     * Takes over an import whose archive is here: one released by a clean shutdown, or one whose replica stopped
     * heart-beating (a crash); never one another replica sharing this disk still runs.
     */
    private boolean claim(UUID id, Instant staleBefore) {
        return Boolean.TRUE.equals(tx.execute(status -> jobs.findById(id)
                .filter(j -> !j.getStatus().finished() && (j.getRunner() == null || j.abandoned(staleBefore)))
                .map(j -> {
                    j.heartbeat(clock.instant(), replicaId);
                    return true;
                }).orElse(false)));
    }

    private void adoptOrFail() {
        try {
            Instant staleBefore = clock.instant().minus(replication.replicaTimeout());
            for (ImportJob job : jobs.findByStatusInOrderByCreatedAt(UNFINISHED)) {
                if (here.contains(job.getId())) {
                    continue;
                }
                boolean archiveHere = job.getArchivePath() != null && Files.isRegularFile(Path.of(job.getArchivePath()));
                if (archiveHere && claim(job.getId(), staleBefore)) {
                    log.info("Import {} was {} when the service stopped: resuming", job.getId(), job.getStatus());
                    here.add(job.getId());
                    resume.accept(job.getId());
                } else if (!archiveHere && job.abandoned(staleBefore)) {
                    fail.fail(job.getId(), "the service stopped while the import was "
                            + job.getStatus().name().toLowerCase() + (job.getRunner() == null ? ""
                            : " on replica " + job.getRunner()) + " and its archive is not on this replica's disk; "
                            + "what the report lists was handled and stays; upload the archive again "
                            + "(onExisting=add skips what was stored)");
                }
            }
        } catch (RuntimeException e) {
            log.warn("Checking unfinished imports failed: {}", e.toString());
        }
    }
}
