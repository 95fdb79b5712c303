package io.faceroster.employee;

import io.faceroster.DomainException;
import io.faceroster.audit.AuditAction;
import io.faceroster.audit.AuditLog;
import io.faceroster.replication.ChangeLog;
import io.faceroster.imaging.FaceBox;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/** An employee's face samples: enrol, list, fetch the stored face chip, delete. (Verify lives in identify.) */
@RestController
@RequestMapping("/api/v1/employees/{employeeId}")
class FaceController {

    private final EmployeeRepository employees;
    private final FaceSampleRepository faces;
    private final Enrolment enrolment;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final GalleryTransaction writes;
    private final ChangeLog changeLog;

    FaceController(EmployeeRepository employees, FaceSampleRepository faces, Enrolment enrolment, AuditLog audit,
                   TransactionTemplate tx, GalleryTransaction writes, ChangeLog changeLog) {
        this.employees = employees;
        this.faces = faces;
        this.enrolment = enrolment;
        this.audit = audit;
        this.tx = tx;
        this.writes = writes;
        this.changeLog = changeLog;
    }

    /** An enrolled face; {@code face} is where it was found in its upload (null when detection was skipped). */
    record Face(UUID faceId, Instant createdAt, String modelVersion, FaceBox face) {
        static Face of(FaceSample s) {
            return new Face(s.getId(), s.getCreatedAt(), s.getModelVersion(), s.getFaceBox());
        }
    }

    record Faces(List<Face> faces) {
    }

    @PostMapping(path = "/faces", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    ResponseEntity<Faces> enrol(@PathVariable String employeeId,
                                @RequestPart("image") List<MultipartFile> images,
                                @RequestParam(defaultValue = "true") boolean detect) throws IOException {
        List<Enrolment.Upload> uploads = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            uploads.add(new Enrolment.Upload(i, images.get(i).getOriginalFilename(), images.get(i).getBytes()));
        }
        List<FaceSample> saved = enrolment.enrol(employeeId, uploads, detect);
        return ResponseEntity.created(URI.create("/api/v1/employees/" + employeeId + "/faces"))
                .body(new Faces(saved.stream().map(Face::of).toList()));
    }

    @GetMapping("/faces")
    Faces list(@PathVariable String employeeId) {
        return tx.execute(status -> new Faces(faces.findByEmployeeOrderByCreatedAt(employees.require(employeeId))
                .stream().map(Face::of).toList()));
    }

    @GetMapping(path = "/faces/{faceId}/image", produces = MediaType.IMAGE_PNG_VALUE)
    byte[] image(@PathVariable String employeeId, @PathVariable UUID faceId) {
        return tx.execute(status -> find(employeeId, faceId).getCropPng());
    }

    @DeleteMapping("/faces/{faceId}")
    ResponseEntity<Void> delete(@PathVariable String employeeId, @PathVariable UUID faceId) {
        writes.write(employeeId, active -> {
            faces.delete(find(employeeId, faceId));
            changeLog.record(ChangeLog.Kind.FACE_DELETE, employeeId);
            return faceId;
        }, (supportSet, deleted) -> supportSet.removeShot(employeeId, deleted));
        audit.record(AuditAction.FACE_DELETE, employeeId, "face deleted", "face " + faceId);
        return ResponseEntity.noContent().build();
    }

    private FaceSample find(String employeeId, UUID faceId) {
        return faces.findByIdAndEmployee(faceId, employees.require(employeeId)).orElseThrow(() ->
                new DomainException("face_not_found", "employee '" + employeeId + "' has no face " + faceId));
    }
}
