package io.faceroster.identify;

import io.faceroster.DomainException;
import io.faceroster.audit.AuditAction;
import io.faceroster.audit.AuditLog;
import io.faceroster.imaging.DecodedImage;
import io.faceroster.imaging.FaceBox;
import io.faceroster.imaging.FaceCropper;
import io.faceroster.imaging.ImageDecoder;
import java.io.IOException;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/** 1:1 verification: is the largest face of this photo the employee? (Role {@code identify}, like identify.) */
@RestController
class VerifyController {

    private final EmployeeDirectory employees;
    private final Recognizer recognizer;
    private final ImageDecoder decoder;
    private final FaceCropper cropper;
    private final AuditLog audit;

    VerifyController(EmployeeDirectory employees, Recognizer recognizer, ImageDecoder decoder, FaceCropper cropper,
                     AuditLog audit) {
        this.employees = employees;
        this.recognizer = recognizer;
        this.decoder = decoder;
        this.cropper = cropper;
        this.audit = audit;
    }

    record Verification(boolean match, double distance, double threshold, String modelVersion, FaceBox face) {
    }

    @PostMapping(path = "/api/v1/employees/{employeeId}/verify", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    Verification verify(@PathVariable String employeeId, @RequestPart("image") MultipartFile image,
                        @RequestParam(required = false) Double threshold,
                        @RequestParam(defaultValue = "true") boolean detect) throws IOException {
        employees.requireExists(employeeId);
        FaceCropper.Located face;
        try (DecodedImage decoded = decoder.decode(image.getBytes())) {
            face = cropper.largest(decoded, detect);
        }
        Recognizer.Active active = recognizer.active();
        float[] query = active.embedder().embed(face.chip());
        double distance = active.supportSet().distanceTo(employeeId, query).orElseThrow(() ->
                new DomainException("employee_not_enrolled",
                        "employee '" + employeeId + "' has no enrolled faces to verify against"));
        double t = recognizer.threshold(threshold);
        audit.record(AuditAction.VERIFY, employeeId, distance <= t ? "match" : "no match",
                String.format("distance %.4f, threshold %.4f, model %s", distance, t, active.modelVersion()));
        return new Verification(distance <= t, distance, t, active.modelVersion(), face.box());
    }
}
