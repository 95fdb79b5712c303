package io.faceroster.imaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.faceroster.testsupport.SyntheticFaces;
import io.faceroster.testsupport.TestImages;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
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

    public static Map<String, byte[]> seeds() throws Exception {
        GreyImage face = SyntheticFaces.sample(3, 1, 92, 112, 9);
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        seeds.put("png", TestImages.encode(face, "png"));
        seeds.put("jpeg", TestImages.encode(face, "jpeg"));
        seeds.put("bmp", TestImages.encode(face, "bmp"));
        seeds.put("gif", TestImages.encode(face, "gif"));
        seeds.put("pgm", pgm(face));
        // face.webp: one of the generated test faces, encoded once with cwebp (no WebP writer in Java).
        try (InputStream in = ImageDecoderFuzzTest.class.getResourceAsStream("/images/face.webp")) {
            seeds.put("webp", in.readAllBytes());
        }
        return seeds;
    }

    static byte[] pgm(GreyImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("P5\n" + image.width() + " " + image.height() + "\n255\n").getBytes(StandardCharsets.US_ASCII));
        for (float v : image.pixels()) {
            out.write(Math.round(v * 255));
        }
        return out.toByteArray();
    }

    public static byte[] mutate(byte[] seed, String format, Random rng) {
        byte[] b = seed.clone();
        switch (rng.nextInt(5)) {
            case 0 -> {
                for (int i = 0, n = 1 + rng.nextInt(20); i < n; i++) {
                    int pos = rng.nextInt(b.length);
                    b[pos] ^= (byte) (1 << rng.nextInt(8));
                }
            }
            case 1 -> b = Arrays.copyOf(b, rng.nextInt(b.length));
            case 2 -> {
                int pos = rng.nextInt(b.length);
                byte[] junk = new byte[1 + rng.nextInt(64)];
                rng.nextBytes(junk);
                byte[] out = new byte[b.length + junk.length];
                System.arraycopy(b, 0, out, 0, pos);
                System.arraycopy(junk, 0, out, pos, junk.length);
                System.arraycopy(b, pos, out, pos + junk.length, b.length - pos);
                b = out;
            }
            case 3 -> {
                // Inflate the size fields of the header: the first bytes hold them in every format here.
                for (int i = 0; i < 4; i++) {
                    int pos = Math.min(b.length - 1, 6 + rng.nextInt(Math.min(26, b.length - 6)));
                    b[pos] = (byte) 0xff;
                }
            }
            default -> {
                for (int i = 0, n = 1 + rng.nextInt(200); i < n; i++) {
                    b[rng.nextInt(b.length)] = (byte) rng.nextInt(256);
                }
            }
        }
        return b;
    }

    @Test
    void damagedImagesAreDecodedOrRefusedQuickly() throws Exception {
        ImageDecoder decoder = new ImageDecoder(40_000_000L);
        Map<String, byte[]> seeds = seeds();
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
                byte[] damaged = mutate(seeds.get(format), format, rng);
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
