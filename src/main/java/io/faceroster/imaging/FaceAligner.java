package io.faceroster.imaging;

/**
 * The 92x112 grey crop of FaceRoster's first towers ({@code faceroster-v1}, {@code seed}), cut from a face chip.
 * The face box fixes position and scale: its centre goes to (45.0, 70.8) and its side becomes 79.9 px, the mean box
 * the detector finds on the ORL training persons s1..s30, so an aligned ORL photo looks like the photos the tower
 * was trained on, and the eyes of a frontal face land near (28, 52.5) and (62, 52.5). The box is used rather than
 * the eye distance because the eye distance shrinks when the head turns (ORL has many turned heads).
 *
 * <p>The eye line sets the rotation, less a dead zone of {@value #UNCORRECTED_TILT_DEGREES} degrees: the tower
 * learned ORL's natural head tilt, and levelling small tilts only adds keypoint noise. In a chip the eyes are
 * close to level already. The enrolment quality gate measures this crop too, so its thresholds keep their meaning.
 */
public final class FaceAligner {

    public static final int WIDTH = FaceChips.LEGACY_WIDTH;
    public static final int HEIGHT = FaceChips.LEGACY_HEIGHT;
    public static final double BOX_CENTRE_X = 45.0;
    public static final double BOX_CENTRE_Y = 70.8;
    public static final double BOX_SIZE = 79.9;
    public static final double UNCORRECTED_TILT_DEGREES = 5;

    private FaceAligner() {
    }

    /** The {@value #WIDTH}x{@value #HEIGHT} grey crop of the face in {@code chip}. */
    public static GreyImage legacyCrop(FaceChip chip) {
        Landmarks l = chip.landmarks();
        double cx = l.boxX() + l.boxWidth() / 2;
        double cy = l.boxY() + l.boxHeight() / 2;
        double scale = (l.boxWidth() + l.boxHeight()) / 2 / BOX_SIZE;
        double angle = correctedTilt(l);
        GreyImage source = chip.image().grey();
        if (scale > 1.2) {
            // Shrink with the antialiased resize first: bilinear sampling alone would alias (and look sharper).
            int side = (int) Math.round(source.width() / scale);
            double f = (double) side / source.width();
            source = Resampling.resize(source, side, side);
            cx *= f;
            cy *= f;
            scale *= f;
        }
        double a = scale * Math.cos(angle);
        double b = -scale * Math.sin(angle);
        double d = scale * Math.sin(angle);
        double e = scale * Math.cos(angle);
        // Inverse map: crop pixel -> chip pixel, rotating about the box centre.
        double[] inverse = {a, b, cx - (a * BOX_CENTRE_X + b * BOX_CENTRE_Y), d, e,
                cy - (d * BOX_CENTRE_X + e * BOX_CENTRE_Y)};
        return Resampling.warpAffine(source, WIDTH, HEIGHT, inverse);
    }

    /** The rotation (radians) the alignment applies: the eye-line tilt less the dead zone, towards zero. */
    public static double correctedTilt(Landmarks l) {
        double tilt = Math.atan2(l.eye2().y() - l.eye1().y(), l.eye2().x() - l.eye1().x());
        double dead = Math.toRadians(UNCORRECTED_TILT_DEGREES);
        return Math.signum(tilt) * Math.max(0, Math.abs(tilt) - dead);
    }
}
