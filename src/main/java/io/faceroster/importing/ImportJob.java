package io.faceroster.importing;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A bulk import as stored: its options, where its archive waits, its counters and outcome. */
@Entity
@Table(name = "import_job")
class ImportJob {

    enum Status {
        QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

        boolean finished() {
            return this != QUEUED && this != RUNNING;
        }
    }

    /** What to do with photos of an employee already enrolled. */
    enum OnExisting {
        /** Leave employees who already have faces alone. */
        SKIP,
        /** Add their photos not stored yet (recognised by content hash). */
        ADD
    }

    @Id
    private UUID id;
    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private Status status;
    @Column(name = "created_by", nullable = false, length = 64)
    private String createdBy;
    @Column(name = "archive_name", length = 255)
    private String archiveName;
    @Column(name = "archive_path", length = 1000)
    private String archivePath;
    @Column(nullable = false)
    private boolean detect;
    @Enumerated(EnumType.STRING)
    @Column(name = "on_existing", nullable = false, length = 8)
    private OnExisting onExisting;
    @Column(name = "dry_run", nullable = false)
    private boolean dryRun;
    @Column(name = "consent_reference", length = 500)
    private String consentReference;
    @Column(name = "employees_total", nullable = false)
    private int employeesTotal;
    @Column(name = "photos_total", nullable = false)
    private int photosTotal;
    @Column(name = "photos_done", nullable = false)
    private int photosDone;
    @Column(name = "employees_created", nullable = false)
    private int employeesCreated;
    @Column(name = "faces_enrolled", nullable = false)
    private int facesEnrolled;
    @Column(nullable = false)
    private int refused;
    @Column(name = "cancel_requested", nullable = false)
    private boolean cancelRequested;
    @Column(length = 2000)
    private String reason;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;
    @Column(name = "started_at")
    private Instant startedAt;
    @Column(name = "finished_at")
    private Instant finishedAt;
    @Column(length = 100)
    private String runner;
    @Column(name = "heartbeat_at")
    private Instant heartbeatAt;

    protected ImportJob() {
    }

    ImportJob(UUID id, String createdBy, String archiveName, String archivePath, boolean detect, OnExisting onExisting,
              boolean dryRun, String consentReference, int employeesTotal, int photosTotal, Instant now) {
        this.id = id;
        this.status = Status.QUEUED;
        this.createdBy = createdBy;
        this.archiveName = archiveName;
        this.archivePath = archivePath;
        this.detect = detect;
        this.onExisting = onExisting;
        this.dryRun = dryRun;
        this.consentReference = consentReference;
        this.employeesTotal = employeesTotal;
        this.photosTotal = photosTotal;
        this.createdAt = now;
    }

    void start(Instant now, String replica) {
        status = Status.RUNNING;
        if (startedAt == null) {
            startedAt = now;
        }
        runner = replica;
        heartbeatAt = now;
    }

    /** The replica holding its archive says it is alive (queued or running). */
    void heartbeat(Instant now, String replica) {
        runner = replica;
        heartbeatAt = now;
    }

    /** The replica running it stopped reporting before {@code staleBefore} (or it never started and is that old). */
    boolean abandoned(Instant staleBefore) {
        Instant last = heartbeatAt != null ? heartbeatAt : createdAt;
        return last.isBefore(staleBefore);
    }

    String getRunner() {
        return runner;
    }

    void finish(Status outcome, String why, Instant now) {
        status = outcome;
        reason = why;
        finishedAt = now;
        archivePath = null;
    }

    /** Adds one employee's outcome to the counters. */
    void count(int photos, boolean created, int enrolled, int refusedPhotos, Instant now) {
        heartbeatAt = now;
        photosDone += photos;
        employeesCreated += created ? 1 : 0;
        facesEnrolled += enrolled;
        refused += refusedPhotos;
    }

    void requestCancel() {
        cancelRequested = true;
    }

    UUID getId() {
        return id;
    }

    Status getStatus() {
        return status;
    }

    String getCreatedBy() {
        return createdBy;
    }

    String getArchiveName() {
        return archiveName;
    }

    String getArchivePath() {
        return archivePath;
    }

    boolean isDetect() {
        return detect;
    }

    OnExisting getOnExisting() {
        return onExisting;
    }

    boolean isDryRun() {
        return dryRun;
    }

    String getConsentReference() {
        return consentReference;
    }

    int getEmployeesTotal() {
        return employeesTotal;
    }

    int getPhotosTotal() {
        return photosTotal;
    }

    int getPhotosDone() {
        return photosDone;
    }

    int getEmployeesCreated() {
        return employeesCreated;
    }

    int getFacesEnrolled() {
        return facesEnrolled;
    }

    int getRefused() {
        return refused;
    }

    boolean isCancelRequested() {
        return cancelRequested;
    }

    String getReason() {
        return reason;
    }

    Instant getCreatedAt() {
        return createdAt;
    }

    Instant getStartedAt() {
        return startedAt;
    }

    Instant getFinishedAt() {
        return finishedAt;
    }
}
