package io.faceroster.imaging;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.Arrays;

/**
 * A colour image, 8 bits per channel, interleaved R, G, B, row-major: the face chips FaceRoster stores and
 * re-cuts every architecture's input from.
 */
public record RgbImage(int width, int height, byte[] rgb) {

    public RgbImage {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        if (rgb.length != Math.multiplyExact(Math.multiplyExact(width, height), 3)) {
            throw new IllegalArgumentException("expected " + width * height * 3 + " bytes, got " + rgb.length);
        }
    }

    public static RgbImage of(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] out = new byte[Resampling.area(w, h, 3)];
        if (image.getType() == BufferedImage.TYPE_3BYTE_BGR && image.getRaster().getParent() == null
                && image.getColorModel().getColorSpace().isCS_sRGB()) {
            byte[] bgr = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
            for (int i = 0; i < w * h; i++) {
                out[3 * i] = bgr[3 * i + 2];
                out[3 * i + 1] = bgr[3 * i + 1];
                out[3 * i + 2] = bgr[3 * i];
            }
            return new RgbImage(w, h, out);
        }
        int type = image.getType();
        if ((type == BufferedImage.TYPE_3BYTE_BGR || type == BufferedImage.TYPE_INT_RGB)
                && image.getColorModel().getColorSpace().isCS_sRGB()) {
            // The raster's samples are R, G, B for both types, also in a sub-image: row by row, no colour model.
            var raster = image.getRaster();
            int[] samples = new int[w * 3];
            for (int y = 0; y < h; y++) {
                raster.getPixels(0, y, w, 1, samples);
                for (int i = 0; i < samples.length; i++) {
                    out[y * w * 3 + i] = (byte) samples[i];
                }
            }
            return new RgbImage(w, h, out);
        }
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int p = row[x];
                int o = 3 * (y * w + x);
                out[o] = (byte) (p >> 16);
                out[o + 1] = (byte) (p >> 8);
                out[o + 2] = (byte) p;
            }
        }
        return new RgbImage(w, h, out);
    }

    /** Grey in all three channels. */
    public static RgbImage of(GreyImage grey) {
        float[] p = grey.pixels();
        byte[] out = new byte[p.length * 3];
        for (int i = 0; i < p.length; i++) {
            byte v = (byte) Math.round(Math.max(0f, Math.min(1f, p[i])) * 255f);
            out[3 * i] = v;
            out[3 * i + 1] = v;
            out[3 * i + 2] = v;
        }
        return new RgbImage(grey.width(), grey.height(), out);
    }

    /** One channel (0 = R, 1 = G, 2 = B) as intensities in [0, 1]. */
    public float[] channel(int c) {
        float[] out = new float[Resampling.area(width, height, 1)];
        for (int i = 0; i < out.length; i++) {
            out[i] = (rgb[3 * i + c] & 0xff) / 255f;
        }
        return out;
    }

    /** Builds an image from three channels of intensities in [0, 1] (clamped and rounded to 8 bits). */
    public static RgbImage ofChannels(int width, int height, float[] r, float[] g, float[] b) {
        byte[] out = new byte[Resampling.area(width, height, 3)];
        float[][] planes = {r, g, b};
        for (int i = 0; i < width * height; i++) {
            for (int c = 0; c < 3; c++) {
                out[3 * i + c] = (byte) Math.round(Math.max(0f, Math.min(1f, planes[c][i])) * 255f);
            }
        }
        return new RgbImage(width, height, out);
    }

    /** Grey with the ITU-R 601 luma weights, as {@link GreyImage#of} computes it. */
    public GreyImage grey() {
        float[] out = new float[Resampling.area(width, height, 1)];
        for (int i = 0; i < out.length; i++) {
            int r = rgb[3 * i] & 0xff;
            int g = rgb[3 * i + 1] & 0xff;
            int b = rgb[3 * i + 2] & 0xff;
            out[i] = (r * 299 + g * 587 + b * 114) / 1000f / 255f;
        }
        return new GreyImage(width, height, out);
    }

    public BufferedImage toBufferedImage() {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < width * height; i++) {
            bgr[3 * i] = rgb[3 * i + 2];
            bgr[3 * i + 1] = rgb[3 * i + 1];
            bgr[3 * i + 2] = rgb[3 * i];
        }
        return img;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RgbImage r && r.width == width && r.height == height && Arrays.equals(r.rgb, rgb);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + Arrays.hashCode(rgb);
    }

    @Override
    public String toString() {
        return "RgbImage[" + width + "x" + height + "]";
    }
}
