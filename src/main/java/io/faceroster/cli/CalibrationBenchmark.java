package io.faceroster.cli;

import io.faceroster.FaceRosterApplication;
import io.faceroster.evaluation.Statistics;
import io.faceroster.identify.Recognizer;
import io.faceroster.identify.SupportSet;
import io.faceroster.identify.SupportSetSnapshot;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

/**
 * {@code calibrate --benchmark}: the calibration report and gallery health over HTTP on a service (in-process,
 * in-memory H2) whose support set holds synthetic embeddings, while a client keeps sending identify requests;
 * identify latency before and during; and the impostor pass against the one-query matching loop
 * ({@link SupportSet#nearest}) on a sample of the same queries, as the in-run reference. Prints, asserts nothing.
 */
final class CalibrationBenchmark {

    private static final String ADMIN = "bench-admin-" + UUID.randomUUID();
    private static final String DOOR = "bench-door-" + UUID.randomUUID();

    private CalibrationBenchmark() {
    }

    static int run(Path store, int employees, int shots, int threads, boolean health) throws Exception {
        String[] args = {"--server.port=0", "--spring.datasource.url=jdbc:h2:mem:calibration-benchmark",
                "--faceroster.model.seed=" + store, "--logging.level.root=WARN",
                "--faceroster.calibration.threads=" + threads,
                "--faceroster.security.api-keys[0].id=bench-admin", "--faceroster.security.api-keys[0].key=" + ADMIN,
                "--faceroster.security.api-keys[0].roles=admin",
                "--faceroster.security.api-keys[1].id=bench-door", "--faceroster.security.api-keys[1].key=" + DOOR,
                "--faceroster.security.api-keys[1].roles=identify",
                "--faceroster.security.rate-limit.requests-per-minute=0"};
        System.out.printf("load average before: %s; processors %d; calibration threads %s%n", loadAverage(),
                Runtime.getRuntime().availableProcessors(), threads == 0 ? "default (processors - 1)" : threads);
        try (var context = SpringApplication.run(FaceRosterApplication.class, args)) {
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            SupportSet set = context.getBean(Recognizer.class).active().supportSet();
            IdentifyBenchmark.fill(set, employees * shots, shots, 1);
            System.out.printf("support set: %,d employees x %d = %,d face samples (synthetic unit vectors, %d-d)%n",
                    set.employeeCount(), shots, set.shotCount(), set.dimension());

            double[] idle = IdentifyBenchmark.http(port, DOOR, "?detect=false", 100, IdentifyBenchmark::noisePng);
            HttpClient client = HttpClient.newHttpClient();
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService pool = Executors.newSingleThreadExecutor();
            Future<List<Double>> during = pool.submit(() -> {
                List<Double> ms = new ArrayList<>();
                int i = 0;
                while (!stop.get()) {
                    byte[] png = IdentifyBenchmark.noisePng(i++);
                    long t0 = System.nanoTime();
                    IdentifyBenchmark.http(port, DOOR, "?detect=false", 1, n -> png);
                    ms.add((System.nanoTime() - t0) / 1e6);
                }
                return ms;
            });
            long t0 = System.nanoTime();
            int status = get(client, port, "/api/v1/admin/calibration");
            double reportSeconds = (System.nanoTime() - t0) / 1e9;
            stop.set(true);
            List<Double> busy = during.get();
            pool.shutdown();
            long t1 = System.nanoTime();
            int healthStatus = health ? get(client, port, "/api/v1/admin/gallery/health") : 0;
            double healthSeconds = (System.nanoTime() - t1) / 1e9;
            long t2 = System.nanoTime();
            int plotStatus = get(client, port, "/api/v1/admin/calibration/plot");
            double plotSeconds = (System.nanoTime() - t2) / 1e9;
            double[] busyMs = busy.stream().mapToDouble(Double::doubleValue).toArray();
            System.out.printf("GET /api/v1/admin/calibration (%d): %.2f s, first call (computes the evidence)%n", status,
                    reportSeconds);
            System.out.printf("identify while it ran: %d requests answered, median %.1f ms, p99 %.1f ms (idle before: "
                            + "median %.1f ms, p99 %.1f ms) (1 client, HTTP, 92x112 PNG, detect=false)%n", busyMs.length,
                    busyMs.length == 0 ? Double.NaN : Statistics.percentile(busyMs, 50),
                    busyMs.length == 0 ? Double.NaN : Statistics.percentile(busyMs, 99), idle[0], idle[1]);
            if (health) {
                System.out.printf("GET /api/v1/admin/gallery/health (%d): %.2f s (every sample's impostor pass, then "
                        + "%,d x %,d prototype pairs)%n", healthStatus, healthSeconds, set.employeeCount(),
                        set.employeeCount());
            }
            System.out.printf("GET /api/v1/admin/calibration/plot (%d): %.2f s%n", plotStatus, plotSeconds);
            reference(set, threads);
        }
        System.out.printf("load average after: %s%n", loadAverage());
        return 0;
    }

    /** The impostor pass on 2,000 samples: batch routine against one nearest() call per sample. */
    private static void reference(SupportSet set, int threads) {
        SupportSetSnapshot snap = set.snapshot();
        int n = Math.min(2000, snap.shotCount());
        float[][] queries = new float[n][];
        int[] own = new int[n];
        int step = Math.max(1, snap.shotCount() / n);
        int row = 0;
        for (int i = 0; i < n; i++) {
            int shot = i * step;
            while (snap.firstShot(row + 1) <= shot) {
                row++;
            }
            queries[i] = snap.shot(shot);
            own[i] = row;
        }
        snap.nearestOthers(queries, own, 1);   // warm-up
        long t0 = System.nanoTime();
        snap.nearestOthers(queries, own, 1);
        double batch = (System.nanoTime() - t0) / 1e9;
        long t1 = System.nanoTime();
        for (float[] q : queries) {
            set.nearest(q, 2);
        }
        double single = (System.nanoTime() - t1) / 1e9;
        System.out.printf("impostor pass on %,d samples, 1 thread: batch routine %.2f s, SupportSet.nearest per sample "
                        + "%.2f s (reference, same run): %.1fx faster; extrapolated to all %,d samples: %.1f s and %.1f s%n",
                n, batch, single, single / batch, snap.shotCount(), batch * snap.shotCount() / n,
                single * snap.shotCount() / n);
    }

    private static int get(HttpClient client, int port, String path) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).header("X-API-Key", ADMIN)
                .GET().build();
        return client.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "n/a";
        }
    }
}
