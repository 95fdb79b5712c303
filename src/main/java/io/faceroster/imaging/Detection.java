package io.faceroster.imaging;

/**
 * One BlazeFace detection in the unit square of the padded network input: score, box corners and the six
 * keypoints (eye, eye, nose tip, mouth centre, ear, ear), as the network orders them.
 *
 * @param keypoints x and y of each keypoint, interleaved
 */
record Detection(double score, double x1, double y1, double x2, double y2, double[] keypoints) {

    static final int KEYPOINTS = 6;

    double area() {
        return (x2 - x1) * (y2 - y1);
    }

    double keypointX(int k) {
        return keypoints[2 * k];
    }

    double keypointY(int k) {
        return keypoints[2 * k + 1];
    }

    /** Area shared with {@code other}. */
    double intersection(Detection other) {
        return BoxOverlap.intersection(x1, y1, x2, y2, other.x1, other.y1, other.x2, other.y2);
    }

    double iou(Detection other) {
        return BoxOverlap.iou(intersection(other), area(), other.area());
    }

    /** This detection of the mirrored input, mapped back onto the input: x to 1 - x, box edges swapped. */
    Detection mirroredBack() {
        double[] k = keypoints.clone();
        for (int i = 0; i < KEYPOINTS; i++) {
            k[2 * i] = 1 - keypoints[2 * i];
        }
        return new Detection(score, 1 - x2, y1, 1 - x1, y2, k);
    }

    /**
     * The mean of this detection and the same face found in the mirrored input ({@code back}, already mapped back).
     * Mirroring swaps the two eyes; the nose tip and the mouth centre lie on the symmetry axis. The score stays this
     * detection's.
     */
    Detection averagedWith(Detection back) {
        double[] k = keypoints.clone();
        // eye 1 pairs with the mirror's eye 2 and vice versa
        k[0] = (keypoints[0] + back.keypoints[2]) / 2;
        k[1] = (keypoints[1] + back.keypoints[3]) / 2;
        k[2] = (keypoints[2] + back.keypoints[0]) / 2;
        k[3] = (keypoints[3] + back.keypoints[1]) / 2;
        for (int i = 4; i < 8; i++) {
            k[i] = (keypoints[i] + back.keypoints[i]) / 2;
        }
        return new Detection(score, (x1 + back.x1) / 2, (y1 + back.y1) / 2, (x2 + back.x2) / 2, (y2 + back.y2) / 2, k);
    }

    /** In the pixels of an image padded by ({@code padX}, {@code padY}) to a square of {@code side}. */
    FaceDetector.Face toFace(int side, double padX, double padY) {
        double ex1 = keypointX(0) * side - padX;
        double ey1 = keypointY(0) * side - padY;
        double ex2 = keypointX(1) * side - padX;
        double ey2 = keypointY(1) * side - padY;
        if (ex2 < ex1) {
            double t = ex1;
            ex1 = ex2;
            ex2 = t;
            t = ey1;
            ey1 = ey2;
            ey2 = t;
        }
        double left = x1 * side - padX;
        double top = y1 * side - padY;
        return new FaceDetector.Face(score, left, top, x2 * side - padX - left, y2 * side - padY - top, ex1, ey1, ex2,
                ey2, keypointX(2) * side - padX, keypointY(2) * side - padY, keypointX(3) * side - padX,
                keypointY(3) * side - padY);
    }
}
