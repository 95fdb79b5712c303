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

    /** The replica running it (null until started). */
    @Column(length = 100)
    private String runner;

    @Column(name = "heartbeat_at")
    private Instant heartbeatAt;

    /** Why someone asked it to stop (null: nobody did); any replica may set it, the runner reads it. */
    @Column(name = "cancel_requested", length = 500)
    private String cancelRequested;

    @Column(length = 32)
    private String phase;

    protected TrainingJob() {
    }

    TrainingJob(String requestJson, Instant now) {
        this.id = UUID.randomUUID();
        this.status = Status.QUEUED;
        this.requestJson = requestJson;
        this.createdAt = now;
    }

    void start(Instant now, String replica) {
        status = Status.RUNNING;
        startedAt = now;
        heartbeatAt = now;
        runner = replica;
    }

    void heartbeat(Instant now, String currentPhase) {
        heartbeatAt = now;
        phase = currentPhase;
    }

    void finish(Status outcome, String why, Instant now) {
        status = outcome;
        reason = why;
        finishedAt = now;
        phase = null;
    }

    String getRunner() {
        return runner;
    }

    Instant getHeartbeatAt() {
        return heartbeatAt;
    }

    String getCancelRequested() {
        return cancelRequested;
    }

    /** Adds a stop request (one per line); when the column is full, an erasure stands for "anyone" ({@code *}). */
    void requestCancel(String why) {
        String next = cancelRequested == null ? why : cancelRequested + "\n" + why;
        if (next.length() > 500) {
            next = cancelRequested + "\n" + (why.startsWith(TrainingErasure.PREFIX) ? TrainingErasure.PREFIX + "*"
                    : "cancelled");
            next = next.length() > 500 ? next.substring(next.length() - 500) : next;
        }
        cancelRequested = next;
    }

    String getPhase() {
        return phase;
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
