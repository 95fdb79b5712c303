package io.faceroster.employee;

import io.faceroster.replication.ChangeLog;
import io.faceroster.audit.AuditAction;
import io.faceroster.audit.AuditLog;
import io.faceroster.security.Caller;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.springframework.stereotype.Service;

/**
 * Erases an employee for good: the employee row, every face sample (crop and embedding) in one transaction,
 * then the in-memory support-set entries, then whatever an {@link ErasureHook} holds (a running training job
 * is cancelled); audited, and answered with a receipt.
 */
@Service
public class Erasure {

    /**
     * What was erased, when and on whose behalf (an API key id, or {@code retention-purge}); {@code traces}
     * names what still carries an imprint of their faces (model versions trained with them).
     */
    public record Receipt(String employeeId, Instant erasedAt, String erasedBy, String reason, int faceSamplesDeleted,
                          int cropsDeleted, int embeddingsDeleted, int supportSetEntriesRemoved,
                          List<String> alsoRemovedFrom, List<String> traces) {
    }

    private final EmployeeRepository employees;
    private final FaceSampleRepository faces;
    private final GalleryTransaction writes;
    private final ChangeLog changeLog;
    private final List<ErasureHook> hooks;
    private final AuditLog audit;
    private final Clock clock;

    Erasure(EmployeeRepository employees, FaceSampleRepository faces, GalleryTransaction writes, List<ErasureHook> hooks,
            AuditLog audit, Clock clock, ChangeLog changeLog) {
        this.employees = employees;
        this.faces = faces;
        this.writes = writes;
        this.changeLog = changeLog;
        this.hooks = hooks;
        this.audit = audit;
        this.clock = clock;
    }

    /** Erasure asked for through the API, by the calling key. */
    public Receipt erase(String employeeId) {
        return erase(employeeId, Caller.keyId(), "erasure requested", AuditAction.EMPLOYEE_DELETE, null);
    }

    /**
     * Erasure by the retention purge, if the employee still left before {@code cutoff} when the deleting
     * transaction runs (they may have been marked active again meanwhile); null when not.
     */
    Receipt purge(String employeeId, Instant cutoff) {
        String trigger = Caller.SYSTEM.equals(Caller.keyId()) ? "scheduled" : "run by key " + Caller.keyId();
        return erase(employeeId, "retention-purge", "left before " + cutoff + ", beyond the retention period ("
                + trigger + ")", AuditAction.RETENTION_PURGE, e -> e.getLeftAt() != null && e.getLeftAt().isBefore(cutoff));
    }

    /** {@code stillDue}, when given, is re-checked inside the deleting transaction; false: nothing is erased (null). */
    private Receipt erase(String employeeId, String erasedBy, String reason, AuditAction action,
                          Predicate<Employee> stillDue) {
        int[] counts = writes.write(employeeId, active -> {
            Employee e = employees.require(employeeId);
            if (stillDue != null && !stillDue.test(e)) {
                return null;
            }
            int n = faces.deleteByEmployee(e);
            employees.delete(e);
            changeLog.record(action == AuditAction.RETENTION_PURGE ? ChangeLog.Kind.RETENTION_PURGE
                    : ChangeLog.Kind.ERASE, employeeId);
            return new int[] {n, 0};
        }, (supportSet, c) -> c[1] = supportSet.removeEmployee(employeeId));
        if (counts == null) {
            return null;
        }
        List<String> also = new ArrayList<>();
        List<String> traces = new ArrayList<>();
        for (ErasureHook hook : hooks) {
            ErasureHook.Result r = hook.employeeErased(employeeId);
            also.addAll(r.removedFrom());
            traces.addAll(r.traces());
        }
        Receipt receipt = new Receipt(employeeId, clock.instant(), erasedBy, reason, counts[0], counts[0], counts[0],
                counts[1], List.copyOf(also), List.copyOf(traces));
        String outcome = counts[0] + " face samples erased" + (also.isEmpty() ? "" : "; " + String.join("; ", also));
        audit.recordAs(erasedBy, action, employeeId, outcome, reason);
        return receipt;
    }
}
