package io.faceroster.employee;

import io.faceroster.privacy.PrivacyProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * Runs the retention purge every {@code faceroster.privacy.purge-interval}, first after
 * {@code faceroster.privacy.purge-initial-delay}. The only scheduled task of the service.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class RetentionSchedule implements SchedulingConfigurer {

    private final RetentionPurge purge;
    private final PrivacyProperties privacy;

    RetentionSchedule(RetentionPurge purge, PrivacyProperties privacy) {
        this.purge = purge;
        this.privacy = privacy;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(new FixedDelayTask(purge::scheduled, privacy.purgeInterval(), privacy.purgeInitialDelay()));
    }
}
