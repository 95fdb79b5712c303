package io.faceroster.cli;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.SpringApplication;
import java.nio.file.Path;
import io.faceroster.identify.Recognizer;
import io.faceroster.FaceRosterApplication;
import io.faceroster.evaluation.Statistics;
import io.faceroster.identify.SupportSet;
import io.faceroster.imaging.FaceAligner;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.IntFunction;
import javax.imageio.ImageIO;

/**
 * Identify latency at growing support-set sizes: matching alone (synthetic unit embeddings) and, given a
 * running service, the full HTTP request (decode + crop + embed + match). Used by the {@code benchmark}
 * command; prints figures, asserts nothing.
 */
public final class IdentifyBenchmark {

    private IdentifyBenchmark() {
    }

    /**
     * Starts the service in-process (in-memory H2), fills its support set with synthetic embeddings and
     * measures matching alone and full identify requests at each size.
     */
    static int latency(Path store, int runs) throws Exception {
        String[] args = InProcessService.serviceArguments(store);
        try (var context = SpringApplication.run(FaceRosterApplication.class, args)) {
            int port = ((WebServerApplicationContext) context)
                    .getWebServer().getPort();
            var support = context.getBean(Recognizer.class).active().supportSet();
            int filled = 0;
            for (int size : new int[] {100, 10_000, 100_000}) {
                fill(support, size - filled, 5, size);
                filled = size;
                double[] match = matching(support, Math.max(runs, 500));
                double[] http = http(port, InProcessService.BENCHMARK_KEY, "?detect=false", runs,
                        IdentifyBenchmark::noisePng);
                System.out.printf("%,7d face samples (%,6d employees): matching median %.3f ms, p99 %.3f ms; "
                                + "HTTP identify (92x112 PNG, detect=false) median %.1f ms, p99 %.1f ms (concurrency 1)%n",
                        support.shotCount(),
                        support.employeeCount(), match[0], match[1], http[0], http[1]);
            }
            // Worst case for matching: one shot per employee, so every sample is its own prototype.
            var singles = new SupportSet("benchmark", support.dimension());
            fill(singles, 100_000, 1, 1);
            double[] match = matching(singles, Math.max(runs, 500));
            System.out.printf("%,7d face samples (%,6d employees, 1 shot each): matching median %.3f ms, p99 %.3f ms%n",
                    singles.shotCount(), singles.employeeCount(), match[0], match[1]);
        }
        return 0;
    }

    /** Fills a support set with {@code samples} synthetic shots, {@code shotsPerEmployee} per employee. */
    public static void fill(SupportSet set, int samples, int shotsPerEmployee, long seed) {
        Random rng = new Random(seed);
        int employees = Math.max(1, samples / shotsPerEmployee);
        for (int e = 0; e < employees; e++) {
            List<SupportSet.Shot> shots = new ArrayList<>();
            for (int s = 0; s < shotsPerEmployee; s++) {
                shots.add(new SupportSet.Shot(UUID.randomUUID(), randomUnit(rng, set.dimension())));
            }
            set.add("bench-" + seed + "-" + e, "Bench " + e, shots);
        }
    }

    /** Median and p99 in ms of {@code runs} calls of matching a random query against the set. */
    public static double[] matching(SupportSet set, int runs) {
        Random rng = new Random(7);
        for (int i = 0; i < 50; i++) {
            set.nearest(randomUnit(rng, set.dimension()), 3);
        }
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            float[] q = randomUnit(rng, set.dimension());
            long t0 = System.nanoTime();
            set.nearest(q, 3);
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        return new double[] {Statistics.percentile(ms, 50), Statistics.percentile(ms, 99)};
    }

    /**
     * Median and p99 in ms of sequential identify requests, each with a different image; {@code query} is
     * appended to the path (e.g. {@code ?detect=false}).
     */
    public static double[] http(int port, String apiKey, String query, int runs, IntFunction<byte[]> images)
            throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        for (int i = 0; i < 20; i++) {
            post(client, port, apiKey, query, images.apply(i));
        }
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            byte[] image = images.apply(i);
            long t0 = System.nanoTime();
            int status = post(client, port, apiKey, query, image);
            ms[i] = (System.nanoTime() - t0) / 1e6;
            if (status != 200) {
                throw new IllegalStateException("identify answered " + status);
            }
        }
        return new double[] {Statistics.percentile(ms, 50), Statistics.percentile(ms, 99)};
    }

    /**
     * Median and p99 latency of {@code runs} identify requests sent by {@code concurrency} clients at once (each
     * sends its share back to back), after a warm-up.
     */
    public static double[] http(int port, String apiKey, String query, int runs, int concurrency,
                                IntFunction<byte[]> images) throws Exception {
        if (concurrency == 1) {
            return http(port, apiKey, query, runs, images);
        }
        HttpClient client = HttpClient.newHttpClient();
        for (int i = 0; i < 20; i++) {
            post(client, port, apiKey, query, images.apply(i));
        }
        double[] ms = new double[runs];
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(concurrency);
        try {
            List<java.util.concurrent.Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < concurrency; c++) {
                int first = c;
                clients.add(pool.submit(() -> {
                    for (int i = first; i < runs; i += concurrency) {
                        long t0 = System.nanoTime();
                        int status = post(client, port, apiKey, query, images.apply(i));
                        ms[i] = (System.nanoTime() - t0) / 1e6;
                        if (status != 200) {
                            throw new IllegalStateException("identify answered " + status);
                        }
                    }
                    return null;
                }));
            }
            for (var f : clients) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return new double[] {Statistics.percentile(ms, 50), Statistics.percentile(ms, 99)};
    }

    private static int post(HttpClient client, int port, String apiKey, String query, byte[] image)
            throws Exception {
        String boundary = "bench" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"q.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(image);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/identify" + query))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .header("X-API-Key", apiKey)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
        return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** A PNG of a random-noise 92x112 grey image: the decode/crop/embed path at ORL size, without detection. */
    public static byte[] noisePng(int i) {
        Random rng = new Random(i);
        BufferedImage image = new BufferedImage(FaceAligner.WIDTH, FaceAligner.HEIGHT, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int v = rng.nextInt(256);
                image.setRGB(x, y, (v << 16) | (v << 8) | v);
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return png.toByteArray();
    }

    /** A random unit vector: a Gaussian sample scaled to length 1 (also what the support-set tests draw). */
    public static float[] randomUnit(Random rng, int dim) {
        float[] v = new float[dim];
        double n = 0;
        for (int i = 0; i < dim; i++) {
            v[i] = (float) rng.nextGaussian();
            n += v[i] * v[i];
        }
        float inv = (float) (1 / Math.sqrt(n));
        for (int i = 0; i < dim; i++) {
            v[i] *= inv;
        }
        return v;
    }
}
