package io.faceroster.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import io.faceroster.imaging.FaceChip;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Embeds face chips with one loaded tower. Thread-safe: DJL predictors are not, so each forward pass borrows one
 * from a pool (the pool grows to the number of concurrent passes). Every pass runs in its own predictor context
 * whose NDManager is closed afterwards, so native memory does not accumulate. Single faces from concurrent
 * requests are embedded together ({@link RequestCombiner}), at most {@link Batching#parallelPasses()} passes at once.
 */
public final class EmbeddingService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddingService.class);

    private final Model model;
    private final ModelMetadata metadata;
    private final Device device;
    private final Translator<FaceChip, float[]> translator;
    private final ConcurrentLinkedQueue<Predictor<FaceChip, float[]>> idle = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Predictor<FaceChip, float[]>> all = new ConcurrentLinkedQueue<>();
    private final boolean ownsModel;
    private final RequestCombiner<FaceChip, float[]> combiner;
    private volatile boolean closed;

    /**
     * How single-face requests are combined.
     *
     * @param maxBatch       most faces in one forward pass
     * @param parallelPasses most forward passes at once
     */
    public record Batching(int maxBatch, int parallelPasses) {
        /** One pass per core (each pass uses {@code intraOpThreads} threads), eight faces a pass at most. */
        public static Batching forCores(int intraOpThreads) {
            return new Batching(8, Math.max(1, Runtime.getRuntime().availableProcessors() / Math.max(1, intraOpThreads)));
        }
    }

    private EmbeddingService(Model model, ModelMetadata metadata, Device device, boolean ownsModel,
                             Batching batching) {
        this.model = model;
        this.ownsModel = ownsModel;
        this.metadata = metadata;
        this.device = device;
        this.translator = new ChipTranslator(metadata.architecture());
        this.combiner = new RequestCombiner<>(this::embedBatch, batching.maxBatch(), batching.parallelPasses());
    }

    /** Loads the model directory on the device chosen by {@code deviceSetting} ({@code cpu}, {@code gpu}, {@code auto}). */
    public static EmbeddingService load(Path modelDir, String deviceSetting) throws IOException {
        return load(modelDir, deviceSetting, Batching.forCores(1));
    }

    public static EmbeddingService load(Path modelDir, String deviceSetting, Batching batching) throws IOException {
        ModelMetadata metadata = ModelDirectory.readMetadata(modelDir);
        Device device = selectDevice(deviceSetting);
        try {
            Model model = ModelDirectory.loadModel(modelDir, metadata, device);
            log.info("Loaded model {} ({}, {}-d) from {} on {}", metadata.version(), metadata.architecture().name(),
                    metadata.embeddingDimension(), modelDir, device);
            return new EmbeddingService(model, metadata, device, true, batching);
        } catch (MalformedModelException e) {
            throw new IOException("model parameters in " + modelDir + " do not match its architecture: "
                    + e.getMessage(), e);
        }
    }

    /** Wraps an in-memory model (training and tests); the caller keeps ownership of the model. */
    public static EmbeddingService wrap(Model model, ModelMetadata metadata) {
        return new EmbeddingService(model, metadata, model.getNDManager().getDevice(), false, Batching.forCores(1));
    }

    /**
     * {@code cpu}: always the CPU. {@code gpu}: a CUDA device or a clear failure (the default libtorch jar is
     * CPU-only). {@code auto}: the GPU when there is one, otherwise the CPU, and says so.
     */
    public static Device selectDevice(String setting) {
        String s = setting == null ? "cpu" : setting.trim().toLowerCase();
        return switch (s) {
            case "cpu" -> Device.cpu();
            case "gpu" -> {
                int gpus = Engine.getEngine("PyTorch").getGpuCount();
                if (gpus == 0) {
                    throw new IllegalStateException("faceroster.device=gpu but PyTorch sees no CUDA device. "
                            + "Either the machine has no GPU or the libtorch on the class path is the CPU build "
                            + "(pytorch-native-cpu); build with the CUDA native jar (see docs/operations.md, 'GPU') or set "
                            + "faceroster.device=cpu or auto.");
                }
                yield Device.gpu();
            }
            case "auto" -> {
                if (Engine.getEngine("PyTorch").getGpuCount() > 0) {
                    yield Device.gpu();
                }
                log.info("faceroster.device=auto: no CUDA device visible to PyTorch, using the CPU");
                yield Device.cpu();
            }
            default -> throw new IllegalArgumentException("faceroster.device must be cpu, gpu or auto, not '"
                    + setting + "'");
        };
    }

    public ModelMetadata metadata() {
        return metadata;
    }

    public Device device() {
        return device;
    }

    /** One face; combined with the faces of concurrent callers into one forward pass when they arrive together. */
    public float[] embed(FaceChip chip) {
        return combiner.submit(chip);
    }

    /** Embeds several chips in one forward pass. */
    public List<float[]> embedBatch(List<FaceChip> chips) {
        return chips.isEmpty() ? List.of() : withPredictor(p -> p.batchPredict(chips));
    }

    private interface PredictorCall<T> {
        T apply(Predictor<FaceChip, float[]> predictor) throws TranslateException;
    }

    /** Runs one call on a predictor borrowed from the pool (predictors are not thread-safe). */
    private <T> T withPredictor(PredictorCall<T> call) {
        Predictor<FaceChip, float[]> predictor = borrow();
        try {
            return call.apply(predictor);
        } catch (TranslateException e) {
            throw new IllegalStateException("embedding failed: " + e.getMessage(), e);
        } finally {
            idle.offer(predictor);
        }
    }

    private Predictor<FaceChip, float[]> borrow() {
        if (closed) {
            throw new IllegalStateException("embedding service for " + metadata.version() + " is closed");
        }
        Predictor<FaceChip, float[]> p = idle.poll();
        if (p == null) {
            p = model.newPredictor(translator, device);
            all.add(p);
        }
        return p;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        all.forEach(Predictor::close);
        all.clear();
        idle.clear();
        if (ownsModel) {
            model.close();
        }
    }
}
