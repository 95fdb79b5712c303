package io.faceroster.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import io.faceroster.imaging.GreyImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Embeds face crops with one loaded tower. Thread-safe: DJL predictors are not, so each call borrows one
 * from a pool (the pool grows to the number of concurrent callers). Every call runs in its own predictor
 * context whose NDManager is closed afterwards, so native memory does not accumulate.
 */
public final class EmbeddingService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddingService.class);

    private final Model model;
    private final ModelMetadata metadata;
    private final Device device;
    private final Translator<GreyImage, float[]> translator;
    private final ConcurrentLinkedQueue<Predictor<GreyImage, float[]>> idle = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Predictor<GreyImage, float[]>> all = new ConcurrentLinkedQueue<>();
    private final boolean ownsModel;
    private volatile boolean closed;

    private EmbeddingService(Model model, ModelMetadata metadata, Device device, boolean ownsModel) {
        this.model = model;
        this.ownsModel = ownsModel;
        this.metadata = metadata;
        this.device = device;
        this.translator = new CropTranslator(metadata.architecture());
    }

    /** Loads the model directory on the device chosen by {@code deviceSetting} ({@code cpu}, {@code gpu}, {@code auto}). */
    public static EmbeddingService load(Path modelDir, String deviceSetting) throws IOException {
        ModelMetadata metadata = ModelDirectory.readMetadata(modelDir);
        Device device = selectDevice(deviceSetting);
        try {
            Model model = ModelDirectory.loadModel(modelDir, metadata, device);
            log.info("Loaded model {} ({}, {}-d) from {} on {}", metadata.version(), metadata.architecture().name(),
                    metadata.embeddingDimension(), modelDir, device);
            return new EmbeddingService(model, metadata, device, true);
        } catch (MalformedModelException e) {
            throw new IOException("model parameters in " + modelDir + " do not match its architecture: "
                    + e.getMessage(), e);
        }
    }

    /** Wraps an in-memory model (training and tests); the caller keeps ownership of the model. */
    public static EmbeddingService wrap(Model model, ModelMetadata metadata) {
        return new EmbeddingService(model, metadata, model.getNDManager().getDevice(), false);
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
                            + "(pytorch-native-cpu); build with the CUDA native jar (see README, 'GPU') or set "
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

    public float[] embed(GreyImage crop) {
        return withPredictor(p -> p.predict(crop));
    }

    /** Embeds several crops in one forward pass. */
    public List<float[]> embedBatch(List<GreyImage> crops) {
        return crops.isEmpty() ? List.of() : withPredictor(p -> p.batchPredict(crops));
    }

    private interface PredictorCall<T> {
        T apply(Predictor<GreyImage, float[]> predictor) throws TranslateException;
    }

    /** Runs one call on a predictor borrowed from the pool (predictors are not thread-safe). */
    private <T> T withPredictor(PredictorCall<T> call) {
        Predictor<GreyImage, float[]> predictor = borrow();
        try {
            return call.apply(predictor);
        } catch (TranslateException e) {
            throw new IllegalStateException("embedding failed: " + e.getMessage(), e);
        } finally {
            idle.offer(predictor);
        }
    }

    private Predictor<GreyImage, float[]> borrow() {
        if (closed) {
            throw new IllegalStateException("embedding service for " + metadata.version() + " is closed");
        }
        Predictor<GreyImage, float[]> p = idle.poll();
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

    /** Pre-processing (resize + normalise) and post-processing (vector out) of the tower, in DJL's terms. */
    static final class CropTranslator implements Translator<GreyImage, float[]> {
        private final TowerArchitecture architecture;

        CropTranslator(TowerArchitecture architecture) {
            this.architecture = architecture;
        }

        @Override
        public NDList processInput(TranslatorContext ctx, GreyImage crop) {
            float[] input = TowerInput.prepare(crop, architecture);
            return new NDList(ctx.getNDManager().create(input,
                    new Shape(1, architecture.inputHeight(), architecture.inputWidth())));
        }

        @Override
        public float[] processOutput(TranslatorContext ctx, NDList list) {
            return list.singletonOrThrow().toFloatArray();
        }
    }
}
