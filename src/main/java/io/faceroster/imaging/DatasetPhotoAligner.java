package io.faceroster.imaging;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Detect-then-align for the command-line tools: each photo becomes the chip of one face, found as the service
 * finds faces (whole photo, then tiles, then with a neutral border); a photo without a detected face is taken
 * whole, as with detect=false (and counted). Where a photo holds several faces, {@link FaceChoice} says which.
 */
public final class DatasetPhotoAligner implements Function<BufferedImage, FaceChip>, AutoCloseable {

    public static final Path DEFAULT_DETECTOR = ImagingProperties.Detection.DEFAULT_MODEL;

    /** Which face of a photo that holds several is the labelled one. */
    public enum FaceChoice {
        /** The largest box, as the service takes for identification. */
        LARGEST,
        /** The box whose centre is nearest the image centre: LFW labels the centred face. */
        NEAREST_CENTRE;

        /** The chosen face of {@code faces} (not empty) found in a {@code width} x {@code height} image. */
        public FaceDetector.Face pick(List<FaceDetector.Face> faces, int width, int height) {
            Comparator<FaceDetector.Face> order = switch (this) {
                case LARGEST -> Comparator.comparingDouble((FaceDetector.Face f) -> f.width() * f.height()).reversed();
                case NEAREST_CENTRE -> Comparator.comparingDouble((FaceDetector.Face f) -> Math.hypot(
                        f.x() + f.width() / 2 - width / 2.0, f.y() + f.height() / 2 - height / 2.0));
            };
            // min keeps the first of equals: the detector lists faces highest score first.
            return faces.stream().min(order).orElseThrow();
        }
    }

    private final FaceDetector detector;
    private final boolean ownsDetector;
    private final FaceChoice choice;
    private final AtomicInteger misses = new AtomicInteger();
    private final AtomicInteger severalFaces = new AtomicInteger();
    private final AtomicInteger notLargest = new AtomicInteger();

    /** The largest face, with the service's default detector score ({@code faceroster.imaging.detection.min-score}). */
    public DatasetPhotoAligner(Path detectorModel) {
        this(detectorModel, FaceChoice.LARGEST);
    }

    public DatasetPhotoAligner(Path detectorModel, FaceChoice choice) {
        this.detector = new FaceDetector(detectorModel, ImagingProperties.Detection.DEFAULT_MIN_SCORE);
        this.ownsDetector = true;
        this.choice = choice;
    }

    /** With a detector the caller keeps (and closes). */
    public DatasetPhotoAligner(FaceDetector detector, FaceChoice choice) {
        this.detector = detector;
        this.ownsDetector = false;
        this.choice = choice;
    }

    @Override
    public FaceChip apply(BufferedImage image) {
        List<FaceDetector.Face> faces = detector.detect(image);
        if (faces.isEmpty()) {
            faces = detector.detectWithTiles(image, faces);
        }
        if (faces.isEmpty()) {
            faces = detector.detectWithBorder(image);
        }
        if (faces.isEmpty()) {
            misses.incrementAndGet();
            return FaceChips.whole(image);
        }
        FaceDetector.Face face = choice.pick(faces, image.getWidth(), image.getHeight());
        if (faces.size() > 1) {
            severalFaces.incrementAndGet();
            if (face != FaceChoice.LARGEST.pick(faces, image.getWidth(), image.getHeight())) {
                notLargest.incrementAndGet();
            }
        }
        return FaceChips.align(image, face);
    }

    /** Images in which no face was found (taken whole). */
    public int misses() {
        return misses.get();
    }

    /** Images in which several faces were found. */
    public int severalFaces() {
        return severalFaces.get();
    }

    /** Images whose chosen face is not the largest one. */
    public int notLargest() {
        return notLargest.get();
    }

    @Override
    public void close() {
        if (ownsDetector) {
            detector.close();
        }
    }
}
