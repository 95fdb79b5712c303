package io.faceroster.training;

import io.faceroster.imaging.GreyImage;
import io.faceroster.imaging.Resampling;
import java.util.Random;

/**
 * Random photometric and geometric jitter of a tower-sized crop: the tower should not care about a few
 * pixels of misalignment, a small tilt, a mirrored face or a different exposure.
 *
 * @param maxRotationDegrees  rotation drawn uniformly in +-this
 * @param maxScale            scale drawn in [1 - maxScale, 1 + maxScale]
 * @param maxShift            shift in x and y drawn in +-this fraction of the crop size
 * @param flip                mirror left-right with probability 1/2
 * @param maxBrightness       added offset in +-this
 * @param maxContrast         contrast factor in [1 - maxContrast, 1 + maxContrast] around the mean
 */
public record Augmentation(double maxRotationDegrees, double maxScale, double maxShift, boolean flip,
                           double maxBrightness, double maxContrast) {

    public static final Augmentation NONE = new Augmentation(0, 0, 0, false, 0, 0);

    public boolean changesNothing() {
        return this.equals(NONE);
    }

    public GreyImage apply(GreyImage crop, Random rng) {
        if (changesNothing()) {
            return crop;
        }
        int w = crop.width();
        int h = crop.height();
        double angle = Math.toRadians(uniform(rng, maxRotationDegrees));
        double scale = 1 + uniform(rng, maxScale);
        double tx = uniform(rng, maxShift) * w;
        double ty = uniform(rng, maxShift) * h;
        double mirror = flip && rng.nextBoolean() ? -1 : 1;
        // Inverse map: source = centre + M^-1 (out - centre - shift), M = rotate * scale * mirror.
        double cos = Math.cos(-angle) / scale;
        double sin = Math.sin(-angle) / scale;
        double a = cos * mirror;
        double b = -sin * mirror;
        double d = sin;
        double e = cos;
        double cx = w / 2.0;
        double cy = h / 2.0;
        double ox = -cx - tx;
        double oy = -cy - ty;
        double[] inverse = {a, b, cx + a * ox + b * oy, d, e, cy + d * ox + e * oy};
        GreyImage warped = (angle == 0 && scale == 1 && tx == 0 && ty == 0 && mirror == 1)
                ? crop : Resampling.warpAffine(crop, w, h, inverse);

        double contrast = 1 + uniform(rng, maxContrast);
        double brightness = uniform(rng, maxBrightness);
        float[] p = warped.pixels().clone();
        double mean = 0;
        for (float v : p) {
            mean += v;
        }
        mean /= p.length;
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) Math.max(0, Math.min(1, (p[i] - mean) * contrast + mean + brightness));
        }
        return new GreyImage(w, h, p);
    }

    private static double uniform(Random rng, double max) {
        return max == 0 ? 0 : (rng.nextDouble() * 2 - 1) * max;
    }
}
