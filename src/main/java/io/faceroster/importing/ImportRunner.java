package io.faceroster.importing;

import io.faceroster.DomainException;
import io.faceroster.audit.AuditAction;
import io.faceroster.audit.AuditLog;
import io.faceroster.employee.FaceSample;
import io.faceroster.employee.GalleryWrites;
import io.faceroster.identify.Recognizer;
import io.faceroster.imaging.DecodedImage;
import io.faceroster.imaging.FaceChip;
import io.faceroster.imaging.FaceCropper;
import io.faceroster.imaging.ImageDecoder;
import io.faceroster.imaging.ImagingProperties;
import io.faceroster.privacy.PrivacyProperties;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.springframework.stereotype.Component;

/**
 * Imports one employee's photos: each photo on its own through decoding, face detection and the quality gate (one
 * blurred photo does not lose the other four), then the photos that passed are embedded together and stored through
 * {@link GalleryWrites} (employee lock, one transaction, support-set update, change log), creating the employee
 * only with consent. Photos already stored for the employee (same content hash) are not stored again. One audit
 * entry per employee names the import.
 */
@Component
class ImportRunner {

    /** Which employee to import, with their CSV row (null: none) and photos. */
    record Employee(String employeeId, EmployeesCsv.Row row, List<ImportArchive.Photo> photos) {
    }

    /** The photos of one employee decoded and checked, ready to embed and store. */
    record Prepared(Employee employee, List<ImportReport.Line> settled, List<ImportArchive.Photo> passed,
                    List<FaceCropper.Located> located, boolean skipped) {
    }

    /** An employee's outcome: report lines, whether they were created, faces stored, photos refused. */
    record Done(List<ImportReport.Line> lines, boolean created, int enrolled, int refused) {
    }

    private static final int DECODE_RETRIES = 20;

    private final GalleryWrites writes;
    private final Recognizer recognizer;
    private final ImageDecoder decoder;
    private final FaceCropper cropper;
    private final PrivacyProperties privacy;
    private final ImportProperties properties;
    private final AuditLog audit;
    private final ImagingProperties imaging;

    ImportRunner(GalleryWrites writes, Recognizer recognizer, ImageDecoder decoder, FaceCropper cropper,
                 PrivacyProperties privacy, ImportProperties properties, AuditLog audit, ImagingProperties imaging) {
        this.imaging = imaging;
        this.writes = writes;
        this.recognizer = recognizer;
        this.decoder = decoder;
        this.cropper = cropper;
        this.privacy = privacy;
        this.properties = properties;
        this.audit = audit;
    }

    /**
     * Decodes and checks an employee's photos on {@code pool} (photos of one employee in parallel); stops taking
     * new photos once {@code cancelled} says so.
     */
    Prepared prepare(ImportJob job, ZipFile zip, Employee employee, ExecutorService pool, BooleanSupplier cancelled)
            throws Exception {
        String id = employee.employeeId();
        GalleryWrites.Holding holding = writes.holding(id, job.getId());
        List<ImportReport.Line> settled = new ArrayList<>();
        if (holding.exists() && holding.enrolledElsewhere() > 0 && job.getOnExisting() == ImportJob.OnExisting.SKIP) {
            for (ImportArchive.Photo p : employee.photos()) {
                settled.add(line(p, ImportReport.Outcome.SKIPPED, null, "employee already enrolled with "
                        + holding.enrolledElsewhere() + " face(s); onExisting=skip leaves them alone", null));
            }
            return new Prepared(employee, settled, List.of(), List.of(), true);
        }
        if (!holding.exists() && privacy.requireConsent() && !newEmployee(job, employee).hasConsent()) {
            for (ImportArchive.Photo p : employee.photos()) {
                settled.add(line(p, ImportReport.Outcome.REFUSED, "consent_required", "employee '" + id + "' is new "
                        + "and has no consent record: give consentReference in employees.csv or as an import parameter;"
                        + " nothing of theirs was stored", null));
            }
            return new Prepared(employee, settled, List.of(), List.of(), false);
        }
        List<ImportArchive.Photo> toCheck = new ArrayList<>();
        Map<String, ImportArchive.Photo> firstOfHash = new HashMap<>();
        int admitted = 0;
        for (ImportArchive.Photo p : employee.photos()) {
            if (p.contentHash() != null && !holding.hashes().containsKey(p.contentHash())
                    && ++admitted > imaging.maxImagesPerRequest()) {
                // As many as one enrolment request takes: an employee's chips are held until they are stored.
                settled.add(line(p, ImportReport.Outcome.REFUSED, "too_many_images", "more than "
                        + imaging.maxImagesPerRequest() + " new photos for one employee "
                        + "(faceroster.imaging.max-images-per-request)", null));
            } else if (p.contentHash() == null) {
                settled.add(line(p, ImportReport.Outcome.REFUSED, "photo_too_large", "larger than "
                        + properties.maxPhotoSize().toBytes() + " bytes (faceroster.import.max-photo-size)", null));
            } else if (holding.hashes().containsKey(p.contentHash())) {
                settled.add(line(p, ImportReport.Outcome.ALREADY_STORED, null, "this photo is already stored for the "
                        + "employee", holding.hashes().get(p.contentHash())));
            } else if (firstOfHash.putIfAbsent(p.contentHash(), p) != null) {
                settled.add(line(p, ImportReport.Outcome.ALREADY_STORED, null, "the same photo as '"
                        + firstOfHash.get(p.contentHash()).file() + "' in this archive", null));
            } else {
                toCheck.add(p);
            }
        }
        List<Future<Object>> checks = new ArrayList<>();
        for (ImportArchive.Photo p : toCheck) {
            checks.add(pool.submit((Callable<Object>) () -> cancelled.getAsBoolean() ? null : locate(zip, p, job)));
        }
        List<ImportArchive.Photo> passed = new ArrayList<>();
        List<FaceCropper.Located> located = new ArrayList<>();
        for (int i = 0; i < toCheck.size(); i++) {
            Object result = checks.get(i).get();
            ImportArchive.Photo p = toCheck.get(i);
            if (result instanceof FaceCropper.Located l) {
                passed.add(p);
                located.add(l);
            } else if (result instanceof DomainException e) {
                settled.add(line(p, ImportReport.Outcome.REFUSED, e.code(), e.getMessage(), null));
            }
            // null: cancelled before this photo was taken up; it is not reported
        }
        return new Prepared(employee, settled, passed, located, false);
    }

    /**
     * Embeds what {@link #prepare} let through for several employees in one batch (cheaper per face than one batch
     * per employee), then stores each employee on their own and audits them once.
     */
    List<Done> store(ImportJob job, List<Prepared> group) {
        List<FaceChip> chips = new ArrayList<>();
        if (!job.isDryRun()) {
            group.forEach(p -> p.located().forEach(l -> chips.add(l.chip())));
        }
        Recognizer.Active embeddedWith = recognizer.active();
        List<float[]> embeddings = chips.isEmpty() ? List.of() : embeddedWith.embedder().embedBatch(chips);
        List<Done> done = new ArrayList<>();
        int from = 0;
        for (Prepared p : group) {
            int n = job.isDryRun() ? 0 : p.located().size();
            done.add(store(job, p, embeddings.subList(from, from + n), embeddedWith));
            from += n;
        }
        return done;
    }

    private Done store(ImportJob job, Prepared prepared, List<float[]> embeddings, Recognizer.Active embeddedWith) {
        Employee employee = prepared.employee();
        List<ImportReport.Line> lines = new ArrayList<>(prepared.settled());
        int refused = (int) lines.stream().filter(l -> l.outcome() == ImportReport.Outcome.REFUSED).count();
        if (prepared.passed().isEmpty()) {
            return new Done(inArchiveOrder(employee, lines), false, 0, refused);
        }
        if (job.isDryRun()) {
            for (ImportArchive.Photo p : prepared.passed()) {
                lines.add(line(p, ImportReport.Outcome.WOULD_ENROL, null, null, null));
            }
            return new Done(inArchiveOrder(employee, lines), false, 0, refused);
        }
        List<FaceChip> chips = prepared.located().stream().map(FaceCropper.Located::chip).toList();
        List<GalleryWrites.NewFace> faces = new ArrayList<>();
        for (int i = 0; i < chips.size(); i++) {
            faces.add(new GalleryWrites.NewFace(chips.get(i), prepared.located().get(i).box(), embeddings.get(i),
                    prepared.passed().get(i).contentHash()));
        }
        GalleryWrites.Imported imported;
        try {
            imported = writes.importFaces(employee.employeeId(), newEmployee(job, employee), faces, embeddedWith,
                    job.getId());
        } catch (DomainException e) {
            for (ImportArchive.Photo p : prepared.passed()) {
                lines.add(line(p, ImportReport.Outcome.REFUSED, e.code(), e.getMessage(), null));
            }
            return new Done(inArchiveOrder(employee, lines), false, 0, refused + prepared.passed().size());
        }
        Map<String, UUID> storedByHash = new HashMap<>();
        for (FaceSample s : imported.stored()) {
            storedByHash.put(s.getContentHash(), s.getId());
        }
        for (ImportArchive.Photo p : prepared.passed()) {
            UUID stored = storedByHash.get(p.contentHash());
            lines.add(stored != null ? line(p, ImportReport.Outcome.ENROLLED, null, null, stored)
                    : line(p, ImportReport.Outcome.ALREADY_STORED, null, "this photo is already stored for the employee",
                    imported.alreadyStored().get(p.contentHash())));
        }
        inArchiveOrder(employee, lines);
        audit.recordAs(job.getCreatedBy(), AuditAction.ENROL, employee.employeeId(), imported.stored().size()
                + " faces enrolled", "import " + job.getId() + (imported.created() ? ": employee created" : "")
                + (imported.consentRecorded() ? ", consent recorded" : "") + ", faces "
                + imported.stored().stream().map(s -> s.getId().toString()).toList());
        return new Done(lines, imported.created(), imported.stored().size(), refused);
    }

    /** Sorts an employee's report lines into the order of their photos in the archive. */
    private static List<ImportReport.Line> inArchiveOrder(Employee employee, List<ImportReport.Line> lines) {
        Map<String, Integer> position = new HashMap<>();
        for (ImportArchive.Photo p : employee.photos()) {
            position.putIfAbsent(p.file(), position.size());
        }
        lines.sort(java.util.Comparator.comparingInt(l -> position.getOrDefault(l.file(), Integer.MAX_VALUE)));
        return lines;
    }

    private GalleryWrites.NewEmployee newEmployee(ImportJob job, Employee employee) {
        EmployeesCsv.Row row = employee.row();
        String consent = row != null && row.consentReference() != null ? row.consentReference()
                : job.getConsentReference();
        return new GalleryWrites.NewEmployee(row == null ? null : row.displayName(), consent,
                row == null ? null : row.consentGivenAt());
    }

    /** The located face of one photo, or the domain's refusal of it. */
    private Object locate(ZipFile zip, ImportArchive.Photo p, ImportJob job) throws Exception {
        byte[] bytes = ImportArchive.photo(zip, p.entry(), properties.maxPhotoSize().toBytes());
        for (int attempt = 1; ; attempt++) {
            try (DecodedImage decoded = decoder.decode(bytes)) {
                return cropper.forEnrolment(decoded, job.isDetect());
            } catch (DomainException e) {
                if (!e.code().equals("decode_busy") || attempt == DECODE_RETRIES) {
                    return e;
                }
                Thread.sleep(50L * attempt);   // the decode budget is shared with live requests: wait for it
            }
        }
    }

    private static ImportReport.Line line(ImportArchive.Photo p, ImportReport.Outcome outcome, String code,
                                          String detail, UUID faceSampleId) {
        return new ImportReport.Line(p.employeeId(), p.file(), outcome, code, detail, faceSampleId);
    }
}
