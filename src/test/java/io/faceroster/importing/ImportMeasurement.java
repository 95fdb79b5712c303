package io.faceroster.importing;

import static org.assertj.core.api.Assertions.assertThat;

import io.faceroster.testsupport.ApiClient;
import io.faceroster.testsupport.RunningApp;
import io.faceroster.testsupport.TestImages;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Not a test: issue 15's figures. N employees x 3 drawn 640x480 JPEGs, sent once as one import and once as one
 * request per employee (create with consent, then enrol three photos with detection) from one client, against the
 * same service in this JVM; prints both wall times, photos per second, their ratio and the peak heap during the
 * import (sampled every 20 ms). Run with {@code -Dfaceroster.measure.import-employees=1000}.
 */
class ImportMeasurement {

    @TempDir
    Path dir;

    @Test
    @EnabledIfSystemProperty(named = "faceroster.measure.import-employees", matches = "\\d+")
    void importVersusOneRequestPerEmployee() throws Exception {
        int n = Integer.parseInt(System.getProperty("faceroster.measure.import-employees"));
        Path zip = dir.resolve("badges.zip");
        List<byte[][]> perEmployee = new ArrayList<>();
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
            for (int e = 0; e < n; e++) {
                byte[][] photos = new byte[3][];
                for (int s = 0; s < 3; s++) {
                    photos[s] = TestImages.photo(10_000 + e, s);
                    z.putNextEntry(new ZipEntry("imp" + e + "/" + s + ".jpg"));
                    z.write(photos[s]);
                    z.closeEntry();
                }
                perEmployee.add(photos);
            }
        }
        System.out.printf("archive: %d employees, %d photos, %,d bytes; max heap %d MB; processors %d; load %s%n",
                n, 3 * n, Files.size(zip), Runtime.getRuntime().maxMemory() >> 20,
                Runtime.getRuntime().availableProcessors(), load());
        try (RunningApp app = RunningApp.start(Map.of("spring.datasource.url", "jdbc:h2:file:" + dir.resolve("db"),
                "faceroster.import.folder", dir.resolve("imports").toString(), "logging.level.root", "WARN"))) {
            ApiClient hr = new ApiClient(app.port(), ApiClient.ENROLL_KEY);
            long t0 = System.nanoTime();
            for (int e = 0; e < n; e++) {
                var created = hr.postJson("/api/v1/employees", "{\"employeeId\":\"req" + e + "\",\"displayName\":\"R"
                        + e + "\",\"consent\":{\"reference\":\"HR-measure\"}}");
                assertThat(created.status()).as(created.text()).isEqualTo(201);
                byte[][] photos = perEmployee.get(e);
                var enrolled = hr.multipart("/api/v1/employees/req" + e + "/faces", List.of(
                        ApiClient.Part.image("0.jpg", photos[0]), ApiClient.Part.image("1.jpg", photos[1]),
                        ApiClient.Part.image("2.jpg", photos[2])));
                assertThat(enrolled.status()).as(enrolled.text()).isIn(201, 422);
            }
            double requests = (System.nanoTime() - t0) / 1e9;
            System.out.printf("one request per employee: %.1f s, %.1f photos/s (load %s)%n", requests,
                    3.0 * n / requests, load());

            AtomicLong peak = new AtomicLong();
            Thread sampler = new Thread(() -> {
                var memory = ManagementFactory.getMemoryMXBean();
                while (!Thread.currentThread().isInterrupted()) {
                    peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException ex) {
                        return;
                    }
                }
            });
            System.gc();
            long heapBefore = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            sampler.start();
            long t1 = System.nanoTime();
            String boundary = "----measure";
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:"
                            + app.port() + "/api/v1/admin/imports?consentReference=HR-measure"))
                    .header("X-API-Key", ApiClient.ENROLL_KEY)
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.concat(HttpRequest.BodyPublishers.ofByteArray(("--" + boundary
                                    + "\r\nContent-Disposition: form-data; name=\"archive\"; filename=\"badges.zip\"\r\n"
                                    + "\r\n").getBytes(StandardCharsets.UTF_8)), HttpRequest.BodyPublishers.ofFile(zip),
                            HttpRequest.BodyPublishers.ofByteArray(("\r\n--" + boundary + "--\r\n")
                                    .getBytes(StandardCharsets.UTF_8)))).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            JsonNode done = ImportApiTest.awaitEnd(hr, tools.jackson.databind.json.JsonMapper.builder().build()
                    .readTree(r.body()).get("importId").asString(), 3_600_000);
            double imported = (System.nanoTime() - t1) / 1e9;
            sampler.interrupt();
            System.out.printf("one import: %.1f s, %.1f photos/s (load %s); %s%n", imported, 3.0 * n / imported,
                    load(), done.get("progress"));
            System.out.printf("ratio (requests / import wall time): %.2f; heap before the import %d MB, peak during it "
                    + "%d MB%n", requests / imported, heapBefore >> 20, peak.get() >> 20);
        }
    }

    private static String load() {
        return String.format("%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
}
