package io.faceroster.cli;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Adam;
import io.faceroster.evaluation.Statistics;
import io.faceroster.imaging.FaceAligner;
import io.faceroster.imaging.FaceChip;
import io.faceroster.imaging.FaceChips;
import io.faceroster.imaging.GreyImage;
import io.faceroster.model.EmbeddingService;
import io.faceroster.model.ModelDirectory;
import io.faceroster.model.ModelStore;
import io.faceroster.model.TowerArchitecture;
import io.faceroster.model.TowerBuilder;
import io.faceroster.training.ContrastiveLoss;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * {@code benchmark} without a mode: training step time of the {@code seed} architecture at batch 64, embedding
 * latency of a model at batch 1 and 32, and resident memory across many embeddings. Prints figures; asserts nothing.
 */
final class EmbeddingBenchmark {

    private EmbeddingBenchmark() {
    }

    // PyTorch 1.13 reference figures from PROTOCOL.md (idle 2-core machine).
    private static final double REF_STEP_1T_CHANNELS_LAST = 1.334;
    private static final double REF_STEP_1T_NCHW = 2.607;
    private static final double REF_INFER_B1_1T = 4.44;
    private static final double REF_INFER_B32_1T = 7.3;

    static int run(Path modelPath, int threads, int trainSteps, int runs, int memoryEmbeddings) throws Exception {
        System.out.printf("threads: intra-op %d, inter-op 1; load average before: %s%n", threads, loadAverage());
        if (trainSteps > 0) {
            double step = seedTrainingStep(trainSteps);
            System.out.printf("seed training step, batch 64 pairs: median %.3f s (PyTorch reference, 1 thread: "
                            + "%.3f s channels-last = %.2fx, %.3f s NCHW = %.2fx)%n", step, REF_STEP_1T_CHANNELS_LAST,
                    step / REF_STEP_1T_CHANNELS_LAST, REF_STEP_1T_NCHW, step / REF_STEP_1T_NCHW);
        }
        Path modelDir = Files.isRegularFile(modelPath.resolve(ModelDirectory.METADATA_FILE))
                ? modelPath : ModelStore.activeDirectory(modelPath);
        try (EmbeddingService embedder = EmbeddingService.load(modelDir, "cpu")) {
            List<FaceChip> crops = randomChips(64);
            System.out.printf("model %s (%s input %dx%d)%n", embedder.metadata().version(),
                    embedder.metadata().architecture().name(), embedder.metadata().architecture().inputWidth(),
                    embedder.metadata().architecture().inputHeight());
            for (int batch : new int[] {1, 32}) {
                double[] ms = latencies(embedder, crops, batch, runs);
                double ref = batch == 1 ? REF_INFER_B1_1T : REF_INFER_B32_1T;
                System.out.printf("embed batch %2d: median %.2f ms/crop, p90 %.2f ms/crop (from a decoded 92x112 "
                                + "grey image, resize included; PyTorch seed-tower reference, 1 thread NCHW: %.2f ms/crop)%n",
                        batch, Statistics.percentile(ms, 50) / batch, Statistics.percentile(ms, 90) / batch, ref);
            }
            if (memoryEmbeddings > 0) {
                memoryCheck(embedder, crops, memoryEmbeddings);
            }
        }
        System.out.printf("load average after: %s%n", loadAverage());
        return 0;
    }

    private static double seedTrainingStep(int steps) {
        TowerArchitecture arch = TowerArchitecture.seed();
        try (Model model = Model.newInstance("seed-benchmark", Device.cpu(), "PyTorch")) {
            model.setBlock(TowerBuilder.build(arch));
            ContrastiveLoss loss = ContrastiveLoss.pairs(3f);
            var config = new DefaultTrainingConfig(loss).optOptimizer(Adam.builder().build());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(TowerBuilder.inputShape(arch, 2));
                Random rng = new Random(1);
                double[] seconds = new double[steps];
                for (int s = -2; s < steps; s++) {
                    long t0 = System.nanoTime();
                    try (NDManager m = trainer.getManager().newSubManager()) {
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            var a = m.randomUniform(0, 1, TowerBuilder.inputShape(arch, 64));
                            var b = m.randomUniform(0, 1, TowerBuilder.inputShape(arch, 64));
                            float[] y = new float[64];
                            for (int i = 0; i < 64; i++) {
                                y[i] = rng.nextInt(2);
                            }
                            var o1 = trainer.forward(new NDList(a)).singletonOrThrow();
                            var o2 = trainer.forward(new NDList(b)).singletonOrThrow();
                            gc.backward(loss.evaluate(new NDList(m.create(y)), new NDList(o1, o2)));
                        }
                        trainer.step();
                    }
                    if (s >= 0) {
                        seconds[s] = (System.nanoTime() - t0) / 1e9;
                    }
                }
                return Statistics.percentile(seconds, 50);
            }
        }
    }

    private static double[] latencies(EmbeddingService embedder, List<FaceChip> crops, int batch, int runs) {
        List<FaceChip> input = crops.subList(0, batch);
        for (int i = 0; i < 20; i++) {
            embedder.embedBatch(input);
        }
        double[] ms = new double[runs];
        for (int r = 0; r < runs; r++) {
            long t0 = System.nanoTime();
            if (batch == 1) {
                embedder.embed(input.get(0));
            } else {
                embedder.embedBatch(input);
            }
            ms[r] = (System.nanoTime() - t0) / 1e6;
        }
        return ms;
    }

    private static void memoryCheck(EmbeddingService embedder, List<FaceChip> crops, int total) throws IOException {
        System.out.printf("resident memory over %d single embeddings (MB):", total);
        List<Long> samples = new ArrayList<>();
        for (int i = 0; i <= total; i++) {
            if (i % Math.max(1, total / 10) == 0) {
                long rss = residentMegabytes();
                samples.add(rss);
                System.out.printf(" %d", rss);
            }
            if (i < total) {
                embedder.embed(crops.get(i % crops.size()));
            }
        }
        System.out.printf("%n  growth from 10%% to 100%%: %d MB%n", samples.get(samples.size() - 1) - samples.get(1));
    }

    static long residentMegabytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return -1;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "n/a";
        }
    }

    /** Chips of random-noise 92x112 grey crops: the embedding cost without any photo. */
    private static List<FaceChip> randomChips(int count) {
        int width = FaceAligner.WIDTH;
        int height = FaceAligner.HEIGHT;
        Random rng = new Random(3);
        List<FaceChip> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            float[] p = new float[width * height];
            for (int j = 0; j < p.length; j++) {
                p[j] = rng.nextFloat();
            }
            out.add(FaceChips.fromLegacyCrop(new GreyImage(width, height, p)));
        }
        return out;
    }
}
