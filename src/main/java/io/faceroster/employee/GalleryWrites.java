package io.faceroster.employee;

import io.faceroster.replication.ChangeLog;
import io.faceroster.DomainException;
import io.faceroster.identify.Recognizer;
import io.faceroster.identify.SupportSet;
import io.faceroster.imaging.FaceBox;
import io.faceroster.imaging.FaceChip;
import io.faceroster.imaging.FaceChipPng;
import io.faceroster.privacy.PrivacyProperties;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The one write path for new face samples, shared by enrolment through the API and bulk import: while the active
 * model stays the same (re-embedding if it switched since the faces were embedded), under the employee's lock,
 * one transaction stores the samples (encrypted at rest by {@code FaceSample}'s converters), and only after it has
 * committed does the in-memory support set learn about them. Auditing stays with the callers, which know on whose
 * behalf and as part of what the faces were stored.
 */
@Service
public class GalleryWrites {

    /** A face ready to be stored: its chip, where it was found (null without detection), its embedding. */
    public record NewFace(FaceChip chip, FaceBox box, float[] embedding, String contentHash) {
    }

    /** Who to create (or whose consent to record) when an import meets an employee without one. */
    public record NewEmployee(String displayName, String consentReference, Instant consentGivenAt) {
        public boolean hasConsent() {
            return consentReference != null && !consentReference.isBlank();
        }
    }

    /**
     * What an import stored: whether it created the employee or recorded their consent, the new samples, and
     * for faces whose photo was already stored for the employee (same content hash), that sample's id.
     */
    public record Imported(boolean created, boolean consentRecorded, List<FaceSample> stored,
                           Map<String, UUID> alreadyStored) {
    }

    /**
     * What the gallery holds of an employee before an import handles them: whether they exist, how many samples
     * they have that another import or the API stored, and the content hash of each stored sample.
     */
    public record Holding(boolean exists, int enrolledElsewhere, Map<String, UUID> hashes) {
    }

    private record Resolved(Employee employee, boolean created, boolean consentRecorded) {
    }

    private record Written(Resolved resolved, List<FaceSample> rows, Map<String, UUID> already) {
    }

    private final EmployeeRepository employees;
    private final FaceSampleRepository faces;
    private final Recognizer recognizer;
    private final PrivacyProperties privacy;
    private final EmployeeLocks locks;
    private final TransactionTemplate tx;
    private final MeterRegistry meters;
    private final Clock clock;
    private final ChangeLog changeLog;

    GalleryWrites(EmployeeRepository employees, FaceSampleRepository faces, Recognizer recognizer,
                  PrivacyProperties privacy, EmployeeLocks locks, TransactionTemplate tx, MeterRegistry meters,
                  Clock clock, ChangeLog changeLog) {
        this.employees = employees;
        this.faces = faces;
        this.recognizer = recognizer;
        this.privacy = privacy;
        this.locks = locks;
        this.tx = tx;
        this.meters = meters;
        this.clock = clock;
        this.changeLog = changeLog;
    }

    /** Stores faces of an existing employee (enrolment): all or none, refused without consent or after leaving. */
    List<FaceSample> enrol(String employeeId, List<NewFace> newFaces, Recognizer.Active embeddedWith) {
        return write(employeeId, () -> {
            Employee e = employees.require(employeeId);
            checkMayEnrol(e);
            return new Resolved(e, false, false);
        }, newFaces, embeddedWith, null).rows();
    }

    /**
     * Stores faces of one employee for import {@code importId}, creating the employee first when missing (only with
     * consent in {@code ifMissing}) and recording that consent for an existing employee who has none. Faces whose
     * content hash is already stored for the employee are not stored again.
     */
    public Imported importFaces(String employeeId, NewEmployee ifMissing, List<NewFace> newFaces,
                                Recognizer.Active embeddedWith, UUID importId) {
        Written w = write(employeeId, () -> {
            Instant now = clock.instant();
            Employee e = employees.findByEmployeeId(employeeId).orElse(null);
            boolean created = false;
            boolean consented = false;
            if (e == null) {
                String name = ifMissing.displayName() == null || ifMissing.displayName().isBlank()
                        ? employeeId : ifMissing.displayName().trim();
                e = new Employee(employeeId, name, now);
                created = true;
            }
            if (!e.hasConsent() && ifMissing.hasConsent()) {
                e.recordConsent(ifMissing.consentReference().trim(),
                        ifMissing.consentGivenAt() == null ? now : ifMissing.consentGivenAt(), now);
                consented = true;
            }
            checkMayEnrol(e);
            if (created || consented) {
                e = employees.save(e);
            }
            return new Resolved(e, created, consented);
        }, newFaces, embeddedWith, importId);
        return new Imported(w.resolved().created(), w.resolved().consentRecorded(), w.rows(), w.already());
    }

    /** What is stored for {@code employeeId}; samples stored by {@code importId} do not count as enrolled elsewhere. */
    public Holding holding(String employeeId, UUID importId) {
        return tx.execute(status -> {
            Employee e = employees.findByEmployeeId(employeeId).orElse(null);
            if (e == null) {
                return new Holding(false, 0, Map.of());
            }
            Map<String, UUID> hashes = new HashMap<>();
            int elsewhere = 0;
            for (FaceSampleRepository.Origin o : faces.origins(e)) {
                if (o.contentHash() != null) {
                    hashes.put(o.contentHash(), o.faceId());
                }
                if (importId == null || !importId.equals(o.importId())) {
                    elsewhere++;
                }
            }
            return new Holding(true, elsewhere, hashes);
        });
    }

    private Written write(String employeeId, Supplier<Resolved> resolve, List<NewFace> newFaces,
                          Recognizer.Active embeddedWith, UUID importId) {
        List<FaceChip> chips = newFaces.stream().map(NewFace::chip).toList();
        Written written = recognizer.whileActive(active -> {
            // A model switch between embedding and now: embed again so the stored version is the active one.
            List<float[]> embeddings = active == embeddedWith
                    ? newFaces.stream().map(NewFace::embedding).toList() : active.embedder().embedBatch(chips);
            return locks.with(employeeId, () -> {
                Written w = tx.execute(status -> {
                    Resolved r = resolve.get();
                    Employee e = r.employee();
                    Map<String, UUID> stored = new HashMap<>();
                    if (importId != null) {
                        for (FaceSampleRepository.Origin o : faces.origins(e)) {
                            if (o.contentHash() != null) {
                                stored.put(o.contentHash(), o.faceId());
                            }
                        }
                    }
                    Map<String, UUID> already = new HashMap<>();
                    List<FaceSample> samples = new ArrayList<>();
                    for (int i = 0; i < newFaces.size(); i++) {
                        NewFace f = newFaces.get(i);
                        if (f.contentHash() != null && stored.containsKey(f.contentHash())) {
                            already.put(f.contentHash(), stored.get(f.contentHash()));
                            continue;
                        }
                        FaceSample s = new FaceSample(e, FaceChipPng.toPng(f.chip()), f.box(), embeddings.get(i),
                                active.modelVersion(), clock.instant());
                        s.setOrigin(f.contentHash(), importId);
                        samples.add(s);
                    }
                    List<FaceSample> rows = faces.saveAll(samples);
                    if (!rows.isEmpty()) {
                        changeLog.record(ChangeLog.Kind.ENROL, employeeId);
                    }
                    return new Written(r, rows, already);
                });
                List<SupportSet.Shot> shots = new ArrayList<>();
                for (FaceSample s : w.rows()) {
                    shots.add(new SupportSet.Shot(s.getId(), s.getEmbedding()));
                }
                if (!shots.isEmpty()) {
                    active.supportSet().add(employeeId, w.resolved().employee().getDisplayName(), shots);
                }
                return w;
            });
        });
        meters.counter("faceroster.enrolled.faces").increment(written.rows().size());
        return written;
    }

    /** SHA-256 of a photo's bytes in lower-case hex: how a photo already stored for an employee is recognised. */
    public static String contentHash(byte[] photo) {
        return io.faceroster.Sha256.hex(photo);
    }

    /** Enrolment needs consent (unless switched off) and an employee who has not left. */
    void checkMayEnrol(Employee employee) {
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
