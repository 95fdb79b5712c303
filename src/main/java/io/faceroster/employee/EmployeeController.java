package io.faceroster.employee;

import io.faceroster.identify.Recognizer;
import io.faceroster.web.ApiException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.springframework.data.domain.PageRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Registering, listing, renaming and erasing employees. */
@RestController
@RequestMapping("/api/v1/employees")
class EmployeeController {

    static final String EMPLOYEE_ID = "[A-Za-z0-9._-]{1,64}";
    static final int MAX_PAGE_SIZE = 100;

    private final EmployeeRepository employees;
    private final FaceSampleRepository faces;
    private final Recognizer recognizer;
    private final TransactionTemplate tx;
    private final Clock clock;

    EmployeeController(EmployeeRepository employees, FaceSampleRepository faces, Recognizer recognizer,
                       TransactionTemplate tx, Clock clock) {
        this.employees = employees;
        this.faces = faces;
        this.recognizer = recognizer;
        this.tx = tx;
        this.clock = clock;
    }

    record CreateEmployee(
            @NotBlank @Pattern(regexp = EMPLOYEE_ID, message = "must be 1-64 characters of A-Z a-z 0-9 . _ -")
            String employeeId,
            @NotBlank @Size(max = 200) String displayName) {
    }

    record UpdateEmployee(@NotBlank @Size(max = 200) String displayName) {
    }

    record EmployeeView(String employeeId, String displayName, long faceCount, Instant createdAt,
                        Instant updatedAt) {
    }

    record EmployeeSummary(String employeeId, String displayName, long faceCount, Instant createdAt) {
    }

    record EmployeePage(List<EmployeeSummary> items, int page, int size, long total) {
    }

    @PostMapping
    ResponseEntity<EmployeeView> create(@Valid @RequestBody CreateEmployee body) {
        Employee saved = tx.execute(status -> {
            if (employees.existsByEmployeeId(body.employeeId())) {
                throw new ApiException(HttpStatus.CONFLICT, "employee_exists",
                        "employee '" + body.employeeId() + "' already exists");
            }
            return employees.save(new Employee(body.employeeId(), body.displayName().trim(), clock.instant()));
        });
        return ResponseEntity.created(URI.create("/api/v1/employees/" + saved.getEmployeeId())).body(view(saved, 0));
    }

    @GetMapping
    EmployeePage list(@RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "20") int size) {
        if (page < 0 || size < 1 || size > MAX_PAGE_SIZE) {
            throw ApiException.badRequest("validation_failed",
                    "page must be >= 0 and size between 1 and " + MAX_PAGE_SIZE);
        }
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
        return recognizer.whileActive(active -> {
            EmployeeView updated = tx.execute(status -> {
                Employee e = employees.require(employeeId);
                e.rename(body.displayName().trim(), clock.instant());
                return view(e, faces.countByEmployee(e));
            });
            active.supportSet().rename(employeeId, updated.displayName());
            return updated;
        });
    }

    @DeleteMapping("/{employeeId}")
    ResponseEntity<Void> delete(@PathVariable String employeeId) {
        recognizer.whileActive(active -> {
            tx.executeWithoutResult(status -> {
                Employee e = employees.require(employeeId);
                faces.deleteByEmployee(e);
                employees.delete(e);
            });
            active.supportSet().removeEmployee(employeeId);
            return null;
        });
        return ResponseEntity.noContent().build();
    }

    private static EmployeeView view(Employee e, long faceCount) {
        return new EmployeeView(e.getEmployeeId(), e.getDisplayName(), faceCount, e.getCreatedAt(), e.getUpdatedAt());
    }
}
