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

    static FaceBox of(FaceDetector.Face f) {
        return new FaceBox(round(f.x()), round(f.y()), round(f.width()), round(f.height()),
                Math.round(f.score() * 1000) / 1000.0,
                List.of(new Point(round(f.eye1X()), round(f.eye1Y())), new Point(round(f.eye2X()), round(f.eye2Y()))),
                new Point(round(f.noseX()), round(f.noseY())), new Point(round(f.mouthX()), round(f.mouthY())));
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
