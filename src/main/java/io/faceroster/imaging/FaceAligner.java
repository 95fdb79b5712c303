package io.faceroster.imaging;

import java.awt.image.BufferedImage;

/**
 * The 92x112 grey crop of FaceRoster's first towers ({@code faceroster-v1}, {@code seed}), which the enrolment
 * quality gate also measures. The face box fixes position and scale: its centre goes to (45.0, 70.8) and its side
 * becomes 79.9 px, the mean box the detector finds on the ORL training persons s1..s30, so an aligned ORL photo looks
 * like the photos the tower was trained on, and the eyes of a frontal face land near (28, 52.5) and (62, 52.5). The
 * box is used rather than the eye distance because the eye distance shrinks when the head turns.
 *
 * <p>The eye line sets the rotation, less a dead zone of {@value #UNCORRECTED_TILT_DEGREES} degrees: the tower
 * learned ORL's natural head tilt, and levelling small tilts only adds keypoint noise.
 *
 * <p>The towers read this crop re-cut from the stored face chip ({@link #legacyCrop}); the quality gate measures it
 * cut from the uploaded photo itself ({@link #fromPhoto}, {@link #wholeImage}), where every resampling the chip went
 * through would blur it and move the sharpness the gate's thresholds were set on.
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

    /** The crop of the face in {@code chip}. */
    public static GreyImage legacyCrop(FaceChip chip) {
        return boxCrop(chip.image().grey(), chip.landmarks());
    }

    /** The crop of {@code face} cut from the photo; only the part of the photo the crop can reach is read. */
    public static GreyImage fromPhoto(BufferedImage photo, Landmarks face) {
        double cx = face.boxX() + face.boxWidth() / 2;
        double cy = face.boxY() + face.boxHeight() / 2;
        double scale = (face.boxWidth() + face.boxHeight()) / 2 / BOX_SIZE;
        // The farthest crop corner from the rotation centre bounds what the crop can reach at any rotation.
        double reach = scale * Math.hypot(Math.max(BOX_CENTRE_X, WIDTH - BOX_CENTRE_X),
                Math.max(BOX_CENTRE_Y, HEIGHT - BOX_CENTRE_Y)) + 2;
        int w = photo.getWidth();
        int h = photo.getHeight();
        int x0 = (int) Math.min(w - 1, Math.max(0, Math.floor(cx - reach)));
        int y0 = (int) Math.min(h - 1, Math.max(0, Math.floor(cy - reach)));
        int x1 = (int) Math.max(x0 + 1, Math.min(w, Math.ceil(cx + reach)));
        int y1 = (int) Math.max(y0 + 1, Math.min(h, Math.ceil(cy + reach)));
        GreyImage part = GreyImage.of(photo.getSubimage(x0, y0, x1 - x0, y1 - y0));
        return boxCrop(part, face.map(new Similarity(1, 0, -x0, -y0)));
    }

    /** An upload taken whole (detection skipped): stretched to 92x112, as the first towers' service did. */
    public static GreyImage wholeImage(BufferedImage image) {
        return Resampling.resize(GreyImage.of(image), WIDTH, HEIGHT);
    }

    /** Box centre to (45.0, 70.8), box side to 79.9 px, rotated by the tilt less the dead zone. */
    private static GreyImage boxCrop(GreyImage source, Landmarks l) {
        double cx = l.boxX() + l.boxWidth() / 2;
        double cy = l.boxY() + l.boxHeight() / 2;
        double scale = (l.boxWidth() + l.boxHeight()) / 2 / BOX_SIZE;
        double angle = correctedTilt(l);
        if (scale > 2) {
            // Shrink first with the antialiased resize: bilinear sampling alone would alias a large face.
            double f = Math.floor(scale);
            GreyImage shrunk = Resampling.resize(source, Math.max(1, (int) Math.round(source.width() / f)),
                    Math.max(1, (int) Math.round(source.height() / f)));
            double fx = (double) shrunk.width() / source.width();
            double fy = (double) shrunk.height() / source.height();
            cx *= fx;
            cy *= fy;
            scale *= (fx + fy) / 2;
            source = shrunk;
        }
        double a = scale * Math.cos(angle);
        double b = -scale * Math.sin(angle);
        double d = scale * Math.sin(angle);
        double e = scale * Math.cos(angle);
        // Inverse map: crop pixel -> source pixel, rotating about the box centre.
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
