package io.faceroster.imaging;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * Detect-then-align as an image transform, for the command-line tools: one face of each image, chosen by a
 * {@link FaceChoice}, aligned to the 92x112 crop as the service does; an image without a detected face stays
 * whole (and is counted).
 */
public final class Alignment implements UnaryOperator<GreyImage>, AutoCloseable {

    public static final Path DEFAULT_DETECTOR = Path.of("models", "detector", "face_detection_front_128x128_barracuda.onnx");

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
    private final FaceChoice choice;
    private final AtomicInteger misses = new AtomicInteger();
    private final AtomicInteger severalFaces = new AtomicInteger();
    private final AtomicInteger notLargest = new AtomicInteger();

    /** The largest face, with the service's default detector score (0.5, {@code faceroster.imaging.detection.min-score}). */
    public Alignment(Path detectorModel) {
        this(detectorModel, FaceChoice.LARGEST);
    }

    public Alignment(Path detectorModel, FaceChoice choice) {
        this.detector = new FaceDetector(detectorModel, 0.5);
        this.choice = choice;
    }

    @Override
    public GreyImage apply(GreyImage image) {
        var faces = detector.detect(image.toBufferedImage());
        if (faces.isEmpty()) {
            misses.incrementAndGet();
            return Resampling.resize(image, FaceCrops.WIDTH, FaceCrops.HEIGHT);
        }
        FaceDetector.Face face = choice.pick(faces, image.width(), image.height());
        if (faces.size() > 1) {
            severalFaces.incrementAndGet();
            if (face != FaceChoice.LARGEST.pick(faces, image.width(), image.height())) {
                notLargest.incrementAndGet();
            }
        }
        return FaceAligner.align(image, face);
    }

    /** Images in which no face was found (kept whole). */
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
        detector.close();
    }
}
