package io.faceroster.employee;

import io.faceroster.DomainException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.Pageable;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

interface EmployeeRepository extends JpaRepository<Employee, Long> {

    Optional<Employee> findByEmployeeId(String employeeId);

    boolean existsByEmployeeId(String employeeId);

    List<Employee> findByLeftAtBefore(Instant cutoff);

    /** The employee; {@code validation_failed} for a malformed id, {@link EmployeeNotFound} for an unknown one. */
    default Employee require(String employeeId) {
        if (!employeeId.matches(Employee.ID_PATTERN)) {
            throw DomainException.invalid("employeeId must be 1-64 characters of A-Z a-z 0-9 . _ - (not \".\" or \"..\")");
        }
        return findByEmployeeId(employeeId).orElseThrow(() -> new EmployeeNotFound(employeeId));
    }

    /** One row per employee with its number of face samples. */
    record Summary(String employeeId, String displayName, long faceCount, Instant createdAt) {
    }

    @Query(value = """
            select new io.faceroster.employee.EmployeeRepository$Summary(
                e.employeeId, e.displayName, count(f.id), e.createdAt)
            from Employee e left join FaceSample f on f.employee = e
            group by e.id, e.employeeId, e.displayName, e.createdAt
            order by e.employeeId""",
            countQuery = "select count(e) from Employee e")
    Page<Summary> summaries(Pageable pageable);
}
