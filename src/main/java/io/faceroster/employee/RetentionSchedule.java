package io.faceroster.employee;

import io.faceroster.privacy.PrivacyProperties;
import io.faceroster.replication.ClusterLease;
import java.time.Duration;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * Runs the retention purge every {@code faceroster.privacy.purge-interval}, first after
 * {@code faceroster.privacy.purge-initial-delay}. The only scheduled task of the service. With several replicas on
 * one database, each run first takes or renews the {@code retention-purge} lease ({@link ClusterLease}) for one
 * interval plus {@link #LEASE_MARGIN}: the replica holding it purges, the others skip; the lease is not released,
 * so the same replica keeps purging once per interval, and another takes over when it stops renewing.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class RetentionSchedule implements SchedulingConfigurer {

    private final RetentionPurge purge;
    private final PrivacyProperties privacy;
    private final ClusterLease lease;

    /** Added to the interval: room for the holder's own run to finish before its next one renews the lease. */
    static final Duration LEASE_MARGIN = Duration.ofMinutes(5);

    RetentionSchedule(RetentionPurge purge, PrivacyProperties privacy, ClusterLease lease) {
        this.purge = purge;
        this.privacy = privacy;
        this.lease = lease;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(new FixedDelayTask(() -> {
            if (lease.tryAcquire("retention-purge", privacy.purgeInterval().plus(LEASE_MARGIN))) {
                purge.scheduled();
            }
        }, privacy.purgeInterval(), privacy.purgeInitialDelay()));
    }
}
