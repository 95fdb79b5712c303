package io.faceroster.imaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.faceroster.testsupport.DamagedImages;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Thousands of damaged images (bit flips, truncations, inserted bytes, inflated size headers) through the
 * decoder: each either decodes or is refused with a client error, quickly; nothing hangs, nothing escapes
 * as another exception or error.
 */
public class ImageDecoderFuzzTest {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ImageDecoderFuzzTest.class);

    static final int CASES = 3000;

    @Test
    void damagedImagesAreDecodedOrRefusedQuickly() throws Exception {
        ImageDecoder decoder = new ImageDecoder(40_000_000L);
        Map<String, byte[]> seeds = DamagedImages.seeds();
        for (var e : seeds.entrySet()) {
            try (DecodedImage decoded = decoder.decode(e.getValue())) {
                assertThat(decoded.image().getWidth()).as(e.getKey()).isEqualTo(92);
            }
        }
        Random rng = new Random(2026);
        List<String> formats = new ArrayList<>(seeds.keySet());
        ExecutorService pool = Executors.newSingleThreadExecutor();
        Map<String, Integer> outcomes = new java.util.TreeMap<>();
        long start = System.nanoTime();
        try {
            for (int c = 0; c < CASES; c++) {
                String format = formats.get(c % formats.size());
                byte[] damaged = DamagedImages.mutate(seeds.get(format), format, rng);
                Future<String> result = pool.submit(() -> {
                    try {
                        try (DecodedImage decoded = decoder.decode(damaged)) {
                            FaceChips.whole(decoded.image());
                        }
                        return "decoded";
                    } catch (ImageRejected e) {
                        assertThat(e.code()).matches("image_.*|decode_busy");
                        return e.code();
                    } catch (Throwable t) {
                        return "UNEXPECTED " + t;
                    }
                });
                String outcome = result.get(5, TimeUnit.SECONDS);   // a hang fails the test here
                assertThat(outcome).as("case %d (%s)", c, format).doesNotStartWith("UNEXPECTED");
                outcomes.merge(format + " " + outcome, 1, Integer::sum);
            }
        } finally {
            pool.shutdownNow();
        }
        LOG.info(String.format("%d fuzzed images in %.1f s: %s", CASES, (System.nanoTime() - start) / 1e9, outcomes));
    }
}
