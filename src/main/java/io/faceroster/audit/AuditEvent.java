package io.faceroster.audit;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * One line of the audit trail, as read by the admin endpoint (written by {@link AuditLog}). Never updated; no
 * images, embeddings or keys (a key is named by its id).
 */
@Entity
@Table(name = "audit_event")
class AuditEvent {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "occurred_at", nullable = false, updatable = false)
    private Instant occurredAt;

    @Column(name = "key_id", nullable = false, updatable = false, length = 64)
    private String keyId;

    @Column(name = "action", nullable = false, updatable = false, length = 40)
    private String action;

    @Column(name = "employee_id", updatable = false, length = 64)
    private String employeeId;

    @Column(name = "outcome", updatable = false, length = 200)
    private String outcome;

    @Column(name = "request_id", updatable = false, length = 100)
    private String requestId;

    @Column(name = "client_request_id", updatable = false, length = 100)
    private String clientRequestId;

    @Column(name = "detail", updatable = false, length = 1000)
    private String detail;

    protected AuditEvent() {
    }


    Long getId() {
        return id;
    }

    Instant getOccurredAt() {
        return occurredAt;
    }

    String getKeyId() {
        return keyId;
    }

    String getAction() {
        return action;
    }

    String getEmployeeId() {
        return employeeId;
    }

    String getOutcome() {
        return outcome;
    }

    String getRequestId() {
        return requestId;
    }

    public String getClientRequestId() {
        return clientRequestId;
    }

    String getDetail() {
        return detail;
    }
}
