package io.faceroster.employee;

import io.faceroster.DomainException;
import io.faceroster.audit.AuditAction;
import io.faceroster.audit.AuditLog;
import io.faceroster.identify.Recognizer;
import io.faceroster.identify.SupportSet;
import io.faceroster.imaging.FaceCropper;
import io.faceroster.imaging.FaceChip;
import io.faceroster.imaging.FaceChipPng;
import io.faceroster.imaging.DecodedImage;
import io.faceroster.imaging.ImageDecoder;
import io.faceroster.imaging.ImagingProperties;
import io.faceroster.privacy.PrivacyProperties;
import io.faceroster.replication.ChangeLog;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Enrols face images for an employee, all or nothing: every image is decoded, passed through face detection,
 * the quality gate and alignment, and embedded before anything is written; the samples are stored in one
 * transaction; the in-memory support set learns about
 * them only after that transaction has committed.
 */
@Service
class Enrolment {

    /** The committed samples and the employee's name as the transaction saw it. */
    private record Stored(List<FaceSample> rows, String displayName) {
    }

    /** One uploaded image: its position in the request and its file name, for error messages. */
    record Upload(int index, String filename, byte[] bytes) {
    }

    private final EmployeeRepository employees;
    private final FaceSampleRepository faces;
    private final Recognizer recognizer;
    private final ImageDecoder decoder;
    private final FaceCropper cropper;
    private final ImagingProperties limits;
    private final PrivacyProperties privacy;
    private final AuditLog audit;
    private final EmployeeLocks locks;
    private final TransactionTemplate tx;
    private final MeterRegistry meters;
    private final Clock clock;
    private final ChangeLog changeLog;

    Enrolment(EmployeeRepository employees, FaceSampleRepository faces, Recognizer recognizer, ImageDecoder decoder,
              FaceCropper cropper, ImagingProperties limits, PrivacyProperties privacy, AuditLog audit,
              EmployeeLocks locks, TransactionTemplate tx, MeterRegistry meters, Clock clock, ChangeLog changeLog) {
        this.employees = employees;
        this.faces = faces;
        this.recognizer = recognizer;
        this.decoder = decoder;
        this.cropper = cropper;
        this.limits = limits;
        this.privacy = privacy;
        this.audit = audit;
        this.locks = locks;
        this.tx = tx;
        this.meters = meters;
        this.clock = clock;
        this.changeLog = changeLog;
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
        checkMayEnrol(employee);

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
        List<float[]> first = embeddedWith.embedder().embedBatch(chips);

        List<FaceSample> saved = recognizer.whileActive(active -> {
            // A model switch between embedding and now: embed again so the stored version is the active one.
            List<float[]> embeddings = active == embeddedWith ? first : active.embedder().embedBatch(chips);
            return locks.with(employeeId, () -> {
                Stored stored = tx.execute(status -> {
                    Employee e = employees.require(employeeId);
                    checkMayEnrol(e);
                    List<FaceSample> samples = new ArrayList<>();
                    for (int i = 0; i < chips.size(); i++) {
                        samples.add(new FaceSample(e, FaceChipPng.toPng(chips.get(i)), located.get(i).box(),
                                embeddings.get(i), active.modelVersion(), clock.instant()));
                    }
                    List<FaceSample> rows = faces.saveAll(samples);
                    changeLog.record(ChangeLog.Kind.ENROL, employeeId);
                    return new Stored(rows, e.getDisplayName());
                });
                List<SupportSet.Shot> shots = new ArrayList<>();
                for (int i = 0; i < stored.rows().size(); i++) {
                    shots.add(new SupportSet.Shot(stored.rows().get(i).getId(), embeddings.get(i)));
                }
                active.supportSet().add(employeeId, stored.displayName(), shots);
                return stored.rows();
            });
        });
        audit.record(AuditAction.ENROL, employeeId, saved.size() + " faces enrolled", "faces "
                + saved.stream().map(f -> f.getId().toString()).toList());
        meters.counter("faceroster.enrolled.faces").increment(saved.size());
        meters.timer("faceroster.enrol").record(Duration.ofNanos(System.nanoTime() - start));
        return saved;
    }

    private void checkMayEnrol(Employee employee) {
        if (privacy.requireConsent() && !employee.hasConsent()) {
            throw new DomainException("consent_required", "employee '" + employee.getEmployeeId()
                    + "' has no consent record; record it first (PATCH with \"consent\": {\"reference\": ...})");
        }
        if (employee.getLeftAt() != null) {
            throw new DomainException("employee_left", "employee '" + employee.getEmployeeId()
                    + "' is marked as left; no new faces are enrolled");
        }
    }
}
