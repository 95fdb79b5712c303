package io.faceroster.imaging;

import io.faceroster.DomainException;
import java.util.Map;

/**
 * A photo whose face cannot be used: {@code no_face}, {@code multiple_faces} (enrolment), {@code face_too_small}
 * or {@code low_quality} (the enrolment quality gate).
 */
public class FaceRejected extends DomainException {

    public FaceRejected(String code, String detail, Map<String, Object> properties) {
        super(code, detail, properties);
    }

    public static FaceRejected noFace() {
        return new FaceRejected("no_face", "no face found in the image", Map.of());
    }
}
