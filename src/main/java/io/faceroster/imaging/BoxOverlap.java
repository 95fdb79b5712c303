package io.faceroster.imaging;

/** How much two axis-aligned boxes overlap: the one computation behind merging, deduplicating and nesting faces. */
final class BoxOverlap {

    private BoxOverlap() {
    }

    /** Area shared by the boxes (ax1, ay1)-(ax2, ay2) and (bx1, by1)-(bx2, by2). */
    static double intersection(double ax1, double ay1, double ax2, double ay2,
                               double bx1, double by1, double bx2, double by2) {
        double ix = Math.max(0, Math.min(ax2, bx2) - Math.max(ax1, bx1));
        double iy = Math.max(0, Math.min(ay2, by2) - Math.max(ay1, by1));
        return ix * iy;
    }

    /** Intersection over union, 0 for empty boxes. */
    static double iou(double intersection, double areaA, double areaB) {
        double union = areaA + areaB - intersection;
        return union <= 0 ? 0 : intersection / union;
    }

    /** Whether more than half of the smaller box lies inside the other. */
    static boolean mostlyInside(double intersection, double smallerArea) {
        return intersection > 0.5 * smallerArea;
    }
}
