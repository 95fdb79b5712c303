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
public final class Alignment implements Function<BufferedImage, FaceChip>, AutoCloseable {

    public static final Path DEFAULT_DETECTOR = Path.of("models", "detector", "face_detection_front_128x128_barracuda.onnx");

    /** Which face of a photo holding several. */
    public enum FaceChoice {
        /** The largest box, as the service's identify does. */
        LARGEST,
        /** The box whose centre is nearest the photo's centre, as the LFW protocol labels its photos. */
        CENTRAL
    }

    private final FaceDetector detector;
    private final boolean ownsDetector;
    private final FaceChoice choice;
    private final AtomicInteger misses = new AtomicInteger();

    /** With the service's default detector score ({@code faceroster.imaging.detection.min-score}). */
    public Alignment(Path detectorModel, FaceChoice choice) {
        this.detector = new FaceDetector(detectorModel, ImagingProperties.Detection.DEFAULT_MIN_SCORE);
        this.ownsDetector = true;
        this.choice = choice;
    }

    /** With a detector the caller keeps (and closes). */
    public Alignment(FaceDetector detector, FaceChoice choice) {
        this.detector = detector;
        this.ownsDetector = false;
        this.choice = choice;
    }

    public Alignment(Path detectorModel) {
        this(detectorModel, FaceChoice.LARGEST);
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
        double cx = image.getWidth() / 2.0;
        double cy = image.getHeight() / 2.0;
        Comparator<FaceDetector.Face> order = choice == FaceChoice.LARGEST
                ? Comparator.comparingDouble(f -> -f.width() * f.height())
                : Comparator.comparingDouble(f -> Math.hypot(f.x() + f.width() / 2 - cx, f.y() + f.height() / 2 - cy));
        return FaceChips.align(image, faces.stream().min(order).orElseThrow());
    }

    public int misses() {
        return misses.get();
    }

    @Override
    public void close() {
        if (ownsDetector) {
            detector.close();
        }
    }
}
