package io.faceroster.training;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A retraining job as stored: its request, last progress, validation figures and outcome (JSON text). */
@Entity
@Table(name = "training_job")
class TrainingJob {

    enum Status {
        QUEUED, RUNNING, SUCCEEDED, REJECTED, FAILED, CANCELLED;

        boolean finished() {
            return this != QUEUED && this != RUNNING;
        }
    }

    @Id
    private UUID id;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private Status status;

    @Column(name = "request_json", nullable = false, length = 4000)
    private String requestJson;

    @Column(name = "progress_json", length = 4000)
    private String progressJson;

    @Column(name = "validation_json", length = 20000)
    private String validationJson;

    @Column(name = "candidate_version", length = 100)
    private String candidateVersion;

    @Column(nullable = false)
    private boolean promoted;

    @Column(length = 2000)
    private String reason;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "started_at")
    private Instant startedAt;

    @Column(name = "finished_at")
    private Instant finishedAt;

    protected TrainingJob() {
    }

    TrainingJob(String requestJson, Instant now) {
        this.id = UUID.randomUUID();
        this.status = Status.QUEUED;
        this.requestJson = requestJson;
        this.createdAt = now;
    }

    void start(Instant now) {
        status = Status.RUNNING;
        startedAt = now;
    }

    void finish(Status outcome, String why, Instant now) {
        status = outcome;
        reason = why;
        finishedAt = now;
    }

    UUID getId() {
        return id;
    }

    Status getStatus() {
        return status;
    }

    String getRequestJson() {
        return requestJson;
    }

    String getProgressJson() {
        return progressJson;
    }

    void setProgressJson(String json) {
        this.progressJson = json;
    }

    String getValidationJson() {
        return validationJson;
    }

    void setValidationJson(String json) {
        this.validationJson = json;
    }

    String getCandidateVersion() {
        return candidateVersion;
    }

    void setCandidateVersion(String version) {
        this.candidateVersion = version;
    }

    boolean isPromoted() {
        return promoted;
    }

    void setPromoted(boolean promoted) {
        this.promoted = promoted;
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
