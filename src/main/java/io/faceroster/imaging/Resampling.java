package io.faceroster.imaging;

/**
 * Geometric resampling of grey images: an antialiased resize (the triangle filter PIL uses for
 * {@code Image.resize(..., BILINEAR)}, so the seed network sees what the reference saw) and an
 * inverse-mapped affine warp with bilinear sampling for alignment and augmentation.
 */
public final class Resampling {

    private Resampling() {
    }

    /**
     * {@code width x height x channels} as an array length; an {@link IllegalArgumentException} when it does not
     * fit an int (a size computed in int arithmetic would wrap around to a negative or a wrong length).
     */
    static int area(long width, long height, long channels) {
        long n = Math.multiplyExact(Math.multiplyExact(width, height), channels);
        if (width <= 0 || height <= 0 || n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("an image of " + width + "x" + height + "x" + channels
                    + " samples does not fit an array");
        }
        return (int) n;
    }

    /** Resizes with a separable triangle filter whose support widens when shrinking (antialiasing). */
    public static GreyImage resize(GreyImage src, int width, int height) {
        if (src.width() == width && src.height() == height) {
            return src;
        }
        if (width > src.width() && height < src.height()) {
            // Widening while shrinking the height (a tall strip): shrink first, or the intermediate image is as
            // tall as the source and as wide as the result.
            float[] vertical = resizeAxis(src.pixels(), src.width(), src.height(), height, false);
            return new GreyImage(width, height, resizeAxis(vertical, src.width(), height, width, true));
        }
        float[] horizontal = resizeAxis(src.pixels(), src.width(), src.height(), width, true);
        float[] both = resizeAxis(horizontal, width, src.height(), height, false);
        return new GreyImage(width, height, both);
    }

    private static float[] resizeAxis(float[] in, int inW, int inH, int outLen, boolean horizontal) {
        int inLen = horizontal ? inW : inH;
        int lines = horizontal ? inH : inW;
        int outW = horizontal ? outLen : inW;
        float[] out = new float[area(horizontal ? outLen : inW, horizontal ? inH : outLen, 1)];
        double scale = (double) inLen / outLen;
        double support = Math.max(1.0, scale);
        for (int o = 0; o < outLen; o++) {
            double centre = (o + 0.5) * scale;
            int from = Math.max(0, (int) Math.floor(centre - support));
            int to = Math.min(inLen, (int) Math.ceil(centre + support));
            double[] weights = new double[to - from];
            double total = 0;
            for (int i = from; i < to; i++) {
                double w = Math.max(0, 1 - Math.abs((i + 0.5 - centre) / support));
                weights[i - from] = w;
                total += w;
            }
            for (int line = 0; line < lines; line++) {
                double acc = 0;
                for (int i = from; i < to; i++) {
                    float v = horizontal ? in[line * inW + i] : in[i * inW + line];   // < in.length: no overflow
                    acc += weights[i - from] * v;
                }
                float value = (float) (acc / total);
                if (horizontal) {
                    out[line * outW + o] = value;
                } else {
                    out[o * outW + line] = value;
                }
            }
        }
        return out;
    }

    /** The colour resize: each channel as {@link #resize(GreyImage, int, int)} resizes a grey image. */
    public static RgbImage resize(RgbImage src, int width, int height) {
        if (src.width() == width && src.height() == height) {
            return src;
        }
        float[][] out = new float[3][];
        for (int c = 0; c < 3; c++) {
            out[c] = resize(new GreyImage(src.width(), src.height(), src.channel(c)), width, height).pixels();
        }
        return RgbImage.ofChannels(width, height, out[0], out[1], out[2]);
    }

    /**
     * Warps {@code src} into a {@code width x height} image. {@code inverse} maps output pixel centres to
     * source coordinates: {@code sx = a*x + b*y + c, sy = d*x + e*y + f} (row-major a..f). Samples outside
     * the source take the value of the nearest edge pixel, which avoids black borders the tower never sees
     * at inference time.
     */
    public static GreyImage warpAffine(GreyImage src, int width, int height, double[] inverse) {
        return new GreyImage(width, height, warp(src.pixels(), 1, src.width(), src.height(), width, height, inverse));
    }

    /** The colour warp: every channel sampled as {@link #warpAffine(GreyImage, int, int, double[])} samples. */
    public static RgbImage warpAffine(RgbImage src, int width, int height, double[] inverse) {
        byte[] in = src.rgb();
        float[] samples = new float[in.length];
        for (int i = 0; i < in.length; i++) {
            samples[i] = in[i] & 0xff;
        }
        float[] warped = warp(samples, 3, src.width(), src.height(), width, height, inverse);
        byte[] out = new byte[warped.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Math.round(Math.max(0f, Math.min(255f, warped[i])));
        }
        return new RgbImage(width, height, out);
    }

    /** Bilinear warp of an interleaved image with {@code channels} samples per pixel. */
    private static float[] warp(float[] p, int channels, int sw, int sh, int width, int height, double[] inverse) {
        float[] out = new float[area(width, height, channels)];
        for (int y = 0; y < height; y++) {
            double oy = y + 0.5;
            for (int x = 0; x < width; x++) {
                double ox = x + 0.5;
                double sx = inverse[0] * ox + inverse[1] * oy + inverse[2] - 0.5;
                double sy = inverse[3] * ox + inverse[4] * oy + inverse[5] - 0.5;
                sx = Math.max(0, Math.min(sw - 1, sx));
                sy = Math.max(0, Math.min(sh - 1, sy));
                int x0 = (int) sx;
                int y0 = (int) sy;
                int x1 = Math.min(x0 + 1, sw - 1);
                int y1 = Math.min(y0 + 1, sh - 1);
                double fx = sx - x0;
                double fy = sy - y0;
                int i00 = (y0 * sw + x0) * channels;
                int i01 = (y0 * sw + x1) * channels;
                int i10 = (y1 * sw + x0) * channels;
                int i11 = (y1 * sw + x1) * channels;
                int o = (y * width + x) * channels;
                for (int c = 0; c < channels; c++) {
                    double top = p[i00 + c] * (1 - fx) + p[i01 + c] * fx;
                    double bottom = p[i10 + c] * (1 - fx) + p[i11 + c] * fx;
                    out[o + c] = (float) (top * (1 - fy) + bottom * fy);
                }
            }
        }
        return out;
    }
}
