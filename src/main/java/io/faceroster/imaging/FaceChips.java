package io.faceroster.imaging;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Makes {@link FaceChip}s: from a detected face in a photo (least-squares similarity of the eyes, nose tip and
 * mouth onto the chip template, so that one noisy keypoint does not decide the rotation), or from an image that is
 * taken to be a face crop already (detection skipped, or a grey 92x112 crop stored before chips existed).
 */
public final class FaceChips {

    /**
     * Where the keypoints and box of a frontal face lie in the 92x112 layout of FaceRoster's first tower (box centre
     * (45, 70.8), box side 79.9 px): eyes (28, 52.5) and (62, 52.5), nose tip and mouth at the mean BlazeFace
     * geometry of ORL s1..s40 (0.553 and 1.066 eye distances below the eyes). Used when no detector ran.
     */
    static final Landmarks LEGACY_LAYOUT = new Landmarks(new Landmarks.Point(28, 52.5), new Landmarks.Point(62, 52.5),
            new Landmarks.Point(45, 71.3), new Landmarks.Point(45, 88.7), 45 - 79.9 / 2, 70.8 - 79.9 / 2, 79.9, 79.9);
    static final int LEGACY_WIDTH = 92;
    static final int LEGACY_HEIGHT = 112;

    private FaceChips() {
    }

    /** The chip of {@code face}, detected in {@code photo}; only the part of the photo the chip reaches is read. */
    public static FaceChip align(BufferedImage photo, FaceDetector.Face face) {
        Landmarks found = face.landmarks();
        Similarity toChip = Similarity.fit(found.points(FaceChip.TEMPLATE_POINTS), FaceChip.TEMPLATE);
        return new FaceChip(cut(photo, toChip), found.map(toChip), FaceChip.Source.DETECTED);
    }

    /**
     * The chip of an image that is a face crop already: it is stretched to the 92:112 proportions of the first
     * tower's crops (as that tower's service did) and its face is assumed to sit where it sits in those crops.
     */
    public static FaceChip whole(BufferedImage image) {
        // Stretch at a resolution close to the chip's (eye distance 56 px rather than 34) to keep detail.
        double up = FaceChip.EYE_DISTANCE / LEGACY_LAYOUT.eyeDistance();
        int w = (int) Math.round(LEGACY_WIDTH * up);
        int h = (int) Math.round(LEGACY_HEIGHT * up);
        RgbImage stretched = Resampling.resize(RgbImage.of(image), w, h);
        return nominal(stretched, Similarity.scaling(up));
    }

    /** The chip of a grey 92x112 crop stored before chips existed (grey in all three channels). */
    public static FaceChip fromLegacyCrop(GreyImage crop) {
        double sx = (double) crop.width() / LEGACY_WIDTH;
        double sy = (double) crop.height() / LEGACY_HEIGHT;
        GreyImage standard = Math.abs(sx - 1) + Math.abs(sy - 1) < 1e-9 ? crop
                : Resampling.resize(crop, LEGACY_WIDTH, LEGACY_HEIGHT);
        return nominal(RgbImage.of(standard), Similarity.scaling(1));
    }

    /** {@code image} holds the legacy layout scaled by {@code layoutToImage}. */
    private static FaceChip nominal(RgbImage image, Similarity layoutToImage) {
        Landmarks inImage = LEGACY_LAYOUT.map(layoutToImage);
        Similarity toChip = Similarity.fit(inImage.points(FaceChip.TEMPLATE_POINTS), FaceChip.TEMPLATE);
        RgbImage chip = Resampling.warpAffine(image, FaceChip.SIZE, FaceChip.SIZE, toChip.inverse().toMatrix());
        return new FaceChip(chip, inImage.map(toChip), FaceChip.Source.NOMINAL);
    }

    /** Warps the part of {@code photo} that {@code toChip} maps into the chip, shrinking first when it is large. */
    private static RgbImage cut(BufferedImage photo, Similarity toChip) {
        Similarity toPhoto = toChip.inverse();
        // The chip's corners in the photo bound the region to read.
        double minX = Double.MAX_VALUE;
        double minY = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double maxY = -Double.MAX_VALUE;
        for (Landmarks.Point corner : List.of(new Landmarks.Point(0, 0), new Landmarks.Point(FaceChip.SIZE, 0),
                new Landmarks.Point(0, FaceChip.SIZE), new Landmarks.Point(FaceChip.SIZE, FaceChip.SIZE))) {
            Landmarks.Point p = toPhoto.apply(corner);
            minX = Math.min(minX, p.x());
            minY = Math.min(minY, p.y());
            maxX = Math.max(maxX, p.x());
            maxY = Math.max(maxY, p.y());
        }
        int w = photo.getWidth();
        int h = photo.getHeight();
        int x0 = (int) Math.min(w - 1, Math.max(0, Math.floor(minX) - 2));
        int y0 = (int) Math.min(h - 1, Math.max(0, Math.floor(minY) - 2));
        int x1 = (int) Math.max(x0 + 1, Math.min(w, Math.ceil(maxX) + 2));
        int y1 = (int) Math.max(y0 + 1, Math.min(h, Math.ceil(maxY) + 2));
        RgbImage region = RgbImage.of(photo.getSubimage(x0, y0, x1 - x0, y1 - y0));
        Similarity regionToChip = toChip.after(new Similarity(1, 0, x0, y0));
        double shrink = Math.floor(1 / regionToChip.scale());
        if (shrink >= 2) {
            // Bilinear sampling alone would alias a large face: shrink with the antialiased resize first.
            int sw = Math.max(1, (int) Math.round(region.width() / shrink));
            int sh = Math.max(1, (int) Math.round(region.height() / shrink));
            Similarity shrunkToRegion = new Similarity((double) region.width() / sw, 0, 0, 0);
            region = Resampling.resize(region, sw, sh);
            regionToChip = regionToChip.after(shrunkToRegion);
        }
        return Resampling.warpAffine(region, FaceChip.SIZE, FaceChip.SIZE, regionToChip.inverse().toMatrix());
    }
}
