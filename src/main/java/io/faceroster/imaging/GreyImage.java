package io.faceroster.imaging;

import java.awt.image.BufferedImage;
import java.util.Arrays;

/**
 * A grey-level image with intensities in [0, 1], row-major. This is what the imaging pipeline hands to
 * the tower: decoders produce it, crops and augmentations transform it.
 */
public record GreyImage(int width, int height, float[] pixels) {

    public GreyImage {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        if (pixels.length != width * height) {
            throw new IllegalArgumentException("expected " + width * height + " pixels, got " + pixels.length);
        }
    }

    /** Converts any AWT image to grey with the ITU-R 601 luma weights (what PIL's convert("L") uses). */
    public static GreyImage of(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        float[] out = new float[Resampling.area(w, h, 1)];
        if (image.getType() == BufferedImage.TYPE_BYTE_GRAY) {
            var raster = image.getRaster();
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    out[y * w + x] = row[x] / 255f;
                }
            }
            return new GreyImage(w, h, out);
        }
        int type = image.getType();
        if ((type == BufferedImage.TYPE_3BYTE_BGR || type == BufferedImage.TYPE_INT_RGB)
                && image.getColorModel().getColorSpace().isCS_sRGB()) {
            // Read the R, G, B samples row by row: several times faster than getRGB on photos.
            var raster = image.getRaster();
            int[] row = new int[w * 3];
            for (int y = 0; y < h; y++) {
                raster.getPixels(0, y, w, 1, row);
                for (int x = 0; x < w; x++) {
                    out[y * w + x] = (row[3 * x] * 299 + row[3 * x + 1] * 587 + row[3 * x + 2] * 114) / 1000f / 255f;
                }
            }
            return new GreyImage(w, h, out);
        }
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < argb.length; i++) {
            int p = argb[i];
            int r = (p >> 16) & 0xff;
            int g = (p >> 8) & 0xff;
            int b = p & 0xff;
            out[i] = (r * 299 + g * 587 + b * 114) / 1000f / 255f;
        }
        return new GreyImage(w, h, out);
    }

    public BufferedImage toBufferedImage() {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                row[x] = Math.round(Math.max(0f, Math.min(1f, pixels[y * width + x])) * 255f);
            }
            img.getRaster().setSamples(0, y, width, 1, 0, row);
        }
        return img;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GreyImage g && g.width == width && g.height == height && Arrays.equals(g.pixels, pixels);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + Arrays.hashCode(pixels);
    }

    @Override
    public String toString() {
        return "GreyImage[" + width + "x" + height + "]";
    }
}
