package io.faceroster.imaging;

import java.util.List;

/**
 * Where a face's keypoints and box lie in some image's pixels: the two eye centres (left-most in the image first),
 * the nose tip and the mouth centre, and the detector's box. Stored with every face chip, so that any architecture
 * can re-cut its input from the chip later.
 */
public record Landmarks(Point eye1, Point eye2, Point nose, Point mouth, double boxX, double boxY, double boxWidth,
                        double boxHeight) {

    /** A point in pixels. */
    public record Point(double x, double y) {
    }

    /** The keypoints named by {@code names} ({@code eye1}, {@code eye2}, {@code nose}, {@code mouth}), in order. */
    public List<Point> points(List<String> names) {
        return names.stream().map(this::point).toList();
    }

    public Point point(String name) {
        return switch (name) {
            case "eye1" -> eye1;
            case "eye2" -> eye2;
            case "nose" -> nose;
            case "mouth" -> mouth;
            default -> throw new IllegalArgumentException("unknown landmark '" + name + "'");
        };
    }

    public double eyeDistance() {
        return Math.hypot(eye2.x() - eye1.x(), eye2.y() - eye1.y());
    }

    /** The same landmarks after {@code s}: points mapped, the box kept axis-aligned around its mapped centre. */
    public Landmarks map(Similarity s) {
        Point centre = s.apply(new Point(boxX + boxWidth / 2, boxY + boxHeight / 2));
        double w = boxWidth * s.scale();
        double h = boxHeight * s.scale();
        return new Landmarks(s.apply(eye1), s.apply(eye2), s.apply(nose), s.apply(mouth), centre.x() - w / 2,
                centre.y() - h / 2, w, h);
    }
}
