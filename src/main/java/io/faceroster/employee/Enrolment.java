package io.faceroster.employee;

import io.faceroster.DomainException;
import io.faceroster.audit.AuditAction;
import io.faceroster.audit.AuditLog;
import io.faceroster.identify.Recognizer;
import io.faceroster.imaging.FaceCropper;
import io.faceroster.imaging.FaceChip;
import io.faceroster.imaging.DecodedImage;
import io.faceroster.imaging.ImageDecoder;
import io.faceroster.imaging.ImagingProperties;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;

/**
 * Enrols face images for an employee, all or nothing: every image is decoded, passed through face detection,
 * the quality gate and alignment, and embedded before anything is written; then {@link GalleryWrites} stores
 * the samples in one transaction and tells the in-memory support set about them once it has committed.
 */
@Service
class Enrolment {

    /** One uploaded image: its position in the request and its file name, for error messages. */
    record Upload(int index, String filename, byte[] bytes) {
    }

    private final EmployeeRepository employees;
    private final GalleryWrites writes;
    private final Recognizer recognizer;
    private final ImageDecoder decoder;
    private final FaceCropper cropper;
    private final ImagingProperties limits;
    private final AuditLog audit;
    private final MeterRegistry meters;

    Enrolment(EmployeeRepository employees, GalleryWrites writes, Recognizer recognizer, ImageDecoder decoder,
              FaceCropper cropper, ImagingProperties limits, AuditLog audit, MeterRegistry meters) {
        this.employees = employees;
        this.writes = writes;
        this.recognizer = recognizer;
        this.decoder = decoder;
        this.cropper = cropper;
        this.limits = limits;
        this.audit = audit;
        this.meters = meters;
    }

    /** @param detect false when the uploads are already aligned crops: no detection, no box */
    List<FaceSample> enrol(String employeeId, List<Upload> uploads, boolean detect) {
        long start = System.nanoTime();
        if (uploads.isEmpty()) {
            throw new DomainException("image_missing", "no 'image' part in the request");
        }
        if (uploads.size() > limits.maxImagesPerRequest()) {
            throw new DomainException("too_many_images", "at most " + limits.maxImagesPerRequest()
                    + " images per enrolment request, got " + uploads.size());
        }
        // Checked before the expensive decode and embed so an unknown employee fails fast; checked again
        // inside the transaction in case the employee was deleted meanwhile.
        Employee employee = employees.require(employeeId);
        writes.checkMayEnrol(employee);

        List<FaceCropper.Located> located = new ArrayList<>();
        for (Upload u : uploads) {
            try {
                // One decoded image at a time: its memory goes back to the decode budget once its chip is cut.
                try (DecodedImage decoded = decoder.decode(u.bytes())) {
                    located.add(cropper.forEnrolment(decoded, detect));
                }
            } catch (DomainException e) {
                Map<String, Object> part = new LinkedHashMap<>();
                part.put("index", u.index());
                part.put("filename", u.filename() == null ? "" : u.filename());
                throw e.with("image " + u.index()
                        + (u.filename() == null || u.filename().isBlank() ? "" : " ('" + u.filename() + "')")
                        + ": " + e.getMessage() + "; nothing was stored", Map.of("part", part));
            }
        }
        List<FaceChip> chips = located.stream().map(FaceCropper.Located::chip).toList();
        Recognizer.Active embeddedWith = recognizer.active();
        List<float[]> embeddings = embeddedWith.embedder().embedBatch(chips);
        List<GalleryWrites.NewFace> newFaces = new ArrayList<>();
        for (int i = 0; i < chips.size(); i++) {
            newFaces.add(new GalleryWrites.NewFace(chips.get(i), located.get(i).box(), embeddings.get(i),
                    GalleryWrites.contentHash(uploads.get(i).bytes())));
        }
        List<FaceSample> saved = writes.enrol(employeeId, newFaces, embeddedWith);
        audit.record(AuditAction.ENROL, employeeId, saved.size() + " faces enrolled", "faces "
                + saved.stream().map(f -> f.getId().toString()).toList());
        meters.timer("faceroster.enrol").record(Duration.ofNanos(System.nanoTime() - start));
        return saved;
    }
}
