package io.faceroster.gallery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The calibration report: what the gallery's own faces say about the threshold in force, the model's default
 * and the thresholds for a few target false accept rates. Built from {@link GalleryEvidence}; no I/O.
 *
 * @param far estimated false accept rate per identify attempt: the share of impostor attempts (a face sample
 *            facing every other employee) whose nearest other prototype lies within the threshold
 * @param tar estimated true accept rate: the share of genuine comparisons (leave-one-out) within the threshold
 * @param dir estimated share of genuine samples identified: within the threshold and nearer to their own
 *            employee's other samples than to anyone else
 */
public record CalibrationReport(String modelVersion, Instant computedAt, long tookMs, Counts counts,
                                ThresholdInForce thresholdInForce, double modelDefaultThreshold,
                                String intervalMethod, Definitions definitions, List<Figures> thresholds,
                                List<String> notes, Link plot) {

    public record Counts(int employees, int samples, int employeesWithSeveralSamples, long impostorComparisons,
                         int impostorAttempts, int genuineComparisons) {
    }

    /** Where the threshold in force came from: {@code model_default}, {@code configured}, {@code target_far}, {@code manual}. */
    public record ThresholdInForce(double threshold, String source, Double targetFar, String setBy, Instant setAt,
                                   String modelVersion, String note) {
    }

    public record Definitions(String far, String tar, String dir) {
        static final Definitions STANDARD = new Definitions(
                "per identify attempt: share of enrolled face samples whose nearest prototype of another employee "
                        + "is within the threshold (a stranger facing the gallery)",
                "share of genuine comparisons within the threshold: each sample of an employee with 2+ samples "
                        + "against the prototype of that employee's other samples (leave-one-out)",
                "share of those genuine samples also nearer to their own employee than to anyone else "
                        + "(identified correctly)");
    }

    /** Figures at one threshold; {@code name}: {@code in_force}, {@code model_default}, {@code far_1%} ... */
    public record Figures(String name, Double targetFar, double threshold, CalibrationMaths.Rate far,
                          CalibrationMaths.Rate tar, CalibrationMaths.Rate dir, List<String> notes) {
    }

    public record Link(String href, String type) {
    }

    /** Thin-evidence limits below which figures get a note. */
    public record Limits(int minEmployees, long minImpostorComparisons, int minGenuineComparisons) {
    }

    static CalibrationReport build(GalleryEvidence e, ThresholdInForce inForce, double modelDefault,
                                   List<Double> targetFars, Limits limits, Link plot) {
        List<Figures> figures = new ArrayList<>();
        figures.add(figures(e, "in_force", null, inForce.threshold()));
        figures.add(figures(e, "model_default", null, modelDefault));
        for (double target : targetFars) {
            double t = CalibrationMaths.thresholdForFar(e.impostorSorted(), target);
            if (Double.isFinite(t)) {
                figures.add(figures(e, "far_" + percent(target), target, t));
            }
        }
        List<String> notes = new ArrayList<>();
        if (e.employees() < limits.minEmployees()) {
            notes.add("thin evidence: " + e.employees() + " employees enrolled, fewer than " + limits.minEmployees()
                    + "; every figure describes few people");
        }
        if (e.impostorComparisons() < limits.minImpostorComparisons()) {
            notes.add("thin evidence: " + e.impostorComparisons() + " impostor comparisons, fewer than "
                    + limits.minImpostorComparisons() + "; false accept rates are rough");
        }
        if (e.genuineComparisons() < limits.minGenuineComparisons()) {
            notes.add("thin evidence: " + e.genuineComparisons() + " genuine comparisons (employees with 2+ samples), "
                    + "fewer than " + limits.minGenuineComparisons() + "; true accept rates are rough");
        }
        if (e.impostorAttemptsSampled()) {
            notes.add(String.format(Locale.ROOT, "impostor attempts: a seeded random %,d of the %,d samples "
                    + "(faceroster.calibration.max-impostor-attempts), each against all %,d other employees; the "
                    + "intervals are those of %,d attempts", e.impostorAttempts(), e.samples(), e.employees() - 1,
                    e.impostorAttempts()));
        }
        if (e.impostorAttempts() == 0) {
            notes.add("no impostor evidence: at least two employees with face samples are needed");
        }
        return new CalibrationReport(e.modelVersion(), e.computedAt(), e.tookMs(),
                new Counts(e.employees(), e.samples(), e.employeesWithSeveralSamples(), e.impostorComparisons(),
                        e.impostorAttempts(), e.genuineComparisons()),
                inForce, modelDefault, CalibrationMaths.INTERVAL_METHOD, Definitions.STANDARD, List.copyOf(figures),
                List.copyOf(notes), plot);
    }

    static Figures figures(GalleryEvidence e, String name, Double targetFar, double threshold) {
        CalibrationMaths.Rate far = e.farAt(threshold);
        CalibrationMaths.Rate tar = e.tarAt(threshold);
        CalibrationMaths.Rate dir = e.identifiedAt(threshold);
        List<String> notes = new ArrayList<>();
        if (targetFar != null) {
            double expected = targetFar * far.of();
            if (expected < 1) {
                notes.add(String.format(Locale.ROOT, "cannot resolve a FAR of %s with %d impostor attempts: no "
                        + "accepted attempt is expected; the threshold lies below every impostor distance and may "
                        + "be much stricter than needed", percent(targetFar), far.of()));
            } else if (expected < 10) {
                notes.add(String.format(Locale.ROOT, "thin evidence: the threshold rests on %d accepted impostor "
                        + "attempts (fewer than 10)", far.count()));
            }
        }
        if (far.of() > 0 && far.count() == 0 && targetFar == null) {
            notes.add("no impostor attempt accepted: the FAR is below " + percent(far.high())
                    + " with 95% confidence, not zero");
        }
        return new Figures(name, targetFar, threshold, far, tar, dir, List.copyOf(notes));
    }

    static String percent(double share) {
        String s = String.format(Locale.ROOT, "%.4f", share * 100).replaceAll("0+$", "").replaceAll("\\.$", "");
        return s + "%";
    }
}
