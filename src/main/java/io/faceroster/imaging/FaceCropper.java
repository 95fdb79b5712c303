package io.faceroster.imaging;

import java.awt.image.BufferedImage;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Turns a decoded photo into the normalised face crops the tower embeds: detect, pick the face, align. With
 * detection skipped ({@code detect=false}, for callers that already send aligned crops) the whole image is the
 * crop and there is no box. Enrolment goes through the quality gate; identification takes the largest face or
 * all of them.
 */
@Component
public class FaceCropper {

    /**
     * A face chip and where it came from ({@code box} is null when detection was skipped); {@code qualityCrop} is
     * the 92x112 crop the enrolment quality gate measured, cut from the photo itself.
     */
    public record Located(FaceChip chip, FaceBox box, GreyImage qualityCrop) {
    }

    private static final Comparator<FaceDetector.Face> BY_SIZE = Comparator.comparingDouble(
            (FaceDetector.Face f) -> f.width() * f.height()).reversed();

    private final FaceDetector detector;
    private final ImagingProperties properties;

    public FaceCropper(FaceDetector detector, ImagingProperties properties) {
        this.detector = detector;
        this.properties = properties;
    }

    /** The one face of an enrolment photo, or a 422 problem saying why the photo is not good enough. */
    public Located forEnrolment(DecodedImage decoded, boolean detect) {
        BufferedImage image = decoded.image();
        int scale = decoded.scale();
        ImagingProperties.Quality q = properties.quality();
        Located located;
        if (detect) {
            List<FaceDetector.Face> faces = facesIn(image);
            if (faces.isEmpty()) {
                throw noFace();
            }
            if (faces.size() > 1) {
                List<FaceBox> boxes = faces.stream().sorted(BY_SIZE).map(f -> FaceBox.of(f, scale)).toList();
                throw new FaceRejected("multiple_faces", faces.size()
                        + " faces found; an enrolment photo must show exactly one",
                        Map.of("faceCount", faces.size(), "faces", boxes));
            }
            FaceDetector.Face face = faces.get(0);
            double size = Math.min(face.width(), face.height()) * scale;
            if (size < q.minFaceSize()) {
                throw new FaceRejected("face_too_small", String.format(
                        "the face is %.0f px wide; at least %.0f px are needed", size, q.minFaceSize()),
                        Map.of("faceSize", Math.round(size * 10) / 10.0, "minFaceSize", q.minFaceSize(),
                                "face", FaceBox.of(face, scale)));
            }
            located = new Located(FaceChips.align(image, face), FaceBox.of(face, scale),
                    FaceAligner.fromPhoto(image, face.landmarks()));
        } else {
            located = new Located(FaceChips.whole(image), null, FaceAligner.wholeImage(image));
        }
        checkQuality(located);
        return located;
    }

    /** The largest face of a query photo, or a 422 {@code no_face} problem. */
    public Located largest(DecodedImage decoded, boolean detect) {
        BufferedImage image = decoded.image();
        if (!detect) {
            return new Located(FaceChips.whole(image), null, null);
        }
        return facesIn(image).stream().min(BY_SIZE).map(f -> align(decoded, f)).orElseThrow(FaceCropper::noFace);
    }

    /** The faces of a photo, largest first, at most the configured number, and how many were detected. */
    public record Faces(List<Located> located, int detected) {
    }

    /** Every face of a query photo, largest first, at most {@code faceroster.imaging.max-faces-per-image}. */
    public Faces all(DecodedImage decoded) {
        BufferedImage image = decoded.image();
        // A group photo: always search the tiles too, its faces are often small.
        List<FaceDetector.Face> faces = detector.detectWithTiles(image);
        return new Faces(faces.stream().sorted(BY_SIZE).limit(properties.maxFacesPerImage())
                .map(f -> align(decoded, f)).toList(), faces.size());
    }

    /**
     * The faces of a one-person photo: the whole-photo pass; if that finds none, the tiles (small faces); if those
     * find none either, the photo with a neutral border (a face filling the frame is missed without one).
     */
    private List<FaceDetector.Face> facesIn(BufferedImage image) {
        List<FaceDetector.Face> faces = detector.detect(image);
        if (faces.isEmpty()) {
            faces = detector.detectWithTiles(image, faces);
        }
        return faces.isEmpty() ? detector.detectWithBorder(image) : faces;
    }

    private static Located align(DecodedImage decoded, FaceDetector.Face face) {
        return new Located(FaceChips.align(decoded.image(), face), FaceBox.of(face, decoded.scale()), null);
    }

    private void checkQuality(Located located) {
        ImagingProperties.Quality q = properties.quality();
        FaceQuality measured = FaceQuality.of(located.qualityCrop());
        String reason = null;
        String detail = null;
        if (measured.brightness() < q.minBrightness()) {
            reason = "too_dark";
            detail = String.format("the face is too dark (mean grey %.0f, at least %.0f)", measured.brightness(),
                    q.minBrightness());
        } else if (measured.brightness() > q.maxBrightness()) {
            reason = "too_bright";
            detail = String.format("the face is too bright (mean grey %.0f, at most %.0f)", measured.brightness(),
                    q.maxBrightness());
        } else if (measured.sharpness() < q.minSharpness()) {
            reason = "blurred";
            detail = String.format("the face is blurred (sharpness %.1f, at least %.1f)", measured.sharpness(),
                    q.minSharpness());
        }
        if (reason != null) {
            Map<String, Object> props = new LinkedHashMap<>();
            props.put("reason", reason);
            props.put("sharpness", Math.round(measured.sharpness() * 10) / 10.0);
            props.put("brightness", Math.round(measured.brightness() * 10) / 10.0);
            if (located.box() != null) {
                props.put("face", located.box());
            }
            throw new FaceRejected("low_quality", detail, props);
        }
    }

    private static FaceRejected noFace() {
        return FaceRejected.noFace();
    }
}
