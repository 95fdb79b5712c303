package io.faceroster.cli;

import io.faceroster.FaceRosterApplication;
import io.faceroster.evaluation.Statistics;
import io.faceroster.identify.Recognizer;
import io.faceroster.imaging.DatasetPhotoAligner;
import io.faceroster.imaging.FaceDetector;
import io.faceroster.imaging.FaceChips;
import io.faceroster.imaging.ImagingProperties;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

/** {@code benchmark --detection FACE}: detection and alignment in-process, then whole identify requests. */
final class DetectionBenchmark {

    private DetectionBenchmark() {
    }

    /**
     * Detection and alignment of one pasted face on a small and a large canvas, in-process; then the whole
     * identify request with detection over HTTP (service in-process, 1,000 face samples enrolled).
     */
    static int run(Path store, Path face, int runs) throws Exception {
        java.awt.image.BufferedImage photo = javax.imageio.ImageIO.read(face.toFile());
        if (photo == null) {
            throw new IllegalArgumentException("not an image: " + face);
        }
        int[][] sizes = {{640, 480}, {1920, 1080}};
        List<byte[]> jpegs = new ArrayList<>();
        try (FaceDetector detector = new FaceDetector(DatasetPhotoAligner.DEFAULT_DETECTOR, ImagingProperties.Detection.DEFAULT_MIN_SCORE)) {
            for (int[] size : sizes) {
                java.awt.image.BufferedImage canvas = SpeedBenchmark.canvas(photo, size[0], size[1]);
                jpegs.add(SpeedBenchmark.jpeg(canvas));
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
        String[] args = InProcessService.serviceArguments(store);
        try (var context = SpringApplication.run(FaceRosterApplication.class, args)) {
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            IdentifyBenchmark.fill(context.getBean(Recognizer.class).active().supportSet(), 1000, 5, 1000);
            for (int i = 0; i < sizes.length; i++) {
                byte[] body = jpegs.get(i);
                double[] http = IdentifyBenchmark.http(port, InProcessService.BENCHMARK_KEY, "", runs, n -> body);
                System.out.printf("HTTP identify with detection, %dx%d JPEG (%,d bytes), 1,000 face samples: median "
                        + "%.1f ms, p99 %.1f ms (concurrency 1)%n", sizes[i][0], sizes[i][1], body.length, http[0],
                        http[1]);
            }
            double[] whole = IdentifyBenchmark.http(port, InProcessService.BENCHMARK_KEY, "?detect=false", runs,
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
            byte[] groupJpeg = SpeedBenchmark.jpeg(group);
            double[] all = IdentifyBenchmark.http(port, InProcessService.BENCHMARK_KEY, "?all=true", Math.max(20, runs / 5),
                    n -> groupJpeg);
            int found;
            try (FaceDetector detector = new FaceDetector(DatasetPhotoAligner.DEFAULT_DETECTOR, ImagingProperties.Detection.DEFAULT_MIN_SCORE)) {
                found = detector.detectWithTiles(group).size();
            }
            System.out.printf("HTTP identify all=true, 1920x1080 group photo with 4 faces of %d px (whole pass + "
                    + "tiles, %d found): median %.1f ms, p99 %.1f ms%n", fh, found, all[0], all[1]);
        }
        return 0;
    }

    /** The jar's arguments for this command: {@code benchmark} and its options. */
}
