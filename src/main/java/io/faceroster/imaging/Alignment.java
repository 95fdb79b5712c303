package io.faceroster.imaging;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * Detect-then-align as an image transform, for the command-line tools: the largest face of each image,
 * aligned to the 92x112 crop as the service does; an image without a detected face stays whole (and is counted).
 */
public final class Alignment implements UnaryOperator<GreyImage>, AutoCloseable {

    public static final Path DEFAULT_DETECTOR = Path.of("models", "detector", "face_detection_front_128x128_barracuda.onnx");

    private final FaceDetector detector;
    private final AtomicInteger misses = new AtomicInteger();

    /** With the service's default detector score (0.5, {@code faceroster.imaging.detection.min-score}). */
    public Alignment(Path detectorModel) {
        this.detector = new FaceDetector(detectorModel, 0.5);
    }

    @Override
    public GreyImage apply(GreyImage image) {
        var faces = detector.detect(image.toBufferedImage());
        if (faces.isEmpty()) {
            misses.incrementAndGet();
            return Resampling.resize(image, FaceCrops.WIDTH, FaceCrops.HEIGHT);
        }
        var largest = faces.stream().max(Comparator.comparingDouble(f -> f.width() * f.height())).get();
        return FaceAligner.align(image, largest);
    }

    public int misses() {
        return misses.get();
    }

    @Override
    public void close() {
        detector.close();
    }
}
