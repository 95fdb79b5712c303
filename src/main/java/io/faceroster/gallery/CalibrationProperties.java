package io.faceroster.gallery;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Gallery calibration and health ({@code faceroster.calibration.*}).
 *
 * @param threads                 threads for the impostor pass (0: one fewer than the processors, at least one,
 *                                so identify keeps a processor; it is never locked out either way)
 * @param reportFars              the target false accept rates (per identify attempt) the report shows thresholds for
 * @param minEmployees            fewer employees than this: the report notes thin evidence
 * @param minImpostorComparisons  fewer impostor comparisons than this: the report notes thin evidence
 * @param minGenuineComparisons   fewer genuine comparisons than this: the report notes thin evidence
 * @param maxDuplicatePairs       most possible-duplicate pairs gallery health lists
 * @param maxImpostorAttempts     most samples that make impostor attempts in the report (a seeded random subset
 *                                above it; 0: every sample); gallery health always checks every sample
 */
@ConfigurationProperties("faceroster.calibration")
public record CalibrationProperties(@DefaultValue("0") int threads,
                                    @DefaultValue({"0.001", "0.01", "0.05"}) List<Double> reportFars,
                                    @DefaultValue("20") int minEmployees,
                                    @DefaultValue("1000") long minImpostorComparisons,
                                    @DefaultValue("100") int minGenuineComparisons,
                                    @DefaultValue("1000") int maxDuplicatePairs,
                                    @DefaultValue("10000") int maxImpostorAttempts) {

    public CalibrationProperties {
        if (maxImpostorAttempts < 0) {
            throw new IllegalArgumentException("faceroster.calibration.max-impostor-attempts must be 0 (all) or more");
        }
        if (threads < 0) {
            throw new IllegalArgumentException("faceroster.calibration.threads must be 0 (every processor) or more");
        }
        for (double far : reportFars) {
            if (!(far > 0 && far < 1)) {
                throw new IllegalArgumentException("faceroster.calibration.report-fars must lie between 0 and 1");
            }
        }
    }

    int effectiveThreads() {
        return threads == 0 ? Math.max(1, Runtime.getRuntime().availableProcessors() - 1) : threads;
    }

    CalibrationReport.Limits limits() {
        return new CalibrationReport.Limits(minEmployees, minImpostorComparisons, minGenuineComparisons);
    }
}
