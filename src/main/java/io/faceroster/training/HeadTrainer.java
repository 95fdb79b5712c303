package io.faceroster.training;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.tracker.Tracker;
import io.faceroster.imaging.FaceChip;
import io.faceroster.model.BackboneDescriptors;
import io.faceroster.model.ModelDirectory;
import io.faceroster.model.ModelMetadata;
import io.faceroster.model.TowerArchitecture;
import io.faceroster.model.TowerBuilder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Trains the head of a tower with an imported backbone, the backbone frozen: every training chip (and its mirror
 * image) is run through the backbone once, then the head learns from those descriptors with the contrastive loss,
 * in batches of P persons x K descriptors, every pair of a batch scored (the InfoNCE form; {@code margin} is its
 * temperature). Minutes instead of hours on a CPU, and the backbone's generality stays intact. The result is a
 * whole tower: the backbone's weights with the trained head.
 *
 * Size: about 270 lines: describing the chips (with the backbone, once) and training the head on the
 * descriptors are one job that shares the frozen backbone and its cancellation.
 */
public final class HeadTrainer {

    private final TrainingOptions options;
    private final Device device;
    private final Path backboneModel;
    private final boolean startFromItsHead;

    /**
     * @param backboneModel    a model directory of the same backbone: its weights are used, never changed
     * @param startFromItsHead start from that model's head parameters (fine-tuning) rather than a fresh head
     */
    public HeadTrainer(TrainingOptions options, Device device, Path backboneModel, boolean startFromItsHead) {
        this.options = options;
        this.device = device;
        this.backboneModel = backboneModel;
        this.startFromItsHead = startFromItsHead;
    }

    /** Trains the head on the backbone's descriptors of {@code persons}' chips. */
    public TowerTrainer.Result train(List<List<FaceChip>> persons, Consumer<TowerTrainer.Progress> progress,
                                     BooleanSupplier cancelled) {
        TowerArchitecture arch = options.architecture();
        Model tower = loadTower(arch);
        try {
            long start = System.nanoTime();
            List<List<float[]>> descriptors = describe(tower, arch, persons, cancelled);
            if (cancelled.getAsBoolean()) {
                // Stopped while the backbone read the chips: no step taken, nothing to keep.
                return new TowerTrainer.Result(tower, Model.newInstance(arch.name() + "-head", device, "PyTorch"), 0,
                        (System.nanoTime() - start) / 1e9, List.of(), true);
            }
            return train(tower, descriptors, progress, cancelled);
        } catch (RuntimeException e) {
            tower.close();
            throw e;
        }
    }

    /** Trains the head on backbone descriptors computed elsewhere (one list per person). */
    public TowerTrainer.Result trainOnDescriptors(List<List<float[]>> descriptors,
                                                  Consumer<TowerTrainer.Progress> progress, BooleanSupplier cancelled) {
        Model tower = loadTower(options.architecture());
        try {
            return train(tower, descriptors, progress, cancelled);
        } catch (RuntimeException e) {
            tower.close();
            throw e;
        }
    }

    private TowerTrainer.Result train(Model tower, List<List<float[]>> descriptors,
                                      Consumer<TowerTrainer.Progress> progress, BooleanSupplier cancelled) {
        TowerArchitecture arch = options.architecture();
        long start = System.nanoTime();
        Model head = null;
        try {
            if (descriptors.size() < 2) {
                throw new IllegalArgumentException("training needs at least two persons with images");
            }
            int dimension = descriptors.get(0).get(0).length;
            Engine.getEngine("PyTorch").setRandomSeed((int) options.seed());
            Random rng = new Random(options.seed());
            head = Model.newInstance(arch.name() + "-head", device, "PyTorch");
            SequentialBlock headBlock = TowerBuilder.buildHeadOnly(arch);
            head.setBlock(headBlock);
            headBlock.initialize(head.getNDManager(), ai.djl.ndarray.types.DataType.FLOAT32,
                    new Shape(2, dimension));
            if (startFromItsHead) {
                copy(TowerBuilder.headOf((SequentialBlock) tower.getBlock()), headBlock, head.getNDManager());
            }
            int personsPerBatch = Math.min(descriptors.size(), Math.max(2, options.batchSize()
                    / options.imagesPerPerson()));
            int total = descriptors.stream().mapToInt(List::size).sum();
            int stepsPerEpoch = Math.max(1, (int) Math.ceil((double) total
                    / (personsPerBatch * options.imagesPerPerson())));
            long totalSteps = (long) stepsPerEpoch * options.epochs();
            ContrastiveLoss loss = ContrastiveLoss.supervisedNce(options.margin());
            Tracker lr = options.cosineDecay() && totalSteps > 0
                    ? Tracker.cosine().setBaseValue(options.learningRate())
                            .optFinalValue(options.learningRate() * 0.05f).setMaxUpdates((int) totalSteps).build()
                    : Tracker.fixed(options.learningRate());
            DefaultTrainingConfig config = new DefaultTrainingConfig(loss)
                    .optOptimizer(Adam.builder().optLearningRateTracker(lr).optWeightDecays(options.weightDecay())
                            .build())
                    .optDevices(new Device[] {device});
            List<Double> curve = new ArrayList<>();
            long step = 0;
            boolean stopped = false;
            double pairsPerStep = personsPerBatch * options.imagesPerPerson()
                    * (personsPerBatch * options.imagesPerPerson() - 1) / 2.0;
            try (Trainer trainer = head.newTrainer(config)) {
                trainer.initialize(new Shape(2, dimension));
                for (int epoch = 1; epoch <= options.epochs() && !stopped; epoch++) {
                    double epochLoss = 0;
                    for (int s = 0; s < stepsPerEpoch; s++) {
                        if (cancelled.getAsBoolean()) {
                            stopped = true;
                            break;
                        }
                        float value = step(trainer, loss, batch(descriptors, personsPerBatch, rng), dimension);
                        if (!Float.isFinite(value)) {
                            throw new TowerTrainer.DivergedException("loss became " + value + " at step " + (step + 1)
                                    + "; lower the learning rate");
                        }
                        epochLoss += value;
                        step++;
                        if (step % 10 == 0 || s == stepsPerEpoch - 1) {
                            double elapsed = (System.nanoTime() - start) / 1e9;
                            progress.accept(new TowerTrainer.Progress(epoch, options.epochs(), step, totalSteps,
                                    epochLoss / (s + 1), step * pairsPerStep / elapsed,
                                    elapsed / step * (totalSteps - step)));
                        }
                    }
                    if (!stopped) {
                        curve.add(epochLoss / stepsPerEpoch);
                    }
                }
            }
            copy(headBlock, TowerBuilder.headOf((SequentialBlock) tower.getBlock()), tower.getNDManager());
            return new TowerTrainer.Result(tower, head, step, (System.nanoTime() - start) / 1e9, List.copyOf(curve),
                    stopped);
        } catch (RuntimeException e) {
            if (head != null) {
                head.close();
            }
            throw e;
        }
    }

    /** The backbone of {@link #backboneModel} under {@code arch}'s head (the head freshly initialised). */
    private Model loadTower(TowerArchitecture arch) {
        try {
            ModelMetadata source = ModelDirectory.readMetadata(backboneModel);
            if (!source.architecture().backbone().equals(arch.backbone())) {
                throw new IllegalArgumentException(backboneModel + " has another backbone than " + arch.name());
            }
            return ModelDirectory.loadWithHead(backboneModel, source, arch, device);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (MalformedModelException e) {
            throw new IllegalArgumentException("cannot read " + backboneModel + ": " + e.getMessage(), e);
        }
    }

    private static List<List<float[]>> describe(Model tower, TowerArchitecture arch, List<List<FaceChip>> persons,
                                                BooleanSupplier cancelled) {
        BackboneDescriptors backbone = new BackboneDescriptors(tower, arch);
        List<List<float[]>> out = new ArrayList<>();
        for (List<FaceChip> chips : persons) {
            if (cancelled.getAsBoolean()) {
                break;
            }
            if (chips.isEmpty()) {
                continue;
            }
            List<float[]> both = new ArrayList<>(backbone.of(chips, false));
            if (!arch.backbone().get(0).equals("flipcat")) {
                // A backbone that averages each face with its mirror image gives the mirror the same descriptor.
                both.addAll(backbone.of(chips, true));
            }
            out.add(both);
        }
        return out;
    }

    private record Batch(float[] x, float[] y, int rows) {
    }

    private Batch batch(List<List<float[]>> data, int personsPerBatch, Random rng) {
        int k = options.imagesPerPerson();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, rng);
        int dim = data.get(0).get(0).length;
        float[] x = new float[personsPerBatch * k * dim];
        float[] y = new float[personsPerBatch * k];
        int row = 0;
        for (int p = 0; p < personsPerBatch; p++) {
            List<float[]> vectors = data.get(order.get(p));
            List<Integer> pick = new ArrayList<>();
            for (int i = 0; i < vectors.size(); i++) {
                pick.add(i);
            }
            Collections.shuffle(pick, rng);
            for (int i = 0; i < k; i++) {
                System.arraycopy(vectors.get(pick.get(i % pick.size())), 0, x, row * dim, dim);
                y[row++] = order.get(p);
            }
        }
        return new Batch(x, y, row);
    }

    private static float step(Trainer trainer, ContrastiveLoss loss, Batch batch, int dimension) {
        try (NDManager m = trainer.getManager().newSubManager()) {
            float value;
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDArray x = m.create(batch.x(), new Shape(batch.rows(), dimension));
                NDArray prediction = trainer.forward(new NDList(x)).singletonOrThrow();
                NDArray l = loss.evaluate(new NDList(m.create(batch.y())), new NDList(prediction));
                collector.backward(l);
                value = l.getFloat();
            }
            trainer.step();
            return value;
        }
    }

    /** Copies parameters between two blocks of the same structure. */
    static void copy(Block from, Block to, NDManager manager) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                from.saveParameters(out);
            }
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                to.loadParameters(manager, in);
            }
        } catch (IOException | MalformedModelException e) {
            throw new IllegalStateException("head parameters do not fit: " + e.getMessage(), e);
        }
    }
}
