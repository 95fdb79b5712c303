package io.faceroster.replication;

import org.springframework.beans.factory.annotation.Autowired;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Leases in the {@code cluster_lease} table, so that work meant for one replica (the scheduled retention purge)
 * runs on exactly one: taking a lease is one conditional {@code UPDATE} (free, expired, or already ours), which
 * the database serialises, on H2 and PostgreSQL alike. A replica that dies mid-run stops renewing; its lease
 * expires after the time-to-live and another replica takes it. Replica clocks are assumed to agree within
 * seconds (NTP), far below the time-to-live.
 */
@Component
public class ClusterLease {

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final String holder;

    @Autowired
    ClusterLease(DataSource dataSource, ChangeLog changes, Clock clock) {
        this(dataSource, changes.replicaId(), clock);
    }

    ClusterLease(DataSource dataSource, String holder, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.clock = clock;
        this.holder = holder;
    }

    /** Takes or renews the lease for {@code ttl}; false when another replica holds it and it has not expired. */
    public boolean tryAcquire(String name, Duration ttl) {
        Instant now = clock.instant();
        return jdbc.update("update cluster_lease set holder = ?, expires_at = ? where name = ? and (holder is null "
                        + "or holder = ? or expires_at < ?)", holder, Timestamp.from(now.plus(ttl)), name, holder,
                Timestamp.from(now)) == 1;
    }

    /** Gives the lease up if this replica holds it. */
    public void release(String name) {
        jdbc.update("update cluster_lease set holder = null, expires_at = null where name = ? and holder = ?", name,
                holder);
    }

    /** Who holds the lease now (empty: nobody, or it expired). */
    public Optional<String> holder(String name) {
        return jdbc.query("select holder, expires_at from cluster_lease where name = ?", rs -> {
            if (!rs.next() || rs.getString(1) == null || rs.getTimestamp(2).toInstant().isBefore(clock.instant())) {
                return Optional.<String>empty();
            }
            return Optional.of(rs.getString(1));
        }, name);
    }

    /** Runs {@code work} if the lease could be taken, then releases it; empty when another replica holds it. */
    public <T> Optional<T> runExclusively(String name, Duration ttl, Supplier<T> work) {
        if (!tryAcquire(name, ttl)) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(work.get());
        } finally {
            release(name);
        }
    }
}
