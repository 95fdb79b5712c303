package io.faceroster.employee;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A person HR has registered; identified in the API by {@code employeeId}, HR's own identifier. Carries the
 * consent record that enrolment requires and, once they leave, the date that starts the retention clock.
 */
@Entity
@Table(name = "employee")
public class Employee {

    /** What an employee id may be: 1-64 of A-Z a-z 0-9 . _ -, not "." or "..". */
    public static final String ID_PATTERN = "(?!\\.{1,2}$)[A-Za-z0-9._-]{1,64}";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "employee_id", nullable = false, unique = true, length = 64)
    private String employeeId;

    @Column(name = "display_name", nullable = false, length = 200)
    private String displayName;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Column(name = "consent_given_at")
    private Instant consentGivenAt;

    @Column(name = "consent_reference", length = 500)
    private String consentReference;

    @Column(name = "left_at")
    private Instant leftAt;

    protected Employee() {
    }

    public Employee(String employeeId, String displayName, Instant now) {
        this.employeeId = employeeId;
        this.displayName = displayName;
        this.createdAt = now;
        this.updatedAt = now;
    }

    public Long getId() {
        return id;
    }

    public String getEmployeeId() {
        return employeeId;
    }

    public String getDisplayName() {
        return displayName;
    }

    public void rename(String newDisplayName, Instant now) {
        this.displayName = newDisplayName;
        this.updatedAt = now;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }

    /** Records HR's consent reference (e.g. the signed form's number) and when consent was given. */
    public void recordConsent(String reference, Instant givenAt, Instant now) {
        this.consentReference = reference;
        this.consentGivenAt = givenAt;
        this.updatedAt = now;
    }

    public boolean hasConsent() {
        return consentGivenAt != null;
    }

    public Instant getConsentGivenAt() {
        return consentGivenAt;
    }

    public String getConsentReference() {
        return consentReference;
    }

    /** Marks the employee as having left on {@code when} (null: still employed). */
    public void setLeftAt(Instant when, Instant now) {
        this.leftAt = when;
        this.updatedAt = now;
    }

    public Instant getLeftAt() {
        return leftAt;
    }
}
