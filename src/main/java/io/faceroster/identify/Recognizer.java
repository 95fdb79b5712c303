package io.faceroster.identify;

import io.faceroster.imaging.FaceChip;
import io.faceroster.security.Caller;
import io.faceroster.model.EmbeddingService;
import io.faceroster.model.ModelMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import org.springframework.stereotype.Component;

/**
 * The active model and the support set embedded with it, always used as a pair: a query is embedded and
 * matched by the same {@link Active} snapshot, so no answer mixes embeddings of two model versions.
 */
@Component
public class Recognizer {

    /** A model and the support set its embeddings fill. */
    public record Active(EmbeddingService embedder, SupportSet supportSet) {
        public String modelVersion() {
            return embedder.metadata().version();
        }
    }

    /** Outcome of matching one query. */
    public record Identification(String modelVersion, double threshold, SupportSet.Candidate match,
                                 List<SupportSet.Candidate> candidates) {
    }

    /** Told about a model switch: before the swap (the new pair's support set filled) and after it. */
    public interface SwitchListener {
        default void beforeSwitch(Active next) {
        }

        default void afterSwitch(Active previous, Active next) {
        }
    }

    private final AtomicReference<Active> active;
    private final Double configuredThreshold;
    // Thresholds set by an admin (gallery calibration), per model version: one applies only to its own model.
    private final Map<String, Double> thresholdOverrides = new ConcurrentHashMap<>();
    private final List<SwitchListener> switchListeners = new CopyOnWriteArrayList<>();
    // Writers of the support set (enrol, delete) hold the read lock while they commit and update the set;
    // a model switch holds the write lock for its final catch-up and the swap, so no write falls between.
    private final ReentrantReadWriteLock switchLock = new ReentrantReadWriteLock();
    private final ScheduledExecutorService retirement = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "model-retirement");
        t.setDaemon(true);
        return t;
    });

    public Recognizer(EmbeddingService embedder, IdentifyProperties properties) {
        this.active = new AtomicReference<>(new Active(embedder,
                new SupportSet(embedder.metadata().version(), embedder.metadata().embeddingDimension())));
        this.configuredThreshold = properties.threshold();
    }

    public Active active() {
        return active.get();
    }

    /**
     * Runs a support-set write (database commit plus in-memory update) against the active pair, excluding a
     * concurrent model switch; {@code work} receives the pair that is active while it runs.
     */
    public <T> T whileActive(Function<Active, T> work) {
        switchLock.readLock().lock();
        try {
            return work.apply(active.get());
        } finally {
            switchLock.readLock().unlock();
        }
    }

    /**
     * Makes {@code next} active: {@code catchUp} runs first with writers excluded (to bring the new support
     * set up to date with what was enrolled or deleted while it was built), then the pair is swapped in one
     * step. The old model and support set are closed a little later, once requests that picked them up have finished.
     */
    public void switchTo(Active next, Runnable catchUp) {
        Active previous;
        switchListeners.forEach(l -> l.beforeSwitch(next));
        switchLock.writeLock().lock();
        try {
            catchUp.run();
            previous = active.getAndSet(next);
        } finally {
            switchLock.writeLock().unlock();
        }
        switchListeners.forEach(l -> l.afterSwitch(previous, next));
        if (previous.embedder() != next.embedder()) {
            retirement.schedule(previous.embedder()::close, 30, TimeUnit.SECONDS);
        }
        if (previous.supportSet() != next.supportSet()) {
            retirement.schedule(previous.supportSet()::retire, 30, TimeUnit.SECONDS);
        }
    }

    public ModelMetadata metadata() {
        return active.get().embedder().metadata();
    }

    /**
     * The threshold in force: the request's, else one an admin set for the active model (gallery calibration),
     * else the configured one, else the model's calibrated one.
     */
    public double threshold(Double requested) {
        return threshold(requested, active.get());
    }

    private double threshold(Double requested, Active a) {
        return RequestedThreshold.check(requested, inForce(a), Caller.isAdmin());
    }

    private double inForce(Active a) {
        Double override = thresholdOverrides.get(a.modelVersion());
        if (override != null) {
            return override;
        }
        return configuredThreshold != null ? configuredThreshold : a.embedder().metadata().threshold();
    }

    /** The threshold in force without an admin's setting: the configured one, else the model's own. */
    public double defaultThreshold(Active a) {
        return configuredThreshold != null ? configuredThreshold : a.embedder().metadata().threshold();
    }

    /** Whether {@code faceroster.identify.threshold} is set (it then stands in for the model's threshold). */
    public boolean thresholdConfigured() {
        return configuredThreshold != null;
    }

    /** Sets the threshold for one model version (null: back to the default); in force while that model is. */
    public void setThresholdOverride(String modelVersion, Double threshold) {
        if (threshold == null) {
            thresholdOverrides.remove(modelVersion);
        } else {
            thresholdOverrides.put(modelVersion, threshold);
        }
    }

    public void addSwitchListener(SwitchListener listener) {
        switchListeners.add(listener);
    }

    public Identification identify(FaceChip chip, Double requestedThreshold, int candidates) {
        Active a = active.get();
        return match(a, a.embedder().embed(chip), threshold(requestedThreshold, a), candidates, Caller.isAdmin());
    }

    /** Several queries (the faces of one photo) against one snapshot, so all answers share a model version. */
    public List<Identification> identify(List<FaceChip> chips, Double requestedThreshold, int candidates) {
        Active a = active.get();
        double threshold = threshold(requestedThreshold, a);
        List<Identification> out = new ArrayList<>();
        if (chips.isEmpty()) {
            return out;
        }
        for (float[] query : a.embedder().embedBatch(chips)) {
            out.add(match(a, query, threshold, candidates, Caller.isAdmin()));
        }
        return out;
    }

    private static Identification match(Active a, float[] query, double threshold, int candidates, boolean admin) {
        SupportSet.Ranking ranking = a.supportSet().nearest(query, candidates);
        SupportSet.Candidate nearest = ranking.candidates().isEmpty() ? null : ranking.candidates().get(0);
        SupportSet.Candidate match = nearest != null && nearest.distance() <= threshold ? nearest : null;
        return new Identification(a.modelVersion(), threshold, match,
                RequestedThreshold.visible(ranking.candidates(), threshold, admin));
    }
}
