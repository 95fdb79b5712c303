package io.faceroster.employee;

import io.faceroster.identify.Recognizer;
import io.faceroster.imaging.FaceChipPng;
import io.faceroster.identify.SupportSet;
import io.faceroster.replication.ChangeLog;
import io.faceroster.replication.ChangeNotifications;
import io.faceroster.replication.PollingLoop;
import io.faceroster.replication.ReplicationProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps this replica's support set in line with changes committed by any replica: reads the change log from its
 * position, woken by PostgreSQL {@code NOTIFY} or every {@code poll-interval}, and for each change re-reads the
 * employee's stored samples and replaces the employee's class ({@link SupportSet#replace}) (a model switch: loads
 * the model the database now names and swaps, see {@link SupportSetBuilder#followActiveModel}), so applying a change
 * twice, or this replica's own changes, is harmless. Positions are written to the {@code replica} table (the
 * heartbeat), which erasure receipts and pruning read. A hole in the ids (a transaction not yet committed, or
 * rolled back) is waited for up to {@link #GAP_WAIT_MS} ms before it is passed.
 */
@Component
class ChangeFollower implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ChangeFollower.class);
    static final long GAP_WAIT_MS = 5000;
    private static final int BATCH = 500;

    private final ChangeLog changes;
    private final ReplicationProperties properties;
    private final EmployeeRepository employees;
    private final FaceSampleRepository faces;
    private final Recognizer recognizer;
    private final SupportSetBuilder supportSetBuilder;
    private final EmployeeLocks locks;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final DataSource dataSource;
    private final KeptEmbeddings kept;
    private volatile long position;
    private volatile boolean running;
    private volatile PollingLoop loop;
    private ChangeNotifications notifications;
    private long gapSeenAt = -1;
    private long lastBeat;
    private long lastPrune;

    ChangeFollower(ChangeLog changes, ReplicationProperties properties, EmployeeRepository employees,
                   FaceSampleRepository faces, Recognizer recognizer, SupportSetBuilder supportSetBuilder, EmployeeLocks locks,
                   TransactionTemplate tx, Clock clock, DataSource dataSource, KeptEmbeddings kept) {
        this.changes = changes;
        this.kept = kept;
        this.properties = properties;
        this.employees = employees;
        this.faces = faces;
        this.recognizer = recognizer;
        this.supportSetBuilder = supportSetBuilder;
        this.locks = locks;
        this.tx = tx;
        this.clock = clock;
        this.dataSource = dataSource;
        // Read before the support set is loaded from the samples: whatever commits later is applied from the log.
        this.position = changes.latest();
        changes.heartbeat(position);
    }

    /** The newest change this replica has applied. */
    long position() {
        return position;
    }

    /** Reads the log now (also what the poller and notifications do). */
    void wakeUp() {
        PollingLoop l = loop;
        if (l != null) {
            l.wakeUp();
        }
    }

    @Override
    public void start() {
        running = true;
        loop = new PollingLoop("change-follower", properties.pollInterval(), Thread.NORM_PRIORITY, () -> {
            applyPending();
            housekeeping();
        }, e -> log.warn("Applying the support-set change log failed ({}); retrying", e.toString()));
        if (changes.postgres() && properties.listen()) {
            notifications = new ChangeNotifications(dataSource, changes.replicaId(), this::wakeUp);
        }
    }

    @Override
    public void stop() {
        running = false;
        if (notifications != null) {
            notifications.close();
        }
        if (loop != null) {
            loop.stop(Duration.ofSeconds(2));
        }
        try {
            changes.leave();
        } catch (RuntimeException e) {
            log.debug("could not remove replica row: {}", e.toString());
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Applies every committed change after the position; returns how many were applied. */
    int applyPending() {
        int applied = 0;
        if (changes.prunedUpTo() > position) {
            long latest = changes.latest();
            supportSetBuilder.reconcile();
            log.info("Change log pruned past this replica's position {}: support set reloaded up to {}", position, latest);
            position = latest;
            applied++;
        }
        while (true) {
            List<ChangeLog.Change> batch = changes.since(position, BATCH);
            int before = applied;
            for (ChangeLog.Change c : batch) {
                if (c.id() != position + 1 && !gapPassed()) {
                    break;
                }
                gapSeenAt = -1;
                apply(c);
                position = c.id();
                applied++;
            }
            if (applied == before || batch.size() < BATCH) {
                break;
            }
        }
        if (applied > 0) {
            changes.heartbeat(position);
            lastBeat = System.nanoTime();
        }
        return applied;
    }

    private boolean gapPassed() {
        long now = System.nanoTime();
        if (gapSeenAt < 0) {
            gapSeenAt = now;
        }
        return now - gapSeenAt >= GAP_WAIT_MS * 1_000_000;
    }

    private void apply(ChangeLog.Change c) {
        if (c.kind() == ChangeLog.Kind.MODEL_SWITCH) {
            supportSetBuilder.followActiveModel();
        } else if (c.employeeId() != null) {
            resync(c.employeeId());
        }
    }

    /** Makes the employee's class match the stored samples of the active model version. */
    private void resync(String employeeId) {
        recognizer.whileActive(active -> locks.with(employeeId, () -> {
            String version = active.modelVersion();
            List<SupportSet.Shot> shots = new ArrayList<>();
            String[] name = {employeeId};
            tx.executeWithoutResult(status -> employees.findByEmployeeId(employeeId).ifPresent(e -> {
                name[0] = e.getDisplayName();
                List<FaceSample> samples = faces.findByEmployeeOrderByCreatedAt(e);
                Map<UUID, float[]> keptOfVersion = kept.find(samples.stream()
                        .filter(f -> !version.equals(f.getModelVersion())).map(FaceSample::getId).toList(), version);
                for (FaceSample f : samples) {
                    // Enrolled under another model: its embedding by this one kept beside it, else (a replica
                    // still on an older model stored it meanwhile) embedded here, in memory only.
                    float[] embedding = version.equals(f.getModelVersion()) ? f.getEmbedding()
                            : keptOfVersion.containsKey(f.getId()) ? keptOfVersion.get(f.getId())
                            : active.embedder().embed(FaceChipPng.fromPng(f.getCropPng()));
                    shots.add(new SupportSet.Shot(f.getId(), embedding));
                }
            }));
            active.supportSet().replace(employeeId, name[0], shots);
            return null;
        }));
    }

    private void housekeeping() {
        long now = System.nanoTime();
        if (now - lastBeat >= properties.heartbeatInterval().toNanos()) {
            changes.heartbeat(position);
            lastBeat = now;
        }
        if (now - lastPrune >= properties.pruneInterval().toNanos()) {
            lastPrune = now;
            Instant liveSince = clock.instant().minus(properties.replicaTimeout());
            int pruned = changes.prune(liveSince);
            if (pruned > 0) {
                log.debug("Pruned {} change-log rows", pruned);
            }
        }
    }
}
