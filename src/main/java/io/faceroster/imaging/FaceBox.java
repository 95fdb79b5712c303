package io.faceroster.imaging;

import java.util.List;

/**
 * Where a face was found in an uploaded image, in that image's pixels (after EXIF orientation): its box, the
 * detector's score, the two eye centres (left-most in the image first), the nose tip and the mouth centre. Part of
 * API responses; {@code nose} and {@code mouth} are null for faces stored before they were recorded.
 */
public record FaceBox(double x, double y, double width, double height, double score, List<Point> eyes, Point nose,
                      Point mouth) {

    public record Point(double x, double y) {
    }

    /** {@code f} found in an image subsampled by {@code s}, in the uploaded image's pixels. */
    static FaceBox of(FaceDetector.Face f, int s) {
        return new FaceBox(round(f.x(), s), round(f.y(), s), round(f.width(), s), round(f.height(), s),
                Math.round(f.score() * 1000) / 1000.0,
                List.of(new Point(round(f.eye1X(), s), round(f.eye1Y(), s)),
                        new Point(round(f.eye2X(), s), round(f.eye2Y(), s))),
                new Point(round(f.noseX(), s), round(f.noseY(), s)), new Point(round(f.mouthX(), s), round(f.mouthY(), s)));
    }

    private static double round(double v, int scale) {
        return Math.round(v * scale * 10) / 10.0;
    }
}
