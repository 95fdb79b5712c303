package io.faceroster.cli;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.optimizer.Adam;
import io.faceroster.FaceRosterApplication;
import io.faceroster.evaluation.Statistics;
import io.faceroster.identify.Recognizer;
import io.faceroster.identify.SupportSet;
import io.faceroster.imaging.Alignment;
import io.faceroster.imaging.FaceAligner;
import io.faceroster.imaging.FaceDetector;
import io.faceroster.imaging.FaceChip;
import io.faceroster.imaging.FaceChips;
import io.faceroster.imaging.GreyImage;
import io.faceroster.imaging.ImagingProperties;
import io.faceroster.model.DjlRuntime;
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
import java.util.Set;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

/**
 * {@code benchmark}: training step time of the {@code seed} architecture at batch 64, embedding latency of
 * a model at batch 1 and 32, and resident memory across many embeddings. Prints figures; asserts nothing.
 */
final class BenchmarkCommand {

    static final String USAGE = """
            benchmark [options]
              --model DIR          model directory or store for the latency runs (default models)
              --threads N          intra-op threads (default 1)
              --train-steps N      measured seed training steps after 2 warm-up steps (default 6)
              --runs N             measured forward passes per latency setting (default 200)
              --memory-embeddings N  embeddings for the resident-memory check (default 20000; 0 skips)
              --identify           instead: identify latency (matching alone and full HTTP requests) with
                                   100, 10,000 and 100,000 enrolled face samples (5 shots per employee)
              --samples N          with --identify: instead matching alone at N synthetic samples (no
                                   service): int8 first pass + exact re-rank vs the float32 scan, top-1
                                   agreement, index bytes per sample (docs/scale-out.md)
              --shots N            with --samples: shots per employee (default 1)
              --agreement-queries N  with --samples: random queries checked against the scan (default 10000)
              --json               with --samples: one JSON object
              --speed FACE         instead: the active model's cost per face (backbone alone at batch 1
                                   and 8 in wall and CPU time, the tower, detection at 640x480) and
                                   HTTP identify with detection at concurrency 1 and 4, as one JSON
                                   object (tools/reference/speed-ratio.sh compares it with PyTorch)
              --detection FACE     instead: face detection + alignment time on 640x480 and 1920x1080
                                   canvases with the image FACE pasted in (e.g. an ORL .pgm), then full
                                   HTTP identify requests with detection on JPEGs of both canvases
            """;

    // PyTorch 1.13 reference figures from PROTOCOL.md (idle 2-core machine).
    private static final double REF_STEP_1T_CHANNELS_LAST = 1.334;
    private static final double REF_STEP_1T_NCHW = 2.607;
    private static final double REF_INFER_B1_1T = 4.44;
    private static final double REF_INFER_B32_1T = 7.3;

    private BenchmarkCommand() {
    }

    static int run(String[] args) throws Exception {
        var relaunched = VectorModuleRelaunch.ifNeeded(prefixed(args));
        if (relaunched.isPresent()) {
            return relaunched.get();
        }
        CommandLine cl = new CommandLine(args, Set.of("identify", "json"));
        int threads = cl.getInt("threads", 1);
        DjlRuntime.configure(cl.path("djl-cache", null), threads);
        Path modelPath = cl.path("model", "models");
        int trainSteps = cl.getInt("train-steps", 6);
        int runs = cl.getInt("runs", 200);
        int memoryEmbeddings = cl.getInt("memory-embeddings", 20000);
        boolean identify = cl.flag("identify");
        Path detectionFace = cl.path("detection", null);
        Path speedFace = cl.path("speed", null);
        int samples = cl.getInt("samples", 0);
        int shots = cl.getInt("shots", 1);
        int agreementQueries = cl.getInt("agreement-queries", 10_000);
        boolean json = cl.flag("json");
        cl.rejectUnknown();
        if (identify && samples > 0) {
            return ScaleBenchmark.run(samples, shots, Math.max(runs, 500), agreementQueries, json);
        }
        if (speedFace != null) {
            return SpeedBenchmark.run(modelPath, speedFace, runs);
        }
        if (identify) {
            return identifyLatency(modelPath, runs);
        }
        if (detectionFace != null) {
            return detectionLatency(modelPath, detectionFace, runs);
        }

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

    /**
     * Starts the service in-process (in-memory H2), fills its support set with synthetic embeddings and
     * measures matching alone and full identify requests at each size.
     */
    private static int identifyLatency(Path store, int runs) throws Exception {
        String[] args = serviceArguments(store);
        try (var context = SpringApplication.run(FaceRosterApplication.class, args)) {
            int port = ((WebServerApplicationContext) context)
                    .getWebServer().getPort();
            var support = context.getBean(Recognizer.class).active().supportSet();
            int filled = 0;
            for (int size : new int[] {100, 10_000, 100_000}) {
                IdentifyBenchmark.fill(support, size - filled, 5, size);
                filled = size;
                double[] match = IdentifyBenchmark.matching(support, Math.max(runs, 500));
                double[] http = IdentifyBenchmark.http(port, BENCHMARK_KEY, "?detect=false", runs,
                        IdentifyBenchmark::noisePng);
                System.out.printf("%,7d face samples (%,6d employees): matching median %.3f ms, p99 %.3f ms; "
                                + "HTTP identify (92x112 PNG, detect=false) median %.1f ms, p99 %.1f ms (concurrency 1)%n",
                        support.shotCount(),
                        support.employeeCount(), match[0], match[1], http[0], http[1]);
            }
            // Worst case for matching: one shot per employee, so every sample is its own prototype.
            var singles = new SupportSet("benchmark", support.dimension());
            IdentifyBenchmark.fill(singles, 100_000, 1, 1);
            double[] match = IdentifyBenchmark.matching(singles, Math.max(runs, 500));
            System.out.printf("%,7d face samples (%,6d employees, 1 shot each): matching median %.3f ms, p99 %.3f ms%n",
                    singles.shotCount(), singles.employeeCount(), match[0], match[1]);
        }
        return 0;
    }

    /**
     * Detection and alignment of one pasted face on a small and a large canvas, in-process; then the whole
     * identify request with detection over HTTP (service in-process, 1,000 face samples enrolled).
     */
    private static int detectionLatency(Path store, Path face, int runs) throws Exception {
        java.awt.image.BufferedImage photo = javax.imageio.ImageIO.read(face.toFile());
        if (photo == null) {
            throw new IllegalArgumentException("not an image: " + face);
        }
        int[][] sizes = {{640, 480}, {1920, 1080}};
        List<byte[]> jpegs = new ArrayList<>();
        try (FaceDetector detector = new FaceDetector(Alignment.DEFAULT_DETECTOR, ImagingProperties.Detection.DEFAULT_MIN_SCORE)) {
            for (int[] size : sizes) {
                java.awt.image.BufferedImage canvas = canvas(photo, size[0], size[1]);
                jpegs.add(jpeg(canvas));
                double[] detect = new double[runs];
                double[] align = new double[runs];
                int found = 0;
                for (int r = -10; r < runs; r++) {
                    long t0 = System.nanoTime();
                    var faces = detector.detect(canvas);
                    long t1 = System.nanoTime();
                    if (!faces.isEmpty()) {
                        FaceChips.align(canvas, faces.get(0));
                    }
                    long t2 = System.nanoTime();
                    if (r >= 0) {
                        detect[r] = (t1 - t0) / 1e6;
                        align[r] = (t2 - t1) / 1e6;
                        found += faces.isEmpty() ? 0 : 1;
                    }
                }
                System.out.printf("%dx%d: detection median %.2f ms (p90 %.2f), alignment median %.2f ms; face found in "
                                + "%d/%d runs%n", size[0], size[1], Statistics.percentile(detect, 50),
                        Statistics.percentile(detect, 90), Statistics.percentile(align, 50), found, runs);
            }
        }
        String[] args = serviceArguments(store);
        try (var context = SpringApplication.run(FaceRosterApplication.class, args)) {
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            IdentifyBenchmark.fill(context.getBean(Recognizer.class).active().supportSet(), 1000, 5, 1000);
            for (int i = 0; i < sizes.length; i++) {
                byte[] body = jpegs.get(i);
                double[] http = IdentifyBenchmark.http(port, BENCHMARK_KEY, "", runs, n -> body);
                System.out.printf("HTTP identify with detection, %dx%d JPEG (%,d bytes), 1,000 face samples: median "
                        + "%.1f ms, p99 %.1f ms (concurrency 1)%n", sizes[i][0], sizes[i][1], body.length, http[0],
                        http[1]);
            }
            double[] whole = IdentifyBenchmark.http(port, BENCHMARK_KEY, "?detect=false", runs,
                    IdentifyBenchmark::noisePng);
            System.out.printf("HTTP identify without detection, 92x112 PNG, 1,000 face samples: median %.1f ms, "
                    + "p99 %.1f ms%n", whole[0], whole[1]);
            // A group photo: four copies of the face at a sixth of the height, found through the tiles.
            var group = new java.awt.image.BufferedImage(1920, 1080, java.awt.image.BufferedImage.TYPE_INT_RGB);
            var g = group.createGraphics();
            g.setColor(java.awt.Color.GRAY);
            g.fillRect(0, 0, 1920, 1080);
            int fh = 1080 / 6;
            int fw = fh * photo.getWidth() / photo.getHeight();
            for (int i = 0; i < 4; i++) {
                g.drawImage(photo, 200 + i * 430, 300 + (i % 2) * 250, fw, fh, null);
            }
            g.dispose();
            byte[] groupJpeg = jpeg(group);
            double[] all = IdentifyBenchmark.http(port, BENCHMARK_KEY, "?all=true", Math.max(20, runs / 5),
                    n -> groupJpeg);
            int found;
            try (FaceDetector detector = new FaceDetector(Alignment.DEFAULT_DETECTOR, ImagingProperties.Detection.DEFAULT_MIN_SCORE)) {
                found = detector.detectWithTiles(group).size();
            }
            System.out.printf("HTTP identify all=true, 1920x1080 group photo with 4 faces of %d px (whole pass + "
                    + "tiles, %d found): median %.1f ms, p99 %.1f ms%n", fh, found, all[0], all[1]);
        }
        return 0;
    }

    /** The jar's arguments for this command: {@code benchmark} and its options. */
    private static String[] prefixed(String[] args) {
        String[] out = new String[args.length + 1];
        out[0] = "benchmark";
        System.arraycopy(args, 0, out, 1, args.length);
        return out;
    }

    /** A key made up for this run only, for the in-process service (no rate limit). */
    private static final String BENCHMARK_KEY = "benchmark-" + java.util.UUID.randomUUID();

    /** The in-process service for the HTTP benchmarks: in-memory H2, one identify key, no rate limit. */
    private static String[] serviceArguments(Path store) {
        return new String[] {"--server.port=0", "--spring.datasource.url=jdbc:h2:mem:benchmark",
                "--faceroster.model.store=" + store, "--logging.level.root=WARN",
                "--faceroster.security.api-keys[0].id=benchmark", "--faceroster.security.api-keys[0].key=" + BENCHMARK_KEY,
                "--faceroster.security.api-keys[0].roles=identify", "--faceroster.security.rate-limit.requests-per-minute=0"};
    }

    /** {@code photo} pasted at half the canvas height, off-centre, on a grey canvas. */
    private static java.awt.image.BufferedImage canvas(java.awt.image.BufferedImage photo, int width, int height) {
        var canvas = new java.awt.image.BufferedImage(width, height, java.awt.image.BufferedImage.TYPE_INT_RGB);
        var g = canvas.createGraphics();
        g.setColor(java.awt.Color.GRAY);
        g.fillRect(0, 0, width, height);
        int h = height / 2;
        int w = h * photo.getWidth() / photo.getHeight();
        g.drawImage(photo, width / 3, height / 4, w, h, null);
        g.dispose();
        return canvas;
    }

    private static byte[] jpeg(java.awt.image.BufferedImage image) throws IOException {
        var out = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(image, "jpeg", out);
        return out.toByteArray();
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
