package io.faceroster.cli;

import ai.djl.Model;
import io.faceroster.FaceRosterApplication;
import io.faceroster.evaluation.Statistics;
import io.faceroster.identify.Recognizer;
import io.faceroster.imaging.FaceChip;
import io.faceroster.imaging.FaceChips;
import io.faceroster.imaging.FaceDetector;
import io.faceroster.imaging.ImageFiles;
import io.faceroster.imaging.ImagingProperties;
import io.faceroster.model.BackboneDescriptors;
import io.faceroster.model.EmbeddingService;
import io.faceroster.model.ModelDirectory;
import io.faceroster.model.ModelMetadata;
import io.faceroster.model.ModelStore;
import io.faceroster.model.TowerArchitecture;
import io.faceroster.model.TowerInput;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code benchmark --speed FACE}: what a face costs with the active model, for comparison with PyTorch running the
 * same network ({@code tools/reference/speed-ratio.sh} runs both in one go): the backbone alone (one forward pass,
 * no mirror image) per face at batch 1 and 8 on this thread, in wall and CPU time; the shipped tower per face; face
 * detection on a 640x480 photo; and HTTP identify with detection on that photo at concurrency 1 and 4. Prints one
 * JSON object last. Measures, asserts nothing.
 */
final class SpeedBenchmark {

    private SpeedBenchmark() {
    }

    static int run(Path store, Path face, int runs) throws Exception {
        BufferedImage photo = ImageFiles.read(face);
        BufferedImage canvas = canvas(photo, 640, 480);
        Path modelDir = Files.isRegularFile(store.resolve(ModelDirectory.METADATA_FILE)) ? store
                : ModelStore.activeDirectory(store);
        ModelMetadata metadata = ModelDirectory.readMetadata(modelDir);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", metadata.version());
        out.put("loadAverageBefore", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        FaceChip chip;
        double detectMs;
        try (FaceDetector detector = new FaceDetector(ImagingProperties.Detection.DEFAULT_MODEL,
                ImagingProperties.Detection.DEFAULT_MIN_SCORE)) {
            double[] ms = new double[runs];
            List<FaceDetector.Face> faces = List.of();
            for (int r = -10; r < runs; r++) {
                long t0 = System.nanoTime();
                faces = detector.detect(canvas);
                if (r >= 0) {
                    ms[r] = (System.nanoTime() - t0) / 1e6;
                }
            }
            if (faces.isEmpty()) {
                throw new IllegalArgumentException("no face found in " + face + " pasted on a 640x480 canvas");
            }
            chip = FaceChips.align(canvas, faces.get(0));
            detectMs = Statistics.percentile(ms, 50);
            out.put("detection640x480MedianMs", round(detectMs));
        }
        if (metadata.architecture().backboneLayers() > 0) {
            out.put("backbone", backbone(modelDir, metadata, chip, runs));
        }
        double embedMs;
        try (EmbeddingService tower = EmbeddingService.load(modelDir, "cpu")) {
            Map<String, Object> t = new LinkedHashMap<>();
            for (int batch : new int[] {1, 8}) {
                List<FaceChip> chips = Collections.nCopies(batch, chip);
                double[] ms = timed(runs, () -> {
                    if (batch == 1) {
                        tower.embed(chip);
                    } else {
                        tower.embedBatch(chips);
                    }
                });
                t.put("batch" + batch + "MedianMsPerFace", round(Statistics.percentile(ms, 50) / batch));
                t.put("batch" + batch + "P90MsPerFace", round(Statistics.percentile(ms, 90) / batch));
            }
            embedMs = (double) t.get("batch1MedianMsPerFace");
            out.put("tower", t);
        }
        out.put("http", http(store, jpeg(canvas), runs, detectMs + embedMs));
        out.put("loadAverageAfter", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        String json = JsonMapper.builder().build().writeValueAsString(out);
        System.out.println(json);
        return 0;
    }

    /** The backbone's forward pass alone, as PyTorch's reference runs it: wall and this thread's CPU time. */
    private static Map<String, Object> backbone(Path modelDir, ModelMetadata metadata, FaceChip chip, int runs)
            throws Exception {
        // One pass per face: the backbone without the mirror-image layers around it.
        TowerArchitecture single = metadata.architecture().singlePass();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<String, Object> b = new LinkedHashMap<>();
        try (Model model = ModelDirectory.loadWithHead(modelDir, metadata, single, ai.djl.Device.cpu())) {
            BackboneDescriptors descriptors = new BackboneDescriptors(model, single);
            float[] input = TowerInput.prepare(chip, single);
            for (int batch : new int[] {1, 8}) {
                List<float[]> inputs = Collections.nCopies(batch, input);
                double[] cpu = new double[runs];
                double[] ms = new double[runs];
                for (int r = -10; r < runs; r++) {
                    long c0 = threads.getCurrentThreadCpuTime();
                    long t0 = System.nanoTime();
                    descriptors.ofInputs(inputs);
                    if (r >= 0) {
                        ms[r] = (System.nanoTime() - t0) / 1e6 / batch;
                        cpu[r] = (threads.getCurrentThreadCpuTime() - c0) / 1e6 / batch;
                    }
                }
                b.put("batch" + batch + "MedianMsPerFace", round(Statistics.percentile(ms, 50)));
                b.put("batch" + batch + "P90MsPerFace", round(Statistics.percentile(ms, 90)));
                b.put("batch" + batch + "CpuMsPerFace", round(Statistics.percentile(cpu, 50)));
            }
        }
        return b;
    }

    private static Map<String, Object> http(Path store, byte[] jpeg, int runs, double detectPlusEmbedMs)
            throws Exception {
        String key = InProcessService.BENCHMARK_KEY;
        String[] args = InProcessService.serviceArguments(store);
        Map<String, Object> h = new LinkedHashMap<>();
        try (var context = SpringApplication.run(FaceRosterApplication.class, args)) {
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            IdentifyBenchmark.fill(context.getBean(Recognizer.class).active().supportSet(), 1000, 3, 1000);
            for (int concurrency : new int[] {1, 4}) {
                double[] r = IdentifyBenchmark.http(port, key, "", runs, concurrency, n -> jpeg);
                h.put("concurrency" + concurrency + "MedianMs", round(r[0]));
                h.put("concurrency" + concurrency + "P99Ms", round(r[1]));
            }
        }
        h.put("detectionPlusEmbeddingMs", round(detectPlusEmbedMs));
        h.put("medianOverDetectionPlusEmbedding", round((double) h.get("concurrency1MedianMs") / detectPlusEmbedMs));
        return h;
    }

    private static double[] timed(int runs, Runnable work) {
        double[] ms = new double[runs];
        for (int r = -10; r < runs; r++) {
            long t0 = System.nanoTime();
            work.run();
            if (r >= 0) {
                ms[r] = (System.nanoTime() - t0) / 1e6;
            }
        }
        return ms;
    }

    /** {@code photo} at half the canvas height, off-centre, on a grey canvas. */
    static BufferedImage canvas(BufferedImage photo, int width, int height) {
        BufferedImage canvas = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        g.setColor(Color.GRAY);
        g.fillRect(0, 0, width, height);
        int h = height / 2;
        int w = h * photo.getWidth() / photo.getHeight();
        g.drawImage(photo, width / 3, height / 4, w, h, null);
        g.dispose();
        return canvas;
    }

    static byte[] jpeg(BufferedImage image) throws java.io.IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpeg", out);
        return out.toByteArray();
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
