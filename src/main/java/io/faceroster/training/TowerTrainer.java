package io.faceroster.training;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.faceroster.imaging.FaceAligner;
import io.faceroster.imaging.FaceChip;
import io.faceroster.imaging.GreyImage;
import io.faceroster.model.ModelDirectory;
import io.faceroster.model.TowerArchitecture;
import io.faceroster.model.TowerBuilder;
import io.faceroster.model.TowerInput;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Trains a Siamese tower with the contrastive loss. Each step runs inside its own NDManager, closed after
 * the optimiser step, so a long run keeps a flat native footprint: only parameters, gradients and Adam's
 * state live across steps.
 */
public final class TowerTrainer {

    /** Progress of a running training, reported every few steps and at the end of each epoch. */
    public record Progress(int epoch, int epochs, long step, long totalSteps, double loss, double pairsPerSecond,
                           double etaSeconds) {
        @Override
        public String toString() {
            return String.format("epoch %d/%d  step %d/%d  loss %.4f  %.0f pairs/s  ETA %s", epoch, epochs, step,
                    totalSteps, loss, pairsPerSecond, formatSeconds(etaSeconds));
        }
    }

    /**
     * A trained tower and what the run measured. {@link #model()} holds the tower alone; its parameters live
     * in the training model (which also holds the head), so close the result, not just the model.
     */
    public record Result(Model model, Model trainingModel, long steps, double seconds, List<Double> lossCurve,
                         boolean cancelled) implements AutoCloseable {
        public double finalLoss() {
            return lossCurve.isEmpty() ? Double.NaN : lossCurve.get(lossCurve.size() - 1);
        }

        @Override
        public void close() {
            model.close();
            trainingModel.close();
        }
    }

    /** Thrown when the loss stops being a number: the run is useless and the caller should know why. */
    public static final class DivergedException extends RuntimeException {
        DivergedException(String message) {
            super(message);
        }
    }

    private final TrainingOptions options;
    private final Device device;
    private final Path initialModel;

    public TowerTrainer(TrainingOptions options, Device device) {
        this(options, device, null);
    }

    /**
     * @param initialModel a model directory of the same architecture to start from (fine-tuning), or null
     *                     to start from a fresh initialisation
     */
    public TowerTrainer(TrainingOptions options, Device device, Path initialModel) {
        this.options = options;
        this.device = device;
        this.initialModel = initialModel;
    }

    /**
     * Trains a tower whose every layer learns ({@link HeadTrainer} trains the head of one with an imported
     * backbone). It reads the 92x112 box-centred grey crop of each chip, resized to its input.
     *
     * @param persons   face chips per training person
     * @param progress  receives progress reports
     * @param cancelled polled before every step; when true, training stops and the result says so
     */
    public Result train(List<List<FaceChip>> persons, Consumer<Progress> progress, BooleanSupplier cancelled) {
        TowerArchitecture arch = options.architecture();
        if (arch.backboneLayers() > 0 || arch.template() != null) {
            throw new IllegalArgumentException(arch.name() + " is trained with HeadTrainer");
        }
        List<List<GreyImage>> data = new ArrayList<>();
        for (List<FaceChip> chips : persons) {
            if (!chips.isEmpty()) {
                data.add(chips.stream().map(c -> TowerInput.resize(FaceAligner.legacyCrop(c), arch)).toList());
            }
        }
        if (data.size() < 2) {
            throw new IllegalArgumentException("training needs at least two persons with images");
        }
        Engine.getEngine("PyTorch").setRandomSeed((int) options.seed());
        Random rng = new Random(options.seed());
        BatchSource source = options.sampling() == TrainingOptions.Sampling.PAIRS
                ? new PairBatches(data, options, rng) : new PersonBatches(data, options, rng);
        int stepsPerEpoch = source.stepsPerEpoch();
        long totalSteps = (long) stepsPerEpoch * options.epochs();

        // The trainer drives tower + head; the returned model holds the tower alone (same parameters).
        SequentialBlock tower = TowerBuilder.build(arch);
        Model trainingModel = Model.newInstance(arch.name() + "-training", device, "PyTorch");
        if (arch.trainingHead().isEmpty()) {
            trainingModel.setBlock(tower);
        } else {
            trainingModel.setBlock(new SequentialBlock().add(tower).add(TowerBuilder.buildHead(arch)));
        }
        if (initialModel != null) {
            if (!arch.trainingHead().isEmpty()) {
                trainingModel.close();
                throw new IllegalArgumentException("fine-tuning a tower with a training head is not supported");
            }
            try {
                // Loaded parameters count as initialised, so the trainer's initialisation keeps them.
                trainingModel.load(initialModel, ModelDirectory.PARAMS_PREFIX);
            } catch (IOException | MalformedModelException e) {
                trainingModel.close();
                throw new IllegalArgumentException("cannot start from " + initialModel + ": " + e.getMessage(), e);
            }
        }
        ContrastiveLoss loss = switch (options.sampling()) {
            case PAIRS -> ContrastiveLoss.pairs(options.margin());
            case BATCH_ALL -> ContrastiveLoss.batchAll(options.margin());
            case BATCH_NCE -> ContrastiveLoss.supervisedNce(options.margin());
        };
        Tracker lr = options.cosineDecay() && totalSteps > 0
                ? Tracker.cosine().setBaseValue(options.learningRate()).optFinalValue(options.learningRate() * 0.05f)
                        .setMaxUpdates((int) totalSteps).build()
                : Tracker.fixed(options.learningRate());
        Optimizer adam = Adam.builder().optLearningRateTracker(lr).optWeightDecays(options.weightDecay()).build();
        DefaultTrainingConfig config = new DefaultTrainingConfig(loss).optOptimizer(adam)
                .optDevices(new Device[] {device});

        List<Double> curve = new ArrayList<>();
        long step = 0;
        long start = System.nanoTime();
        boolean stopped = false;
        try (Trainer trainer = trainingModel.newTrainer(config)) {
            trainer.initialize(TowerBuilder.inputShape(arch, 2));
            for (int epoch = 1; epoch <= options.epochs() && !stopped; epoch++) {
                double epochLoss = 0;
                long epochPairs = 0;
                for (int s = 0; s < stepsPerEpoch; s++) {
                    if (cancelled.getAsBoolean()) {
                        stopped = true;
                        break;
                    }
                    BatchSource.Batch batch = source.next();
                    float value = step(trainer, loss, batch);
                    if (!Float.isFinite(value)) {
                        throw new DivergedException("loss became " + value + " at step " + (step + 1)
                                + "; lower the learning rate");
                    }
                    epochLoss += value * batch.weight();
                    epochPairs += batch.weight();
                    step++;
                    if (step % 10 == 0 || s == stepsPerEpoch - 1) {
                        double elapsed = (System.nanoTime() - start) / 1e9;
                        double perStep = elapsed / step;
                        progress.accept(new Progress(epoch, options.epochs(), step, totalSteps,
                                epochLoss / epochPairs, step * source.pairsPerStep() / elapsed,
                                perStep * (totalSteps - step)));
                    }
                }
                if (epochPairs > 0) {
                    curve.add(epochLoss / epochPairs);
                }
            }
        } catch (RuntimeException e) {
            trainingModel.close();
            throw e;
        }
        Model model = Model.newInstance(arch.name(), device, "PyTorch");
        model.setBlock(tower);
        return new Result(model, trainingModel, step, (System.nanoTime() - start) / 1e9, List.copyOf(curve), stopped);
    }

    private float step(Trainer trainer, ContrastiveLoss loss, BatchSource.Batch batch) {
        TowerArchitecture arch = options.architecture();
        try (NDManager m = trainer.getManager().newSubManager()) {
            float value;
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDList predictions = new NDList();
                for (float[] input : batch.inputs()) {
                    NDArray x = m.create(input, TowerBuilder.inputShape(arch, input.length
                            / (arch.inputWidth() * arch.inputHeight())));
                    predictions.add(trainer.forward(new NDList(x)).singletonOrThrow());
                }
                NDArray labels = m.create(batch.labels());
                NDArray l = loss.evaluate(new NDList(labels), predictions);
                collector.backward(l);
                value = l.getFloat();
            }
            trainer.step();
            return value;
        }
    }

    static String formatSeconds(double seconds) {
        long s = Math.round(seconds);
        return String.format("%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }
}
