package io.faceroster.audit;

import io.faceroster.security.Caller;
import java.sql.Timestamp;
import java.time.Clock;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/**
 * Appends to the audit trail: who (the API key id of the current request, or {@code system}), what, about
 * which employee, with which outcome, when, under which request id. Called after the action took effect;
 * a plain INSERT (no JPA session), since every identify request writes one.
 */
@Service
public class AuditLog {

    private final JdbcTemplate jdbc;
    private final Clock clock;

    AuditLog(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public void record(AuditAction action, String employeeId, String outcome, String detail) {
        recordAs(Caller.keyId(), action, employeeId, outcome, detail);
    }

    /** The same, on behalf of a named background actor (e.g. {@code retention-purge}) rather than the caller. */
    public void recordAs(String actor, AuditAction action, String employeeId, String outcome, String detail) {
        insert(actor, Caller.requestId(), Caller.clientRequestId(), action, employeeId, outcome, detail);
    }

    /** The same from a servlet filter, outside Spring MVC's request scope: ids given explicitly. */
    void recordRequest(String actor, String requestId, String clientRequestId, AuditAction action, String employeeId,
                       String outcome, String detail) {
        insert(actor, requestId, clientRequestId, action, employeeId, outcome, detail);
    }

    private void insert(String actor, String requestId, String clientRequestId, AuditAction action,
                        String employeeId, String outcome, String detail) {
        jdbc.update("INSERT INTO audit_event (occurred_at, key_id, action, employee_id, outcome, request_id, "
                        + "client_request_id, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", Timestamp.from(clock.instant()),
                actor, action.label(), cut(employeeId, 64), cut(outcome, 200), requestId, clientRequestId,
                cut(detail, 1000));
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
