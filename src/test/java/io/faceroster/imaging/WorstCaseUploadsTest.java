package io.faceroster.imaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.faceroster.testsupport.ApiClient;
import io.faceroster.testsupport.AttackImages;
import io.faceroster.testsupport.DrawnFaces;
import io.faceroster.testsupport.ForkedApp;
import io.faceroster.testsupport.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, items 1 and 2, end to end: the service in its own JVM with a 512 MiB heap receives the review's worst
 * images all at once (thin tall PNGs with and without detection, WebPs declaring 6000 x 6000 pixels, 16-bit RGBA
 * PNGs, and the largest photos the limits let through, which are subsampled while decoding). Every attack is
 * answered with a 4xx, nothing with a 5xx, and the service stays alive and healthy. Prints the peak heap seen by
 * the garbage collector and the peak resident memory of the process.
 */
class WorstCaseUploadsTest {

    @TempDir
    static Path dir;

    static ForkedApp app;

    @BeforeAll
    static void start() throws Exception {
        app = ForkedApp.start(List.of("-Xmx512m", "-Xlog:gc:file=" + dir.resolve("gc.log")),
                Map.of("spring.datasource.url", "jdbc:h2:file:" + dir.resolve("db").toAbsolutePath()),
                dir.resolve("service.log"));
        assertThat(app.api().createEmployee("target", "Target").status()).isEqualTo(201);
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) {
            app.close();
        }
    }

    private record Attack(String name, boolean mustRefuse, Callable<Integer> send) {
    }

    @Test
    void worstImagesInParallelGetOnly4xxAndTheServiceSurvives() throws Exception {
        ApiClient door = app.api(ApiClient.IDENTIFY_KEY);
        ApiClient hr = app.api(ApiClient.ENROLL_KEY);
        byte[] strip5m = AttackImages.greyPng(1, 5_000_000);
        byte[] strip10m = AttackImages.greyPng(1, 10_000_000);
        byte[] strip40m = AttackImages.greyPng(1, 40_000_000);
        byte[] tinyWebp = AttackImages.tinyWebpDeclaring(6000, 6000);
        byte[] patchedWebp = AttackImages.webpDeclaring(6000, 6000);
        byte[] deep = AttackImages.rgba16Png(6324, 6324);
        byte[] deepSmall = AttackImages.rgba16Png(3000, 3000);
        byte[] large = TestImages.encode(DrawnFaces.photo(1, 6000, 6000,
                new DrawnFaces.Placement(3000, 3000, 2000, 0)), "jpeg");
        String identifyWhole = "/api/v1/identify?detect=false";
        String identify = "/api/v1/identify";
        String enrolWhole = "/api/v1/employees/target/faces?detect=false";
        List<Attack> attacks = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            attacks.add(new Attack("1x10M png detect=false", true, () -> door.image(identifyWhole, "s.png", strip10m).status()));
        }
        attacks.add(new Attack("1x40M png detect=false", true, () -> door.image(identifyWhole, "s.png", strip40m).status()));
        attacks.add(new Attack("1x5M png detect=false", true, () -> door.image(identifyWhole, "s.png", strip5m).status()));
        attacks.add(new Attack("1x5M png enrol", true, () -> hr.image(enrolWhole, "s.png", strip5m).status()));
        for (int i = 0; i < 40; i++) {
            attacks.add(new Attack("56-byte webp 6000x6000", true, () -> door.image(identify, "w.webp", tinyWebp).status()));
        }
        for (int i = 0; i < 20; i++) {
            attacks.add(new Attack("patched webp 6000x6000", true, () -> door.image(identify, "w.webp", patchedWebp).status()));
        }
        for (int i = 0; i < 4; i++) {
            attacks.add(new Attack("16-bit rgba png 6324x6324", true, () -> door.image(identify, "d.png", deep).status()));
        }
        for (int i = 0; i < 4; i++) {
            attacks.add(new Attack("16-bit rgba png 3000x3000", false, () -> door.image(identifyWhole, "d.png", deepSmall).status()));
        }
        for (int i = 0; i < 6; i++) {
            attacks.add(new Attack("6000x6000 jpeg", false, () -> door.image(identify, "l.jpg", large).status()));
        }
        long rssBefore = app.procStatusKiB("VmHWM");
        ExecutorService pool = Executors.newFixedThreadPool(attacks.size());
        Map<String, Map<Integer, Integer>> outcomes = new TreeMap<>();
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (Attack a : attacks) {
                results.add(pool.submit(a.send()));
            }
            for (int i = 0; i < attacks.size(); i++) {
                Attack a = attacks.get(i);
                int status = results.get(i).get(10, TimeUnit.MINUTES);
                outcomes.computeIfAbsent(a.name(), k -> new TreeMap<>()).merge(status, 1, Integer::sum);
                assertThat(status).as(a.name()).isLessThan(500);
                if (a.mustRefuse()) {
                    assertThat(status).as(a.name()).isBetween(400, 499);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        long rssAfter = app.procStatusKiB("VmHWM");
        System.out.printf("worst-case uploads (%d in parallel, -Xmx512m): %s%n", attacks.size(), outcomes);
        System.out.printf("peak heap after GC logs: %d MiB of 512; peak resident memory: %d MiB before the attacks,"
                + " %d MiB after%n", peakHeapMiB(dir.resolve("gc.log")), rssBefore / 1024, rssAfter / 1024);
        assertThat(app.isAlive()).isTrue();
        assertThat(app.api().get("/actuator/health").status()).isEqualTo(200);
        assertThat(app.log()).doesNotContain("OutOfMemoryError");
    }

    /** The largest heap occupancy before a collection in a {@code -Xlog:gc} file ("123M->45M(512M)"). */
    static long peakHeapMiB(Path gcLog) throws Exception {
        Matcher m = Pattern.compile("(\\d+)M->(\\d+)M\\(").matcher(Files.readString(gcLog));
        long peak = 0;
        while (m.find()) {
            peak = Math.max(peak, Long.parseLong(m.group(1)));
        }
        return peak;
    }
}
