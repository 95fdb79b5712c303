package io.faceroster.employee;

import io.faceroster.privacy.PrivacyProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Erases employees marked as left more than {@code faceroster.privacy.retention-days} ago: on a schedule
 * ({@link RetentionSchedule}) and on demand ({@link RetentionController}). Each erasure is audited as
 * {@code retention_purge}.
 */
@Service
class RetentionPurge {

    private static final Logger log = LoggerFactory.getLogger(RetentionPurge.class);

    private final EmployeeRepository employees;
    private final Erasure erasure;
    private final PrivacyProperties privacy;
    private final Clock clock;

    RetentionPurge(EmployeeRepository employees, Erasure erasure, PrivacyProperties privacy, Clock clock) {
        if (privacy.retentionDays() < 0) {
            throw new IllegalStateException("faceroster.privacy.retention-days must not be negative");
        }
        this.employees = employees;
        this.erasure = erasure;
        this.privacy = privacy;
        this.clock = clock;
    }

    record PurgeResult(Instant cutoff, int retentionDays, List<Erasure.Receipt> erased) {
    }

    void scheduled() {
        PurgeResult r = purge();
        if (!r.erased().isEmpty()) {
            log.info("Retention purge erased {} employees who left before {}", r.erased().size(), r.cutoff());
        }
    }

    synchronized PurgeResult purge() {
        Instant cutoff = clock.instant().minus(Duration.ofDays(privacy.retentionDays()));
        List<Erasure.Receipt> erased = new ArrayList<>();
        for (Employee e : employees.findByLeftAtBefore(cutoff)) {
            try {
                Erasure.Receipt receipt = erasure.purge(e.getEmployeeId(), cutoff);
                if (receipt != null) {
                    erased.add(receipt);
                }
            } catch (RuntimeException ex) {
                // Erased meanwhile by someone else, or a transient failure: the next run tries again.
                log.warn("Retention purge could not erase {}: {}", e.getEmployeeId(), ex.getMessage());
            }
        }
        return new PurgeResult(cutoff, privacy.retentionDays(), erased);
    }
}
