package io.faceroster.imaging;

import java.util.List;

/**
 * A rotation, uniform scale and translation of the plane: {@code x' = a x - b y + tx, y' = b x + a y + ty}. Face
 * alignment maps detected keypoints onto a template with the least-squares similarity, so that no single noisy
 * keypoint decides the rotation.
 */
public record Similarity(double a, double b, double tx, double ty) {

    /**
     * The similarity that maps {@code from} onto {@code to} with the least squared error (the closed form of
     * Umeyama's method without reflection). Needs two distinct points at least.
     */
    public static Similarity fit(List<Landmarks.Point> from, List<Landmarks.Point> to) {
        if (from.size() != to.size() || from.size() < 2) {
            throw new IllegalArgumentException("a similarity needs two or more point pairs");
        }
        int n = from.size();
        double fx = 0;
        double fy = 0;
        double tx = 0;
        double ty = 0;
        for (int i = 0; i < n; i++) {
            fx += from.get(i).x();
            fy += from.get(i).y();
            tx += to.get(i).x();
            ty += to.get(i).y();
        }
        fx /= n;
        fy /= n;
        tx /= n;
        ty /= n;
        double dot = 0;
        double cross = 0;
        double norm = 0;
        for (int i = 0; i < n; i++) {
            double x = from.get(i).x() - fx;
            double y = from.get(i).y() - fy;
            double u = to.get(i).x() - tx;
            double v = to.get(i).y() - ty;
            dot += x * u + y * v;
            cross += x * v - y * u;
            norm += x * x + y * y;
        }
        if (norm < 1e-12) {
            throw new IllegalArgumentException("the source points coincide");
        }
        double a = dot / norm;
        double b = cross / norm;
        return new Similarity(a, b, tx - (a * fx - b * fy), ty - (b * fx + a * fy));
    }

    public static Similarity scaling(double factor) {
        return new Similarity(factor, 0, 0, 0);
    }

    public Landmarks.Point apply(Landmarks.Point p) {
        return new Landmarks.Point(a * p.x() - b * p.y() + tx, b * p.x() + a * p.y() + ty);
    }

    public double scale() {
        return Math.hypot(a, b);
    }

    /** Rotation in radians (positive turns x towards y). */
    public double angle() {
        return Math.atan2(b, a);
    }

    public Similarity inverse() {
        double d = a * a + b * b;
        double ia = a / d;
        double ib = -b / d;
        return new Similarity(ia, ib, -(ia * tx - ib * ty), -(ib * tx + ia * ty));
    }

    /** {@code this} after {@code first}: p -> this(first(p)). */
    public Similarity after(Similarity first) {
        return new Similarity(a * first.a - b * first.b, b * first.a + a * first.b,
                a * first.tx - b * first.ty + tx, b * first.tx + a * first.ty + ty);
    }

    /** Row-major {a, -b, tx, b, a, ty}: the form {@link Resampling#warpAffine} takes. */
    public double[] toMatrix() {
        return new double[] {a, -b, tx, b, a, ty};
    }
}
