package io.faceroster.imaging;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Uploaded images, face detection and the enrolment quality gate ({@code faceroster.imaging.*}). The byte
 * limit of a whole request is Spring's {@code spring.servlet.multipart.max-request-size}.
 *
 * @param maxPixels           largest width x height decoded; larger images are refused from their header
 * @param maxImagesPerRequest most image parts accepted in one enrolment
 * @param maxFacesPerImage    most faces identified in one {@code all=true} identify request (the largest ones)
 * @param maxDecodedBytes     largest width x height x decoded bytes per pixel (a 16-bit RGBA pixel takes 8)
 * @param maxAspectRatio      longest / shortest side at most this
 * @param minSide             shortest side at least this many pixels
 * @param maxPixelsPerByte    above 1 megapixel, pixels per byte of the file at most this (forged headers)
 * @param decodeHeapShare     share of the maximum heap that decoding uploads may take at once ({@link DecodeBudget})
 * @param decodeWait          how long a decode waits for that memory before a 429 {@code decode_busy}
 * @param detection           the face detector
 * @param quality             the enrolment quality gate
 */
@ConfigurationProperties("faceroster.imaging")
public record ImagingProperties(@DefaultValue("40000000") long maxPixels,
                                @DefaultValue("10") int maxImagesPerRequest,
                                @DefaultValue("10") int maxFacesPerImage,
                                @DefaultValue("167772160") long maxDecodedBytes,
                                @DefaultValue("10") double maxAspectRatio,
                                @DefaultValue("16") int minSide,
                                @DefaultValue("1000") double maxPixelsPerByte,
                                @DefaultValue("0.5") double decodeHeapShare,
                                @DefaultValue("30s") Duration decodeWait,
                                @DefaultValue Detection detection,
                                @DefaultValue Quality quality) {

    /** The header limits as the decoder applies them. */
    public ImageLimits limits() {
        return new ImageLimits(maxPixels, maxDecodedBytes, maxAspectRatio, minSide, maxPixelsPerByte);
    }

    /**
     * @param model    the BlazeFace ONNX file
     * @param minScore lowest detector score counted as a face. 0.71: on 4,602 real photos (LFW and ORL) every
     *                 labelled face scored at least 0.738, and every detection from 0.71 up was a real face, while
     *                 hands, lettering and clothing scored up to 0.687 (docs/detection.md)
     */
    public record Detection(@DefaultValue(DEFAULT_MODEL_PATH) Path model,
                            @DefaultValue("0.71") double minScore) {
        /** The shipped BlazeFace model, relative to the working directory. */
        public static final String DEFAULT_MODEL_PATH = "models/detector/face_detection_front_128x128_barracuda.onnx";
        /** The default {@code model}, for tools that run the detector outside the service. */
        public static final Path DEFAULT_MODEL = Path.of(DEFAULT_MODEL_PATH);
        /** The default {@code min-score}, for tools that run the detector outside the service. */
        public static final double DEFAULT_MIN_SCORE = 0.71;
    }

    /**
     * Enrolment refuses a face whose box side is below {@code minFaceSize} pixels of the uploaded image
     * ({@code face_too_small}), or whose aligned crop has a Laplacian variance below {@code minSharpness} or a
     * mean grey level outside [{@code minBrightness}, {@code maxBrightness}] on a 0-255 scale
     * ({@code low_quality}). Defaults: every ORL photo passes (box 60-101 px, sharpness 91-1686, brightness
     * 85-169); a Gaussian blur of sigma 2 px is refused (sharpness at most 24).
     */
    public record Quality(@DefaultValue("48") double minFaceSize,
                          @DefaultValue("25") double minSharpness,
                          @DefaultValue("35") double minBrightness,
                          @DefaultValue("210") double maxBrightness) {
    }
}
