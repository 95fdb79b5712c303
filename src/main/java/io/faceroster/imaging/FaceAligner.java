package io.faceroster.imaging;

/**
 * Rotates, scales and translates a face so that its eyes land on fixed positions of the 92x112 crop. The
 * positions are the mean eye centres the detector finds on the ORL training persons s1..s30 (28.1, 52.6)
 * and (62.0, 52.4), so an aligned ORL photo looks like the photos the tower was trained on.
 */
public final class FaceAligner {

    public static final double LEFT_EYE_X = 28.1;
    public static final double RIGHT_EYE_X = 62.0;
    public static final double EYE_Y = 52.5;

    private FaceAligner() {
    }

    /** The aligned {@link FaceCrops#WIDTH} x {@link FaceCrops#HEIGHT} crop of {@code face} in {@code image}. */
    public static GreyImage align(GreyImage image, FaceDetector.Face face) {
        double e1x = face.eye1X();
        double e1y = face.eye1Y();
        double e2x = face.eye2X();
        double e2y = face.eye2Y();
        double scale = Math.hypot(e2x - e1x, e2y - e1y) / (RIGHT_EYE_X - LEFT_EYE_X);
        GreyImage source = image;
        if (scale > 2) {
            // Shrink first with the antialiased resize: bilinear sampling alone would alias a large photo.
            double f = Math.floor(scale);
            source = Resampling.resize(image, Math.max(1, (int) Math.round(image.width() / f)),
                    Math.max(1, (int) Math.round(image.height() / f)));
            double fx = (double) source.width() / image.width();
            double fy = (double) source.height() / image.height();
            e1x *= fx;
            e1y *= fy;
            e2x *= fx;
            e2y *= fy;
            scale = Math.hypot(e2x - e1x, e2y - e1y) / (RIGHT_EYE_X - LEFT_EYE_X);
        }
        double angle = Math.atan2(e2y - e1y, e2x - e1x);
        double a = scale * Math.cos(angle);
        double b = -scale * Math.sin(angle);
        double d = scale * Math.sin(angle);
        double e = scale * Math.cos(angle);
        double[] inverse = {a, b, e1x - (a * LEFT_EYE_X + b * EYE_Y), d, e, e1y - (d * LEFT_EYE_X + e * EYE_Y)};
        return Resampling.warpAffine(source, FaceCrops.WIDTH, FaceCrops.HEIGHT, inverse);
    }
}
