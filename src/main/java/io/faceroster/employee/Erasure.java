package io.faceroster.employee;

import io.faceroster.audit.AuditAction;
import io.faceroster.audit.AuditLog;
import io.faceroster.identify.Recognizer;
import io.faceroster.security.Caller;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Erases an employee for good: the employee row, every face sample (crop and embedding) in one transaction,
 * then the in-memory support-set entries, then whatever an {@link ErasureHook} holds (a running training job
 * is cancelled); audited, and answered with a receipt.
 */
@Service
public class Erasure {

    /** What was erased, when and on whose behalf (an API key id, or {@code retention-purge}). */
    public record Receipt(String employeeId, Instant erasedAt, String erasedBy, String reason, int faceSamplesDeleted,
                          int cropsDeleted, int embeddingsDeleted, int supportSetEntriesRemoved,
                          List<String> alsoRemovedFrom) {
    }

    private final EmployeeRepository employees;
    private final FaceSampleRepository faces;
    private final Recognizer recognizer;
    private final List<ErasureHook> hooks;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final Clock clock;

    Erasure(EmployeeRepository employees, FaceSampleRepository faces, Recognizer recognizer, List<ErasureHook> hooks,
            AuditLog audit, TransactionTemplate tx, Clock clock) {
        this.employees = employees;
        this.faces = faces;
        this.recognizer = recognizer;
        this.hooks = hooks;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
    }

    /** Erasure asked for through the API, by the calling key. */
    public Receipt erase(String employeeId) {
        return erase(employeeId, Caller.keyId(), "erasure requested", AuditAction.EMPLOYEE_DELETE);
    }

    /** Erasure by the retention purge. */
    public Receipt purge(String employeeId, String reason) {
        return erase(employeeId, "retention-purge", reason, AuditAction.RETENTION_PURGE);
    }

    private Receipt erase(String employeeId, String erasedBy, String reason, AuditAction action) {
        int[] counts = recognizer.whileActive(active -> {
            int deleted = tx.execute(status -> {
                Employee e = employees.require(employeeId);
                int n = faces.deleteByEmployee(e);
                employees.delete(e);
                return n;
            });
            int shots = active.supportSet().removeEmployee(employeeId);
            return new int[] {deleted, shots};
        });
        List<String> also = new ArrayList<>();
        for (ErasureHook hook : hooks) {
            hook.employeeErased(employeeId).ifPresent(also::add);
        }
        Receipt receipt = new Receipt(employeeId, clock.instant(), erasedBy, reason, counts[0], counts[0], counts[0],
                counts[1], also);
        String outcome = counts[0] + " face samples erased" + (also.isEmpty() ? "" : "; " + String.join("; ", also));
        if (erasedBy.equals(Caller.keyId())) {
            audit.record(action, employeeId, outcome, reason);
        } else {
            audit.recordAs(erasedBy, action, employeeId, outcome, reason);
        }
        return receipt;
    }
}
