package io.faceroster.imaging;

/**
 * Image-quality measures of an aligned face crop, taken over the face box of the crop (not the background):
 * sharpness as the variance of the 4-neighbour Laplacian and brightness as the mean, both on a 0-255 scale.
 *
 * @param sharpness  variance of the Laplacian: low for blurred or out-of-focus faces
 * @param brightness mean grey level: near 0 for a face in the dark, near 255 for a washed-out one
 */
public record FaceQuality(double sharpness, double brightness) {

    public static FaceQuality of(GreyImage crop) {
        int x0 = clamp((int) Math.round(FaceAligner.BOX_CENTRE_X - FaceAligner.BOX_SIZE / 2), crop.width());
        int x1 = clamp((int) Math.round(FaceAligner.BOX_CENTRE_X + FaceAligner.BOX_SIZE / 2), crop.width());
        int y0 = clamp((int) Math.round(FaceAligner.BOX_CENTRE_Y - FaceAligner.BOX_SIZE / 2), crop.height());
        int y1 = clamp((int) Math.round(FaceAligner.BOX_CENTRE_Y + FaceAligner.BOX_SIZE / 2), crop.height());
        float[] p = crop.pixels();
        int w = crop.width();
        double sum = 0;
        int count = 0;
        double lapSum = 0;
        double lapSq = 0;
        int lapCount = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                sum += p[y * w + x];
                count++;
                if (x > 0 && y > 0 && x < w - 1 && y < crop.height() - 1) {
                    double lap = p[y * w + x - 1] + p[y * w + x + 1] + p[(y - 1) * w + x] + p[(y + 1) * w + x]
                            - 4 * p[y * w + x];
                    lapSum += lap;
                    lapSq += lap * lap;
                    lapCount++;
                }
            }
        }
        double meanLap = lapSum / Math.max(1, lapCount);
        double variance = lapSq / Math.max(1, lapCount) - meanLap * meanLap;
        return new FaceQuality(variance * 255 * 255, 255 * sum / Math.max(1, count));
    }

    private static int clamp(int v, int size) {
        return Math.max(0, Math.min(size, v));
    }
}
