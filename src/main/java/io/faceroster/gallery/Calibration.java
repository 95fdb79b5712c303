package io.faceroster.gallery;

import io.faceroster.audit.AuditAction;
import io.faceroster.audit.AuditLog;
import io.faceroster.identify.Recognizer;
import io.faceroster.identify.SupportSet;
import io.faceroster.identify.SupportSetSnapshot;
import io.faceroster.security.Caller;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;

/**
 * The threshold in force, chosen from the gallery: the report, applying a target false accept rate or a
 * threshold by hand, returning to the model's default, and keeping a target across model switches (the new
 * model is recalibrated on its own distances before it takes over). Evidence is computed from a snapshot of
 * the active support set, outside every lock identify uses, and cached until the gallery or the model changes.
 *
 * Size: about 300 lines because the threshold setting has one lifecycle (apply, reset, restore at start-up,
 * carry across a model switch, drop when it cannot apply), and splitting it would spread one lock over classes.
 */
@Service
public class Calibration implements Recognizer.SwitchListener {

    private static final Logger log = LoggerFactory.getLogger(Calibration.class);
    static final String PLOT_PATH = "/api/v1/admin/calibration/plot";

    private final Recognizer recognizer;
    private final ThresholdSettings settings;
    private final CalibrationProperties properties;
    private final AuditLog audit;
    private final Clock clock;
    private final ReentrantLock computing = new ReentrantLock();
    private volatile GalleryEvidence cached;
    private volatile GalleryEvidence cachedFull;
    private volatile ThresholdSettings.Setting current;
    // Set before a model switch, written to the store once the switch has happened.
    private volatile Recalibration pending;

    private record Recalibration(String modelVersion, double threshold, double targetFar,
                                 CalibrationReport.Figures figures, String from) {
    }

    Calibration(Recognizer recognizer, ThresholdSettings settings, CalibrationProperties properties, AuditLog audit,
                Clock clock) {
        this.recognizer = recognizer;
        this.settings = settings;
        this.properties = properties;
        this.audit = audit;
        this.clock = clock;
        recognizer.addSwitchListener(this);
    }

    /** At start-up: the stored setting applies to the loaded model, or is recalibrated (target) or dropped (by hand). */
    @EventListener(ApplicationStartedEvent.class)
    public synchronized void restore() {
        current = settings.current().orElse(null);
        ThresholdSettings.Setting s = current;
        if (s == null || s.mode() == ThresholdSettings.Mode.DEFAULT) {
            return;
        }
        Recognizer.Active active = recognizer.active();
        if (s.modelVersion().equals(active.modelVersion())) {
            recognizer.setThresholdOverride(active.modelVersion(), s.threshold());
            log.info("Threshold in force {} ({} set by {} at {})", s.threshold(), s.mode().label(), s.setBy(), s.setAt());
            return;
        }
        // Started with another model than the one the setting was made for.
        if (s.mode() == ThresholdSettings.Mode.TARGET) {
            Recalibration r = recalibrate(active.supportSet(), s.targetFar(), s.modelVersion());
            if (r != null) {
                recognizer.setThresholdOverride(active.modelVersion(), r.threshold());
                recordRecalibration(r);
                return;
            }
        }
        dropFor(active.modelVersion(), s);
    }

    /** The report on the active gallery. */
    public CalibrationReport report() {
        return report(evidence());
    }

    CalibrationReport report(GalleryEvidence e) {
        Recognizer.Active active = recognizer.active();
        return CalibrationReport.build(e, inForce(active), recognizer.defaultThreshold(active), properties.reportFars(),
                properties.limits(), new CalibrationReport.Link(PLOT_PATH, "image/svg+xml"));
    }

    /** Sets the threshold that gives {@code targetFar} per identify attempt on the gallery; stored and audited. */
    public synchronized CalibrationReport applyTarget(double targetFar) {
        if (!(targetFar > 0 && targetFar < 1)) {
            throw new CalibrationException("validation_failed",
                    "targetFar must lie between 0 and 1 (exclusive), e.g. 0.01 for 1% per identify attempt");
        }
        GalleryEvidence e = evidence();
        if (e.impostorAttempts() == 0) {
            throw new CalibrationException("calibration_evidence_missing",
                    "the gallery has no impostor evidence: at least two employees with face samples are needed "
                            + "to calibrate; set a threshold by hand instead");
        }
        double t = CalibrationMaths.thresholdForFar(e.impostorSorted(), targetFar);
        CalibrationReport.Figures f = CalibrationReport.figures(e, "applied", targetFar, t);
        store(ThresholdSettings.Mode.TARGET, targetFar, t, e.modelVersion(), f, null);
        return report(e);
    }

    /** Sets the threshold by hand; stored and audited with the gallery's figures at it. */
    public synchronized CalibrationReport applyThreshold(double threshold) {
        if (!Double.isFinite(threshold) || threshold < 0) {
            throw new CalibrationException("validation_failed",
                    "threshold must be a non-negative number");
        }
        GalleryEvidence e = evidence();
        CalibrationReport.Figures f = CalibrationReport.figures(e, "applied", null, threshold);
        store(ThresholdSettings.Mode.MANUAL, null, threshold, e.modelVersion(), f, null);
        return report(e);
    }

    /** Back to the model's default threshold (or the configured one); stored and audited. */
    public synchronized CalibrationReport reset() {
        Recognizer.Active active = recognizer.active();
        recognizer.setThresholdOverride(active.modelVersion(), null);
        current = append(ThresholdSettings.Mode.DEFAULT, null, null, active.modelVersion(), null, null, Caller.keyId());
        audit.record(AuditAction.THRESHOLD_RESET, null, format(recognizer.defaultThreshold(active)),
                "back to the " + (recognizer.thresholdConfigured() ? "configured" : "model's default")
                        + " threshold for model " + active.modelVersion());
        return report();
    }

    /**
     * The evidence for the report (impostor attempts capped at {@code max-impostor-attempts}), cached while neither
     * the gallery nor the model changed.
     */
    public GalleryEvidence evidence() {
        return evidence(false);
    }

    /** The evidence with every sample's impostor attempt, for gallery health (the same object when nothing is capped). */
    public GalleryEvidence fullEvidence() {
        return evidence(true);
    }

    private GalleryEvidence evidence(boolean full) {
        SupportSet set = recognizer.active().supportSet();
        GalleryEvidence e = full ? cachedFull : cached;
        if (fresh(e, set)) {
            return e;
        }
        computing.lock();
        try {
            e = full ? cachedFull : cached;
            if (fresh(e, set)) {
                return e;
            }
            SupportSetSnapshot snapshot = set.snapshot();
            boolean capped = properties.maxImpostorAttempts() > 0 && snapshot.shotCount() > properties.maxImpostorAttempts();
            GalleryEvidence other = full ? cached : cachedFull;
            if (!capped && fresh(other, set)) {
                e = other;
            } else {
                e = GalleryEvidence.of(snapshot, properties.effectiveThreads(), clock.instant(),
                        full ? 0 : properties.maxImpostorAttempts());
            }
            log.info("Gallery evidence for model {}: {} employees, {} samples, {} impostor attempts, {} genuine "
                    + "comparisons in {} ms", e.modelVersion(), e.employees(), e.samples(), e.impostorAttempts(),
                    e.genuineComparisons(), e.tookMs());
            if (full || !capped) {
                cachedFull = e;
            }
            if (!full || !capped) {
                cached = e;
            }
            return e;
        } finally {
            computing.unlock();
        }
    }

    private static boolean fresh(GalleryEvidence e, SupportSet set) {
        return e != null && e.modelVersion().equals(set.modelVersion()) && e.snapshot().revision() == set.revision();
    }

    CalibrationReport.ThresholdInForce inForce(Recognizer.Active active) {
        double t = recognizer.threshold(null);
        ThresholdSettings.Setting s = current;
        if (s != null && s.mode() != ThresholdSettings.Mode.DEFAULT && s.modelVersion().equals(active.modelVersion())) {
            return new CalibrationReport.ThresholdInForce(t, s.mode() == ThresholdSettings.Mode.TARGET ? "target_far"
                    : "manual", s.targetFar(), s.setBy(), s.setAt(), s.modelVersion(), s.note());
        }
        String note = s != null && s.mode() == ThresholdSettings.Mode.DEFAULT ? s.note() : null;
        return new CalibrationReport.ThresholdInForce(t, recognizer.thresholdConfigured() ? "configured"
                : "model_default", null, s == null ? null : s.setBy(), s == null ? null : s.setAt(),
                active.modelVersion(), note);
    }

    // ---- model switches ----

    @Override
    public void beforeSwitch(Recognizer.Active next) {
        pending = null;
        ThresholdSettings.Setting s = current;
        if (s == null || s.mode() != ThresholdSettings.Mode.TARGET) {
            return;
        }
        try {
            Recalibration r = recalibrate(next.supportSet(), s.targetFar(), s.modelVersion());
            if (r != null) {
                recognizer.setThresholdOverride(next.modelVersion(), r.threshold());
                pending = r;
            }
        } catch (RuntimeException e) {
            log.error("Recalibration for model {} failed; it will use its default threshold", next.modelVersion(), e);
        }
    }

    @Override
    public synchronized void afterSwitch(Recognizer.Active previous, Recognizer.Active next) {
        if (previous.modelVersion().equals(next.modelVersion())) {
            return;
        }
        recognizer.setThresholdOverride(previous.modelVersion(), null);
        ThresholdSettings.Setting s = current;
        Recalibration r = pending;
        pending = null;
        if (r != null && r.modelVersion().equals(next.modelVersion())) {
            recordRecalibration(r);
        } else if (s != null && s.mode() != ThresholdSettings.Mode.DEFAULT) {
            recognizer.setThresholdOverride(next.modelVersion(), null);
            dropFor(next.modelVersion(), s);
        }
    }

    /** The threshold for the setting's target on another model's support set; null without impostor evidence. */
    private Recalibration recalibrate(SupportSet set, double targetFar, String from) {
        GalleryEvidence e = GalleryEvidence.of(set.snapshot(), properties.effectiveThreads(), clock.instant(),
                properties.maxImpostorAttempts());
        if (e.impostorAttempts() == 0) {
            return null;
        }
        double t = CalibrationMaths.thresholdForFar(e.impostorSorted(), targetFar);
        return new Recalibration(set.modelVersion(), t, targetFar,
                CalibrationReport.figures(e, "applied", targetFar, t), from);
    }

    private void recordRecalibration(Recalibration r) {
        String note = "recalibrated for target FAR " + CalibrationReport.percent(r.targetFar()) + " after the switch from "
                + r.from();
        current = append(ThresholdSettings.Mode.TARGET, r.targetFar(), r.threshold(), r.modelVersion(), r.figures(),
                note, Caller.SYSTEM);
        audit.recordAs(Caller.SYSTEM, AuditAction.THRESHOLD_SET, null, format(r.threshold()),
                note + "; model " + r.modelVersion() + "; " + summary(r.figures()));
        log.info("Threshold {} for model {}: {}", format(r.threshold()), r.modelVersion(), note);
    }

    /** A setting made for another model cannot apply: back to the default, said in the store and the audit trail. */
    private void dropFor(String modelVersion, ThresholdSettings.Setting s) {
        String note = (s.mode() == ThresholdSettings.Mode.TARGET
                ? "target FAR " + CalibrationReport.percent(s.targetFar()) + " could not be recalibrated (no impostor "
                + "evidence)" : "threshold " + format(s.threshold()) + " set by hand")
                + " for model " + s.modelVersion() + " does not apply to model " + modelVersion
                + "; back to its default";
        current = append(ThresholdSettings.Mode.DEFAULT, null, null, modelVersion, null, note, Caller.SYSTEM);
        audit.recordAs(Caller.SYSTEM, AuditAction.THRESHOLD_RESET, null,
                format(recognizer.defaultThreshold(recognizer.active())), note);
        log.warn(note);
    }

    private void store(ThresholdSettings.Mode mode, Double targetFar, double threshold, String modelVersion,
                       CalibrationReport.Figures figures, String note) {
        String by = Caller.keyId();
        current = append(mode, targetFar, threshold, modelVersion, figures, note, by);
        recognizer.setThresholdOverride(modelVersion, threshold);
        audit.record(AuditAction.THRESHOLD_SET, null, format(threshold), (mode == ThresholdSettings.Mode.TARGET
                ? "target FAR " + CalibrationReport.percent(targetFar) : "set by hand") + "; model " + modelVersion
                + "; " + summary(figures));
    }

    private ThresholdSettings.Setting append(ThresholdSettings.Mode mode, Double targetFar, Double threshold,
                                             String modelVersion, CalibrationReport.Figures figures, String note,
                                             String by) {
        settings.append(clock.instant(), by, mode, targetFar, threshold, modelVersion, figures, note);
        return settings.current().orElseThrow();
    }

    private static String summary(CalibrationReport.Figures f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("FAR", String.format(Locale.ROOT, "%.4f [%.4f, %.4f] of %d attempts", f.far().estimate(),
                f.far().low(), f.far().high(), f.far().of()));
        m.put("TAR", String.format(Locale.ROOT, "%.4f [%.4f, %.4f] of %d", f.tar().estimate(), f.tar().low(),
                f.tar().high(), f.tar().of()));
        return m.toString();
    }

    private static String format(double threshold) {
        return String.format(Locale.ROOT, "%.4f", threshold);
    }

    Optional<ThresholdSettings.Setting> currentSetting() {
        return Optional.ofNullable(current);
    }
}
