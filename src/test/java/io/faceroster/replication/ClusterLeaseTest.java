package io.faceroster.replication;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The lease row lets one replica at a time run the scheduled purge (H2 here; the same SQL on PostgreSQL). */
class ClusterLeaseTest {

    private static final Duration TTL = Duration.ofMinutes(1);
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private JdbcDataSource db;

    @BeforeEach
    void database() {
        db = new JdbcDataSource();
        db.setURL("jdbc:h2:mem:lease-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(db).load().migrate();
    }

    private ClusterLease replica(String name, Instant now) {
        return new ClusterLease(db, name, Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void aHeldLeaseIsRefusedToAnotherReplica() {
        assertThat(replica("a", T0).tryAcquire("retention-purge", TTL)).isTrue();
        assertThat(replica("b", T0.plusSeconds(30)).tryAcquire("retention-purge", TTL)).isFalse();
        assertThat(replica("b", T0).holder("retention-purge")).contains("a");
    }

    @Test
    void theHolderRenewsItsLease() {
        assertThat(replica("a", T0).tryAcquire("retention-purge", TTL)).isTrue();
        assertThat(replica("a", T0.plusSeconds(50)).tryAcquire("retention-purge", TTL)).isTrue();
        assertThat(replica("b", T0.plusSeconds(70)).tryAcquire("retention-purge", TTL)).isFalse();
    }

    @Test
    void aLeaseNotRenewedExpiresAndAnotherReplicaTakesIt() {
        assertThat(replica("a", T0).tryAcquire("retention-purge", TTL)).isTrue();
        assertThat(replica("b", T0.plusSeconds(61)).tryAcquire("retention-purge", TTL)).isTrue();
        assertThat(replica("a", T0.plusSeconds(62)).holder("retention-purge")).contains("b");
    }

    @Test
    void runExclusivelyReleasesTheLeaseAfterTheWork() {
        assertThat(replica("a", T0).runExclusively("retention-purge", TTL, () -> "done")).contains("done");
        assertThat(replica("b", T0).tryAcquire("retention-purge", TTL)).isTrue();
    }
}
