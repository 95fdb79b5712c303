package io.faceroster.employee;

import io.faceroster.replication.ChangeLog;
import io.faceroster.DomainException;
import io.faceroster.Paging;
import io.faceroster.audit.AuditAction;
import io.faceroster.audit.AuditLog;
import io.faceroster.privacy.PrivacyProperties;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.PageRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Registering, listing, updating (name, consent, leaving) and erasing employees. */
@RestController
@RequestMapping("/api/v1/employees")
class EmployeeController {

    // "." and ".." are excluded: as path segments they would be dot segments.
    static final String EMPLOYEE_ID = Employee.ID_PATTERN;
    static final int MAX_PAGE_SIZE = 100;
    /** No consent to biometric processing predates this (a year of -999999999 was accepted before). */
    static final Instant EARLIEST_CONSENT = Instant.parse("1970-01-01T00:00:00Z");

    private final EmployeeRepository employees;
    private final FaceSampleRepository faces;
    private final Erasure erasure;
    private final AuditLog audit;
    private final PrivacyProperties privacy;
    private final GalleryTransaction writes;
    private final EmployeeLocks locks;
    private final ChangeLog changeLog;
    private final TransactionTemplate tx;
    private final Clock clock;

    EmployeeController(EmployeeRepository employees, FaceSampleRepository faces,
                       Erasure erasure, AuditLog audit, PrivacyProperties privacy, GalleryTransaction writes, EmployeeLocks locks,
                       TransactionTemplate tx, Clock clock, ChangeLog changeLog) {
        this.employees = employees;
        this.faces = faces;
        this.erasure = erasure;
        this.audit = audit;
        this.privacy = privacy;
        this.writes = writes;
        this.locks = locks;
        this.changeLog = changeLog;
        this.tx = tx;
        this.clock = clock;
    }

    /** HR's consent record: a reference (form number, document id) and when consent was given (default now). */
    record Consent(@NotBlank @Size(max = 500) String reference, Instant givenAt) {
    }

    record CreateEmployee(
            @NotBlank @Pattern(regexp = EMPLOYEE_ID, message = "must be 1-64 characters of A-Z a-z 0-9 . _ - (not \".\" or \"..\")")
            String employeeId,
            @NotBlank @Size(max = 200) String displayName,
            @Valid Consent consent) {
    }

    /** Every member optional: a new name, a consent record, {@code status} "left" (with {@code leftAt}) or "active". */
    record UpdateEmployee(@Size(min = 1, max = 200) String displayName, @Valid Consent consent,
                          @Pattern(regexp = "active|left", message = "must be 'active' or 'left'") String status,
                          Instant leftAt) {
    }

    record EmployeeView(String employeeId, String displayName, long faceCount, Instant createdAt,
                        Instant updatedAt, Consent consent, String status, Instant leftAt, Instant erasureDueAt) {
    }

    record EmployeeSummary(String employeeId, String displayName, long faceCount, Instant createdAt) {
    }

    record EmployeePage(List<EmployeeSummary> items, int page, int size, long total) {
    }

    @PostMapping
    ResponseEntity<EmployeeView> create(@Valid @RequestBody CreateEmployee body) {
        Instant now = clock.instant();
        DomainException exists = new DomainException("employee_exists",
                "employee '" + body.employeeId() + "' already exists");
        Employee saved;
        try {
            // Concurrent creates of one id queue on its lock; another instance's create meets the unique key.
            saved = locks.with(body.employeeId(), () -> tx.execute(status -> {
                if (employees.existsByEmployeeId(body.employeeId())) {
                    throw exists;
                }
                Employee e = new Employee(body.employeeId(), body.displayName().trim(), now);
                if (body.consent() != null) {
                    e.recordConsent(body.consent().reference().trim(), consentTime(body.consent(), now), now);
                }
                return employees.saveAndFlush(e);
            }));
        } catch (DataIntegrityViolationException e) {
            if (employees.existsByEmployeeId(body.employeeId())) {
                throw exists;
            }
            throw e;
        }
        audit.record(AuditAction.EMPLOYEE_CREATE, saved.getEmployeeId(),
                saved.hasConsent() ? "created with consent" : "created without consent", null);
        return ResponseEntity.created(URI.create("/api/v1/employees/" + saved.getEmployeeId())).body(view(saved, 0));
    }

    @GetMapping
    EmployeePage list(@RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "20") int size) {
        Paging.check(page, size, MAX_PAGE_SIZE);
        var result = employees.summaries(PageRequest.of(page, size));
        return new EmployeePage(result.getContent().stream()
                .map(s -> new EmployeeSummary(s.employeeId(), s.displayName(), s.faceCount(), s.createdAt())).toList(),
                page, size, result.getTotalElements());
    }

    @GetMapping("/{employeeId}")
    EmployeeView get(@PathVariable String employeeId) {
        Employee e = employees.require(employeeId);
        return view(e, faces.countByEmployee(e));
    }

    @PatchMapping("/{employeeId}")
    EmployeeView update(@PathVariable String employeeId, @Valid @RequestBody UpdateEmployee body) {
        if (body.displayName() == null && body.consent() == null && body.status() == null && body.leftAt() == null) {
            throw DomainException.invalid("nothing to change: give displayName, consent, status or leftAt");
        }
        if (body.leftAt() != null && "active".equals(body.status())) {
            throw DomainException.invalid("leftAt goes with status 'left'");
        }
        Instant now = clock.instant();
        List<String> changes = new ArrayList<>();
        EmployeeView updated = writes.write(employeeId, active -> {
            Employee e = employees.require(employeeId);
            if (body.displayName() != null && !body.displayName().isBlank()) {
                e.rename(body.displayName().trim(), now);
                changes.add("renamed");
                changeLog.record(ChangeLog.Kind.RENAME, employeeId);
            }
            if (body.consent() != null) {
                e.recordConsent(body.consent().reference().trim(), consentTime(body.consent(), now), now);
                changes.add("consent recorded");
            }
            if ("left".equals(body.status()) || body.leftAt() != null) {
                Instant left = body.leftAt() != null ? body.leftAt() : now;
                if (left.isAfter(now.plus(Duration.ofDays(366)))) {
                    throw DomainException.invalid("leftAt is more than a year ahead");
                }
                e.setLeftAt(left, now);
                changes.add("left on " + left);
            } else if ("active".equals(body.status())) {
                e.setLeftAt(null, now);
                changes.add("active again");
            }
            return view(e, faces.countByEmployee(e));
        }, (supportSet, v) -> supportSet.rename(employeeId, v.displayName()));
        if (body.consent() != null) {
            audit.record(AuditAction.CONSENT_RECORD, employeeId, "consent recorded", null);
        }
        if (body.status() != null || body.leftAt() != null) {
            audit.record(AuditAction.EMPLOYEE_LEFT, employeeId, updated.status(),
                    updated.leftAt() == null ? null : "left on " + updated.leftAt());
        }
        audit.record(AuditAction.EMPLOYEE_UPDATE, employeeId, String.join(", ", changes), null);
        return updated;
    }

    /**
     * Erases the employee, every crop and embedding, the support-set entries; answers 200 with a receipt, or
     * 204 without one for clients that ask for {@code Prefer: return=minimal} (RFC 7240; the receipt is in the
     * audit trail either way).
     */
    @DeleteMapping("/{employeeId}")
    ResponseEntity<Erasure.Receipt> delete(@PathVariable String employeeId,
                                           @RequestHeader(name = "Prefer", required = false) String prefer) {
        Erasure.Receipt receipt = erasure.erase(employeeId);
        if (prefer != null && prefer.toLowerCase(Locale.ROOT).contains("return=minimal")) {
            return ResponseEntity.noContent().header("Preference-Applied", "return=minimal").build();
        }
        return ResponseEntity.ok(receipt);
    }

    private static Instant consentTime(Consent consent, Instant now) {
        if (consent.givenAt() != null && consent.givenAt().isAfter(now.plusSeconds(300))) {
            throw DomainException.invalid("consent.givenAt lies in the future");
        }
        if (consent.givenAt() != null && consent.givenAt().isBefore(EARLIEST_CONSENT)) {
            throw DomainException.invalid("consent.givenAt lies before " + EARLIEST_CONSENT);
        }
        return consent.givenAt() != null ? consent.givenAt() : now;
    }

    private EmployeeView view(Employee e, long faceCount) {
        Consent consent = e.hasConsent() ? new Consent(e.getConsentReference(), e.getConsentGivenAt()) : null;
        Instant due = e.getLeftAt() == null ? null : e.getLeftAt().plus(Duration.ofDays(privacy.retentionDays()));
        return new EmployeeView(e.getEmployeeId(), e.getDisplayName(), faceCount, e.getCreatedAt(), e.getUpdatedAt(),
                consent, e.getLeftAt() == null ? "active" : "left", e.getLeftAt(), due);
    }
}
