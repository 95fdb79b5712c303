package io.faceroster.replication;

import java.net.InetAddress;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The append-only support-set change log ({@code support_set_change}) and the replicas' positions in it
 * ({@code replica}). Writers call {@link #record} inside the transaction that changes the face samples, so a row
 * exists exactly when the change committed; on PostgreSQL the same transaction sends a {@code NOTIFY}, delivered
 * at commit. Plain JDBC on the application's data source: works on H2 and PostgreSQL alike.
 */
@Component
public class ChangeLog {

    /** What changed. Every kind names the employee whose samples a replica re-reads (a model switch: none). */
    public enum Kind { ENROL, FACE_DELETE, ERASE, RETENTION_PURGE, RENAME, MODEL_SWITCH }

    /** One log row. */
    public record Change(long id, Kind kind, String employeeId, String modelVersion, Instant createdAt) {
    }

    /** A replica's row. */
    public record Replica(String replicaId, long appliedChange, Instant heartbeatAt) {
    }

    static final String CHANNEL = "faceroster_support_set";

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final String replicaId;
    private final boolean postgres;

    ChangeLog(DataSource dataSource, ReplicationProperties properties, Clock clock) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.clock = clock;
        this.replicaId = properties.replicaId() != null ? properties.replicaId() : defaultReplicaId();
        this.postgres = Boolean.TRUE.equals(jdbc.execute((java.sql.Connection c) ->
                c.getMetaData().getDatabaseProductName().toLowerCase().contains("postgres")));
    }

    public String replicaId() {
        return replicaId;
    }

    public boolean postgres() {
        return postgres;
    }

    /** Adds a change in the caller's transaction (call it inside the transaction that made the change). */
    public void record(Kind kind, String employeeId) {
        record(kind, employeeId, null);
    }

    public void record(Kind kind, String employeeId, String modelVersion) {
        jdbc.update("insert into support_set_change (kind, employee_id, model_version, replica_id, created_at) "
                + "values (?, ?, ?, ?, ?)", kind.name(), employeeId, modelVersion, replicaId, Timestamp.from(clock.instant()));
        if (postgres) {
            jdbc.query("select pg_notify(?, ?)", rs -> null, CHANNEL, replicaId);
        }
    }

    /** Changes after {@code position}, oldest first, at most {@code limit}. */
    public List<Change> since(long position, int limit) {
        return jdbc.query("select id, kind, employee_id, model_version, created_at from support_set_change "
                        + "where id > ? order by id fetch first " + limit + " rows only",
                (rs, i) -> new Change(rs.getLong(1), Kind.valueOf(rs.getString(2)), rs.getString(3), rs.getString(4),
                        rs.getTimestamp(5).toInstant()), position);
    }

    /** The newest change id (0: none yet): a replica starting now has seen everything up to it. */
    public long latest() {
        Long max = jdbc.queryForObject("select max(id) from support_set_change", Long.class);
        Long pruned = prunedUpTo();
        return Math.max(max == null ? 0 : max, pruned);
    }

    /** The newest change id about one employee (0: none). */
    public long latestFor(String employeeId) {
        Long max = jdbc.queryForObject("select max(id) from support_set_change where employee_id = ?", Long.class,
                employeeId);
        return max == null ? 0 : max;
    }

    public long prunedUpTo() {
        return jdbc.queryForObject("select up_to from support_set_change_pruned where id = 1", Long.class);
    }

    /** Records this replica's position and that it is alive. */
    public void heartbeat(long appliedChange) {
        Timestamp now = Timestamp.from(clock.instant());
        if (jdbc.update("update replica set applied_change = ?, heartbeat_at = ? where replica_id = ?",
                appliedChange, now, replicaId) == 0) {
            jdbc.update("insert into replica (replica_id, applied_change, started_at, heartbeat_at) values (?, ?, ?, ?)",
                    replicaId, appliedChange, now, now);
        }
    }

    /** Replicas whose heartbeat is newer than {@code since}. */
    public List<Replica> liveReplicas(Instant since) {
        return jdbc.query("select replica_id, applied_change, heartbeat_at from replica where heartbeat_at >= ? "
                        + "order by replica_id", (rs, i) -> new Replica(rs.getString(1), rs.getLong(2),
                        rs.getTimestamp(3).toInstant()), Timestamp.from(since));
    }

    /** Removes this replica's row (clean shutdown): pruning stops waiting for it at once. */
    public void leave() {
        jdbc.update("delete from replica where replica_id = ?", replicaId);
    }

    /**
     * Deletes the rows every live replica has applied, and the rows of replicas dead for long; returns how many
     * log rows went. A dead replica that comes back behind the pruned mark reloads its whole support set.
     */
    public int prune(Instant liveSince) {
        Long upTo = jdbc.queryForObject("select min(applied_change) from replica where heartbeat_at >= ?", Long.class,
                Timestamp.from(liveSince));
        if (upTo == null || upTo <= 0) {
            return 0;
        }
        jdbc.update("delete from replica where heartbeat_at < ?", Timestamp.from(liveSince));
        jdbc.update("update support_set_change_pruned set up_to = ? where id = 1 and up_to < ?", upTo, upTo);
        return jdbc.update("delete from support_set_change where id <= ?", upTo);
    }

    private static String defaultReplicaId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "replica";
        }
        byte[] suffix = new byte[3];
        new SecureRandom().nextBytes(suffix);
        return host + "-" + HexFormat.of().formatHex(suffix);
    }
}
