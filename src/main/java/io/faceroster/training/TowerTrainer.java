package io.faceroster.training;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
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
import java.util.Collections;
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
                    Batch batch = source.next();
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

    private float step(Trainer trainer, ContrastiveLoss loss, Batch batch) {
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

    /** One step's worth of tower inputs (one array per forward pass), labels and loss weight. */
    record Batch(List<float[]> inputs, float[] labels, int weight) {
    }

    interface BatchSource {
        Batch next();

        int stepsPerEpoch();

        double pairsPerStep();
    }

    /**
     * The seed notebook's sampling: the first image uniform over all training images; with probability 1/2
     * the partner is drawn until one of the same person (possibly the same image), else until another
     * person's. Label 0 = same, 1 = different. Two forward passes per step, as in the reference.
     */
    static final class PairBatches implements BatchSource {
        private final List<float[]> images = new ArrayList<>();
        private final List<Integer> personOf = new ArrayList<>();
        private final TrainingOptions options;
        private final Random rng;
        private int drawnThisEpoch;

        PairBatches(List<List<GreyImage>> data, TrainingOptions options, Random rng) {
            this.options = options;
            this.rng = rng;
            for (int p = 0; p < data.size(); p++) {
                for (GreyImage img : data.get(p)) {
                    images.add(TowerInput.normalise(img.pixels(), options.architecture().normalisation()));
                    personOf.add(p);
                }
            }
        }

        @Override
        public Batch next() {
            int size = Math.min(options.batchSize(), options.pairsPerEpoch() - drawnThisEpoch);
            drawnThisEpoch = (drawnThisEpoch + size) % options.pairsPerEpoch();
            int pixels = images.get(0).length;
            float[] a = new float[size * pixels];
            float[] b = new float[size * pixels];
            float[] y = new float[size];
            for (int i = 0; i < size; i++) {
                int first = rng.nextInt(images.size());
                boolean same = rng.nextInt(2) == 1;
                int second;
                do {
                    second = rng.nextInt(images.size());
                } while (personOf.get(second).equals(personOf.get(first)) != same);
                System.arraycopy(images.get(first), 0, a, i * pixels, pixels);
                System.arraycopy(images.get(second), 0, b, i * pixels, pixels);
                y[i] = same ? 0f : 1f;
            }
            return new Batch(List.of(a, b), y, size);
        }

        @Override
        public int stepsPerEpoch() {
            return (options.pairsPerEpoch() + options.batchSize() - 1) / options.batchSize();
        }

        @Override
        public double pairsPerStep() {
            return (double) options.pairsPerEpoch() / stepsPerEpoch();
        }
    }

    /**
     * P persons x K images per batch, every pair in the batch scored. An epoch shows each training image
     * about once. Augmentation is drawn fresh for every image of every batch.
     */
    static final class PersonBatches implements BatchSource {
        private final List<List<GreyImage>> data;
        private final TrainingOptions options;
        private final Random rng;
        private final int personsPerBatch;
        private final int total;

        PersonBatches(List<List<GreyImage>> data, TrainingOptions options, Random rng) {
            this.data = data;
            this.options = options;
            this.rng = rng;
            this.personsPerBatch = Math.min(data.size(), Math.max(2, options.batchSize() / options.imagesPerPerson()));
            this.total = data.stream().mapToInt(List::size).sum();
        }

        @Override
        public Batch next() {
            int k = options.imagesPerPerson();
            List<Integer> persons = new ArrayList<>();
            for (int i = 0; i < data.size(); i++) {
                persons.add(i);
            }
            Collections.shuffle(persons, rng);
            TowerArchitecture arch = options.architecture();
            int pixels = arch.inputWidth() * arch.inputHeight();
            float[] x = new float[personsPerBatch * k * pixels];
            float[] y = new float[personsPerBatch * k];
            int row = 0;
            for (int p = 0; p < personsPerBatch; p++) {
                List<GreyImage> images = data.get(persons.get(p));
                List<Integer> order = new ArrayList<>();
                for (int i = 0; i < images.size(); i++) {
                    order.add(i);
                }
                Collections.shuffle(order, rng);
                for (int i = 0; i < k; i++) {
                    GreyImage img = options.augmentation().apply(images.get(order.get(i % order.size())), rng);
                    float[] input = TowerInput.normalise(img.pixels(), arch.normalisation());
                    System.arraycopy(input, 0, x, row * pixels, pixels);
                    y[row++] = persons.get(p);
                }
            }
            return new Batch(List.of(x), y, 1);
        }

        @Override
        public int stepsPerEpoch() {
            return Math.max(1, (int) Math.ceil((double) total / (personsPerBatch * options.imagesPerPerson())));
        }

        @Override
        public double pairsPerStep() {
            int n = personsPerBatch * options.imagesPerPerson();
            return n * (n - 1) / 2.0;
        }
    }

    static String formatSeconds(double seconds) {
        long s = Math.round(seconds);
        return String.format("%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
    }
}
