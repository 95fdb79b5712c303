package io.faceroster.testsupport;

import io.faceroster.imaging.GreyImage;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** Seed images in every accepted format, and damaged copies of them, for the decoder and API fuzz tests. */
public final class DamagedImages {

    private DamagedImages() {
    }

    public static Map<String, byte[]> seeds() throws Exception {
        GreyImage face = SyntheticFaces.sample(3, 1, 92, 112, 9);
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        seeds.put("png", TestImages.encode(face, "png"));
        seeds.put("jpeg", TestImages.encode(face, "jpeg"));
        seeds.put("bmp", TestImages.encode(face, "bmp"));
        seeds.put("gif", TestImages.encode(face, "gif"));
        seeds.put("pgm", pgm(face));
        // face.webp: one of the generated test faces, encoded once with cwebp (no WebP writer in Java).
        try (InputStream in = DamagedImages.class.getResourceAsStream("/images/face.webp")) {
            seeds.put("webp", in.readAllBytes());
        }
        return seeds;
    }

    public static byte[] pgm(GreyImage image) {
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
}
